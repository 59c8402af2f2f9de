/**
 * @module management/definition-page-actions
 * The end of a definition's own page form (segments, metrics): the save error, "Saved.", save or
 * create (for writers), the way back to the list, and archive/restore of a saved one.
 */
import { Anchor, Button, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { FormError } from '../api/form-error.js';
import { ArchiveButton } from './archive-button.js';

export interface DefinitionPageActionsProps {
  /** How the page names one definition and several ("metric", "metrics"). */
  noun: { one: string; many: string };
  /** Where the list of the kind is. */
  listPath: string;
  saved: { key: string; version: number; status: string } | undefined;
  readOnly: boolean;
  canWrite: boolean;
  /** `showsSaved`: what the form shows is what this page saved last. */
  save: { isPending: boolean; showsSaved: boolean; error: Error | null };
  archive: {
    isPending: boolean;
    error: Error | null;
    mutate(change: { key: string; version: number; archived: boolean }): void;
  };
}

export function DefinitionPageActions({
  noun,
  listPath,
  saved,
  readOnly,
  canWrite,
  save,
  archive,
}: DefinitionPageActionsProps) {
  return (
    <>
      <FormError error={save.error} />
      {save.showsSaved && (
        <Text c="teal.8" role="status">
          Saved.
        </Text>
      )}
      <Group>
        {!readOnly && (
          <Button type="submit" loading={save.isPending}>
            {saved ? `Save ${noun.one}` : `Create ${noun.one}`}
          </Button>
        )}
        <Anchor component={Link} to={listPath}>
          All {noun.many}
        </Anchor>
      </Group>
      {saved && canWrite && (
        <ArchiveButton
          noun={noun.one}
          archived={saved.status === 'archived'}
          pending={archive.isPending}
          error={archive.error}
          onToggle={(archived) => archive.mutate({ key: saved.key, version: saved.version, archived })}
        />
      )}
    </>
  );
}
