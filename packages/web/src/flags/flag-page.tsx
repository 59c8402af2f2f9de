/**
 * @module flags/flag-page
 * One flag: its variants, and in the chosen environment the kill switch and the ordered rules —
 * add a rule with a condition builder, reorder (buttons work from the keyboard), remove. Viewers
 * see the same page without the controls.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Card,
  Code,
  Group,
  Loader,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { AddRuleForm } from './add-rule-form.js';
import { type Flag, flagsKey, useFlag, useToggleFlag } from './queries.js';
import { describeCondition, moveItem, type RuleBody } from './rule-draft.js';
import { TestFlagPanel } from './test-flag-panel.js';
import { formatVariantValue } from './variant-value.js';

type Rule = NonNullable<Flag['environments'][string]['rules']>[number];

export function FlagPage() {
  const { flagKey = '' } = useParams();
  const { projectKey, environment, environments, canWrite } = useProjectScope();
  const flag = useFlag(projectKey, flagKey);
  const toggle = useToggleFlag(projectKey);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: flagsKey(projectKey) });
  const path = { projectKey, key: flagKey, environmentKey: environment };

  const reorder = useMutation({
    mutationFn: ({ ruleIds, version }: { ruleIds: string[]; version: number }) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules/reorder', {
          params: { path },
          body: { ruleIds, version },
        }),
      ),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: ({ ruleId, version }: { ruleId: string; version: number }) =>
      unwrap(
        api.DELETE('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules/{ruleId}', {
          params: { path: { ...path, ruleId } },
          headers: { 'if-match': `"${version}"` },
        }),
      ),
    onSettled: refresh,
  });
  const addRule = useMutation({
    mutationFn: ({ rule, version }: { rule: RuleBody; version: number }) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/rules', {
          params: { path },
          body: { rule, version },
        }),
      ),
    onSettled: refresh,
  });

  if (flag.isPending) return <Loader aria-label="Loading flag" />;
  if (flag.isError) return <Alert color="red">{flag.error.message}</Alert>;
  const data = flag.data;
  const state = data.environments[environment] ?? { enabled: false };
  const rules = state.rules ?? [];
  const environmentName =
    environments.find((candidate) => candidate.key === environment)?.name ?? environment;
  const failure = toggle.error ?? reorder.error ?? remove.error;

  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <div>
          <Title order={2}>{data.name || data.key}</Title>
          <Text c="dimmed" ff="monospace" size="sm">
            {data.key} · {data.type} · version {data.version}
          </Text>
        </div>
        <Group gap={4}>
          {data.tags.map((tag) => (
            <Badge key={tag} variant="light">
              {tag}
            </Badge>
          ))}
        </Group>
      </Group>
      {data.description && <Text>{data.description}</Text>}

      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          Variants
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Served</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.variants.map((variant) => (
              <Table.Tr key={variant.key}>
                <Table.Td ff="monospace">{variant.key}</Table.Td>
                <Table.Td>
                  <Code block={data.type === 'json'}>{formatVariantValue(data.type, variant.value)}</Code>
                </Table.Td>
                <Table.Td>
                  {variant.key === data.defaultVariant && <Badge mr={4}>default</Badge>}
                  {variant.key === data.offVariant && <Badge color="gray">when off</Badge>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            In {environmentName}
          </Title>
          <Switch
            size="md"
            label={state.enabled ? 'On' : 'Off'}
            aria-label={`${data.key} in ${environmentName}`}
            checked={state.enabled}
            disabled={!canWrite}
            onChange={(event) =>
              toggle.mutate({
                key: data.key,
                environment,
                enabled: event.currentTarget.checked,
                version: data.version,
              })
            }
          />
        </Group>
        {failure && (
          <Alert color="red" mb="sm" role="alert">
            {failure.message}
          </Alert>
        )}
        <Text size="sm" c="dimmed" mb="xs">
          Rules are tried in order; the first that matches decides. Units no rule matches get{' '}
          <Code>{data.defaultVariant}</Code>.
        </Text>
        {rules.length === 0 ? (
          <Text size="sm">No rules in {environmentName}.</Text>
        ) : (
          <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Rules">
            {rules.map((rule, index) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                position={index}
                count={rules.length}
                canWrite={canWrite}
                busy={reorder.isPending || remove.isPending}
                onMove={(to) =>
                  reorder.mutate({
                    ruleIds: moveItem(
                      rules.map((candidate) => candidate.id),
                      index,
                      to,
                    ),
                    version: data.version,
                  })
                }
                onRemove={() => remove.mutate({ ruleId: rule.id, version: data.version })}
              />
            ))}
          </Stack>
        )}
        {canWrite && (
          <AddRuleForm
            key={`${environment}-${rules.length}`}
            variants={data.variants.map((variant) => variant.key)}
            existingIds={rules.map((rule) => rule.id)}
            pending={addRule.isPending}
            error={addRule.error}
            onSubmit={(rule) => addRule.mutate({ rule, version: data.version })}
          />
        )}
      </Card>
      <TestFlagPanel
        projectKey={projectKey}
        flagKey={data.key}
        environment={environment}
        environmentName={environmentName}
      />
    </Stack>
  );
}

function RuleRow(props: {
  rule: Rule;
  position: number;
  count: number;
  canWrite: boolean;
  busy: boolean;
  onMove(to: number): void;
  onRemove(): void;
}) {
  const { rule, position, count, canWrite, busy, onMove, onRemove } = props;
  return (
    <Card component="li" withBorder padding="sm" aria-label={`Rule ${position + 1}: ${rule.id}`}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Badge variant="outline">{position + 1}</Badge>
            <Text fw={500} ff="monospace">
              {rule.id}
            </Text>
            <Badge
              color={rule.type === 'experiment' ? 'grape.9' : rule.type === 'rollout' ? 'blue.9' : 'teal.9'}
            >
              {rule.type}
            </Badge>
          </Group>
          <Text size="sm" mt={4}>
            {describeRule(rule)}
          </Text>
        </div>
        {canWrite && (
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="default"
              aria-label={`Move ${rule.id} up`}
              disabled={busy || position === 0}
              onClick={() => onMove(position - 1)}
            >
              ↑
            </ActionIcon>
            <ActionIcon
              variant="default"
              aria-label={`Move ${rule.id} down`}
              disabled={busy || position === count - 1}
              onClick={() => onMove(position + 1)}
            >
              ↓
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove ${rule.id}`}
              disabled={busy}
              onClick={onRemove}
            >
              ✕
            </ActionIcon>
          </Group>
        )}
      </Group>
    </Card>
  );
}

/** One line a person can read: who gets what. */
export function describeRule(rule: Rule): string {
  const who =
    rule.conditions && rule.conditions.length > 0
      ? `Units where ${rule.conditions.map(describeCondition).join(' and ')}`
      : 'Every unit';
  switch (rule.type) {
    case 'force':
      return `${who} get ${rule.variant}.`;
    case 'rollout':
      return `${who}: ${formatPercentage(rule.fraction)} get ${rule.variant}.`;
    case 'experiment':
      return `${who} enter experiment ${rule.experimentKey}.`;
  }
}

function formatPercentage(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100} %`;
}
