/**
 * @module flags/add-rule-form
 * Adds a rule at the end of an environment's list: its kind (serve a variant, roll a variant out to
 * a percentage, let an experiment decide), and its conditions (the shared condition builder).
 * API errors show next to the field they name.
 */
import { Button, Card, Group, NumberInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../pages/sign-in-page.js';
import { ConditionsEditor } from './conditions-editor.js';
import { type RuleBody, type RuleDraft, ruleBody } from './rule-draft.js';

const RULE_TYPES = [
  { value: 'force', label: 'Serve a variant' },
  { value: 'rollout', label: 'Percentage rollout' },
  { value: 'experiment', label: 'Experiment decides' },
];

function firstFreeId(existing: readonly string[]): string {
  let index = existing.length + 1;
  while (existing.includes(`rule-${index}`)) index += 1;
  return `rule-${index}`;
}

export function AddRuleForm(props: {
  variants: readonly string[];
  existingIds: readonly string[];
  pending: boolean;
  error: Error | null;
  onSubmit(rule: RuleBody): void;
}) {
  const { variants, existingIds, pending, error, onSubmit } = props;
  const [draft, setDraft] = useState<RuleDraft>({
    id: firstFreeId(existingIds),
    type: 'force',
    variant: variants[variants.length - 1] ?? '',
    percentage: 10,
    experimentKey: '',
    conditions: [],
  });
  const change = (update: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...update }));
  const apiError = (pointer: string) => fieldError(error, `/rule${pointer}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(ruleBody(draft));
  };

  return (
    <Card withBorder mt="md" bg="var(--mantine-color-gray-0)">
      <form onSubmit={submit} noValidate aria-label="Add a rule">
        <Title order={4} size="h5" mb="xs">
          Add a rule
        </Title>
        <Stack gap="sm">
          <Group align="start">
            <TextInput
              label="Rule id"
              value={draft.id}
              onChange={(event) => change({ id: event.currentTarget.value })}
              error={apiError('/id')}
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
                data={[...variants]}
                value={draft.variant}
                onChange={(value) => value && change({ variant: value })}
                error={apiError('/variant')}
                allowDeselect={false}
                w={160}
              />
            )}
            {draft.type === 'rollout' && (
              <NumberInput
                label="Percentage of units"
                min={0}
                max={100}
                decimalScale={2}
                suffix=" %"
                value={draft.percentage}
                onChange={(value) => change({ percentage: typeof value === 'number' ? value : 0 })}
                error={apiError('/fraction')}
                w={160}
              />
            )}
            {draft.type === 'experiment' && (
              <TextInput
                label="Experiment key"
                value={draft.experimentKey}
                onChange={(event) => change({ experimentKey: event.currentTarget.value })}
                error={apiError('/experimentKey')}
                w={200}
              />
            )}
          </Group>
          <ConditionsEditor
            conditions={draft.conditions}
            onChange={(conditions) => change({ conditions })}
            apiError={(pointer) => apiError(`/conditions${pointer}`)}
            emptyMeaning="every unit"
          >
            <Button type="submit" loading={pending}>
              Add rule
            </Button>
          </ConditionsEditor>
          <FormError error={error} />
        </Stack>
      </form>
    </Card>
  );
}
