/**
 * @module segments/segments-page
 * A project's segments: search, active or archived, and what each one's conditions say.
 */
import { Alert, Anchor, Badge, Button, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeCondition } from '../flags/rule-draft.js';
import { type ListStatus, StatusFilter } from '../management/status-filter.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { useSegments } from './queries.js';

export function SegmentsPage() {
  const { projectKey, canWrite } = useProjectScope();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListStatus>('active');
  const [debouncedSearch] = useDebouncedValue(search, 200);
  const segments = useSegments(projectKey, { search: debouncedSearch, status });

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Segments</Title>
        {canWrite && (
          <Button component={Link} to={`/projects/${projectKey}/segments/new`}>
            New segment
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
      {segments.isError ? (
        <Alert color="red">{segments.error.message}</Alert>
      ) : segments.data?.items.length === 0 ? (
        <Text c="dimmed">
          {debouncedSearch || status === 'archived' ? 'No segment matches.' : 'No segments yet.'}
        </Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Segment</Table.Th>
              <Table.Th>Conditions (all must hold)</Table.Th>
              <Table.Th>Tags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(segments.data?.items ?? []).map((segment) => (
              <Table.Tr key={segment.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${projectKey}/segments/${segment.key}`} fw={500}>
                    {segment.name || segment.key}
                  </Anchor>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {segment.key}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {segment.conditions.length === 0
                      ? 'everyone'
                      : segment.conditions.map(describeCondition).join(' and ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {segment.tags.map((tag) => (
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
