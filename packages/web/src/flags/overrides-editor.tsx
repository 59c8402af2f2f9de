/**
 * @module flags/overrides-editor
 * Per-unit overrides in the draft: units whose attribute (the targeting key unless named) is one
 * of the listed values get the chosen variant, before any rule. For QA accounts and demos.
 */
import { ActionIcon, Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { EnvironmentState } from './queries.js';

type Override = NonNullable<EnvironmentState['overrides']>[number];

interface OverrideRow {
  attribute: string;
  valuesText: string;
  variant: string;
}

/** Values as typed: one per line or comma-separated. */
export function parseOverrideValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((value) => value.trim())
        .filter(Boolean),
    ),
  ];
}

function rowOf(override: Override): OverrideRow {
  return {
    attribute: override.attribute ?? '',
    valuesText: override.values.join('\n'),
    variant: override.variant,
  };
}

function overrideOf(row: OverrideRow): Override {
  const attribute = row.attribute.trim();
  return {
    ...(attribute && attribute !== 'targetingKey' && { attribute }),
    values: parseOverrideValues(row.valuesText),
    variant: row.variant,
  };
}

/** Holds the text as typed (separators included) and reports parsed overrides on every change. */
export function OverridesEditor(props: {
  overrides: readonly Override[];
  variants: readonly string[];
  canWrite: boolean;
  /** The API's message for an override, by position. */
  overrideError(index: number): string | undefined;
  onChange(overrides: Override[]): void;
}) {
  const { overrides, variants, canWrite, overrideError, onChange } = props;
  const [rows, setRows] = useState<OverrideRow[]>(() => overrides.map(rowOf));
  const change = (next: OverrideRow[]) => {
    setRows(next);
    onChange(next.map(overrideOf));
  };
  const update = (index: number, patch: Partial<OverrideRow>) =>
    change(rows.map((row, position) => (position === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs">
      {rows.length === 0 && <Text size="sm">No overrides.</Text>}
      {rows.map((row, index) => {
        const count = parseOverrideValues(row.valuesText).length;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list being edited
          <Group key={index} align="start" wrap="nowrap">
            <TextInput
              label={`Override ${index + 1} attribute`}
              placeholder="targetingKey"
              value={row.attribute}
              onChange={(event) => update(index, { attribute: event.currentTarget.value })}
              disabled={!canWrite}
              w={170}
            />
            <Textarea
              label={`Override ${index + 1} values`}
              description={`One per line or comma-separated (${count} ${count === 1 ? 'value' : 'values'})`}
              value={row.valuesText}
              onChange={(event) => update(index, { valuesText: event.currentTarget.value })}
              error={count === 0 ? 'list at least one value' : overrideError(index)}
              autosize
              minRows={1}
              maxRows={6}
              disabled={!canWrite}
              style={{ flex: 1 }}
            />
            <Select
              label={`Override ${index + 1} variant`}
              data={[...variants]}
              value={row.variant}
              onChange={(value) => value && update(index, { variant: value })}
              allowDeselect={false}
              disabled={!canWrite}
              w={150}
            />
            {canWrite && (
              <ActionIcon
                mt={28}
                variant="subtle"
                color="red"
                aria-label={`Remove override ${index + 1}`}
                onClick={() => change(rows.filter((_, position) => position !== index))}
              >
                ✕
              </ActionIcon>
            )}
          </Group>
        );
      })}
      {canWrite && (
        <Button
          variant="light"
          w="fit-content"
          onClick={() =>
            change([...rows, { attribute: '', valuesText: '', variant: variants[variants.length - 1] ?? '' }])
          }
        >
          Add override
        </Button>
      )}
    </Stack>
  );
}
