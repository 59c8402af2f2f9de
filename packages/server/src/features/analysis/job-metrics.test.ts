import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PermanentJobError } from '../../ports/job-queue.js';
import { measuredJobHandler } from './job-metrics.js';
import type { JobOutcome } from './service.js';

function metrics() {
  const registers = [new Registry()];
  return {
    jobSeconds: new Histogram({ name: 'seconds', help: 'h', labelNames: ['outcome'], registers }),
    jobFailures: new Counter({ name: 'failures', help: 'h', registers }),
  };
}

async function counts(measured: ReturnType<typeof metrics>) {
  const histogram = await measured.jobSeconds.get();
  const count = (outcome: string) =>
    histogram.values.find((value) => value.metricName === 'seconds_count' && value.labels.outcome === outcome)
      ?.value ?? 0;
  return {
    succeeded: count('succeeded'),
    retried: count('retried'),
    failed: count('failed'),
    failures: (await measured.jobFailures.get()).values[0]?.value ?? 0,
  };
}

const job = { id: 'j1', type: 'experiment-analysis' };

describe('measuredJobHandler', () => {
  it('times attempts by outcome: a transient failure is a retry until the last attempt fails the job', async () => {
    const measured = metrics();
    const handler = measuredJobHandler(async () => {
      throw new Error('database restarting');
    }, measured);
    await expect(handler(job, { attempt: 1, maxAttempts: 3 })).rejects.toThrow('database restarting');
    await expect(handler(job, { attempt: 2, maxAttempts: 3 })).rejects.toThrow();
    expect(await counts(measured)).toEqual({ succeeded: 0, retried: 2, failed: 0, failures: 0 });
    await expect(handler(job, { attempt: 3, maxAttempts: 3 })).rejects.toThrow();
    expect(await counts(measured)).toEqual({ succeeded: 0, retried: 2, failed: 1, failures: 1 });
  });

  it('counts a permanent error as a failure at once, and a job ended as failed without throwing', async () => {
    const measured = metrics();
    const permanent = measuredJobHandler(async () => {
      throw new PermanentJobError('experiment deleted');
    }, measured);
    await expect(permanent(job, { attempt: 1, maxAttempts: 3 })).rejects.toThrow(PermanentJobError);
    const gaveUp = measuredJobHandler(async (): Promise<JobOutcome> => 'failed', measured);
    await gaveUp(job, { attempt: 3, maxAttempts: 3 });
    expect(await counts(measured)).toEqual({ succeeded: 0, retried: 0, failed: 2, failures: 2 });
  });

  it('times successes, and leaves out attempts that found nothing to do', async () => {
    const measured = metrics();
    const outcomes: JobOutcome[] = ['succeeded', 'skipped', 'succeeded'];
    const handler = measuredJobHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return outcomes.shift() ?? 'skipped';
    }, measured);
    for (let run = 0; run < 3; run++) await handler(job, { attempt: 1, maxAttempts: 3 });
    expect(await counts(measured)).toEqual({ succeeded: 2, retried: 0, failed: 0, failures: 0 });
    const sum = (await measured.jobSeconds.get()).values.find(
      (value) => value.metricName === 'seconds_sum' && value.labels.outcome === 'succeeded',
    )?.value;
    expect(sum).toBeGreaterThanOrEqual(0.03);
  });
});
