/**
 * @module features/events/exposure-recorder
 * Records the exposures of assignments made by remote evaluation, as if the app had sent them:
 * same validation, same durable log. De-duplicated per unit, experiment and variant per UTC day
 * (on this node): the analysis only needs each unit's first exposure, and an app polling OFREP
 * every few seconds would otherwise store thousands of identical exposures per unit.
 *
 * Writes are batched off the request path (every `flushMs`, or at `maxBatch`), so evaluation
 * latency does not include a commit; `flush()` drains on shutdown and in tests.
 */
import { randomUUID } from 'node:crypto';
import type { EvaluationContext, ExperimentAssignment } from '@cleave/core';
import type { AssignmentSink } from '../sdk-delivery/assignment-sink.js';
import type { IngestionService } from './service.js';

export interface ExposureRecorderOptions {
  flushMs?: number;
  maxBatch?: number;
  /** Distinct (unit, experiment, variant) remembered per day; beyond it the memory starts over. */
  maxRemembered?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
}

interface Target {
  projectId: string;
  environmentId: string;
}

/** Attribute values an exposure keeps: the context minus what identifies the unit. */
function attributesOf(context: EvaluationContext): Record<string, unknown> | undefined {
  const { targetingKey: _targetingKey, ...attributes } = context as Record<string, unknown>;
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

export class ExposureRecorder implements AssignmentSink {
  private readonly seen = new Set<string>();
  private seenDay = '';
  private readonly pending = new Map<string, { target: Target; events: Record<string, unknown>[] }>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly ingestion: IngestionService,
    private readonly options: ExposureRecorderOptions = {},
  ) {}

  record(target: Target, assignments: readonly ExperimentAssignment[], context: EvaluationContext): void {
    if (assignments.length === 0) return;
    const now = (this.options.now ?? (() => new Date()))();
    const timestamp = now.toISOString();
    const day = timestamp.slice(0, 10);
    if (day !== this.seenDay || this.seen.size >= (this.options.maxRemembered ?? 1_000_000)) {
      this.seen.clear();
      this.seenDay = day;
    }
    const attributes = attributesOf(context);
    for (const assignment of assignments) {
      const key = JSON.stringify([
        target.environmentId,
        assignment.experimentKey,
        assignment.unitId,
        assignment.variationKey,
      ]);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const batchKey = `${target.projectId} ${target.environmentId}`;
      const batch = this.pending.get(batchKey) ?? { target, events: [] };
      batch.events.push({
        id: randomUUID(),
        type: 'exposure',
        unitId: assignment.unitId,
        experiment: assignment.experimentKey,
        variant: assignment.variationKey,
        timestamp,
        ...(attributes && { attributes }),
      });
      this.pending.set(batchKey, batch);
      if (batch.events.length >= (this.options.maxBatch ?? 500)) void this.flush();
    }
    if (this.pending.size > 0 && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? 1_000);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves once it is durable (or has failed and been reported). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    const previous = this.inFlight;
    const current = (async () => {
      await previous;
      for (const { target, events } of batches) {
        try {
          const result = await this.ingestion.ingest(target, events);
          // Attributes that cannot be stored (too big, too deep) must not cost the exposure itself.
          const retry = result.rejected.map(({ index }) => {
            const { attributes: _attributes, ...bare } = events[index] as Record<string, unknown>;
            return bare;
          });
          if (retry.length > 0) await this.ingestion.ingest(target, retry);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    })();
    this.inFlight = current;
    await current;
  }
}
