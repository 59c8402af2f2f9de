/**
 * @module flags/diff-view
 * The lines of an environment diff, coloured by kind, each with its value before and after.
 */
import { Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { type DiffLine, showValue } from './environment-diff.js';

const KIND = {
  added: { label: 'added', color: 'teal.9' },
  removed: { label: 'removed', color: 'red.9' },
  changed: { label: 'changed', color: 'blue.9' },
  moved: { label: 'reordered', color: 'grape.9' },
} as const;

export function DiffView(props: { lines: readonly DiffLine[]; label: string }) {
  const { lines, label } = props;
  if (lines.length === 0) return <Text size="sm">No changes.</Text>;
  return (
    <Table aria-label={label} verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Change</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line) => (
          <Table.Tr key={`${line.kind} ${line.where}`}>
            <Table.Td>
              <Stack gap={2}>
                <Group gap={6} wrap="nowrap">
                  <Badge size="sm" color={KIND[line.kind].color}>
                    {KIND[line.kind].label}
                  </Badge>
                  <Text size="sm" ff="monospace">
                    {line.where}
                  </Text>
                </Group>
              </Stack>
            </Table.Td>
            <Table.Td>
              {line.before !== undefined && (
                <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {showValue(line.before)}
                </Code>
              )}
            </Table.Td>
            <Table.Td>
              {line.after !== undefined && (
                <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {showValue(line.after)}
                </Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
