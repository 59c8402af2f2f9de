/**
 * @module management/definitions-list
 * The page listing a definition kind that is searched as you type (segments, metrics): search,
 * active or archived, each definition's name linking to its page, the kind's own columns, and tags.
 */
import { Alert, Anchor, Button, Group, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { useProjectScope } from '../projects/environment-choice.js';
import { type DefinitionKind, type DefinitionKindQueries, useDefinitionList } from './definition-queries.js';
import { capitalized, type DefinitionColumn, DefinitionsTable } from './definitions-table.js';
import { type ListStatus, StatusFilter } from './status-filter.js';

export interface DefinitionsListProps<K extends DefinitionKind> {
  queries: DefinitionKindQueries<K>;
  /** How the page names one definition and several ("metric", "metrics"). */
  noun: { one: string; many: string };
  /** The kind's columns, between the name and the tags. */
  columns: DefinitionColumn<K>[];
}

export function DefinitionsList<K extends DefinitionKind>({
  queries,
  noun,
  columns,
}: DefinitionsListProps<K>) {
  const { projectKey, canWrite } = useProjectScope();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListStatus>('active');
  const [debouncedSearch] = useDebouncedValue(search, 200);
  const definitions = useDefinitionList(queries, projectKey, { search: debouncedSearch, status });
  const kindPath = `/projects/${projectKey}/${queries.kind}`;

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{capitalized(noun.many)}</Title>
        {canWrite && (
          <Button component={Link} to={`${kindPath}/new`}>
            New {noun.one}
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
      {definitions.isError ? (
        <Alert color="red">{definitions.error.message}</Alert>
      ) : definitions.data?.items.length === 0 ? (
        <Text c="dimmed">
          {debouncedSearch || status === 'archived' ? `No ${noun.one} matches.` : `No ${noun.many} yet.`}
        </Text>
      ) : (
        <DefinitionsTable
          items={definitions.data?.items ?? []}
          noun={noun.one}
          name={(definition) => (
            <Anchor component={Link} to={`${kindPath}/${definition.key}`} fw={500}>
              {definition.name || definition.key}
            </Anchor>
          )}
          columns={columns}
        />
      )}
    </>
  );
}
