/**
 * @module experiments/experiment-page
 * One experiment: what it tests (hypothesis, variations and weights, metrics), its lifecycle
 * (start, conclude with a decision), and its results in the chosen environment with "run analysis
 * now" and the job's progress.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Modal,
  Progress,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { FormError } from '../pages/sign-in-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { STATUS_COLOUR } from './experiments-page.js';
import {
  type ConcludeBody,
  type Experiment,
  useConcludeExperiment,
  useExperiment,
  useStartExperiment,
} from './queries.js';
import { daysRunning } from './results-format.js';
import { useAnalysisJob, useResults, useRunAnalysis } from './results-queries.js';
import { ResultsView } from './results-view.js';

export function ExperimentPage() {
  const { experimentKey = '' } = useParams();
  const { projectKey, environment, environments, canWrite } = useProjectScope();
  const experiment = useExperiment(projectKey, experimentKey);
  const start = useStartExperiment(projectKey, experimentKey);
  const [concluding, setConcluding] = useState(false);

  if (experiment.isPending) return <Loader aria-label="Loading experiment" />;
  if (experiment.isError) return <Alert color="red">{experiment.error.message}</Alert>;
  const data = experiment.data;
  const environmentName =
    environments.find((candidate) => candidate.key === environment)?.name ?? environment;
  const days = daysRunning(data.phases, new Date());

  return (
    <Stack maw={1100}>
      <Group justify="space-between" align="start">
        <div>
          <Group gap="xs">
            <Title order={2}>{data.name || data.key}</Title>
            <Badge color={STATUS_COLOUR[data.status] ?? 'gray.7'}>{data.status}</Badge>
          </Group>
          <Text c="dimmed" size="sm" ff="monospace">
            {data.key}
            {days !== undefined && ` · ${days} days`}
            {data.decision &&
              ` · decided: ${data.decision.outcome}${data.decision.variation ? ` ${data.decision.variation}` : ''}`}
          </Text>
        </div>
        {canWrite && (
          <Group>
            {data.status === 'draft' && (
              <Button onClick={() => start.mutate(data.version)} loading={start.isPending}>
                Start
              </Button>
            )}
            {data.status === 'running' && (
              <Button color="dark" onClick={() => setConcluding(true)}>
                Conclude…
              </Button>
            )}
          </Group>
        )}
      </Group>
      <FormError error={start.error} />
      {data.hypothesis && (
        <Text>
          <Text span fw={600}>
            Hypothesis:{' '}
          </Text>
          {data.hypothesis}
        </Text>
      )}
      <Card withBorder>
        <Group gap="xl" align="start">
          <div>
            <Text size="sm" fw={600}>
              Variations
            </Text>
            {data.variations.map((variation) => (
              <Text size="sm" key={variation.key}>
                {variation.key} · {Math.round(variation.weight * 1000) / 10} %
              </Text>
            ))}
          </div>
          {(['primary', 'secondary', 'guardrail'] as const).map((role) => (
            <div key={role}>
              <Text size="sm" fw={600}>
                {role[0]?.toUpperCase()}
                {role.slice(1)} metrics
              </Text>
              <Text size="sm">{data.metrics[role].join(', ') || '—'}</Text>
            </div>
          ))}
        </Group>
      </Card>
      <ResultsSection
        projectKey={projectKey}
        experimentKey={data.key}
        environment={environment}
        environmentName={environmentName}
        canRun={canWrite && data.status !== 'draft'}
      />
      <ConcludeModal
        opened={concluding}
        onClose={() => setConcluding(false)}
        experiment={data}
        projectKey={projectKey}
      />
    </Stack>
  );
}

function ResultsSection(props: {
  projectKey: string;
  experimentKey: string;
  environment: string;
  environmentName: string;
  canRun: boolean;
}) {
  const { projectKey, experimentKey, environment, environmentName, canRun } = props;
  const [dimension, setDimension] = useState('');
  const results = useResults(projectKey, experimentKey, environment, dimension);
  const run = useRunAnalysis(projectKey, experimentKey, environment);
  const job = useAnalysisJob(projectKey, experimentKey, environment, run.data);
  const jobRunning =
    job.data !== undefined && (job.data.status === 'queued' || job.data.status === 'running');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Results in {environmentName}</Title>
        {canRun && (
          <Button variant="default" onClick={() => run.mutate()} loading={run.isPending || jobRunning}>
            Run analysis now
          </Button>
        )}
      </Group>
      <FormError error={run.error} />
      {jobRunning && job.data && (
        <div>
          <Text size="sm">Analysis {job.data.status}…</Text>
          <Progress value={Math.round(job.data.progress * 100)} aria-label="Analysis progress" animated />
        </div>
      )}
      {job.data?.status === 'failed' && (
        <Alert color="red" title="The analysis failed">
          {job.data.error ?? 'No reason given.'}
        </Alert>
      )}
      {results.isPending ? (
        <Loader aria-label="Loading results" />
      ) : results.isError ? (
        <Alert color="red">{results.error.message}</Alert>
      ) : results.data === null ? (
        <Text c="dimmed">
          No analysis yet in {environmentName}.{canRun ? ' Run one to see results.' : ''}
        </Text>
      ) : (
        <>
          <DimensionPicker dimension={dimension} onChange={setDimension} loading={results.isFetching} />
          <ResultsView results={results.data} />
        </>
      )}
    </Stack>
  );
}

/** An attribute typed in (any the SDKs send with exposures), applied on Enter or "Break down". */
function DimensionPicker(props: { dimension: string; onChange(dimension: string): void; loading: boolean }) {
  const { dimension, onChange, loading } = props;
  const [draft, setDraft] = useState(dimension);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft.trim());
  };
  return (
    <form onSubmit={submit}>
      <Group align="end">
        <TextInput
          label="Break down by attribute"
          description="An attribute of each unit's first exposure, e.g. country or platform"
          value={draft}
          onChange={(event) => setDraft(event.currentTarget.value)}
          w={320}
        />
        <Button
          type="submit"
          variant="default"
          loading={loading && draft.trim() === dimension && dimension !== ''}
        >
          Break down
        </Button>
        {dimension && (
          <Button
            variant="subtle"
            onClick={() => {
              setDraft('');
              onChange('');
            }}
          >
            No breakdown
          </Button>
        )}
      </Group>
    </form>
  );
}

const OUTCOMES = [
  { value: 'ship', label: 'Ship a variation' },
  { value: 'rollback', label: 'Roll back (keep the control)' },
  { value: 'inconclusive', label: 'Inconclusive (stop without a winner)' },
];

function ConcludeModal(props: {
  opened: boolean;
  onClose(): void;
  experiment: Experiment;
  projectKey: string;
}) {
  const { opened, onClose, experiment, projectKey } = props;
  const conclude = useConcludeExperiment(projectKey, experiment.key);
  const [outcome, setOutcome] = useState<ConcludeBody['outcome']>('ship');
  const [variation, setVariation] = useState<string | null>(experiment.variations[1]?.key ?? null);
  const [reason, setReason] = useState('');
  const [rollout, setRollout] = useState(true);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    conclude.mutate(
      {
        outcome,
        ...(outcome === 'ship' && variation && { variation }),
        ...(reason.trim() && { reason: reason.trim() }),
        rollout,
        version: experiment.version,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Conclude the experiment">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Select
            label="Decision"
            data={OUTCOMES}
            value={outcome}
            onChange={(value) => value && setOutcome(value as ConcludeBody['outcome'])}
            allowDeselect={false}
          />
          {outcome === 'ship' && (
            <Select
              label="Winning variation"
              data={experiment.variations.map((candidate) => candidate.key)}
              value={variation}
              onChange={setVariation}
              allowDeselect={false}
            />
          )}
          <Textarea
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          <Checkbox
            label={
              outcome === 'ship'
                ? 'Serve the winner through the flags running it'
                : 'Remove the experiment rule from its flags'
            }
            checked={rollout}
            onChange={(event) => setRollout(event.currentTarget.checked)}
          />
          <FormError error={conclude.error} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="dark" loading={conclude.isPending}>
              Conclude
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
