/**
 * @module flags/rule-form
 * One targeting rule in the making — a new one, or a saved one being edited: its kind (serve a
 * variant, roll a variant out to a percentage, let an experiment decide), a condition builder
 * (attribute, operator, value, or membership of a segment) and an optional schedule. The rule goes
 * into the environment's draft; nothing is saved until the draft is.
 */
import {
  ActionIcon,
  Autocomplete,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { CONDITION_OPERATORS, type ConditionDraft, type RuleDraft } from './rule-draft.js';

const RULE_TYPES = [
  { value: 'force', label: 'Serve a variant' },
  { value: 'rollout', label: 'Percentage rollout' },
  { value: 'experiment', label: 'Experiment decides' },
];

const OPERATOR_CHOICES = [
  ...CONDITION_OPERATORS.map((operator) => ({ value: operator, label: operator.replaceAll('_', ' ') })),
  { value: 'segment', label: 'in segment' },
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
    if (condition.operator === 'segment') {
      if (!condition.value.trim()) problems[`conditions/${index}`] = 'pick a segment';
    } else if (!condition.attribute.trim()) problems[`conditions/${index}`] = 'name an attribute';
  });
  return problems;
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
  const changeCondition = (index: number, update: Partial<ConditionDraft>) =>
    change({
      conditions: draft.conditions.map((condition, position) =>
        position === index ? { ...condition, ...update } : condition,
      ),
    });
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
          <Text size="sm" fw={500}>
            Conditions{' '}
            {draft.conditions.length === 0 && (
              <Text span c="dimmed" size="sm">
                (none: every unit)
              </Text>
            )}
          </Text>
          {draft.conditions.map((condition, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
            <Group key={index} align="start" wrap="nowrap">
              {condition.operator !== 'segment' && (
                <Autocomplete
                  label={`Condition ${index + 1} attribute`}
                  placeholder="country"
                  data={[...choices.attributes]}
                  value={condition.attribute}
                  onChange={(value) => changeCondition(index, { attribute: value })}
                  error={problem(`conditions/${index}`)}
                  w={180}
                />
              )}
              <Select
                label={`Condition ${index + 1} operator`}
                data={OPERATOR_CHOICES}
                value={condition.operator}
                onChange={(value) =>
                  value && changeCondition(index, { operator: value as ConditionDraft['operator'] })
                }
                allowDeselect={false}
                searchable
                w={170}
              />
              {condition.operator === 'segment' ? (
                <Select
                  label={`Condition ${index + 1} segment`}
                  placeholder="Pick a segment"
                  data={[...choices.segments]}
                  value={condition.value || null}
                  onChange={(value) => changeCondition(index, { value: value ?? '' })}
                  error={problem(`conditions/${index}`)}
                  searchable
                  nothingFoundMessage="No segment with that key"
                  style={{ flex: 1 }}
                />
              ) : (
                condition.operator !== 'exists' &&
                condition.operator !== 'not_exists' && (
                  <TextInput
                    label={`Condition ${index + 1} value`}
                    description={
                      condition.operator === 'in' || condition.operator === 'not_in'
                        ? 'Comma-separated'
                        : undefined
                    }
                    value={condition.value}
                    onChange={(event) => changeCondition(index, { value: event.currentTarget.value })}
                    style={{ flex: 1 }}
                  />
                )
              )}
              <ActionIcon
                mt={28}
                variant="subtle"
                color="red"
                aria-label={`Remove condition ${index + 1}`}
                onClick={() =>
                  change({ conditions: draft.conditions.filter((_, position) => position !== index) })
                }
              >
                ✕
              </ActionIcon>
            </Group>
          ))}
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
            <Button
              variant="light"
              onClick={() =>
                change({ conditions: [...draft.conditions, { attribute: '', operator: 'eq', value: '' }] })
              }
            >
              Add condition
            </Button>
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
