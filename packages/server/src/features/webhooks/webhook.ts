/**
 * @module features/webhooks/webhook
 * Subscriptions to change events, and the deliveries made to them.
 */
export interface Webhook {
  id: string;
  projectId: string;
  url: string;
  description: string;
  /** Event types (`flag.updated`) or patterns (`flag.*`, `*`). */
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The event type of test deliveries (`WebhookService.sendTest`); sent even to a disabled webhook. */
export const TEST_EVENT = 'webhook.test';

/** Why a queued delivery failed without being sent: its webhook was disabled. */
export const WEBHOOK_DISABLED = 'The webhook is disabled.';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Whether a subscription pattern covers an event type: exact, `resource.*`, or `*`. */
export function subscribes(patterns: readonly string[], eventType: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === eventType ||
      (pattern.endsWith('.*') && eventType.startsWith(pattern.slice(0, -1))),
  );
}
