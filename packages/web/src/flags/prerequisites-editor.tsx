/**
 * @module flags/prerequisites-editor
 * An environment's prerequisites in the draft: the flag is on for a unit only if each named flag
 * gives that unit one of the chosen variants (otherwise the unit gets the off variant).
 */
import { ActionIcon, Button, Group, MultiSelect, Select, Stack, Text } from '@mantine/core';
import type { EnvironmentState } from './queries.js';

type Prerequisite = NonNullable<EnvironmentState['prerequisites']>[number];

/** Flags that can be prerequisites (never the flag itself), with their variant keys. */
export interface PrerequisiteChoice {
  key: string;
  variants: readonly string[];
}

export function PrerequisitesEditor(props: {
  prerequisites: readonly Prerequisite[];
  flags: readonly PrerequisiteChoice[];
  canWrite: boolean;
  onChange(prerequisites: Prerequisite[]): void;
}) {
  const { prerequisites, flags, canWrite, onChange } = props;
  const update = (index: number, change: Partial<Prerequisite>) =>
    onChange(prerequisites.map((item, position) => (position === index ? { ...item, ...change } : item)));
  const unused = flags.filter((flag) => !prerequisites.some((item) => item.flagKey === flag.key));
  return (
    <Stack gap="xs">
      {prerequisites.length === 0 && <Text size="sm">No prerequisites.</Text>}
      {prerequisites.map((prerequisite, index) => {
        const variants = flags.find((flag) => flag.key === prerequisite.flagKey)?.variants ?? [];
        return (
          <Group key={prerequisite.flagKey} align="end" wrap="nowrap">
            <Select
              label={`Prerequisite ${index + 1} flag`}
              data={[prerequisite.flagKey, ...unused.map((flag) => flag.key)]}
              value={prerequisite.flagKey}
              onChange={(value) => value && update(index, { flagKey: value, variants: [] })}
              allowDeselect={false}
              searchable
              disabled={!canWrite}
              w={220}
            />
            <MultiSelect
              label={`Prerequisite ${index + 1} variants`}
              description="The flag is on only for units that get one of these"
              data={[...new Set([...variants, ...prerequisite.variants])]}
              value={prerequisite.variants}
              onChange={(value) => update(index, { variants: value })}
              disabled={!canWrite}
              style={{ flex: 1 }}
            />
            {canWrite && (
              <ActionIcon
                mb={4}
                variant="subtle"
                color="red"
                aria-label={`Remove prerequisite ${prerequisite.flagKey}`}
                onClick={() => onChange(prerequisites.filter((_, position) => position !== index))}
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
          disabled={unused.length === 0}
          onClick={() => {
            const next = unused[0];
            if (next) onChange([...prerequisites, { flagKey: next.key, variants: next.variants.slice(-1) }]);
          }}
        >
          Add prerequisite
        </Button>
      )}
    </Stack>
  );
}
