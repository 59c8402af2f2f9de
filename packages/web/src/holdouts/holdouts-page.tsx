/**
 * @module holdouts/holdouts-page
 * A project's holdouts (a share of units kept out of every experiment in the project or in one
 * layer): the list, and a dialog to create or change one and archive or restore it. Viewers see
 * the list only.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { useLayers } from '../layers/queries.js';
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
import { type Holdout, useArchiveHoldout, useHoldouts, useSaveHoldout } from './queries.js';

type Editing = { holdout?: Holdout } | undefined;

/** A fraction as the percentage people type, rounded to basis points (5 % is 0.05, not 0.05000000001). */
export function fractionFromPercentage(percentage: number): number {
  return Math.round(percentage * 100) / 10_000;
}

export function HoldoutsPage() {
  const { projectKey, canWrite } = useProjectScope();
  const [status, setStatus] = useState<ListStatus>('active');
  const [editing, setEditing] = useState<Editing>();
  const holdouts = useHoldouts(projectKey, status);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Holdouts</Title>
        {canWrite && <Button onClick={() => setEditing({})}>New holdout</Button>}
      </Group>
      <Text c="dimmed" size="sm" mb="md" maw={720}>
        A holdout keeps a share of units out of every experiment in its scope, to measure the combined effect
        of what ships.
      </Text>
      <Group mb="md">
        <StatusFilter value={status} onChange={setStatus} />
      </Group>
      {holdouts.isError ? (
        <Alert color="red">{holdouts.error.message}</Alert>
      ) : holdouts.data?.items.length === 0 ? (
        <Text c="dimmed">{status === 'archived' ? 'No archived holdouts.' : 'No holdouts yet.'}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Holdout</Table.Th>
              <Table.Th>Held out</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Tags</Table.Th>
              {canWrite && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(holdouts.data?.items ?? []).map((holdout) => (
              <Table.Tr key={holdout.key}>
                <Table.Td>
                  <Text fw={500}>{holdout.name || holdout.key}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {holdout.key}
                  </Text>
                </Table.Td>
                <Table.Td>{Math.round(holdout.fraction * 10_000) / 100} %</Table.Td>
                <Table.Td>{holdout.layerKey ? `layer ${holdout.layerKey}` : 'whole project'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {holdout.tags.map((tag) => (
                      <Badge key={tag} variant="light" size="sm">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing({ holdout })}>
                      Edit {holdout.key}
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
        title={editing?.holdout ? `Holdout ${editing.holdout.key}` : 'New holdout'}
        size="lg"
      >
        {editing && <HoldoutForm saved={editing.holdout} onDone={() => setEditing(undefined)} />}
      </Modal>
    </>
  );
}

function HoldoutForm({ saved, onDone }: { saved?: Holdout; onDone(): void }) {
  const { projectKey } = useProjectScope();
  const layers = useLayers(projectKey, 'active');
  const [definition, setDefinition] = useState<DefinitionDraft>(
    saved ? definitionDraftOf(saved) : emptyDefinition(),
  );
  const [percentage, setPercentage] = useState(saved ? Math.round(saved.fraction * 10_000) / 100 : 5);
  const [layerKey, setLayerKey] = useState<string | null>(saved?.layerKey ?? null);
  const [seed, setSeed] = useState(saved?.seed ?? '');
  const save = useSaveHoldout(projectKey, saved);
  const archive = useArchiveHoldout(projectKey);
  const apiError = (pointer: string) => fieldError(save.error, pointer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        ...definitionBody(definition),
        fraction: fractionFromPercentage(percentage),
        ...(layerKey && { layerKey }),
        ...(seed.trim() && { seed: seed.trim() }),
      },
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
        <Group grow align="start">
          <NumberInput
            label="Units held out"
            min={0}
            max={100}
            decimalScale={2}
            suffix=" %"
            value={percentage}
            onChange={(value) => setPercentage(typeof value === 'number' ? value : 0)}
            error={apiError('/fraction')}
          />
          <Select
            label="Scope"
            description={
              saved?.layerKey ? 'Can move to another layer, not back to the whole project.' : undefined
            }
            placeholder="Whole project"
            data={(layers.data?.items ?? []).map((layer) => ({
              value: layer.key,
              label: layer.name || layer.key,
            }))}
            value={layerKey}
            onChange={setLayerKey}
            clearable={!saved?.layerKey}
            error={apiError('/layerKey')}
          />
        </Group>
        <TextInput
          label="Seed"
          description="Salts which units are held out; empty uses the key. Changing it picks other units."
          value={seed}
          onChange={(event) => setSeed(event.currentTarget.value)}
          error={apiError('/seed')}
        />
        <FormError error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {saved ? 'Save holdout' : 'Create holdout'}
          </Button>
        </Group>
        {saved && (
          <ArchiveButton
            noun="holdout"
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
