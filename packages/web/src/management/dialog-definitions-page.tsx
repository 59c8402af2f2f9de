/**
 * @module management/dialog-definitions-page
 * The page of a definition kind edited in a dialog (layers, holdouts): the list, active or
 * archived, with the kind's own columns, and a dialog to create or change one and archive or
 * restore it. Viewers see the list only.
 */
import { Alert, Button, Group, Modal, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { FormError } from '../api/form-error.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { ArchiveButton } from './archive-button.js';
import {
  type Definition,
  type DefinitionKind,
  type DefinitionKindQueries,
  useDefinitionList,
} from './definition-queries.js';
import { capitalized, type DefinitionColumn, DefinitionsTable } from './definitions-table.js';
import { type ListStatus, StatusFilter } from './status-filter.js';

export interface DialogDefinitionsPageProps<K extends DefinitionKind> {
  queries: DefinitionKindQueries<K>;
  /** How the page names one definition and several ("layer", "layers"). */
  noun: { one: string; many: string };
  /** What the kind is for, under the title. */
  intro: ReactNode;
  /** The kind's columns, between the name and the tags. */
  columns: DefinitionColumn<K>[];
  /** The dialog's form: for a new definition (`saved` undefined) or a saved one. */
  form(props: { saved?: Definition<K>; onDone(): void }): ReactNode;
}

export function DialogDefinitionsPage<K extends DefinitionKind>({
  queries,
  noun,
  intro,
  columns,
  form,
}: DialogDefinitionsPageProps<K>) {
  const { projectKey, canWrite } = useProjectScope();
  const [status, setStatus] = useState<ListStatus>('active');
  /** Which definition the dialog edits: a new one, a saved one, or none (closed). */
  const [editing, setEditing] = useState<{ saved?: Definition<K> }>();
  const definitions = useDefinitionList(queries, projectKey, { status });
  const close = () => setEditing(undefined);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{capitalized(noun.many)}</Title>
        {canWrite && <Button onClick={() => setEditing({})}>New {noun.one}</Button>}
      </Group>
      <Text c="dimmed" size="sm" mb="md" maw={720}>
        {intro}
      </Text>
      <Group mb="md">
        <StatusFilter value={status} onChange={setStatus} />
      </Group>
      {definitions.isError ? (
        <Alert color="red">{definitions.error.message}</Alert>
      ) : definitions.data?.items.length === 0 ? (
        <Text c="dimmed">{status === 'archived' ? `No archived ${noun.many}.` : `No ${noun.many} yet.`}</Text>
      ) : (
        <DefinitionsTable
          items={definitions.data?.items ?? []}
          noun={noun.one}
          name={(definition) => <Text fw={500}>{definition.name || definition.key}</Text>}
          columns={columns}
          actions={
            canWrite
              ? (definition) => (
                  <Button size="xs" variant="default" onClick={() => setEditing({ saved: definition })}>
                    Edit {definition.key}
                  </Button>
                )
              : undefined
          }
        />
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={editing !== undefined}
        onClose={close}
        title={editing?.saved ? `${capitalized(noun.one)} ${editing.saved.key}` : `New ${noun.one}`}
        size="lg"
      >
        {editing && form({ saved: editing.saved, onDone: close })}
      </Modal>
    </>
  );
}

/** The end of a definition's dialog form: the save error, save, and archive/restore of a saved one. */
export function SaveAndArchive(props: {
  noun: string;
  saved: { key: string; version: number; status: string } | undefined;
  save: { isPending: boolean; error: Error | null };
  archive: {
    isPending: boolean;
    error: Error | null;
    mutate(
      change: { key: string; version: number; archived: boolean },
      callbacks: { onSuccess(): void },
    ): void;
  };
  onDone(): void;
}) {
  const { noun, saved, save, archive, onDone } = props;
  return (
    <>
      <FormError error={save.error} />
      <Group>
        <Button type="submit" loading={save.isPending}>
          {saved ? `Save ${noun}` : `Create ${noun}`}
        </Button>
      </Group>
      {saved && (
        <ArchiveButton
          noun={noun}
          archived={saved.status === 'archived'}
          pending={archive.isPending}
          error={archive.error}
          onToggle={(archived) =>
            archive.mutate({ key: saved.key, version: saved.version, archived }, { onSuccess: onDone })
          }
        />
      )}
    </>
  );
}
