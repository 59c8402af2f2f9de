/**
 * @module experiments/wizard/targeting-step
 * Who enters and how units are told apart: the unit attribute that is hashed, the share of
 * eligible units that enter (coverage), and optionally a range of a layer, which keeps the
 * experiment exclusive with the others in that layer. Eligibility itself (conditions, segments,
 * environments) is the flag rule's: the experiment runs through a rule of type "experiment".
 */
import { Alert, Group, List, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import type { Experiment } from '../queries.js';
import { overlaps, type PercentRange, widestFreeRange } from './layer-ranges.js';
import type { StepProps } from './step-props.js';

const percent = (fraction: number) => Math.round(fraction * 10_000) / 100;

export function TargetingStep({
  draft,
  update,
  issue,
  layers,
  experiments,
}: StepProps & {
  layers: readonly { key: string; name?: string | undefined }[];
  experiments: readonly Experiment[];
}) {
  const layerKey = draft.layer?.key ?? null;
  const inLayer = experiments.flatMap((experiment) =>
    experiment.layer && experiment.layer.key === layerKey && experiment.status !== 'archived'
      ? [
          {
            key: experiment.key,
            start: percent(experiment.layer.range.start),
            end: percent(experiment.layer.range.end),
          },
        ]
      : [],
  );
  const chosen: PercentRange | undefined = draft.layer
    ? { start: draft.layer.startPercent, end: draft.layer.endPercent }
    : undefined;
  const clashes = chosen ? inLayer.filter((other) => overlaps(chosen, other)) : [];

  const chooseLayer = (key: string | null) => {
    if (!key) return update({ layer: null });
    const taken = experiments.flatMap((experiment) =>
      experiment.layer?.key === key && experiment.status !== 'archived'
        ? [{ start: percent(experiment.layer.range.start), end: percent(experiment.layer.range.end) }]
        : [],
    );
    const free = widestFreeRange(taken) ?? { start: 0, end: 100 };
    update({ layer: { key, startPercent: free.start, endPercent: free.end } });
  };

  return (
    <Stack>
      <Alert color="blue" variant="light" title="Who is eligible">
        The flag decides that: after creating the experiment, add a rule of type "experiment" on the flag in
        each environment it should run in, with the conditions or segment that pick the eligible units.
      </Alert>
      <Group grow align="start">
        <TextInput
          label="Unit attribute"
          description="The context attribute that identifies a unit; empty: targetingKey"
          placeholder="targetingKey"
          value={draft.hashAttribute}
          onChange={(event) => update({ hashAttribute: event.currentTarget.value })}
          error={issue('/hashAttribute')}
        />
        <NumberInput
          label="Coverage"
          description="Share of eligible units that enter the experiment"
          suffix=" %"
          min={0}
          max={100}
          decimalScale={2}
          value={draft.coveragePercent}
          onChange={(value) => update({ coveragePercent: typeof value === 'number' ? value : 0 })}
          error={issue('/coverage')}
        />
      </Group>
      <Select
        label="Layer"
        description="Experiments in one layer take ranges that do not overlap, so no unit is in two of them"
        placeholder="No layer"
        data={layers.map((layer) => ({ value: layer.key, label: layer.name || layer.key }))}
        value={layerKey}
        onChange={chooseLayer}
        clearable
        error={issue('/layer')}
      />
      {draft.layer && (
        <>
          <Group grow align="start">
            <NumberInput
              label="Layer range start"
              suffix=" %"
              min={0}
              max={100}
              decimalScale={2}
              value={draft.layer.startPercent}
              onChange={(value) =>
                draft.layer &&
                update({ layer: { ...draft.layer, startPercent: typeof value === 'number' ? value : 0 } })
              }
            />
            <NumberInput
              label="Layer range end"
              suffix=" %"
              min={0}
              max={100}
              decimalScale={2}
              value={draft.layer.endPercent}
              onChange={(value) =>
                draft.layer &&
                update({ layer: { ...draft.layer, endPercent: typeof value === 'number' ? value : 0 } })
              }
            />
          </Group>
          {inLayer.length === 0 ? (
            <Text size="sm" c="dimmed">
              No other experiment is in this layer.
            </Text>
          ) : (
            <div>
              <Text size="sm">Already in this layer:</Text>
              <List size="sm">
                {inLayer.map((other) => (
                  <List.Item key={other.key}>
                    {other.key}: {other.start} % to {other.end} %
                  </List.Item>
                ))}
              </List>
            </div>
          )}
          {clashes.length > 0 && (
            <Text c="red.8" size="sm" role="alert">
              The range overlaps {clashes.map((other) => other.key).join(', ')}.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
