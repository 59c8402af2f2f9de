/**
 * @module audit/audit-page
 * Who changed what in the project, newest first: filters by kind of object, by who acted (a
 * member, any API key, the system) and by a range of days; pages of 25 with newer/older; each
 * record's before and after on demand.
 */
import { Alert, Button, Code, Group, Loader, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { CursorPager, useCursorPages } from '../layout/cursor-pager.js';
import { useMembers } from '../members/queries.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type AuditFilterInputs, auditFilters } from './audit-filters.js';
import { type AuditRecord, useAuditPage } from './queries.js';

const RESOURCE_TYPES = [
  'project',
  'environment',
  'member',
  'api_key',
  'flag',
  'experiment',
  'segment',
  'layer',
  'holdout',
  'metric',
  'webhook',
];

export function AuditPage() {
  const { projectKey } = useProjectScope();
  const members = useMembers(projectKey);
  const [inputs, setInputs] = useState<AuditFilterInputs>({
    resourceType: null,
    actor: null,
    from: '',
    to: '',
  });
  const pages = useCursorPages();
  const [opened, setOpened] = useState<string>();
  const page = useAuditPage(projectKey, auditFilters(inputs), pages.cursor);
  const changeFilters = (update: Partial<AuditFilterInputs>) => {
    setInputs((current) => ({ ...current, ...update }));
    pages.reset();
  };
  const nameOf = (userId: string | null) =>
    members.data?.items.find((member) => member.userId === userId)?.name ?? userId ?? 'someone';
  const actorLabel = (actor: AuditRecord['actor']) =>
    actor.type === 'user'
      ? nameOf(actor.id)
      : actor.type === 'api_key'
        ? `API key ${actor.id ?? ''}`
        : 'system';

  return (
    <>
      <Title order={2} mb="md">
        Audit log
      </Title>
      <Group mb="md" align="end">
        <Select
          label="Object"
          placeholder="Any kind"
          data={RESOURCE_TYPES.map((type) => ({ value: type, label: type.replace('_', ' ') }))}
          value={inputs.resourceType}
          onChange={(resourceType) => changeFilters({ resourceType })}
          clearable
          w={170}
        />
        <Select
          label="Changed by"
          placeholder="Anyone"
          data={[
            ...(members.data?.items ?? []).map((member) => ({
              value: `user:${member.userId}`,
              label: member.name,
            })),
            { value: 'api_key', label: 'Any API key' },
            { value: 'system', label: 'The system' },
          ]}
          value={inputs.actor}
          onChange={(actor) => changeFilters({ actor })}
          clearable
          searchable
          w={200}
        />
        <TextInput
          label="From day"
          type="date"
          value={inputs.from}
          onChange={(event) => changeFilters({ from: event.currentTarget.value })}
          w={160}
        />
        <TextInput
          label="To day (included)"
          type="date"
          value={inputs.to}
          onChange={(event) => changeFilters({ to: event.currentTarget.value })}
          w={160}
        />
        {page.isFetching && <Loader size="sm" role="status" aria-label="Loading audit records" />}
      </Group>
      {page.isError ? (
        <Alert color="red">{page.error.message}</Alert>
      ) : page.data?.items.length === 0 ? (
        <Text c="dimmed">No change matches.</Text>
      ) : (
        <Table striped aria-label="Audit records">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
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
                    <Table.Td colSpan={5}>
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
      )}
      <CursorPager pages={pages} page={page} />
    </>
  );
}
