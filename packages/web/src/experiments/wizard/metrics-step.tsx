/**
 * @module experiments/wizard/metrics-step
 * The metrics that judge the experiment, from the project's library: primary (the decision),
 * secondary (to learn) and guardrails (must not get worse).
 */
import { MultiSelect, Stack, Text } from '@mantine/core';
import type { Metric } from '../../metrics/queries.js';
import type { StepProps } from './step-props.js';

export function MetricsStep({
  draft,
  update,
  issue,
  metrics,
}: StepProps & { metrics: readonly Metric[] | undefined }) {
  const choices = (metrics ?? []).map((metric) => ({ value: metric.key, label: metric.name || metric.key }));
  const set = (role: keyof typeof draft.metrics) => (value: string[]) =>
    update({ metrics: { ...draft.metrics, [role]: value } });
  return (
    <Stack>
      {metrics && choices.length === 0 && (
        <Text size="sm" c="dimmed">
          This project has no metrics yet; define them first on the Metrics page.
        </Text>
      )}
      <MultiSelect
        label="Primary (decides the experiment)"
        data={choices}
        value={draft.metrics.primary}
        onChange={set('primary')}
        error={issue('/metrics/primary')}
        searchable
      />
      <MultiSelect
        label="Secondary (to learn from)"
        data={choices}
        value={draft.metrics.secondary}
        onChange={set('secondary')}
        error={issue('/metrics/secondary')}
        searchable
      />
      <MultiSelect
        label="Guardrails (must not get worse)"
        data={choices}
        value={draft.metrics.guardrail}
        onChange={set('guardrail')}
        error={issue('/metrics/guardrail')}
        searchable
      />
    </Stack>
  );
}
