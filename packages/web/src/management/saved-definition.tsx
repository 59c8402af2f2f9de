/**
 * @module management/saved-definition
 * A definition's own page (segments, metrics) before its form: a new one has no key and opens the
 * empty form; a saved one is loaded first (its error, or a loader, meanwhile).
 */
import { Alert, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useProjectScope } from '../projects/environment-choice.js';
import {
  type Definition,
  type DefinitionKind,
  type DefinitionKindQueries,
  useDefinition,
} from './definition-queries.js';

export interface SavedDefinitionProps<K extends DefinitionKind> {
  queries: DefinitionKindQueries<K>;
  /** The key in the route; undefined on the page that creates one. */
  definitionKey: string | undefined;
  /** How the loader names one definition ("metric"). */
  noun: string;
  /** The form, for a new definition (`saved` undefined) or the saved one. */
  form(saved?: Definition<K>): ReactNode;
}

export function SavedDefinition<K extends DefinitionKind>({
  queries,
  definitionKey,
  noun,
  form,
}: SavedDefinitionProps<K>) {
  const { projectKey } = useProjectScope();
  const definition = useDefinition(queries, projectKey, definitionKey);
  if (definitionKey === undefined) return form();
  if (definition.isError) return <Alert color="red">{definition.error.message}</Alert>;
  if (!definition.data) return <Loader role="status" aria-label={`Loading ${noun}`} />;
  return form(definition.data);
}
