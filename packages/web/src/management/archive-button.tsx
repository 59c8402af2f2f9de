/**
 * @module management/archive-button
 * Archive (or restore) a definition. The API refuses to archive one still in use and lists the
 * objects that use it; {@link FormError} shows that list under the message.
 */
import { Button, Group, Stack } from '@mantine/core';
import { FormError } from '../api/form-error.js';

export function ArchiveButton(props: {
  noun: string;
  archived: boolean;
  pending: boolean;
  error: Error | null;
  onToggle(archive: boolean): void;
}) {
  const { noun, archived, pending, error, onToggle } = props;
  return (
    <Stack gap="xs">
      <Group>
        <Button
          variant={archived ? 'light' : 'outline'}
          color={archived ? undefined : 'red.9'}
          loading={pending}
          onClick={() => onToggle(!archived)}
        >
          {archived ? `Restore ${noun}` : `Archive ${noun}`}
        </Button>
      </Group>
      <FormError error={error} />
    </Stack>
  );
}
