/**
 * @module features/events/event
 * Events as they travel and as they are stored. Exposures say which variation a unit saw; tracked
 * events say what the unit then did. Analysis joins the two per unit.
 */
import type { EventType } from '@cleave/core';

/** A validated event, bound to the project and environment its key names. */
export interface StoredEvent {
  eventId: string;
  projectId: string;
  environmentId: string;
  type: EventType;
  unitId: string;
  experiment: string | null;
  variant: string | null;
  eventName: string | null;
  value: number | null;
  /**
   * Exposure attributes or tracked-event properties as JSON text, the form every store keeps:
   * serialised once, where validation measures its size, and carried as text from there on.
   */
  properties: string | null;
  /** ISO-8601 UTC, normalised to milliseconds so equal instants are equal strings. */
  occurredAt: string;
  receivedAt: string;
}

export interface RejectedEvent {
  index: number;
  error: { code: string; message: string };
}
