/**
 * @module flags/stale-flags-panel
 * Clean-up candidates in the chosen environment: flags unchanged while serving one variant to every
 * unit, or not evaluated by the server, for N days. "Not evaluated" counts the server's own
 * evaluations (remote evaluation, OFREP); SDKs that evaluate locally are not seen, which the panel
 * says.
 */
import { Alert, Anchor, Badge, Group, Loader, NumberInput, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { useStaleFlags } from './queries.js';

const REASONS = {
  fully_rolled_out: { label: 'one variant for all, unchanged', color: 'teal.9' },
  not_evaluated: { label: 'not evaluated', color: 'orange.9' },
} as const;

function formatDate(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleDateString();
}

export function StaleFlagsPanel(props: { projectKey: string; environment: string; environmentName: string }) {
  const { projectKey, environment, environmentName } = props;
  const [days, setDays] = useState(30);
  const [debouncedDays] = useDebouncedValue(days, 300);
  const stale = useStaleFlags(projectKey, environment, debouncedDays);
  return (
    <section aria-label="Stale flags">
      <Group align="end" mb="sm">
        <NumberInput
          label="Unchanged or not evaluated for (days)"
          min={1}
          max={3650}
          clampBehavior="strict"
          allowDecimal={false}
          value={days}
          onChange={(value) => typeof value === 'number' && value >= 1 && setDays(value)}
          w={260}
        />
        {stale.isFetching && <Loader size="sm" aria-label="Loading stale flags" />}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Flags in {environmentName} that serve one variant to every unit and have not changed, or that the
        server has not evaluated (remote evaluation, OFREP), for {debouncedDays} days. SDKs that evaluate
        locally are not counted as evaluations: check their code before removing a flag.
      </Text>
      {stale.isError ? (
        <Alert color="red" role="alert">
          {stale.error.message}
        </Alert>
      ) : stale.data && stale.data.items.length === 0 ? (
        <Text>No stale flags in {environmentName}.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Flag</Table.Th>
              <Table.Th>Why</Table.Th>
              <Table.Th>Serves</Table.Th>
              <Table.Th>Last changed</Table.Th>
              <Table.Th>Last evaluated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(stale.data?.items ?? []).map((item) => (
              <Table.Tr key={item.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${projectKey}/flags/${item.key}`} fw={500}>
                    {item.name || item.key}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {item.reasons.map((reason) => (
                      <Badge key={reason} size="sm" color={REASONS[reason].color}>
                        {REASONS[reason].label}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td ff="monospace">{item.servedVariant ?? '—'}</Table.Td>
                <Table.Td>{formatDate(item.lastChangedAt)}</Table.Td>
                <Table.Td>
                  {item.lastEvaluatedAt ? formatDate(item.lastEvaluatedAt) : 'never (server)'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
