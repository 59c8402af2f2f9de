/**
 * @module features/health/readiness
 * Checks every configured dependency concurrently, each bounded by a timeout, so `/readyz` answers
 * quickly even when a dependency hangs rather than refuses.
 */

export interface DependencyCheck {
  /** Shown in `/readyz`: `database`, `redis`, `nats`. */
  name: string;
  /** Extra facts shown beside the status (e.g. the SQL dialect). */
  info?: Record<string, string>;
  check(): Promise<void>;
}

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  info?: Record<string, string>;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  dependencies: Record<string, DependencyStatus>;
}

export async function checkReadiness(
  checks: readonly DependencyCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (dependency): Promise<[string, DependencyStatus]> => {
      const started = performance.now();
      const info = dependency.info ? { info: dependency.info } : {};
      try {
        await withTimeout(dependency.check(), timeoutMs);
        return [dependency.name, { status: 'up', latencyMs: elapsed(started), ...info }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [dependency.name, { status: 'down', latencyMs: elapsed(started), error: message, ...info }];
      }
    }),
  );
  const dependencies = Object.fromEntries(results);
  const ready = results.every(([, result]) => result.status === 'up');
  return { status: ready ? 'ready' : 'not_ready', dependencies };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
