/**
 * @module management/definition-fields
 * The fields every project definition has (segments, layers, holdouts, metrics): a name, a key
 * derived from it until typed (fixed once created), a description and tags, with the API's
 * messages under each.
 */
import { Group, TagsInput, Textarea, TextInput } from '@mantine/core';
import { keyFromName } from '../pages/home-page.js';

export interface DefinitionDraft {
  name: string;
  /** Null while it follows the name. */
  key: string | null;
  description: string;
  tags: string[];
}

export function emptyDefinition(): DefinitionDraft {
  return { name: '', key: null, description: '', tags: [] };
}

export function definitionDraftOf(saved: { key: string; name: string; description: string; tags: string[] }) {
  return { name: saved.name, key: saved.key, description: saved.description, tags: saved.tags };
}

export function effectiveKey(draft: DefinitionDraft): string {
  return draft.key ?? keyFromName(draft.name);
}

/** The common part of a create or change body (an empty name lets the API use the key). */
export function definitionBody(draft: DefinitionDraft) {
  const name = draft.name.trim();
  return {
    key: effectiveKey(draft),
    ...(name && { name }),
    description: draft.description.trim(),
    tags: draft.tags,
  };
}

export function DefinitionFields(props: {
  draft: DefinitionDraft;
  onChange(draft: DefinitionDraft): void;
  /** Keys cannot change once created. */
  keyFixed: boolean;
  readOnly: boolean;
  apiError(pointer: string): string | undefined;
}) {
  const { draft, onChange, keyFixed, readOnly, apiError } = props;
  const change = (update: Partial<DefinitionDraft>) => onChange({ ...draft, ...update });
  return (
    <>
      <Group grow align="start">
        <TextInput
          label="Name"
          value={draft.name}
          readOnly={readOnly}
          onChange={(event) => change({ name: event.currentTarget.value })}
          error={apiError('/name')}
        />
        <TextInput
          label="Key"
          description={keyFixed ? 'Fixed once created.' : 'How the API and SDKs name it.'}
          required={!keyFixed}
          readOnly={readOnly || keyFixed}
          value={effectiveKey(draft)}
          onChange={(event) => change({ key: event.currentTarget.value })}
          error={apiError('/key')}
        />
      </Group>
      <Textarea
        label="Description"
        value={draft.description}
        readOnly={readOnly}
        onChange={(event) => change({ description: event.currentTarget.value })}
        error={apiError('/description')}
      />
      <TagsInput
        label="Tags"
        value={draft.tags}
        readOnly={readOnly}
        onChange={(tags) => change({ tags })}
        error={apiError('/tags')}
      />
    </>
  );
}
