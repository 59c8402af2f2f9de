/**
 * @module flags/conditions-editor
 * The condition builder shared by flag rules and segments: rows of attribute, operator and value
 * (or membership of a segment), all of which must hold. API errors show next to the row's field.
 */
import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { CONDITION_OPERATORS, type ConditionDraft } from './rule-draft.js';

const OPERATOR_CHOICES = [
  ...CONDITION_OPERATORS.map((operator) => ({ value: operator, label: operator.replaceAll('_', ' ') })),
  { value: 'segment', label: 'in segment' },
];

export function ConditionsEditor(props: {
  conditions: readonly ConditionDraft[];
  onChange(conditions: ConditionDraft[]): void;
  /** The API's message for a pointer inside the conditions list (`/0/attribute`). */
  apiError(pointer: string): string | undefined;
  /** What no condition means, e.g. "every unit". */
  emptyMeaning: string;
  /** Extra controls after "Add condition" (a form's submit button). */
  children?: React.ReactNode;
}) {
  const { conditions, onChange, apiError, emptyMeaning, children } = props;
  const changeCondition = (index: number, update: Partial<ConditionDraft>) =>
    onChange(
      conditions.map((condition, position) => (position === index ? { ...condition, ...update } : condition)),
    );
  return (
    <Stack gap="sm">
      <Text size="sm" fw={500}>
        Conditions{' '}
        {conditions.length === 0 && (
          <Text span c="dimmed" size="sm">
            (none: {emptyMeaning})
          </Text>
        )}
      </Text>
      {conditions.map((condition, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
        <Group key={index} align="start" wrap="nowrap">
          {condition.operator !== 'segment' && (
            <TextInput
              label={`Condition ${index + 1} attribute`}
              placeholder="country"
              value={condition.attribute}
              onChange={(event) => changeCondition(index, { attribute: event.currentTarget.value })}
              error={apiError(`/${index}/attribute`)}
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
          {condition.operator !== 'exists' && condition.operator !== 'not_exists' && (
            <TextInput
              label={
                condition.operator === 'segment'
                  ? `Condition ${index + 1} segment`
                  : `Condition ${index + 1} value`
              }
              description={
                condition.operator === 'in' || condition.operator === 'not_in' ? 'Comma-separated' : undefined
              }
              value={condition.value}
              onChange={(event) => changeCondition(index, { value: event.currentTarget.value })}
              error={apiError(`/${index}/value`) ?? apiError(`/${index}/segment`) ?? apiError(`/${index}`)}
              style={{ flex: 1 }}
            />
          )}
          <ActionIcon
            mt={28}
            variant="subtle"
            color="red"
            aria-label={`Remove condition ${index + 1}`}
            onClick={() => onChange(conditions.filter((_, position) => position !== index))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="light"
          onClick={() => onChange([...conditions, { attribute: '', operator: 'eq', value: '' }])}
        >
          Add condition
        </Button>
        {children}
      </Group>
    </Stack>
  );
}
