/**
 * @module Pearson chi-square statistics for the hashing tests.
 *
 * Critical values at p = 0.001 from the NIST/SEMATECH e-Handbook of Statistical Methods,
 * section 1.3.6.7.4, "Critical Values of the Chi-Square Distribution" (upper-tail table):
 * https://www.itl.nist.gov/div898/handbook/eda/section3/eda3674.htm
 */
export const CHI_SQUARE_CRITICAL_P001: Readonly<Record<number, number>> = {
  1: 10.828,
  2: 13.816,
  4: 18.467,
  6: 22.458,
  9: 27.877,
};

/** Σ (observed − expected)² / expected, for counts against expected shares of `total`. */
export function goodnessOfFit(observed: readonly number[], shares: readonly number[], total: number): number {
  let statistic = 0;
  observed.forEach((count, i) => {
    const expected = (shares[i] ?? 0) * total;
    statistic += (count - expected) ** 2 / expected;
  });
  return statistic;
}

/** Chi-square statistic of independence for a contingency table (rows × columns of counts). */
export function independence(table: readonly (readonly number[])[]): number {
  const rowTotals = table.map((row) => row.reduce((sum, count) => sum + count, 0));
  const columnCount = table[0]?.length ?? 0;
  const columnTotals = Array.from({ length: columnCount }, (_, j) =>
    table.reduce((sum, row) => sum + (row[j] ?? 0), 0),
  );
  const total = rowTotals.reduce((sum, count) => sum + count, 0);
  let statistic = 0;
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      const expected = ((rowTotals[i] ?? 0) * (columnTotals[j] ?? 0)) / total;
      statistic += (count - expected) ** 2 / expected;
    });
  });
  return statistic;
}
