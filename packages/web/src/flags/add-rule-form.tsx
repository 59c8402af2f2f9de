/**
 * @module flags/add-rule-form
 * Adds a rule at the end of an environment's list: its kind (serve a variant, roll a variant out to
 * a percentage, let an experiment decide), and a condition builder (attribute, operator, value, or
 * membership of a segment). API errors show next to the field they name.
 */
import {
  ActionIcon,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../pages/sign-in-page.js';
import {
  CONDITION_OPERATORS,
  type ConditionDraft,
  type RuleBody,
  type RuleDraft,
  ruleBody,
} from './rule-draft.js';

const RULE_TYPES = [
  { value: 'force', label: 'Serve a variant' },
  { value: 'rollout', label: 'Percentage rollout' },
  { value: 'experiment', label: 'Experiment decides' },
];

const OPERATOR_CHOICES = [
  ...CONDITION_OPERATORS.map((operator) => ({ value: operator, label: operator.replaceAll('_', ' ') })),
  { value: 'segment', label: 'in segment' },
];

function firstFreeId(existing: readonly string[]): string {
  let index = existing.length + 1;
  while (existing.includes(`rule-${index}`)) index += 1;
  return `rule-${index}`;
}

export function AddRuleForm(props: {
  variants: readonly string[];
  existingIds: readonly string[];
  pending: boolean;
  error: Error | null;
  onSubmit(rule: RuleBody): void;
}) {
  const { variants, existingIds, pending, error, onSubmit } = props;
  const [draft, setDraft] = useState<RuleDraft>({
    id: firstFreeId(existingIds),
    type: 'force',
    variant: variants[variants.length - 1] ?? '',
    percentage: 10,
    experimentKey: '',
    conditions: [],
  });
  const change = (update: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...update }));
  const changeCondition = (index: number, update: Partial<ConditionDraft>) =>
    change({
      conditions: draft.conditions.map((condition, position) =>
        position === index ? { ...condition, ...update } : condition,
      ),
    });
  const apiError = (pointer: string) => fieldError(error, `/rule${pointer}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(ruleBody(draft));
  };

  return (
    <Card withBorder mt="md" bg="var(--mantine-color-gray-0)">
      <form onSubmit={submit} noValidate aria-label="Add a rule">
        <Title order={4} size="h5" mb="xs">
          Add a rule
        </Title>
        <Stack gap="sm">
          <Group align="start">
            <TextInput
              label="Rule id"
              value={draft.id}
              onChange={(event) => change({ id: event.currentTarget.value })}
              error={apiError('/id')}
              w={160}
            />
            <Select
              label="Kind"
              data={RULE_TYPES}
              value={draft.type}
              onChange={(value) => value && change({ type: value as RuleDraft['type'] })}
              allowDeselect={false}
              w={200}
            />
            {draft.type !== 'experiment' && (
              <Select
                label="Variant"
                data={[...variants]}
                value={draft.variant}
                onChange={(value) => value && change({ variant: value })}
                error={apiError('/variant')}
                allowDeselect={false}
                w={160}
              />
            )}
            {draft.type === 'rollout' && (
              <NumberInput
                label="Percentage of units"
                min={0}
                max={100}
                decimalScale={2}
                suffix=" %"
                value={draft.percentage}
                onChange={(value) => change({ percentage: typeof value === 'number' ? value : 0 })}
                error={apiError('/fraction')}
                w={160}
              />
            )}
            {draft.type === 'experiment' && (
              <TextInput
                label="Experiment key"
                value={draft.experimentKey}
                onChange={(event) => change({ experimentKey: event.currentTarget.value })}
                error={apiError('/experimentKey')}
                w={200}
              />
            )}
          </Group>
          <Text size="sm" fw={500}>
            Conditions{' '}
            {draft.conditions.length === 0 && (
              <Text span c="dimmed" size="sm">
                (none: every unit)
              </Text>
            )}
          </Text>
          {draft.conditions.map((condition, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
            <Group key={index} align="start" wrap="nowrap">
              {condition.operator !== 'segment' && (
                <TextInput
                  label={`Condition ${index + 1} attribute`}
                  placeholder="country"
                  value={condition.attribute}
                  onChange={(event) => changeCondition(index, { attribute: event.currentTarget.value })}
                  error={apiError(`/conditions/${index}/attribute`)}
                  w={180}
                />
              )}
              <Select
                label={`Condition ${index + 1} operator`}
                data={OPERATOR_CHOICES}
                value={condition.operator}
                onChange={(value) =>
                  value && changeCondition(index, { operator: value as ConditionDraft['operator'] })
                }
                allowDeselect={false}
                searchable
                w={170}
              />
              {condition.operator !== 'exists' && condition.operator !== 'not_exists' && (
                <TextInput
                  label={
                    condition.operator === 'segment'
                      ? `Condition ${index + 1} segment`
                      : `Condition ${index + 1} value`
                  }
                  description={
                    condition.operator === 'in' || condition.operator === 'not_in'
                      ? 'Comma-separated'
                      : undefined
                  }
                  value={condition.value}
                  onChange={(event) => changeCondition(index, { value: event.currentTarget.value })}
                  error={apiError(`/conditions/${index}/value`) ?? apiError(`/conditions/${index}/segment`)}
                  style={{ flex: 1 }}
                />
              )}
              <ActionIcon
                mt={28}
                variant="subtle"
                color="red"
                aria-label={`Remove condition ${index + 1}`}
                onClick={() =>
                  change({ conditions: draft.conditions.filter((_, position) => position !== index) })
                }
              >
                ✕
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="light"
              onClick={() =>
                change({ conditions: [...draft.conditions, { attribute: '', operator: 'eq', value: '' }] })
              }
            >
              Add condition
            </Button>
            <Button type="submit" loading={pending}>
              Add rule
            </Button>
          </Group>
          <FormError error={error} />
        </Stack>
      </form>
    </Card>
  );
}
