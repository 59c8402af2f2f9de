/**
 * @module experiments/wizard/layer-ranges
 * Ranges of a layer, in percent: experiments in one layer take non-overlapping ranges, which is
 * what makes them mutually exclusive. The wizard proposes the widest free range.
 */

export interface PercentRange {
  start: number;
  end: number;
}

/** The gaps between the taken ranges, in order, over [0, 100). */
export function freeRanges(taken: readonly PercentRange[]): PercentRange[] {
  const sorted = [...taken].sort((a, b) => a.start - b.start);
  const gaps: PercentRange[] = [];
  let cursor = 0;
  for (const range of sorted) {
    if (range.start > cursor) gaps.push({ start: cursor, end: range.start });
    cursor = Math.max(cursor, range.end);
  }
  if (cursor < 100) gaps.push({ start: cursor, end: 100 });
  return gaps;
}

/** The widest free range, or undefined when the layer is full. */
export function widestFreeRange(taken: readonly PercentRange[]): PercentRange | undefined {
  return freeRanges(taken).reduce<PercentRange | undefined>(
    (widest, gap) => (!widest || gap.end - gap.start > widest.end - widest.start ? gap : widest),
    undefined,
  );
}

export function overlaps(a: PercentRange, b: PercentRange): boolean {
  return a.start < b.end && b.start < a.end;
}
