/**
 * @module holdouts/holdouts-page
 * A project's holdouts (a share of units kept out of every experiment in the project or in one
 * layer): the list, and a dialog to create or change one and archive or restore it. Viewers see
 * the list only.
 */
import { Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { useLayers } from '../layers/queries.js';
import {
  type DefinitionDraft,
  DefinitionFields,
  definitionBody,
  definitionDraftOf,
  emptyDefinition,
} from '../management/definition-fields.js';
import { DialogDefinitionsPage, SaveAndArchive } from '../management/dialog-definitions-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type Holdout, holdoutQueries, useArchiveHoldout, useSaveHoldout } from './queries.js';

/** A fraction as the percentage people type, rounded to basis points (5 % is 0.05, not 0.05000000001). */
export function fractionFromPercentage(percentage: number): number {
  return Math.round(percentage * 100) / 10_000;
}

export function HoldoutsPage() {
  return (
    <DialogDefinitionsPage
      queries={holdoutQueries}
      noun={{ one: 'holdout', many: 'holdouts' }}
      intro="A holdout keeps a share of units out of every experiment in its scope, to measure the combined effect of what ships."
      columns={[
        { header: 'Held out', cell: (holdout) => `${Math.round(holdout.fraction * 10_000) / 100} %` },
        {
          header: 'Scope',
          cell: (holdout) => (holdout.layerKey ? `layer ${holdout.layerKey}` : 'whole project'),
        },
      ]}
      form={(props) => <HoldoutForm {...props} />}
    />
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
        <SaveAndArchive noun="holdout" saved={saved} save={save} archive={archive} onDone={onDone} />
      </Stack>
    </form>
  );
}
