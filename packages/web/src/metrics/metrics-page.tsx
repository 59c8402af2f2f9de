/**
 * @module metrics/metrics-page
 * The metrics library: what each metric measures, the direction that counts as better, and
 * search over active or archived ones.
 */
import { Alert, Anchor, Badge, Button, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { type ListStatus, StatusFilter } from '../management/status-filter.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { describeMetric } from './metric-draft.js';
import { useMetricsLibrary } from './queries.js';

export function MetricsPage() {
  const { projectKey, canWrite } = useProjectScope();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListStatus>('active');
  const [debouncedSearch] = useDebouncedValue(search, 200);
  const metrics = useMetricsLibrary(projectKey, { search: debouncedSearch, status });

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Metrics</Title>
        {canWrite && (
          <Button component={Link} to={`/projects/${projectKey}/metrics/new`}>
            New metric
          </Button>
        )}
      </Group>
      <Group mb="md" align="end">
        <TextInput
          label="Search"
          placeholder="Key or name"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
        <StatusFilter value={status} onChange={setStatus} />
      </Group>
      {metrics.isError ? (
        <Alert color="red">{metrics.error.message}</Alert>
      ) : metrics.data?.items.length === 0 ? (
        <Text c="dimmed">
          {debouncedSearch || status === 'archived' ? 'No metric matches.' : 'No metrics yet.'}
        </Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Measures</Table.Th>
              <Table.Th>Better when</Table.Th>
              <Table.Th>Tags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(metrics.data?.items ?? []).map((metric) => (
              <Table.Tr key={metric.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${projectKey}/metrics/${metric.key}`} fw={500}>
                    {metric.name || metric.key}
                  </Anchor>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {metric.key}
                  </Text>
                </Table.Td>
                <Table.Td>{metric.type}</Table.Td>
                <Table.Td>
                  <Text size="sm">{describeMetric(metric)}</Text>
                </Table.Td>
                <Table.Td>{metric.direction === 'decrease' ? 'lower' : 'higher'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {metric.tags.map((tag) => (
                      <Badge key={tag} variant="light" size="sm">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
