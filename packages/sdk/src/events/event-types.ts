/**
 * @module The events the SDK sends to `POST /api/v1/events`, exactly as they go on the wire.
 */
import type { JsonValue } from '@cleave/core/evaluation';

/** A unit was assigned a variation of an experiment and served its value. */
export interface ExposureEvent {
  /** A client-generated UUID: the server de-duplicates retried batches by it. */
  readonly id: string;
  readonly type: 'exposure';
  readonly unitId: string;
  readonly experiment: string;
  /** The experiment variation key the unit was assigned. */
  readonly variant: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  readonly attributes?: { readonly [key: string]: JsonValue };
}

/** Something a unit did: a conversion, a purchase with its value… */
export interface TrackEvent {
  readonly id: string;
  readonly type: 'track';
  readonly unitId: string;
  readonly event: string;
  readonly value?: number;
  readonly properties?: { readonly [key: string]: JsonValue };
  readonly timestamp: string;
}

export type SdkEvent = ExposureEvent | TrackEvent;

/** The server accepts at most this many events per request. */
export const MAX_EVENTS_PER_REQUEST = 500;
