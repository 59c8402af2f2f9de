/**
 * @module event-loop-lag
 * Event-loop lag as a Prometheus histogram: how much later than asked a short timer fires.
 *
 * prom-client's default event-loop gauges replace it because they are wrong in ways a dashboard
 * cannot see: they reset libuv's histogram at every scrape, so a scrape within 10 ms of the previous
 * one reports the empty histogram (`min` 9223372036.85 s, `mean` and `stddev` NaN); a quiet process
 * shows 10 ms of "lag", the sampling interval itself; and `nodejs_eventloop_lag_seconds` is set
 * after the scrape that reads it, so it reports how long the previous scrape took. A histogram of
 * lag beyond the requested delay, counted since start, is true however often (and by however many
 * scrapers) it is read, and `histogram_quantile` gives percentiles over any window.
 */
import { performance } from 'node:perf_hooks';
import { Histogram, type Registry } from 'prom-client';

/** The gauges `collectDefaultMetrics` adds for the event loop; dropped in favour of the histogram. */
const DEFAULT_EVENT_LOOP_GAUGES = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
];

export interface EventLoopLag {
  histogram: Histogram;
  stop(): void;
}

/**
 * Replaces the default event-loop gauges of `registry` (named with `prefix`) by
 * `<prefix>nodejs_eventloop_lag_seconds`, a histogram sampled every `intervalMs`.
 */
export function monitorEventLoopLag(
  registry: Registry,
  options: { prefix: string; intervalMs?: number },
): EventLoopLag {
  for (const name of DEFAULT_EVENT_LOOP_GAUGES) registry.removeSingleMetric(`${options.prefix}${name}`);
  const histogram = new Histogram({
    name: `${options.prefix}nodejs_eventloop_lag_seconds`,
    help: 'How much later than scheduled a timer ran: event-loop lag, sampled every 10 ms',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const intervalMs = options.intervalMs ?? 10;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const due = performance.now() + intervalMs;
    timer = setTimeout(() => {
      histogram.observe(Math.max(0, performance.now() - due) / 1000);
      schedule();
    }, intervalMs);
    // A metric must never keep a process alive that has nothing else to do.
    timer.unref();
  };
  schedule();
  return {
    histogram,
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
