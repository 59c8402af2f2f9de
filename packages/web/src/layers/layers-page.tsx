/**
 * @module layers/layers-page
 * A project's layers (experiments in one layer never share a unit): the list, and a dialog to
 * create or change one and archive or restore it. Viewers see the list only.
 */
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { ArchiveButton } from '../management/archive-button.js';
import {
  type DefinitionDraft,
  DefinitionFields,
  definitionBody,
  definitionDraftOf,
  emptyDefinition,
} from '../management/definition-fields.js';
import { type ListStatus, StatusFilter } from '../management/status-filter.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type Layer, useArchiveLayer, useLayers, useSaveLayer } from './queries.js';

/** Which layer the dialog edits: a new one, a saved one, or none (closed). */
type Editing = { layer?: Layer } | undefined;

export function LayersPage() {
  const { projectKey, canWrite } = useProjectScope();
  const [status, setStatus] = useState<ListStatus>('active');
  const [editing, setEditing] = useState<Editing>();
  const layers = useLayers(projectKey, status);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Layers</Title>
        {canWrite && <Button onClick={() => setEditing({})}>New layer</Button>}
      </Group>
      <Text c="dimmed" size="sm" mb="md" maw={720}>
        Experiments in the same layer split its units between them, so no unit is in two of them at once.
      </Text>
      <Group mb="md">
        <StatusFilter value={status} onChange={setStatus} />
      </Group>
      {layers.isError ? (
        <Alert color="red">{layers.error.message}</Alert>
      ) : layers.data?.items.length === 0 ? (
        <Text c="dimmed">{status === 'archived' ? 'No archived layers.' : 'No layers yet.'}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Layer</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Seed</Table.Th>
              <Table.Th>Tags</Table.Th>
              {canWrite && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(layers.data?.items ?? []).map((layer) => (
              <Table.Tr key={layer.key}>
                <Table.Td>
                  <Text fw={500}>{layer.name || layer.key}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {layer.key}
                  </Text>
                </Table.Td>
                <Table.Td>{layer.description}</Table.Td>
                <Table.Td ff="monospace">{layer.seed ?? '(key)'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {layer.tags.map((tag) => (
                      <Badge key={tag} variant="light" size="sm">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing({ layer })}>
                      Edit {layer.key}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing?.layer ? `Layer ${editing.layer.key}` : 'New layer'}
        size="lg"
      >
        {editing && <LayerForm saved={editing.layer} onDone={() => setEditing(undefined)} />}
      </Modal>
    </>
  );
}

function LayerForm({ saved, onDone }: { saved?: Layer; onDone(): void }) {
  const { projectKey } = useProjectScope();
  const [definition, setDefinition] = useState<DefinitionDraft>(
    saved ? definitionDraftOf(saved) : emptyDefinition(),
  );
  const [seed, setSeed] = useState(saved?.seed ?? '');
  const save = useSaveLayer(projectKey, saved);
  const archive = useArchiveLayer(projectKey);
  const apiError = (pointer: string) => fieldError(save.error, pointer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { ...definitionBody(definition), ...(seed.trim() && { seed: seed.trim() }) },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <DefinitionFields
          draft={definition}
          onChange={setDefinition}
          keyFixed={saved !== undefined}
          readOnly={false}
          apiError={apiError}
        />
        <TextInput
          label="Seed"
          description="Salts the split of units; empty uses the key. Changing it reshuffles every unit."
          value={seed}
          onChange={(event) => setSeed(event.currentTarget.value)}
          error={apiError('/seed')}
        />
        <FormError error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {saved ? 'Save layer' : 'Create layer'}
          </Button>
        </Group>
        {saved && (
          <ArchiveButton
            noun="layer"
            archived={saved.status === 'archived'}
            pending={archive.isPending}
            error={archive.error}
            onToggle={(archived) =>
              archive.mutate({ key: saved.key, version: saved.version, archived }, { onSuccess: onDone })
            }
          />
        )}
      </Stack>
    </form>
  );
}
