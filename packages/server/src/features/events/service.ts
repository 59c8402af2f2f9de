/**
 * @module features/events/service
 * Ingestion: validate each event on its own, drop repeats within the batch, bind the rest to the
 * key's project and environment, and append them to the durable log. Answers only after the log
 * made them durable.
 */
import type { Telemetry } from '../../telemetry.js';
import type { RejectedEvent, StoredEvent } from './event.js';
import type { EventLog } from './event-log.js';
import { type EventLimits, validateEvent } from './event-validation.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
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
    const receivedAt = now.toISOString();
    const rejected: RejectedEvent[] = [];
    const unique = new Map<string, StoredEvent>();
    let repeatedInBatch = 0;
    raw.forEach((candidate, index) => {
      const result = validateEvent(candidate, now.getTime(), this.limits);
      if (!result.ok) {
        rejected.push({ index, error: { code: result.code, message: result.message } });
        this.telemetry.eventsRejected.inc({ code: result.code });
        return;
      }
      const key = `${result.event.eventId}:${result.event.occurredAt}`;
      if (unique.has(key)) {
        repeatedInBatch += 1;
        return;
      }
      unique.set(key, { ...result.event, ...target, receivedAt });
    });
    const events = [...unique.values()];
    const { duplicates } = events.length > 0 ? await this.log.append(events) : { duplicates: 0 };
    const accepted = events.length - duplicates;
    this.telemetry.eventsAccepted.inc(accepted);
    this.telemetry.eventsDuplicate.inc(duplicates + repeatedInBatch);
    return { accepted, duplicates: duplicates + repeatedInBatch, rejected };
  }
}
