/**
 * @module experiments/cumulative-chart
 * The effect over time: each treatment's cumulative estimate by day with its confidence band, and
 * the zero line. An effect that settles away from zero reads differently from one still swinging.
 * Loaded on demand (recharts is the largest part of the results page). The axis follows the later
 * days (`cumulativeDomain`): the first days' wide bands are cut at its edge, and the chart says so.
 */

import { Text } from '@mantine/core';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { cumulativeDomain, formatEffect } from './results-format.js';
import type { MetricResult, ResultsSettings } from './results-types.js';

const PALETTE = ['#1864ab', '#862e9c', '#087f5b', '#c92a2a', '#e67700'];

/** One row per day: `<variant>` the estimate, `<variant>-band` its interval. */
export function seriesRows(metric: MetricResult) {
  return metric.series.map((point) => {
    const row: Record<string, string | number | [number, number] | null> = { date: point.date };
    for (const comparison of point.comparisons) {
      row[comparison.variant] = comparison.estimate;
      row[`${comparison.variant}-band`] =
        comparison.ciLower !== null && comparison.ciUpper !== null
          ? [comparison.ciLower, comparison.ciUpper]
          : null;
    }
    return row;
  });
}

export function CumulativeChart({
  metric,
  effect,
}: {
  metric: MetricResult;
  effect: ResultsSettings['effect'];
}) {
  const treatments = metric.comparisons.map((comparison) => comparison.variant);
  const { domain, ticks, clipped } = cumulativeDomain(metric.series);
  return (
    <>
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={seriesRows(metric)} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" fontSize={12} />
          <YAxis
            fontSize={12}
            domain={domain}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={(value: number) => formatEffect(value, effect)}
            width={70}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? formatEffect(value, effect) : String(value))}
          />
          <Legend />
          <ReferenceLine y={0} stroke="#868e96" />
          {treatments.map((variant, index) => (
            <Area
              key={`${variant}-band`}
              dataKey={`${variant}-band`}
              name={`${variant} interval`}
              stroke="none"
              fill={PALETTE[index % PALETTE.length]}
              fillOpacity={0.15}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {treatments.map((variant, index) => (
            <Line
              key={variant}
              dataKey={variant}
              stroke={PALETTE[index % PALETTE.length]}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      {clipped && (
        <Text size="xs" c="dimmed">
          The first days' intervals are wider than the chart: it is scaled to the later days.
        </Text>
      )}
    </>
  );
}
