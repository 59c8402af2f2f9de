/**
 * @module management/definitions-table
 * The table of a definition kind's list pages: each definition's name over its key, the kind's
 * own columns, its tags, and (for writers, where the page has them) its actions.
 */
import { Badge, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Definition, DefinitionKind } from './definition-queries.js';

export interface DefinitionColumn<K extends DefinitionKind> {
  header: string;
  cell(definition: Definition<K>): ReactNode;
}

export const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export interface DefinitionsTableProps<K extends DefinitionKind> {
  items: Definition<K>[];
  /** How the first column names one definition ("metric"). */
  noun: string;
  /** A definition's name as the first column shows it (a link to its page, or plain). */
  name(definition: Definition<K>): ReactNode;
  /** The kind's columns, between the name and the tags. */
  columns: DefinitionColumn<K>[];
  /** A last "Actions" column, when the page has any. */
  actions?: (definition: Definition<K>) => ReactNode;
}

export function DefinitionsTable<K extends DefinitionKind>({
  items,
  noun,
  name,
  columns,
  actions,
}: DefinitionsTableProps<K>) {
  return (
    <Table striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{capitalized(noun)}</Table.Th>
          {columns.map((column) => (
            <Table.Th key={column.header}>{column.header}</Table.Th>
          ))}
          <Table.Th>Tags</Table.Th>
          {actions && <Table.Th>Actions</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((definition) => (
          <Table.Tr key={definition.key}>
            <Table.Td>
              {name(definition)}
              <Text size="xs" c="dimmed" ff="monospace">
                {definition.key}
              </Text>
            </Table.Td>
            {columns.map((column) => (
              <Table.Td key={column.header}>{column.cell(definition)}</Table.Td>
            ))}
            <Table.Td>
              <Group gap={4}>
                {definition.tags.map((tag) => (
                  <Badge key={tag} variant="light" size="sm">
                    {tag}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            {actions && <Table.Td>{actions(definition)}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
