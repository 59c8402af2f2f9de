/**
 * @module audit/audit-records
 * A page of audit records as both audit pages show it: when, who (named when the page knows the
 * person), what, the object, and each record's before and after on demand; or why there is none.
 * The instance's page adds a column (the project) through `extraColumn`.
 */
import { Alert, Button, Code, Group, Table, Text } from '@mantine/core';
import { Fragment, type ReactNode, useState } from 'react';
import type { AuditPerson } from './audit-filter-bar.js';
import type { AuditRecord } from './queries.js';

export interface AuditColumn<Record> {
  header: string;
  cell(record: Record): ReactNode;
}

export interface AuditRecordsProps<Record extends AuditRecord> {
  page: { data?: { items: Record[] } | undefined; isError: boolean; error: Error | null };
  people: readonly AuditPerson[];
  /** Shown after "When". */
  extraColumn?: AuditColumn<Record>;
}

export function AuditRecords<Record extends AuditRecord>({
  page,
  people,
  extraColumn,
}: AuditRecordsProps<Record>) {
  const [opened, setOpened] = useState<string>();
  if (page.isError) return <Alert color="red">{page.error?.message}</Alert>;
  if (page.data?.items.length === 0) return <Text c="dimmed">No change matches.</Text>;
  const actorLabel = (actor: AuditRecord['actor']) =>
    actor.type === 'user'
      ? (people.find((person) => person.userId === actor.id)?.name ?? actor.id ?? 'someone')
      : actor.type === 'api_key'
        ? `API key ${actor.id ?? ''}`
        : 'system';
  const columns = extraColumn ? 6 : 5;

  return (
    <Table striped aria-label="Audit records">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          {extraColumn && <Table.Th>{extraColumn.header}</Table.Th>}
          <Table.Th>Who</Table.Th>
          <Table.Th>What</Table.Th>
          <Table.Th>Object</Table.Th>
          <Table.Th>Details</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(page.data?.items ?? []).map((record) => (
          <Fragment key={record.id}>
            <Table.Tr>
              <Table.Td>{new Date(record.createdAt).toLocaleString()}</Table.Td>
              {extraColumn && <Table.Td>{extraColumn.cell(record)}</Table.Td>}
              <Table.Td>{actorLabel(record.actor)}</Table.Td>
              <Table.Td ff="monospace">{record.action}</Table.Td>
              <Table.Td>
                {record.resourceType.replace('_', ' ')}{' '}
                <Text span ff="monospace" size="sm">
                  {record.resourceId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  aria-expanded={opened === record.id}
                  onClick={() => setOpened(opened === record.id ? undefined : record.id)}
                >
                  {opened === record.id ? 'Hide' : 'Show'} change
                </Button>
              </Table.Td>
            </Table.Tr>
            {opened === record.id && (
              <Table.Tr>
                <Table.Td colSpan={columns}>
                  <Group grow align="start">
                    <div>
                      <Text size="sm" fw={500}>
                        Before
                      </Text>
                      <Code block>{JSON.stringify(record.before, null, 2)}</Code>
                    </div>
                    <div>
                      <Text size="sm" fw={500}>
                        After
                      </Text>
                      <Code block>{JSON.stringify(record.after, null, 2)}</Code>
                    </div>
                  </Group>
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
}
