/**
 * @module experiments/forest-plot
 * One row of a forest plot: a comparison's confidence interval and estimate against the shared
 * axis of its metric, with the zero ("no effect") line. Drawn as SVG so rows line up in a table;
 * the text beside it carries the same numbers for screen readers.
 */
import { VERDICT_COLOUR } from './results-format.js';
import type { Comparison } from './results-types.js';

const WIDTH = 220;
const HEIGHT = 24;

const COLOUR_VARIABLE: Record<string, string> = {
  'green.9': 'var(--mantine-color-green-9)',
  'red.9': 'var(--mantine-color-red-9)',
  'gray.7': 'var(--mantine-color-gray-7)',
};

export function ForestRow({ comparison, domain }: { comparison: Comparison; domain: [number, number] }) {
  const [low, high] = domain;
  const x = (value: number) => ((value - low) / (high - low)) * WIDTH;
  const colour = COLOUR_VARIABLE[VERDICT_COLOUR[comparison.verdict]] ?? 'currentColor';
  const { ciLower, ciUpper, estimate } = comparison;
  return (
    <svg width={WIDTH} height={HEIGHT} aria-hidden="true" data-testid={`forest-${comparison.variant}`}>
      <line
        x1={x(0)}
        x2={x(0)}
        y1={0}
        y2={HEIGHT}
        stroke="var(--mantine-color-gray-5)"
        strokeDasharray="3 3"
      />
      {ciLower !== null && ciUpper !== null && (
        <line
          x1={x(ciLower)}
          x2={x(ciUpper)}
          y1={HEIGHT / 2}
          y2={HEIGHT / 2}
          stroke={colour}
          strokeWidth={4}
          strokeLinecap="round"
        />
      )}
      {estimate !== null && (
        <circle cx={x(estimate)} cy={HEIGHT / 2} r={5} fill={colour} stroke="white" strokeWidth={1.5} />
      )}
    </svg>
  );
}
