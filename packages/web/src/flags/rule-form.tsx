/**
 * @module flags/rule-form
 * One targeting rule in the making — a new one, or a saved one being edited: its kind (serve a
 * variant, roll a variant out to a percentage, let an experiment decide), a condition builder
 * (the shared {@link ConditionsEditor}: attribute, operator, value, or membership of a segment) and
 * an optional schedule. The rule goes into the environment's draft; nothing is saved until the
 * draft is.
 */
import { Button, Card, Group, NumberInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ConditionsEditor } from './conditions-editor.js';
import { type ConditionDraft, childPointer, isGroup, type RuleDraft } from './rule-draft.js';

const RULE_TYPES = [
  { value: 'force', label: 'Serve a variant' },
  { value: 'rollout', label: 'Percentage rollout' },
  { value: 'experiment', label: 'Experiment decides' },
];

/** A rule id no rule of the list has yet. */
export function firstFreeId(existing: readonly string[]): string {
  let index = existing.length + 1;
  while (existing.includes(`rule-${index}`)) index += 1;
  return `rule-${index}`;
}

export function newRuleDraft(existingIds: readonly string[], variants: readonly string[]): RuleDraft {
  return {
    id: firstFreeId(existingIds),
    type: 'force',
    variant: variants[variants.length - 1] ?? '',
    percentage: 10,
    experimentKey: '',
    conditions: [],
    scheduleFrom: '',
    scheduleUntil: '',
  };
}

/** What the project offers to pick from: segment and experiment keys, attributes already in use. */
export interface RuleChoices {
  variants: readonly string[];
  segments: readonly string[];
  experiments: readonly string[];
  attributes: readonly string[];
}

/** Problems the draft has before it goes anywhere, by field. */
export function draftProblems(draft: RuleDraft, otherIds: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const id = draft.id.trim();
  if (!id) problems.id = 'a rule needs an id';
  else if (otherIds.includes(id)) problems.id = `another rule is already called "${id}"`;
  if (draft.type === 'experiment' && !draft.experimentKey.trim())
    problems.experimentKey = 'pick an experiment';
  draft.conditions.forEach((condition, index) => {
    conditionProblems(condition, `conditions/${index}`, problems);
  });
  return problems;
}

/**
 * A row's problem, keyed by the pointer of the field that is missing (as the API would name it):
 * the segment of a membership, the attribute of a comparison, the operator of an empty group.
 */
function conditionProblems(condition: ConditionDraft, pointer: string, problems: Record<string, string>) {
  if (isGroup(condition)) {
    const children = condition.children ?? [];
    if (children.length === 0) problems[pointer] = 'add a condition to the group';
    children.forEach((child, index) => {
      conditionProblems(child, childPointer(pointer, condition, index), problems);
    });
  } else if (condition.operator === 'segment') {
    if (!condition.value.trim()) problems[`${pointer}/segment`] = 'pick a segment';
  } else if (!condition.attribute.trim()) problems[`${pointer}/attribute`] = 'name an attribute';
}

export function RuleForm(props: {
  title: string;
  submitLabel: string;
  initial: RuleDraft;
  choices: RuleChoices;
  /** Ids of the other rules of the environment (ids are unique within it). */
  otherIds: readonly string[];
  onSubmit(draft: RuleDraft): void;
  onCancel?: () => void;
}) {
  const { title, submitLabel, initial, choices, otherIds, onSubmit, onCancel } = props;
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [submitted, setSubmitted] = useState(false);
  // As typed: an emptied box stays empty (0 % meanwhile) instead of jumping to "0 %" under the caret.
  const [percentageText, setPercentageText] = useState<string | number>(initial.percentage);
  const problems = draftProblems(draft, otherIds);
  const problem = (field: string) => (submitted ? problems[field] : undefined);
  const change = (update: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...update }));
  const conditionProblem = (pointer: string) => problem(`conditions${pointer}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length === 0) onSubmit(draft);
  };

  return (
    <Card withBorder mt="md" bg="var(--mantine-color-gray-0)">
      <form onSubmit={submit} noValidate aria-label={title}>
        <Title order={4} size="h5" mb="xs">
          {title}
        </Title>
        <Stack gap="sm">
          <Group align="start">
            <TextInput
              label="Rule id"
              value={draft.id}
              onChange={(event) => change({ id: event.currentTarget.value })}
              error={problem('id')}
              w={160}
            />
            <Select
              label="Kind"
              data={RULE_TYPES}
              value={draft.type}
              onChange={(value) => value && change({ type: value as RuleDraft['type'] })}
              allowDeselect={false}
              w={200}
            />
            {draft.type !== 'experiment' && (
              <Select
                label="Variant"
                data={[...choices.variants]}
                value={draft.variant}
                onChange={(value) => value && change({ variant: value })}
                allowDeselect={false}
                w={160}
              />
            )}
            {draft.type === 'rollout' && (
              <NumberInput
                label="Percentage of units"
                min={0}
                max={100}
                clampBehavior="strict"
                decimalScale={2}
                suffix=" %"
                value={percentageText}
                onChange={(value) => {
                  setPercentageText(value);
                  change({ percentage: typeof value === 'number' ? value : 0 });
                }}
                w={160}
              />
            )}
            {draft.type === 'experiment' && (
              <Select
                label="Experiment"
                placeholder="Pick an experiment"
                data={[...choices.experiments]}
                value={draft.experimentKey || null}
                onChange={(value) => change({ experimentKey: value ?? '' })}
                error={problem('experimentKey')}
                searchable
                nothingFoundMessage="No experiment with that key"
                w={220}
              />
            )}
          </Group>
          <ConditionsEditor
            conditions={draft.conditions}
            onChange={(conditions) => change({ conditions })}
            apiError={conditionProblem}
            emptyMeaning="every unit"
            attributes={choices.attributes}
            segments={choices.segments}
          />
          <Group align="start">
            <TextInput
              type="datetime-local"
              label="Active from"
              description="Optional; your time zone"
              value={draft.scheduleFrom}
              onChange={(event) => change({ scheduleFrom: event.currentTarget.value })}
              w={220}
            />
            <TextInput
              type="datetime-local"
              label="Active until"
              description="Optional; exclusive"
              value={draft.scheduleUntil}
              onChange={(event) => change({ scheduleUntil: event.currentTarget.value })}
              w={220}
            />
          </Group>
          <Group>
            <Button type="submit">{submitLabel}</Button>
            {onCancel && (
              <Button variant="subtle" onClick={onCancel}>
                Cancel
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
