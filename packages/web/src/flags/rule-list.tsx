/**
 * @module flags/rule-list
 * An environment's ordered rules in the draft: drag a rule onto another's place to reorder, or use
 * its up and down buttons (the keyboard way); edit a rule in place, remove it, add one at the end.
 * Changes go to the draft; the editor saves them together after showing the diff.
 */
import { ActionIcon, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { type DragEvent, useState } from 'react';
import type { EnvironmentState } from './queries.js';
import {
  describeCondition,
  editedRule,
  moveItem,
  type RuleBody,
  type RuleDraft,
  ruleBody,
  ruleDraftOf,
} from './rule-draft.js';
import { newRuleDraft, type RuleChoices, RuleForm } from './rule-form.js';

export type Rule = NonNullable<EnvironmentState['rules']>[number];

function formatPercentage(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100} %`;
}

function formatTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString();
}

/** One line a person can read: who gets what, and when. */
export function describeRule(rule: Rule | RuleBody): string {
  const who =
    rule.conditions && rule.conditions.length > 0
      ? `Units where ${rule.conditions.map(describeCondition).join(' and ')}`
      : 'All units';
  const when = rule.schedule
    ? [
        rule.schedule.from && `from ${formatTime(rule.schedule.from)}`,
        rule.schedule.until && `until ${formatTime(rule.schedule.until)}`,
      ]
        .filter(Boolean)
        .join(' ')
    : '';
  const suffix = when ? ` (${when})` : '';
  switch (rule.type) {
    case 'force':
      return `${who} get ${rule.variant}${suffix}.`;
    case 'rollout':
      return `${who}: ${formatPercentage(rule.fraction)} get ${rule.variant}${suffix}.`;
    case 'experiment':
      return `${who} enter experiment ${rule.experimentKey}${suffix}.`;
  }
}

export function RuleList(props: {
  rules: readonly Rule[];
  choices: RuleChoices;
  canWrite: boolean;
  /** The API's message for a rule, by its position (from a refused save). */
  ruleError(index: number): string | undefined;
  onChange(rules: Rule[]): void;
}) {
  const { rules, choices, canWrite, ruleError, onChange } = props;
  const [editing, setEditing] = useState<number | 'new' | undefined>(undefined);
  const [dragged, setDragged] = useState<number | undefined>(undefined);
  const [dropTarget, setDropTarget] = useState<number | undefined>(undefined);
  const ids = rules.map((rule) => rule.id);
  const otherIds = (index: number | 'new') => ids.filter((_, position) => position !== index);
  const move = (from: number, to: number) => onChange(moveItem(rules, from, to));

  const dragProps = (index: number) =>
    canWrite && editing === undefined
      ? {
          draggable: true,
          onDragStart: (event: DragEvent) => {
            setDragged(index);
            // Some browsers start a drag only when it carries data.
            event.dataTransfer?.setData('text/plain', rules[index]?.id ?? '');
            if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
          },
          onDragOver: (event: DragEvent) => {
            if (dragged === undefined) return;
            event.preventDefault();
            setDropTarget(index);
          },
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            if (dragged !== undefined && dragged !== index) move(dragged, index);
            setDragged(undefined);
            setDropTarget(undefined);
          },
          onDragEnd: () => {
            setDragged(undefined);
            setDropTarget(undefined);
          },
        }
      : {};

  return (
    <>
      {rules.length === 0 ? (
        <Text size="sm">No rules.</Text>
      ) : (
        <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Rules">
          {rules.map((rule, index) => {
            if (editing === index) {
              const draft = ruleDraftOf(rule, choices.variants[0] ?? '');
              return (
                <li key={rule.id}>
                  <RuleForm
                    title={`Edit rule ${rule.id}`}
                    submitLabel="Apply to draft"
                    initial={draft}
                    choices={choices}
                    otherIds={otherIds(index)}
                    onCancel={() => setEditing(undefined)}
                    onSubmit={(edited: RuleDraft) => {
                      onChange(
                        rules.map((candidate, position) =>
                          position === index ? editedRule(rule, edited) : candidate,
                        ) as Rule[],
                      );
                      setEditing(undefined);
                    }}
                  />
                </li>
              );
            }
            const error = ruleError(index);
            return (
              <Card
                key={rule.id}
                component="li"
                withBorder
                padding="sm"
                aria-label={`Rule ${index + 1}: ${rule.id}`}
                style={{
                  cursor: canWrite ? 'grab' : undefined,
                  opacity: dragged === index ? 0.5 : 1,
                  borderColor:
                    dropTarget === index && dragged !== index ? 'var(--mantine-color-blue-7)' : undefined,
                }}
                {...dragProps(index)}
              >
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Group gap="xs">
                      {canWrite && (
                        <Text span c="dimmed" aria-hidden>
                          ⠿
                        </Text>
                      )}
                      <Badge variant="outline" color="dark">
                        {index + 1}
                      </Badge>
                      <Text fw={500} ff="monospace">
                        {rule.id}
                      </Text>
                      <Badge
                        color={
                          rule.type === 'experiment'
                            ? 'grape.9'
                            : rule.type === 'rollout'
                              ? 'blue.9'
                              : 'teal.9'
                        }
                      >
                        {rule.type}
                      </Badge>
                    </Group>
                    <Text size="sm" mt={4}>
                      {describeRule(rule)}
                    </Text>
                    {error && (
                      <Text size="sm" c="red.8" mt={4}>
                        {error}
                      </Text>
                    )}
                  </div>
                  {canWrite && (
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="default"
                        aria-label={`Move ${rule.id} up`}
                        disabled={index === 0}
                        onClick={() => move(index, index - 1)}
                      >
                        ↑
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        aria-label={`Move ${rule.id} down`}
                        disabled={index === rules.length - 1}
                        onClick={() => move(index, index + 1)}
                      >
                        ↓
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        aria-label={`Edit ${rule.id}`}
                        disabled={editing !== undefined}
                        onClick={() => setEditing(index)}
                      >
                        ✎
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${rule.id}`}
                        onClick={() => onChange(rules.filter((_, position) => position !== index))}
                      >
                        ✕
                      </ActionIcon>
                    </Group>
                  )}
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}
      {canWrite &&
        (editing === 'new' ? (
          <RuleForm
            title="Add a rule"
            submitLabel="Add to draft"
            initial={newRuleDraft(ids, choices.variants)}
            choices={choices}
            otherIds={ids}
            onCancel={() => setEditing(undefined)}
            onSubmit={(draft) => {
              onChange([...rules, ruleBody(draft) as Rule]);
              setEditing(undefined);
            }}
          />
        ) : (
          <Button
            variant="light"
            mt="sm"
            w="fit-content"
            disabled={editing !== undefined}
            onClick={() => setEditing('new')}
          >
            Add a rule
          </Button>
        ))}
    </>
  );
}
