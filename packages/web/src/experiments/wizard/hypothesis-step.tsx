/**
 * @module experiments/wizard/hypothesis-step
 * The name, the key (derived from the name until edited) and the hypothesis.
 */
import { Group, Stack, Textarea, TextInput } from '@mantine/core';
import type { StepProps } from './step-props.js';

export function HypothesisStep({ draft, update, issue, effectiveKey }: StepProps & { effectiveKey: string }) {
  return (
    <Stack>
      <Group grow align="start">
        <TextInput
          label="Name"
          value={draft.name}
          onChange={(event) => update({ name: event.currentTarget.value })}
          error={issue('/name')}
        />
        <TextInput
          label="Key"
          required
          value={effectiveKey}
          onChange={(event) => update({ key: event.currentTarget.value })}
          error={issue('/key')}
        />
      </Group>
      <Textarea
        label="Hypothesis"
        description="What you change, what you expect it to do, and why."
        value={draft.hypothesis}
        onChange={(event) => update({ hypothesis: event.currentTarget.value })}
        error={issue('/hypothesis')}
        autosize
        minRows={3}
      />
    </Stack>
  );
}
