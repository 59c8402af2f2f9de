/**
 * @module flags/conditions-editor
 * The one condition builder, shared by flag rules and segments: rows of attribute, operator and
 * value (or membership of a segment), all of which must hold. Given the attributes already in use,
 * the attribute field suggests them; given the project's segments, membership is picked from
 * them instead of typed. Messages (the API's, or a form's own checks) show next to the row's field.
 */
import { ActionIcon, Autocomplete, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { CONDITION_OPERATORS, type ConditionDraft } from './rule-draft.js';

const OPERATOR_CHOICES = [
  ...CONDITION_OPERATORS.map((operator) => ({ value: operator, label: operator.replaceAll('_', ' ') })),
  { value: 'segment', label: 'in segment' },
];

export function ConditionsEditor(props: {
  conditions: readonly ConditionDraft[];
  onChange(conditions: ConditionDraft[]): void;
  /** The message for a pointer inside the conditions list (`/0/attribute`, `/0/value`, `/0/segment`). */
  apiError(pointer: string): string | undefined;
  /** What no condition means, e.g. "every unit". */
  emptyMeaning: string;
  /** Attribute names to suggest; absent: a plain text field. */
  attributes?: readonly string[] | undefined;
  /** Segment keys to pick from; absent: the key is typed. */
  segments?: readonly string[] | undefined;
  /** Extra controls after "Add condition" (a form's submit button). */
  children?: React.ReactNode;
}) {
  const { conditions, onChange, apiError, emptyMeaning, attributes, segments, children } = props;
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
      {conditions.map((condition, index) => {
        const attributeProps = {
          label: `Condition ${index + 1} attribute`,
          placeholder: 'country',
          value: condition.attribute,
          error: apiError(`/${index}/attribute`),
          w: 180,
        };
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
          <Group key={index} align="start" wrap="nowrap">
            {condition.operator !== 'segment' &&
              (attributes ? (
                <Autocomplete
                  {...attributeProps}
                  data={[...attributes]}
                  onChange={(value) => changeCondition(index, { attribute: value })}
                />
              ) : (
                <TextInput
                  {...attributeProps}
                  onChange={(event) => changeCondition(index, { attribute: event.currentTarget.value })}
                />
              ))}
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
              segments ? (
                <Select
                  label={`Condition ${index + 1} segment`}
                  placeholder="Pick a segment"
                  data={[...segments]}
                  value={condition.value || null}
                  onChange={(value) => changeCondition(index, { value: value ?? '' })}
                  error={apiError(`/${index}/segment`) ?? apiError(`/${index}`)}
                  searchable
                  nothingFoundMessage="No segment with that key"
                  style={{ flex: 1 }}
                />
              ) : (
                <TextInput
                  label={`Condition ${index + 1} segment`}
                  value={condition.value}
                  onChange={(event) => changeCondition(index, { value: event.currentTarget.value })}
                  error={apiError(`/${index}/segment`) ?? apiError(`/${index}`)}
                  style={{ flex: 1 }}
                />
              )
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
                  error={apiError(`/${index}/value`) ?? apiError(`/${index}`)}
                  style={{ flex: 1 }}
                />
              )
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
        );
      })}
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
