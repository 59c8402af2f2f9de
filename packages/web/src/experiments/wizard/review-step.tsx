/**
 * @module experiments/wizard/review-step
 * Everything the experiment will be created with, by step, each with a way back to change it.
 */
import { Anchor, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ExperimentDraft } from './experiment-draft.js';

function Section(props: { title: string; onEdit(): void; children: React.ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {props.title}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={props.onEdit}>
          Edit {props.title.toLowerCase()}
        </Anchor>
      </Group>
      <Stack gap={2}>{props.children}</Stack>
    </Card>
  );
}

const line = (label: string, value: string) => (
  <Text size="sm" key={label}>
    <Text span c="dimmed">
      {label}:
    </Text>{' '}
    {value}
  </Text>
);

export function ReviewStep({
  draft,
  effectiveKey,
  goTo,
}: {
  draft: ExperimentDraft;
  effectiveKey: string;
  goTo(step: number): void;
}) {
  const { analysis } = draft;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Section title="Hypothesis" onEdit={() => goTo(0)}>
        {line('Name', draft.name.trim() || '—')}
        {line('Key', effectiveKey || '—')}
        {line('Hypothesis', draft.hypothesis.trim() || '—')}
      </Section>
      <Section title="Variations" onEdit={() => goTo(1)}>
        {draft.variations.map((variation, index) =>
          line(index === 0 ? `${variation.key} (control)` : variation.key, `${variation.percentage} %`),
        )}
      </Section>
      <Section title="Targeting" onEdit={() => goTo(2)}>
        {line('Unit attribute', draft.hashAttribute.trim() || 'targetingKey')}
        {line('Coverage', `${draft.coveragePercent} %`)}
        {line(
          'Layer',
          draft.layer
            ? `${draft.layer.key}, ${draft.layer.startPercent} % to ${draft.layer.endPercent} %`
            : 'none',
        )}
      </Section>
      <Section title="Metrics" onEdit={() => goTo(3)}>
        {line('Primary', draft.metrics.primary.join(', ') || 'none (needed to start)')}
        {line('Secondary', draft.metrics.secondary.join(', ') || '—')}
        {line('Guardrails', draft.metrics.guardrail.join(', ') || '—')}
      </Section>
      <Section title="Analysis" onEdit={() => goTo(4)}>
        {line('Method', `${analysis.method}, ${analysis.effect} effect, α = ${analysis.alpha}`)}
        {line('CUPED', analysis.cuped ? `on, ${analysis.cupedWindowDays} days before exposure` : 'off')}
        {line('Correction', analysis.correction)}
        {analysis.method === 'sequential' && line('Sequential tuning', String(analysis.sequentialTuning))}
        {line(
          'Planned units',
          analysis.plannedUnits === null ? 'no plan' : analysis.plannedUnits.toLocaleString('en'),
        )}
      </Section>
    </SimpleGrid>
  );
}
