import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobAttempt, type JobQueue, PermanentJobError, type QueuedJob } from '../ports/job-queue.js';
import { TEST_REDIS_URL } from '../test-support/services.js';
import { MemoryJobQueue } from './memory/job-queue.js';
import { BullMqJobQueue } from './redis/bullmq-job-queue.js';

/** Each implementation by name; `shared` opens a second worker on the same queue (another process). */
const implementations: [string, (queueName: string) => JobQueue, boolean][] = [
  ['memory', () => new MemoryJobQueue({ backoffMs: 10, maxAttempts: 3 }), false],
  [
    'bullmq',
    (queueName) => new BullMqJobQueue({ redisUrl: TEST_REDIS_URL, queueName, backoffMs: 10, maxAttempts: 3 }),
    true,
  ],
];

function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(check, 10);
    };
    check();
  });
}

describe.each(implementations)('job queue (%s)', (_name, create, shared) => {
  const queues: JobQueue[] = [];
  let queueName = '';
  const open = () => {
    const queue = create(queueName);
    queues.push(queue);
    return queue;
  };
  beforeEach(() => {
    queueName = `test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
  });

  it('hands a queued job to the handler, also when queued before the worker started', async () => {
    const queue = open();
    const seen: QueuedJob[] = [];
    await queue.enqueue({ id: 'job-1', type: 'experiment-analysis' });
    queue.process(async (job) => {
      seen.push(job);
    });
    await queue.enqueue({ id: 'job-2', type: 'experiment-analysis' });
    await waitFor(() => seen.length === 2);
    expect(seen.map((job) => job.id).sort()).toEqual(['job-1', 'job-2']);
  });

  it('retries a failing job with its attempt number until it succeeds', async () => {
    const queue = open();
    const attempts: JobAttempt[] = [];
    queue.process(async (_job, attempt) => {
      attempts.push(attempt);
      if (attempt.attempt < 3) throw new Error('database briefly unreachable');
    });
    await queue.enqueue({ id: 'flaky', type: 'experiment-analysis' });
    await waitFor(() => attempts.length === 3);
    expect(attempts).toEqual([
      { attempt: 1, maxAttempts: 3 },
      { attempt: 2, maxAttempts: 3 },
      { attempt: 3, maxAttempts: 3 },
    ]);
  });

  it('does not retry a permanent failure, nor beyond the last attempt', async () => {
    const queue = open();
    const runs = new Map<string, number>();
    queue.process(async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      if (job.id === 'permanent') throw new PermanentJobError('the experiment was deleted');
      throw new Error('always failing');
    });
    await queue.enqueue({ id: 'permanent', type: 'experiment-analysis' });
    await queue.enqueue({ id: 'hopeless', type: 'experiment-analysis' });
    await waitFor(() => (runs.get('hopeless') ?? 0) === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Object.fromEntries(runs)).toEqual({ permanent: 1, hopeless: 3 });
  });

  it('shares jobs between several workers, each job handled once', async () => {
    const first = open();
    const handled: string[] = [];
    first.process(async (job) => {
      handled.push(job.id);
    });
    if (shared) {
      open().process(async (job) => {
        handled.push(job.id);
      });
    }
    const ids = Array.from({ length: 20 }, (_, index) => `job-${index}`);
    for (const id of ids) await first.enqueue({ id, type: 'experiment-analysis' });
    await waitFor(() => handled.length === ids.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...handled].sort()).toEqual([...ids].sort());
  });
});
