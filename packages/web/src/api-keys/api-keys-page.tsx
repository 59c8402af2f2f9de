/**
 * @module api-keys/api-keys-page
 * A project's API keys, for admins and owners: create one (an SDK key for browsers or a server
 * key, each bound to an environment, or an admin key for the management API), see its secret once,
 * and revoke it. Others are told who can.
 */
import { Alert, Badge, Button, Card, Group, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { ConfirmDialog } from '../layout/confirm-dialog.js';
import { SecretOnce } from '../management/secret-once.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { useProject } from '../projects/queries.js';
import { type ApiKey, type ApiKeyKind, useApiKeys, useCreateApiKey, useRevokeApiKey } from './queries.js';

const KINDS: { value: ApiKeyKind; label: string }[] = [
  { value: 'sdk', label: 'SDK (browser-safe, one environment)' },
  { value: 'server', label: 'Server (secret, one environment)' },
  { value: 'admin', label: 'Admin (secret, management API)' },
];

export function ApiKeysPage() {
  const { canManage } = useProjectScope();
  return (
    <>
      <Title order={2} mb="md">
        API keys
      </Title>
      {canManage ? (
        <ManageApiKeys />
      ) : (
        <Alert color="yellow">Only the project's admins and owners see and manage its API keys.</Alert>
      )}
    </>
  );
}

function ManageApiKeys() {
  const { projectKey } = useProjectScope();
  const keys = useApiKeys(projectKey);
  const project = useProject(projectKey);
  const [revoking, setRevoking] = useState<ApiKey>();
  const revoke = useRevokeApiKey(projectKey);
  const environmentName = (id: string | null) =>
    id === null
      ? 'all (management)'
      : (project.data?.environments.find((environment) => environment.id === id)?.name ?? id);

  return (
    <>
      <CreateApiKeyForm />
      {keys.isError ? (
        <Alert color="red">{keys.error.message}</Alert>
      ) : keys.data?.items.length === 0 ? (
        <Text c="dimmed">No API keys yet.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Environment</Table.Th>
              <Table.Th>Starts with</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(keys.data?.items ?? []).map((key) => (
              <Table.Tr key={key.id}>
                <Table.Td>{key.name}</Table.Td>
                <Table.Td>{key.kind}</Table.Td>
                <Table.Td>{environmentName(key.environmentId)}</Table.Td>
                <Table.Td ff="monospace">{key.prefix}…</Table.Td>
                <Table.Td>{key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}</Table.Td>
                <Table.Td>
                  {key.revokedAt ? (
                    <Badge color="gray">revoked {new Date(key.revokedAt).toLocaleDateString()}</Badge>
                  ) : (
                    <Button size="xs" variant="outline" color="red.9" onClick={() => setRevoking(key)}>
                      Revoke {key.name}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title="Revoke this key?"
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(undefined) })}
      >
        Whatever uses “{revoking?.name}” stops working at once. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}

function CreateApiKeyForm() {
  const { projectKey, environments, environment: current } = useProjectScope();
  const create = useCreateApiKey(projectKey);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ApiKeyKind>('sdk');
  const [environment, setEnvironment] = useState<string | null>(current);
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const apiError = (pointer: string) => fieldError(create.error, pointer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), kind, ...(kind !== 'admin' && environment && { environment }) },
      {
        onSuccess: (created) => {
          setSecret({ name: created.name, secret: created.secret });
          setName('');
        },
      },
    );
  };
  return (
    <>
      {secret && (
        <SecretOnce
          title={`Key “${secret.name}” created`}
          secret={secret.secret}
          onDismiss={() => setSecret(undefined)}
        />
      )}
      <Card withBorder mb="lg" maw={900}>
        <form onSubmit={submit} noValidate aria-label="New API key">
          <Title order={3} size="h5" mb="xs">
            New API key
          </Title>
          <Group align="start">
            <TextInput
              label="Key name"
              placeholder="web shop"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={apiError('/name')}
              w={220}
            />
            <Select
              label="Kind"
              data={KINDS}
              value={kind}
              onChange={(value) => value && setKind(value as ApiKeyKind)}
              allowDeselect={false}
              error={apiError('/kind')}
              w={300}
            />
            {kind !== 'admin' && (
              <Select
                label="Environment"
                data={environments.map((candidate) => ({ value: candidate.key, label: candidate.name }))}
                value={environment}
                onChange={setEnvironment}
                error={apiError('/environment')}
                w={180}
              />
            )}
            <Button type="submit" mt={24} loading={create.isPending}>
              Create key
            </Button>
          </Group>
          <FormError error={create.error} />
        </form>
      </Card>
    </>
  );
}
