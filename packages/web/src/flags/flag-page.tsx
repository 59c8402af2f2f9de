/**
 * @module flags/flag-page
 * One flag: its variants, and in the chosen environment its configuration, edited as a draft and
 * saved after a diff (see environment-editor), then "test this flag". Viewers see the same page
 * without the controls.
 */
import { Alert, Badge, Card, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useProjectScope } from '../projects/environment-choice.js';
import { EnvironmentEditor } from './environment-editor.js';
import { useFlag } from './queries.js';
import { TestFlagPanel } from './test-flag-panel.js';
import { formatVariantValue } from './variant-value.js';

export function FlagPage() {
  const { flagKey = '' } = useParams();
  const { projectKey, environment, environments, canWrite } = useProjectScope();
  const flag = useFlag(projectKey, flagKey);

  if (flag.isPending) return <Loader aria-label="Loading flag" />;
  if (flag.isError) return <Alert color="red">{flag.error.message}</Alert>;
  const data = flag.data;
  const environmentName =
    environments.find((candidate) => candidate.key === environment)?.name ?? environment;

  return (
    <Stack maw={1100}>
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

      <EnvironmentEditor
        key={environment}
        projectKey={projectKey}
        flag={data}
        environment={environment}
        environments={environments}
        canWrite={canWrite}
      />
      <TestFlagPanel
        projectKey={projectKey}
        flagKey={data.key}
        environment={environment}
        environmentName={environmentName}
      />
    </Stack>
  );
}
