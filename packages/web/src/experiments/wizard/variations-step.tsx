/**
 * @module experiments/wizard/variations-step
 * The variations and their weights, as percentages that must add up to 100.
 */
import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { equalSplit, weightsFromPercentages } from '../variation-weights.js';
import type { VariationDraft } from './experiment-draft.js';
import type { StepProps } from './step-props.js';

export function VariationsStep({ draft, update, issue }: StepProps) {
  const { variations } = draft;
  const weights = weightsFromPercentages(variations.map((variation) => variation.percentage));
  const setVariations = (next: VariationDraft[]) => update({ variations: next });
  const setVariationCount = (next: VariationDraft[]) => {
    const split = equalSplit(next.length);
    setVariations(next.map((variation, index) => ({ ...variation, percentage: split[index] ?? 0 })));
  };
  const change = (index: number, patch: Partial<VariationDraft>) =>
    setVariations(variations.map((item, position) => (position === index ? { ...item, ...patch } : item)));
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        The first variation is the control every other is compared with. Use the keys of the flag's variants,
        so the experiment can decide the flag.
      </Text>
      {variations.map((variation, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; keys are being edited
        <Group key={index} align="start" wrap="nowrap">
          <TextInput
            label={`Variation ${index + 1} key`}
            value={variation.key}
            onChange={(event) => change(index, { key: event.currentTarget.value })}
            error={issue(`/variations/${index}/key`)}
            w={220}
          />
          <NumberInput
            label={`Variation ${index + 1} weight`}
            suffix=" %"
            min={0}
            max={100}
            decimalScale={2}
            value={variation.percentage}
            onChange={(value) => change(index, { percentage: typeof value === 'number' ? value : 0 })}
            w={160}
          />
          <ActionIcon
            mt={28}
            variant="subtle"
            color="red"
            aria-label={`Remove variation ${index + 1}`}
            disabled={variations.length <= 2}
            onClick={() => setVariationCount(variations.filter((_, position) => position !== index))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      {(!weights.ok || issue('/variations')) && (
        <Text c="red.8" size="sm" role="alert">
          {weights.ok ? issue('/variations') : weights.message}
        </Text>
      )}
      <Group>
        <Button
          variant="light"
          onClick={() =>
            setVariationCount([...variations, { key: `variant-${variations.length}`, percentage: 0 }])
          }
        >
          Add variation
        </Button>
        <Button variant="subtle" onClick={() => setVariationCount(variations)}>
          Split evenly
        </Button>
      </Group>
    </Stack>
  );
}
