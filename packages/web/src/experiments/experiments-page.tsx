/**
 * @module experiments/experiments-page
 * The experiments of a project: status, days running, and the decision once concluded.
 */
import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useProjectScope } from '../projects/environment-choice.js';
import { useExperiments } from './queries.js';
import { daysRunning } from './results-format.js';

export const STATUS_COLOUR: Record<string, string> = {
  draft: 'gray.7',
  running: 'blue.9',
  stopped: 'dark',
  archived: 'gray.7',
};

export function ExperimentsPage() {
  const { projectKey, canWrite } = useProjectScope();
  const [status, setStatus] = useState('');
  const experiments = useExperiments(projectKey, status);
  const now = new Date();
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Experiments</Title>
        {canWrite && (
          <Button component={Link} to={`/projects/${projectKey}/experiments/new`}>
            New experiment
          </Button>
        )}
      </Group>
      <SegmentedControl
        mb="md"
        aria-label="Status"
        value={status}
        onChange={setStatus}
        data={[
          { value: '', label: 'All' },
          { value: 'draft', label: 'Draft' },
          { value: 'running', label: 'Running' },
          { value: 'stopped', label: 'Stopped' },
          { value: 'archived', label: 'Archived' },
        ]}
      />
      {experiments.isError ? (
        <Alert color="red">{experiments.error.message}</Alert>
      ) : experiments.data?.items.length === 0 ? (
        <Text c="dimmed">No experiments{status ? ` ${status}` : ''}.</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Experiment</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Days running</Table.Th>
              <Table.Th>Variations</Table.Th>
              <Table.Th>Decision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(experiments.data?.items ?? []).map((experiment) => (
              <Table.Tr key={experiment.key}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/projects/${projectKey}/experiments/${experiment.key}`}
                    fw={500}
                  >
                    {experiment.name || experiment.key}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOUR[experiment.status] ?? 'gray.7'}>{experiment.status}</Badge>
                </Table.Td>
                <Table.Td ta="right">{daysRunning(experiment.phases, now) ?? '—'}</Table.Td>
                <Table.Td>{experiment.variations.map((variation) => variation.key).join(', ')}</Table.Td>
                <Table.Td>
                  {experiment.decision
                    ? `${experiment.decision.outcome}${experiment.decision.variation ? ` ${experiment.decision.variation}` : ''}`
                    : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
