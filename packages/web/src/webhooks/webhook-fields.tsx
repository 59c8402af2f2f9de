/**
 * @module webhooks/webhook-fields
 * A webhook's settings as a form: where deliveries go, which change events they carry (types,
 * `resource.*` patterns or `*`), and whether it is on. API errors show under each field.
 */
import { Switch, TagsInput, TextInput } from '@mantine/core';

export interface WebhookDraft {
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
}

const EVENT_SUGGESTIONS = [
  '*',
  'flag.*',
  'experiment.*',
  'segment.*',
  'metric.*',
  'layer.*',
  'holdout.*',
  'member.*',
  'api_key.*',
  'environment.*',
  'project.*',
];

export function WebhookFields(props: {
  draft: WebhookDraft;
  onChange(draft: WebhookDraft): void;
  apiError(pointer: string): string | undefined;
}) {
  const { draft, onChange, apiError } = props;
  const change = (update: Partial<WebhookDraft>) => onChange({ ...draft, ...update });
  return (
    <>
      <TextInput
        label="URL"
        description="Deliveries are POSTed here, signed with the webhook's secret (x-cleave-signature)."
        placeholder="https://example.com/hooks/cleave"
        required
        value={draft.url}
        onChange={(event) => change({ url: event.currentTarget.value })}
        error={apiError('/url')}
      />
      <TextInput
        label="Description"
        value={draft.description}
        onChange={(event) => change({ description: event.currentTarget.value })}
        error={apiError('/description')}
      />
      <TagsInput
        label="Events"
        description="Event types (flag.updated), patterns (flag.*), or * for every change."
        data={EVENT_SUGGESTIONS}
        value={draft.events}
        onChange={(events) => change({ events })}
        error={
          apiError('/events') ?? draft.events.map((_, index) => apiError(`/events/${index}`)).find(Boolean)
        }
      />
      <Switch
        label="Enabled"
        checked={draft.enabled}
        onChange={(event) => change({ enabled: event.currentTarget.checked })}
      />
    </>
  );
}
