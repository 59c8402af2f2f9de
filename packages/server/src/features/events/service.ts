/**
 * @module features/events/service
 * Ingestion: validate each event on its own, drop repeats within the batch, bind the rest to the
 * key's project and environment, and append them to the durable log. Answers only after the log
 * made them durable.
 */

import type { EventLog } from '../../ports/event-log.js';
import type { RejectedEvent, StoredEvent } from '../../ports/stored-event.js';
import type { Telemetry } from '../../runtime/telemetry.js';
import { type EventLimits, EventRejection, validateEvent } from './event-validation.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

/**
 * Recognises events seen before in one batch: same id and time. Keyed by id alone (one hash of a
 * short string per event, no key built); the same id at another time is a different event.
 */
class BatchRepeats {
  private readonly firstTimes = new Map<string, string>();
  private otherTimes: Set<string> | undefined;

  isRepeat(event: StoredEvent): boolean {
    const firstTime = this.firstTimes.get(event.eventId);
    if (firstTime === undefined) {
      this.firstTimes.set(event.eventId, event.occurredAt);
      return false;
    }
    if (firstTime === event.occurredAt) return true;
    this.otherTimes ??= new Set();
    const key = `${event.eventId} ${event.occurredAt}`;
    if (this.otherTimes.has(key)) return true;
    this.otherTimes.add(key);
    return false;
  }
}

export class IngestionService {
  constructor(
    private readonly log: EventLog,
    private readonly limits: EventLimits,
    private readonly telemetry: Telemetry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async ingest(
    target: { projectId: string; environmentId: string },
    raw: readonly unknown[],
  ): Promise<IngestResult> {
    const now = this.now();
    const context = {
      projectId: target.projectId,
      environmentId: target.environmentId,
      now: now.getTime(),
      receivedAt: now.toISOString(),
      limits: this.limits,
    };
    const rejected: RejectedEvent[] = [];
    const events: StoredEvent[] = [];
    const repeats = new BatchRepeats();
    let repeatedInBatch = 0;
    for (let index = 0; index < raw.length; index++) {
      const result = validateEvent(raw[index], context);
      if (result instanceof EventRejection) {
        rejected.push({ index, error: { code: result.code, message: result.message } });
        this.telemetry.eventsRejected.inc({ code: result.code });
      } else if (repeats.isRepeat(result)) {
        repeatedInBatch += 1;
      } else {
        events.push(result);
      }
    }
    const { duplicates } = events.length > 0 ? await this.log.append(events) : { duplicates: 0 };
    const accepted = events.length - duplicates;
    this.telemetry.eventsAccepted.inc(accepted);
    this.telemetry.eventsDuplicate.inc(duplicates + repeatedInBatch);
    return { accepted, duplicates: duplicates + repeatedInBatch, rejected };
  }
}
