/**
 * @module webhooks/webhook-page
 * One webhook, for admins and owners: change its URL, events and description, enable or disable
 * it, send a test event, rotate its signing secret (shown once), delete it; and its delivery log,
 * page by page, with each delivery's status, attempts, last answer and payload, and "Redeliver"
 * for finished ones.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, Fragment, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { ConfirmDialog } from '../layout/confirm-dialog.js';
import { CursorPager, useCursorPages } from '../layout/cursor-pager.js';
import { SecretOnce } from '../management/secret-once.js';
import { useProjectScope } from '../projects/environment-choice.js';
import {
  type Delivery,
  useChangeWebhook,
  useDeliveries,
  useWebhook,
  useWebhookAction,
  type Webhook,
} from './queries.js';
import { type WebhookDraft, WebhookFields } from './webhook-fields.js';

export function WebhookPage() {
  const { webhookId = '' } = useParams();
  const { projectKey, canManage } = useProjectScope();
  const webhook = useWebhook(projectKey, webhookId);
  if (!canManage)
    return <Alert color="yellow">Only the project's admins and owners see and manage its webhooks.</Alert>;
  if (webhook.isError) return <Alert color="red">{webhook.error.message}</Alert>;
  if (!webhook.data) return <Loader role="status" aria-label="Loading webhook" />;
  return (
    <>
      <Group mb="md" gap="sm">
        <Title order={2}>Webhook</Title>
        <Badge color={webhook.data.enabled ? 'teal' : 'gray'}>
          {webhook.data.enabled ? 'enabled' : 'disabled'}
        </Badge>
      </Group>
      <WebhookSettings key={webhook.data.version} webhook={webhook.data} />
      <Deliveries webhookId={webhookId} />
    </>
  );
}

function WebhookSettings({ webhook }: { webhook: Webhook }) {
  const { projectKey } = useProjectScope();
  const navigate = useNavigate();
  const change = useChangeWebhook(projectKey, webhook.id);
  const actions = useWebhookAction(projectKey, webhook.id);
  const [draft, setDraft] = useState<WebhookDraft>({
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    enabled: webhook.enabled,
  });
  const [secret, setSecret] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({
      url: draft.url.trim(),
      description: draft.description.trim(),
      events: draft.events,
      enabled: draft.enabled,
      version: webhook.version,
    });
  };
  const actionError = actions.test.error ?? actions.rotate.error ?? actions.remove.error;

  return (
    <>
      {secret && (
        <SecretOnce title="New signing secret" secret={secret} onDismiss={() => setSecret(undefined)} />
      )}
      <Card withBorder mb="lg" maw={760}>
        <form onSubmit={submit} noValidate aria-label="Webhook settings">
          <Stack gap="sm">
            <WebhookFields
              draft={draft}
              onChange={setDraft}
              apiError={(pointer) => fieldError(change.error, pointer)}
            />
            <FormError error={change.error} />
            <Group>
              <Button type="submit" loading={change.isPending}>
                Save webhook
              </Button>
              <Button
                variant="default"
                loading={change.isPending}
                onClick={() => change.mutate({ enabled: !webhook.enabled, version: webhook.version })}
              >
                {webhook.enabled ? 'Disable' : 'Enable'}
              </Button>
              <Button
                variant="default"
                loading={actions.test.isPending}
                onClick={() => actions.test.mutate()}
              >
                Send test event
              </Button>
              <Button
                variant="default"
                loading={actions.rotate.isPending}
                onClick={() =>
                  actions.rotate.mutate(undefined, { onSuccess: (rotated) => setSecret(rotated.secret) })
                }
              >
                Rotate secret
              </Button>
              <Button variant="outline" color="red.9" onClick={() => setDeleting(true)}>
                Delete webhook
              </Button>
            </Group>
            {actionError && (
              <Alert color="red" role="alert">
                {actionError.message}
              </Alert>
            )}
          </Stack>
        </form>
      </Card>
      <ConfirmDialog
        opened={deleting}
        onClose={() => setDeleting(false)}
        title="Delete this webhook?"
        confirmLabel="Delete"
        pending={actions.remove.isPending}
        onConfirm={() =>
          actions.remove.mutate(undefined, { onSuccess: () => navigate(`/projects/${projectKey}/webhooks`) })
        }
      >
        {webhook.url} gets no more deliveries; queued ones are dropped with it.
      </ConfirmDialog>
      <Anchor component={Link} to={`/projects/${projectKey}/webhooks`} mb="lg" display="block">
        All webhooks
      </Anchor>
    </>
  );
}

const STATUS_COLOUR: Record<Delivery['status'], string> = {
  pending: 'blue',
  delivered: 'teal',
  failed: 'red',
};

function Deliveries({ webhookId }: { webhookId: string }) {
  const { projectKey } = useProjectScope();
  const pages = useCursorPages();
  const [opened, setOpened] = useState<string>();
  const page = useDeliveries(projectKey, webhookId, pages.cursor);
  const { redeliver } = useWebhookAction(projectKey, webhookId);

  return (
    <section aria-labelledby="deliveries-heading">
      <Title order={3} id="deliveries-heading" mb="sm">
        Deliveries
      </Title>
      <FormError error={redeliver.error} />
      {page.isError ? (
        <Alert color="red">{page.error.message}</Alert>
      ) : page.data?.items.length === 0 ? (
        <Text c="dimmed">No deliveries yet. Send a test event to see one.</Text>
      ) : (
        <Table striped aria-label="Deliveries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queued</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Last answer</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(page.data?.items ?? []).map((delivery) => (
              <Fragment key={delivery.id}>
                <Table.Tr>
                  <Table.Td>{new Date(delivery.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td ff="monospace">{delivery.eventType}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOUR[delivery.status]}>{delivery.status}</Badge>
                    {delivery.status === 'pending' && delivery.nextAttemptAt && delivery.attempts > 0 && (
                      <Text size="xs" c="dimmed">
                        next try {new Date(delivery.nextAttemptAt).toLocaleTimeString()}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{delivery.attempts}</Table.Td>
                  <Table.Td>
                    {delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : ''}
                    {delivery.lastError && (
                      <Text size="xs" c="red.8">
                        {delivery.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-expanded={opened === delivery.id}
                        onClick={() => setOpened(opened === delivery.id ? undefined : delivery.id)}
                      >
                        Payload
                      </Button>
                      {delivery.status !== 'pending' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={redeliver.isPending && redeliver.variables === delivery.id}
                          onClick={() => redeliver.mutate(delivery.id)}
                        >
                          Redeliver
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {opened === delivery.id && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Code block>{JSON.stringify(delivery.payload, null, 2)}</Code>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <CursorPager pages={pages} page={page} />
    </section>
  );
}
