/**
 * @module layout/user-menu
 * The header's corner: who is signed in (with their role in the project on a project's pages) and
 * sign-out, which leads back to the start.
 */
import { Button, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useSession, useSignOut } from '../auth/session.js';

export function UserMenu({ role }: { role?: string | undefined }) {
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Group wrap="nowrap" gap="sm">
      <Text size="sm" visibleFrom="sm">
        {session.data?.user.name}
        {role && (
          <Text span c="dimmed" size="sm">
            {' '}
            · {role}
          </Text>
        )}
      </Text>
      <Button
        variant="default"
        size="xs"
        onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/') })}
      >
        Sign out
      </Button>
    </Group>
  );
}
