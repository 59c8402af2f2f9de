/**
 * @module webhooks/webhooks-page
 * A project's webhooks, for admins and owners: each one's URL, events and state, and a form to
 * subscribe a new URL (its signing secret is shown once).
 */
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { SecretOnce } from '../management/secret-once.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { useCreateWebhook, useWebhooks } from './queries.js';
import { type WebhookDraft, WebhookFields } from './webhook-fields.js';

export function WebhooksPage() {
  const { canManage } = useProjectScope();
  return (
    <>
      <Title order={2} mb="md">
        Webhooks
      </Title>
      {canManage ? (
        <ManageWebhooks />
      ) : (
        <Alert color="yellow">Only the project's admins and owners see and manage its webhooks.</Alert>
      )}
    </>
  );
}

function ManageWebhooks() {
  const { projectKey } = useProjectScope();
  const webhooks = useWebhooks(projectKey);
  return (
    <>
      <CreateWebhookForm />
      {webhooks.isError ? (
        <Alert color="red">{webhooks.error.message}</Alert>
      ) : webhooks.data?.items.length === 0 ? (
        <Text c="dimmed">No webhooks yet.</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Events</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(webhooks.data?.items ?? []).map((webhook) => (
              <Table.Tr key={webhook.id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/projects/${projectKey}/webhooks/${webhook.id}`}
                    ff="monospace"
                  >
                    {webhook.url}
                  </Anchor>
                  {webhook.description && (
                    <Text size="xs" c="dimmed">
                      {webhook.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ff="monospace">{webhook.events.join(', ')}</Table.Td>
                <Table.Td>
                  <Badge color={webhook.enabled ? 'teal' : 'gray'}>
                    {webhook.enabled ? 'enabled' : 'disabled'}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

const EMPTY: WebhookDraft = { url: '', description: '', events: ['*'], enabled: true };

function CreateWebhookForm() {
  const { projectKey } = useProjectScope();
  const create = useCreateWebhook(projectKey);
  const [draft, setDraft] = useState<WebhookDraft>(EMPTY);
  const [secret, setSecret] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { ...draft, url: draft.url.trim(), description: draft.description.trim() },
      {
        onSuccess: (created) => {
          setSecret(created.secret);
          setDraft(EMPTY);
        },
      },
    );
  };
  return (
    <>
      {secret && (
        <SecretOnce
          title="Webhook created: its signing secret"
          secret={secret}
          onDismiss={() => setSecret(undefined)}
        />
      )}
      <Card withBorder mb="lg" maw={760}>
        <form onSubmit={submit} noValidate aria-label="New webhook">
          <Title order={3} size="h5" mb="xs">
            New webhook
          </Title>
          <Stack gap="sm">
            <WebhookFields
              draft={draft}
              onChange={setDraft}
              apiError={(pointer) => fieldError(create.error, pointer)}
            />
            <FormError error={create.error} />
            <Group>
              <Button type="submit" loading={create.isPending}>
                Create webhook
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </>
  );
}
