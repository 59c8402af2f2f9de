/**
 * @module bench/soak/trend
 * Whether a memory series grows: the slope of a least-squares line through the second half of
 * the samples (the first half is start-up: JIT, caches and pools filling), in MB per minute.
 */

export interface Sample {
  /** Seconds since the load started. */
  atSeconds: number;
  rssMb: number;
}

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** RSS growth over the second half of the run, MB per minute. */
export function secondHalfRssSlope(samples: readonly Sample[]): number {
  const half = samples.slice(Math.floor(samples.length / 2));
  return slope(half.map((sample) => ({ x: sample.atSeconds / 60, y: sample.rssMb })));
}
