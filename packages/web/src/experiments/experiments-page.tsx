/**
 * @module experiments/experiments-page
 * The experiments of a project: status, days running, units and verdict from the latest results
 * in the chosen environment, and the decision once concluded.
 */
import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useProjectScope } from '../projects/environment-choice.js';
import { type ResultsSummary, useExperiments, useResultsSummaries } from './queries.js';
import { daysRunning, VERDICT_COLOUR, VERDICT_LABEL } from './results-format.js';

export const STATUS_COLOUR: Record<string, string> = {
  draft: 'gray.7',
  running: 'blue.9',
  stopped: 'dark',
  archived: 'gray.7',
};

export function ExperimentsPage() {
  const { projectKey, environment, canWrite } = useProjectScope();
  const [status, setStatus] = useState('');
  const experiments = useExperiments(projectKey, status);
  const summaries = useResultsSummaries(projectKey, environment);
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
      {summaries.isError && (
        <Alert color="yellow" mb="md">
          Units and verdicts are unavailable: {summaries.error.message}
        </Alert>
      )}
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
              <Table.Th ta="right">Units</Table.Th>
              <Table.Th>Verdict</Table.Th>
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
                <SummaryCells summary={summaries.data?.get(experiment.key)} />
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

/**
 * How each verdict reads in the list: the results page's colours for wins, losses and
 * inconclusive; dark enough for a white label (WCAG AA) for the other two.
 */
export const VERDICTS: Record<ResultsSummary['verdict'], { label: string; colour: string }> = {
  win: { label: VERDICT_LABEL.win, colour: VERDICT_COLOUR.win },
  loss: { label: VERDICT_LABEL.loss, colour: VERDICT_COLOUR.loss },
  inconclusive: { label: VERDICT_LABEL.inconclusive, colour: VERDICT_COLOUR.inconclusive },
  mixed: { label: 'Mixed', colour: 'grape.9' },
  srm: { label: 'SRM warning', colour: '#8a4b00' },
};

function SummaryCells({ summary }: { summary: ResultsSummary | undefined }) {
  if (!summary) {
    return (
      <>
        <Table.Td ta="right">—</Table.Td>
        <Table.Td>
          <Text size="sm" c="dimmed">
            Not analysed
          </Text>
        </Table.Td>
      </>
    );
  }
  const verdict = VERDICTS[summary.verdict];
  return (
    <>
      <Table.Td ta="right">{summary.units.toLocaleString('en')}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Badge color={verdict.colour} variant={summary.verdict === 'inconclusive' ? 'outline' : 'filled'}>
            {verdict.label}
          </Badge>
          {summary.guardrailRegressed && (
            <Badge color="red.9" variant="outline">
              Guardrail
            </Badge>
          )}
        </Group>
      </Table.Td>
    </>
  );
}
