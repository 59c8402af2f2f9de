/**
 * @module members/members-page
 * Who works on the project and in what role. Admins and owners add people (by the email of their
 * account), change roles and remove members; the API keeps at least one owner and lets only
 * owners grant or take the owner role, and says so when refused. Everyone else reads the list.
 */
import { Alert, Button, Card, Group, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { useSession } from '../auth/session.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type MemberRole, useMembers, usePutMember, useRemoveMember } from './queries.js';

const ROLES: { value: MemberRole; label: string }[] = [
  { value: 'viewer', label: 'Viewer: reads everything' },
  { value: 'editor', label: 'Editor: changes flags, experiments, metrics' },
  { value: 'admin', label: 'Admin: also members, keys, webhooks' },
  { value: 'owner', label: 'Owner: also owners and the project' },
];

export function MembersPage() {
  const { projectKey, canManage } = useProjectScope();
  const session = useSession();
  const members = useMembers(projectKey);
  const change = usePutMember(projectKey);
  const remove = useRemoveMember(projectKey);

  return (
    <>
      <Title order={2} mb="md">
        Members
      </Title>
      {canManage && <AddMemberForm />}
      {[change.error, remove.error].map(
        (error) =>
          error && (
            <Alert key={error.message} color="red" role="alert" mb="md">
              {error.message}
            </Alert>
          ),
      )}
      {members.isError ? (
        <Alert color="red">{members.error.message}</Alert>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Member since</Table.Th>
              {canManage && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(members.data?.items ?? []).map((member) => (
              <Table.Tr key={member.userId}>
                <Table.Td>
                  {member.name}
                  {member.userId === session.data?.user.id && (
                    <Text span c="dimmed" size="sm">
                      {' '}
                      (you)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>
                  {canManage ? (
                    <Select
                      aria-label={`Role of ${member.email}`}
                      data={ROLES.map((role) => ({ value: role.value, label: role.value }))}
                      value={member.role}
                      onChange={(role) =>
                        role &&
                        role !== member.role &&
                        change.mutate({ email: member.email, role: role as MemberRole })
                      }
                      allowDeselect={false}
                      w={130}
                    />
                  ) : (
                    member.role
                  )}
                </Table.Td>
                <Table.Td>{new Date(member.createdAt).toLocaleDateString()}</Table.Td>
                {canManage && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      loading={remove.isPending && remove.variables === member.userId}
                      onClick={() => remove.mutate(member.userId)}
                    >
                      Remove {member.email}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

function AddMemberForm() {
  const { projectKey } = useProjectScope();
  const add = usePutMember(projectKey);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('editor');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };
  return (
    <Card withBorder mb="lg" maw={900}>
      <form onSubmit={submit} noValidate aria-label="Add a member">
        <Title order={3} size="h5" mb="xs">
          Add a member
        </Title>
        <Group align="start">
          <TextInput
            label="Email of their account"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(add.error, '/email')}
            w={280}
          />
          <Select
            label="Role"
            data={ROLES}
            value={role}
            onChange={(value) => value && setRole(value as MemberRole)}
            allowDeselect={false}
            error={fieldError(add.error, '/role')}
            w={340}
          />
          <Button type="submit" mt={24} loading={add.isPending}>
            Add member
          </Button>
        </Group>
        <FormError error={add.error} />
      </form>
    </Card>
  );
}
