import { describe, expect, it } from 'vitest';
import { secondHalfRssSlope, slope } from './trend.js';

describe('the soak RSS trend', () => {
  it('fits a line through points', () => {
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBeCloseTo(2);
    expect(slope([{ x: 1, y: 5 }])).toBe(0);
  });

  it('ignores the start-up climb and sees a leak in the second half, not GC noise', () => {
    const steady = Array.from({ length: 120 }, (_, index) => ({
      atSeconds: index * 5,
      // Climbs for the first minute, then saw-tooths around 180 MB (collections every 30 s).
      rssMb: index < 12 ? 100 + index * 7 : 180 + ((index % 6) - 2.5) * 3,
    }));
    expect(Math.abs(secondHalfRssSlope(steady))).toBeLessThan(0.5);
    const leaking = steady.map((sample) => ({
      ...sample,
      rssMb: sample.rssMb + (sample.atSeconds / 60) * 3,
    }));
    expect(secondHalfRssSlope(leaking)).toBeCloseTo(3, 0);
  });
});
