/**
 * @module flags/conditions-editor
 * The one condition builder, shared by flag rules and segments: rows of attribute, operator and
 * value (or membership of a segment), all of which must hold, and groups — all of, any of, not all
 * of — holding rows of their own, nested as deep as needed. Given the attributes already in use,
 * the attribute field suggests them; given the project's segments, membership is picked from
 * them instead of typed. Messages (the API's, or a form's own checks) show next to the row's field.
 */
import { ActionIcon, Autocomplete, Box, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { CONDITION_OPERATORS, type ConditionDraft, childPointer, isGroup } from './rule-draft.js';

const OPERATOR_CHOICES = [
  ...CONDITION_OPERATORS.map((operator) => ({ value: operator, label: operator.replaceAll('_', ' ') })),
  { value: 'segment', label: 'in segment' },
  { value: 'all', label: 'all of (group)' },
  { value: 'any', label: 'any of (group)' },
  { value: 'not', label: 'not all of (group)' },
];

const emptyCondition = (): ConditionDraft => ({ attribute: '', operator: 'eq', value: '' });

interface RowsProps {
  conditions: readonly ConditionDraft[];
  onChange(conditions: ConditionDraft[]): void;
  /** The message for a pointer inside the conditions list (`/0/attribute`, `/0/any/1/segment`). */
  apiError(pointer: string): string | undefined;
  /** Attribute names to suggest; absent: a plain text field. */
  attributes?: readonly string[] | undefined;
  /** Segment keys to pick from; absent: the key is typed. */
  segments?: readonly string[] | undefined;
}

export function ConditionsEditor(
  props: RowsProps & {
    /** What no condition means, e.g. "every unit". */
    emptyMeaning: string;
    /** Extra controls after "Add condition" (a form's submit button). */
    children?: React.ReactNode;
  },
) {
  const { conditions, onChange, emptyMeaning, children } = props;
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
      <ConditionRows {...props} />
      <Group>
        <Button variant="light" onClick={() => onChange([...conditions, emptyCondition()])}>
          Add condition
        </Button>
        {children}
      </Group>
    </Stack>
  );
}

/** The top level's rows; a group's rows are rendered by its own row. */
function ConditionRows(props: RowsProps) {
  const { conditions, onChange } = props;
  return conditions.map((condition, index) => (
    <ConditionRow
      // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
      key={index}
      {...props}
      condition={condition}
      pointer={`/${index}`}
      name={`${index + 1}`}
      onChange={(changed) =>
        onChange(conditions.map((candidate, position) => (position === index ? changed : candidate)))
      }
      onRemove={() => onChange(conditions.filter((_, position) => position !== index))}
    />
  ));
}

function ConditionRow(
  props: Omit<RowsProps, 'conditions' | 'onChange'> & {
    condition: ConditionDraft;
    pointer: string;
    name: string;
    onChange(condition: ConditionDraft): void;
    onRemove(): void;
  },
) {
  const { condition, pointer, name, apiError, attributes, segments, onChange, onRemove } = props;
  const change = (update: Partial<ConditionDraft>) => onChange({ ...condition, ...update });
  const changeOperator = (operator: ConditionDraft['operator']) => {
    const next = { ...condition, operator };
    // A group starts with one row to fill in; a row that stops being a group drops its rows.
    if (isGroup(next)) onChange({ ...next, children: condition.children ?? [emptyCondition()] });
    else onChange({ attribute: next.attribute, operator, value: next.value });
  };
  const label = `Condition ${name}`;
  const attributeProps = {
    label: `${label} attribute`,
    placeholder: 'country',
    value: condition.attribute,
    error: apiError(`${pointer}/attribute`),
    w: 180,
  };
  const group = isGroup(condition);
  return (
    <Stack gap="xs">
      <Group align="start" wrap="nowrap">
        {condition.operator !== 'segment' &&
          !group &&
          (attributes ? (
            <Autocomplete
              {...attributeProps}
              data={[...attributes]}
              onChange={(value) => change({ attribute: value })}
            />
          ) : (
            <TextInput
              {...attributeProps}
              onChange={(event) => change({ attribute: event.currentTarget.value })}
            />
          ))}
        <Select
          label={`${label} operator`}
          data={OPERATOR_CHOICES}
          value={condition.operator}
          onChange={(value) => value && changeOperator(value as ConditionDraft['operator'])}
          error={group ? apiError(pointer) : undefined}
          allowDeselect={false}
          searchable
          w={group ? 200 : 170}
        />
        {condition.operator === 'segment' ? (
          segments ? (
            <Select
              label={`${label} segment`}
              placeholder="Pick a segment"
              data={[...segments]}
              value={condition.value || null}
              onChange={(value) => change({ value: value ?? '' })}
              error={apiError(`${pointer}/segment`) ?? apiError(pointer)}
              searchable
              nothingFoundMessage="No segment with that key"
              style={{ flex: 1 }}
            />
          ) : (
            <TextInput
              label={`${label} segment`}
              value={condition.value}
              onChange={(event) => change({ value: event.currentTarget.value })}
              error={apiError(`${pointer}/segment`) ?? apiError(pointer)}
              style={{ flex: 1 }}
            />
          )
        ) : (
          !group &&
          condition.operator !== 'exists' &&
          condition.operator !== 'not_exists' && (
            <TextInput
              label={`${label} value`}
              description={
                condition.operator === 'in' || condition.operator === 'not_in' ? 'Comma-separated' : undefined
              }
              value={condition.value}
              onChange={(event) => change({ value: event.currentTarget.value })}
              error={apiError(`${pointer}/value`) ?? apiError(pointer)}
              style={{ flex: 1 }}
            />
          )
        )}
        <ActionIcon
          mt={28}
          variant="subtle"
          color="red"
          aria-label={`Remove condition ${name}`}
          onClick={onRemove}
        >
          ✕
        </ActionIcon>
      </Group>
      {group && (
        <Box
          role="group"
          aria-label={`Conditions of group ${name}`}
          pl="md"
          ml="xs"
          style={{ borderLeft: '3px solid var(--mantine-color-gray-4)' }}
        >
          <Stack gap="sm">
            {(condition.children ?? []).map((child, index) => (
              <ConditionRow
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positions in the list being edited
                key={index}
                {...props}
                condition={child}
                pointer={childPointer(pointer, condition, index)}
                name={`${name}.${index + 1}`}
                onChange={(changed) =>
                  change({
                    children: (condition.children ?? []).map((candidate, position) =>
                      position === index ? changed : candidate,
                    ),
                  })
                }
                onRemove={() =>
                  change({ children: (condition.children ?? []).filter((_, position) => position !== index) })
                }
              />
            ))}
            <Group>
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => change({ children: [...(condition.children ?? []), emptyCondition()] })}
              >
                Add condition to group {name}
              </Button>
            </Group>
          </Stack>
        </Box>
      )}
    </Stack>
  );
}
