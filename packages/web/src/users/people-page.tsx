/**
 * @module users/people-page
 * The instance's accounts, for instance administrators: who they are, whether they administer the
 * instance, whether they are disabled. An administrator creates accounts, disables someone who
 * left (after a dialog naming them: they are signed out everywhere at once) or enables them again,
 * and grants or revokes instance administration. The API refuses disabling or demoting oneself
 * and the last enabled administrator; the page offers neither for oneself and shows any refusal on
 * the row it concerns. Everyone else is told who may manage people; the page never asks the API.
 */
import { Alert, Button, Card, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { useSession } from '../auth/session.js';
import { ConfirmDialog } from '../layout/confirm-dialog.js';
import { type InstanceUser, useAllUsers, useCreateUser, useUpdateUserAccess } from './queries.js';

export function PeoplePage() {
  const session = useSession();
  return (
    <>
      <Title order={2} mb="md">
        People
      </Title>
      {session.data?.user.isInstanceAdmin ? (
        <People />
      ) : (
        <Alert color="yellow">Only instance administrators manage the instance's accounts.</Alert>
      )}
    </>
  );
}

function People() {
  const session = useSession();
  const users = useAllUsers();
  const [search, setSearch] = useState('');
  const wanted = search.trim().toLowerCase();
  const shown = (users.data ?? []).filter(
    (user) => wanted === '' || `${user.name} ${user.email}`.toLowerCase().includes(wanted),
  );
  return (
    <>
      <CreateAccountForm />
      <TextInput
        label="Find a person"
        placeholder="Name or email"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={280}
        mb="sm"
      />
      {users.isError ? (
        <Alert color="red">{users.error.message}</Alert>
      ) : (
        <Table striped aria-label="People">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Instance administrator</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((user) => (
              <PersonRow key={user.id} user={user} isMe={user.id === session.data?.user.id} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {users.isSuccess && shown.length === 0 && (
        <Text c="dimmed" size="sm" mt="sm">
          Nobody matches "{search.trim()}".
        </Text>
      )}
    </>
  );
}

function PersonRow({ user, isMe }: { user: InstanceUser; isMe: boolean }) {
  const update = useUpdateUserAccess(user.id);
  const [confirming, setConfirming] = useState(false);
  const pending = (field: 'disabled' | 'isInstanceAdmin') =>
    update.isPending && update.variables?.[field] !== undefined;
  const disable = () => update.mutate({ disabled: true }, { onSuccess: () => setConfirming(false) });
  return (
    <Table.Tr>
      <Table.Td>
        {user.name}
        {isMe && (
          <Text span c="dimmed" size="sm">
            {' '}
            (you)
          </Text>
        )}
      </Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>{user.isInstanceAdmin ? 'Yes' : 'No'}</Table.Td>
      <Table.Td>
        {user.disabled ? (
          <Text size="sm" fw={600} c="red.9">
            Disabled
          </Text>
        ) : (
          <Text size="sm">Active</Text>
        )}
      </Table.Td>
      <Table.Td>
        {isMe ? (
          <Text c="dimmed" size="sm">
            Another administrator can change your account.
          </Text>
        ) : (
          <Group gap="xs" wrap="nowrap">
            {user.disabled ? (
              <Button
                size="xs"
                variant="outline"
                loading={pending('disabled')}
                onClick={() => update.mutate({ disabled: false })}
                aria-label={`Enable ${user.name}`}
              >
                Enable
              </Button>
            ) : (
              <Button
                size="xs"
                variant="outline"
                color="red.9"
                onClick={() => {
                  update.reset();
                  setConfirming(true);
                }}
                aria-label={`Disable ${user.name}`}
              >
                Disable
              </Button>
            )}
            <Button
              size="xs"
              variant="subtle"
              loading={pending('isInstanceAdmin')}
              onClick={() => update.mutate({ isInstanceAdmin: !user.isInstanceAdmin })}
              // The visible words first: a voice-control user says what they see (WCAG 2.5.3).
              aria-label={`${user.isInstanceAdmin ? 'Revoke administrator' : 'Make administrator'}: ${user.name}`}
            >
              {user.isInstanceAdmin ? 'Revoke administrator' : 'Make administrator'}
            </Button>
          </Group>
        )}
        {update.error && !confirming && (
          <Text c="red" size="sm" role="alert" mt={4}>
            {update.error.message}
          </Text>
        )}
        <ConfirmDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          title={`Disable ${user.name}?`}
          confirmLabel={`Disable ${user.name}`}
          pending={update.isPending}
          onConfirm={disable}
          error={update.error}
        >
          {user.name} ({user.email}) is signed out everywhere at once and cannot sign in until an
          administrator enables the account again. Their project memberships and audit history stay; API keys
          belong to their projects and keep working (revoke them in each project if needed).
        </ConfirmDialog>
      </Table.Td>
    </Table.Tr>
  );
}

function CreateAccountForm() {
  const create = useCreateUser();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), email: email.trim(), password },
      {
        onSuccess: () => {
          setName('');
          setEmail('');
          setPassword('');
        },
      },
    );
  };
  return (
    <Card withBorder mb="lg" maw={900}>
      <form onSubmit={submit} noValidate aria-label="Create an account">
        <Title order={3} size="h5" mb="xs">
          Create an account
        </Title>
        <Group align="start">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError(create.error, '/name')}
            w={200}
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(create.error, '/email')}
            w={240}
          />
          <TextInput
            label="Initial password"
            type="password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fieldError(create.error, '/password')}
            description="At least 10 characters; share it with them privately"
            w={240}
          />
          <Button type="submit" mt={24} loading={create.isPending}>
            Create account
          </Button>
        </Group>
        <FormError error={create.error} />
        {create.isSuccess && (
          <Text size="sm" c="green.8" mt="xs" role="status">
            Created {create.data.email}. Add them to projects from each project's Members page.
          </Text>
        )}
      </form>
    </Card>
  );
}
