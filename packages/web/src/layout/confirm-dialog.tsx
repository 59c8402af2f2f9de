/**
 * @module layout/confirm-dialog
 * The dialog that asks before an action that cannot be undone (revoking a key, deleting a
 * webhook): what it will do, the action in red, and a way out that keeps things as they are.
 */
import { Button, Group, Modal, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormError } from '../api/form-error.js';

export interface ConfirmDialogProps {
  opened: boolean;
  onClose(): void;
  title: string;
  /** What the action will do, in the reader's terms. */
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  onConfirm(): void;
  /** The action's failure, shown above the buttons (where the caller reports it here). */
  error?: Error | null;
  /** A field the reader fills in before the action is offered (the key of what is deleted). */
  confirmation?: ReactNode;
  confirmDisabled?: boolean;
}

export function ConfirmDialog({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  pending,
  onConfirm,
  error,
  confirmation,
  confirmDisabled = false,
}: ConfirmDialogProps) {
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={title}>
      <Text size="sm" mb="md">
        {children}
      </Text>
      {confirmation}
      {error !== undefined && <FormError error={error} />}
      <Group mt="md">
        <Button color="red" loading={pending} disabled={confirmDisabled} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <Button variant="default" onClick={onClose}>
          Keep it
        </Button>
      </Group>
    </Modal>
  );
}
