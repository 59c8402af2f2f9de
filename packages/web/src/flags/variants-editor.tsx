/**
 * @module flags/variants-editor
 * Edits a flag's variants: key and value per row, values checked against the flag's type as they
 * are typed (JSON parsed on every keystroke), plus the API's own messages by JSON Pointer.
 */
import { ActionIcon, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import type { FlagType } from './queries.js';
import { defaultVariantText, parseVariantValue } from './variant-value.js';

export interface VariantDraft {
  key: string;
  valueText: string;
}

export function VariantsEditor(props: {
  type: FlagType;
  variants: VariantDraft[];
  onChange(variants: VariantDraft[]): void;
  /** The API's message for a field of the body, by pointer (e.g. `/variants/0/value`). */
  apiError(pointer: string): string | undefined;
}) {
  const { type, variants, onChange, apiError } = props;
  const update = (index: number, change: Partial<VariantDraft>) =>
    onChange(variants.map((variant, position) => (position === index ? { ...variant, ...change } : variant)));
  return (
    <Stack gap="xs">
      {variants.map((variant, index) => {
        const parsed = parseVariantValue(type, variant.valueText);
        const valueError = parsed.ok ? apiError(`/variants/${index}/value`) : parsed.message;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; keys are being edited
          <Group key={index} align="start" wrap="nowrap">
            <TextInput
              label={`Variant ${index + 1} key`}
              value={variant.key}
              onChange={(event) => update(index, { key: event.currentTarget.value })}
              error={apiError(`/variants/${index}/key`)}
              w={200}
            />
            {type === 'json' ? (
              <Textarea
                label={`Variant ${index + 1} value`}
                value={variant.valueText}
                onChange={(event) => update(index, { valueText: event.currentTarget.value })}
                error={valueError}
                autosize
                minRows={2}
                ff="monospace"
                style={{ flex: 1 }}
              />
            ) : (
              <TextInput
                label={`Variant ${index + 1} value`}
                value={variant.valueText}
                onChange={(event) => update(index, { valueText: event.currentTarget.value })}
                error={valueError}
                style={{ flex: 1 }}
              />
            )}
            <ActionIcon
              mt={28}
              variant="subtle"
              color="red"
              aria-label={`Remove variant ${index + 1}`}
              disabled={variants.length <= 1}
              onClick={() => onChange(variants.filter((_, position) => position !== index))}
            >
              ✕
            </ActionIcon>
          </Group>
        );
      })}
      <Button
        variant="light"
        w="fit-content"
        onClick={() =>
          onChange([
            ...variants,
            { key: `variant-${variants.length + 1}`, valueText: defaultVariantText(type, variants.length) },
          ])
        }
      >
        Add variant
      </Button>
    </Stack>
  );
}

/** The drafts as API variants, or undefined while any value does not parse. */
export function variantsFromDrafts(type: FlagType, drafts: readonly VariantDraft[]) {
  const variants = [];
  for (const draft of drafts) {
    const parsed = parseVariantValue(type, draft.valueText);
    if (!parsed.ok) return undefined;
    variants.push({ key: draft.key.trim(), value: parsed.value });
  }
  return variants;
}
