/**
 * @module layers/layers-page
 * A project's layers (experiments in one layer never share a unit): the list, and a dialog to
 * create or change one and archive or restore it. Viewers see the list only.
 */
import { Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import {
  type DefinitionDraft,
  DefinitionFields,
  definitionBody,
  definitionDraftOf,
  emptyDefinition,
} from '../management/definition-fields.js';
import { DialogDefinitionsPage, SaveAndArchive } from '../management/dialog-definitions-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type Layer, layerQueries, useArchiveLayer, useSaveLayer } from './queries.js';

export function LayersPage() {
  return (
    <DialogDefinitionsPage
      queries={layerQueries}
      noun={{ one: 'layer', many: 'layers' }}
      intro="Experiments in the same layer split its units between them, so no unit is in two of them at once."
      columns={[
        { header: 'Description', cell: (layer) => layer.description },
        {
          header: 'Seed',
          cell: (layer) => (
            <Text span inherit ff="monospace">
              {layer.seed ?? '(key)'}
            </Text>
          ),
        },
      ]}
      form={(props) => <LayerForm {...props} />}
    />
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
        <SaveAndArchive noun="layer" saved={saved} save={save} archive={archive} onDone={onDone} />
      </Stack>
    </form>
  );
}
