/**
 * @module experiments/wizard/analysis-step
 * How results are computed: the method (frequentist, bayesian, sequential), relative or absolute
 * effect, alpha, CUPED and its window, the multiple-comparison correction, sequential tuning, and
 * the planned units (which the power calculator can fill in).
 */
import { Group, NumberInput, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import type { AnalysisDraft } from './experiment-draft.js';
import type { StepProps } from './step-props.js';

const METHODS = [
  { value: 'frequentist', label: 'Frequentist' },
  { value: 'bayesian', label: 'Bayesian' },
  { value: 'sequential', label: 'Sequential' },
];

const CORRECTIONS = [
  { value: 'none', label: 'None' },
  { value: 'holm', label: 'Holm (family-wise error)' },
  { value: 'bh', label: 'Benjamini-Hochberg (false discovery rate)' },
];

export function AnalysisStep({ draft, update, issue, children }: StepProps & { children?: React.ReactNode }) {
  const { analysis } = draft;
  const set = (patch: Partial<AnalysisDraft>) => update({ analysis: { ...analysis, ...patch } });
  const number = (value: string | number) => (typeof value === 'number' ? value : 0);
  return (
    <Stack>
      <div>
        <Text size="sm" fw={500} id="analysis-method-label">
          Method
        </Text>
        <SegmentedControl
          aria-labelledby="analysis-method-label"
          data={METHODS}
          value={analysis.method}
          onChange={(value) => set({ method: value as AnalysisDraft['method'] })}
        />
        <Text size="xs" c="dimmed" mt={4}>
          {analysis.method === 'sequential'
            ? 'Intervals stay valid however often you look: stop as soon as they exclude zero.'
            : analysis.method === 'bayesian'
              ? 'Chance to win and expected loss instead of p-values.'
              : 'p-values and confidence intervals: decide once, at the planned sample size.'}
        </Text>
      </div>
      <Group grow align="start">
        <Select
          label="Effect"
          data={[
            { value: 'relative', label: 'Relative (lift)' },
            { value: 'absolute', label: 'Absolute (difference)' },
          ]}
          value={analysis.effect}
          onChange={(value) => value && set({ effect: value as AnalysisDraft['effect'] })}
          allowDeselect={false}
          error={issue('/analysis/effect')}
        />
        <NumberInput
          label="Alpha"
          description="1 − confidence level"
          min={0.001}
          max={0.49}
          step={0.01}
          decimalScale={3}
          value={analysis.alpha}
          onChange={(value) => set({ alpha: number(value) })}
          error={issue('/analysis/alpha')}
        />
        <Select
          label="Multiple-comparison correction"
          data={CORRECTIONS}
          value={analysis.correction}
          onChange={(value) => value && set({ correction: value as AnalysisDraft['correction'] })}
          allowDeselect={false}
          error={issue('/analysis/correction')}
        />
      </Group>
      <Group align="end">
        <Switch
          label="CUPED variance reduction"
          description="Uses each unit's value before exposure"
          checked={analysis.cuped}
          onChange={(event) => set({ cuped: event.currentTarget.checked })}
        />
        {analysis.cuped && (
          <NumberInput
            label="CUPED window"
            suffix=" days"
            min={1}
            max={90}
            value={analysis.cupedWindowDays}
            onChange={(value) => set({ cupedWindowDays: number(value) })}
            error={issue('/analysis/cupedWindowDays')}
            w={160}
          />
        )}
      </Group>
      <Group grow align="start">
        {analysis.method === 'sequential' && (
          <NumberInput
            label="Sequential tuning"
            description="The sample size at which intervals are tightest"
            min={1}
            value={analysis.sequentialTuning}
            onChange={(value) => set({ sequentialTuning: number(value) })}
            error={issue('/analysis/sequentialTuning')}
          />
        )}
        <NumberInput
          label="Planned units"
          description="Reaching them ends the experiment; empty: no plan"
          min={1}
          value={analysis.plannedUnits ?? ''}
          onChange={(value) => set({ plannedUnits: typeof value === 'number' ? value : null })}
          error={issue('/analysis/plannedUnits')}
        />
      </Group>
      {children}
    </Stack>
  );
}
