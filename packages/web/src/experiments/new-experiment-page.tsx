/**
 * @module experiments/new-experiment-page
 * Creating an experiment, as a wizard: hypothesis → variations and weights → targeting (unit,
 * coverage, layer) → metrics → analysis settings with a power calculator → review. It starts as
 * a draft; a flag rule of type "experiment" then lets it decide a flag, and Start runs it.
 * The steps share one draft, so going back and forth loses nothing; a failed create goes back
 * to the first step whose fields the API named, with each message next to its field.
 */
import { Alert, Button, Group, Stepper, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/api-error.js';
import { api, unwrap } from '../api/client.js';
import { useLayers } from '../layers/queries.js';
import { keyFromName } from '../pages/home-page.js';
import { FormError } from '../pages/sign-in-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { experimentsKey, useExperiments } from './queries.js';
import { weightsFromPercentages } from './variation-weights.js';
import { AnalysisStep } from './wizard/analysis-step.js';
import {
  type CreateExperimentBody,
  type ExperimentDraft,
  emptyDraft,
  firstStepWithIssue,
  stepOfPointer,
  toCreateBody,
  WIZARD_STEPS,
} from './wizard/experiment-draft.js';
import { HypothesisStep } from './wizard/hypothesis-step.js';
import { MetricsStep } from './wizard/metrics-step.js';
import { PowerCalculator } from './wizard/power-calculator.js';
import { ReviewStep } from './wizard/review-step.js';
import { issueUnder } from './wizard/step-props.js';
import { TargetingStep } from './wizard/targeting-step.js';
import { VariationsStep } from './wizard/variations-step.js';

const VARIATIONS_STEP = 1;
const REVIEW_STEP = WIZARD_STEPS.length - 1;

export function NewExperimentPage() {
  const { projectKey, environment, environments, canWrite } = useProjectScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ExperimentDraft>(emptyDraft);
  const [active, setActive] = useState(0);
  const metrics = useQuery({
    queryKey: ['projects', projectKey, 'metrics', 'list'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/metrics', {
          params: { path: { projectKey }, query: { limit: 200 } },
        }),
      ),
  });
  const layers = useLayers(projectKey, 'active');
  const experiments = useExperiments(projectKey, '');
  const create = useMutation({
    mutationFn: (body: CreateExperimentBody) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/experiments', { params: { path: { projectKey } }, body }),
      ),
    onSuccess: async (experiment) => {
      await queryClient.invalidateQueries({ queryKey: experimentsKey(projectKey) });
      navigate(`/projects/${projectKey}/experiments/${experiment.key}`);
    },
    onError: (error) => {
      const step = error instanceof ApiError ? firstStepWithIssue(error.issues) : undefined;
      if (step !== undefined) setActive(step);
    },
  });

  const effectiveKey = draft.key ?? keyFromName(draft.name);
  const update = (patch: Partial<ExperimentDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const issue = (pointer: string) => issueUnder(create.error, pointer);
  const stepProps = { draft, update, issue };
  const weights = weightsFromPercentages(draft.variations.map((variation) => variation.percentage));
  const stepsWithIssues = new Set(
    create.error instanceof ApiError
      ? create.error.issues.map((item) => stepOfPointer(item.path)).filter((step) => step !== undefined)
      : [],
  );
  const primary = metrics.data?.items.find((metric) => metric.key === draft.metrics.primary[0]);
  const layerShare = draft.layer ? Math.max(0, draft.layer.endPercent - draft.layer.startPercent) / 100 : 1;
  // Leaving the variations with weights that cannot be sent would only fail at the end.
  const blocked = active === VARIATIONS_STEP && !weights.ok;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (active !== REVIEW_STEP) {
      if (!blocked) setActive(active + 1);
      return;
    }
    const request = toCreateBody(draft, effectiveKey);
    if (!request.ok) {
      setActive(VARIATIONS_STEP);
      return;
    }
    create.mutate(request.body);
  };

  if (!canWrite) return <Alert color="yellow">Your role in this project cannot create experiments.</Alert>;
  return (
    <form onSubmit={submit} noValidate>
      <Title order={2} mb="md">
        New experiment
      </Title>
      <Stepper
        active={active}
        onStepClick={(step) => !blocked && setActive(step)}
        allowNextStepsSelect
        size="sm"
        maw={960}
      >
        {WIZARD_STEPS.map((label, index) => (
          <Stepper.Step
            key={label}
            label={label}
            color={stepsWithIssues.has(index) ? 'red' : undefined}
            description={stepsWithIssues.has(index) ? 'Needs a fix' : undefined}
          >
            {index === 0 && <HypothesisStep {...stepProps} effectiveKey={effectiveKey} />}
            {index === 1 && <VariationsStep {...stepProps} />}
            {index === 2 && (
              <TargetingStep
                {...stepProps}
                layers={layers.data?.items ?? []}
                experiments={experiments.data?.items ?? []}
              />
            )}
            {index === 3 && <MetricsStep {...stepProps} metrics={metrics.data?.items} />}
            {index === 4 && (
              <AnalysisStep {...stepProps}>
                <PowerCalculator
                  projectKey={projectKey}
                  environments={environments}
                  defaultEnvironment={environment}
                  metric={primary && { key: primary.key, type: primary.type }}
                  alpha={draft.analysis.alpha}
                  weights={weights.ok ? weights.weights : []}
                  share={(draft.coveragePercent / 100) * layerShare}
                  onPlan={(units) => update({ analysis: { ...draft.analysis, plannedUnits: units } })}
                />
              </AnalysisStep>
            )}
            {index === 5 && <ReviewStep draft={draft} effectiveKey={effectiveKey} goTo={setActive} />}
          </Stepper.Step>
        ))}
      </Stepper>
      <FormError error={create.error} />
      <Group mt="lg" maw={960}>
        {active > 0 && (
          <Button variant="default" onClick={() => setActive(active - 1)}>
            Back
          </Button>
        )}
        {active < REVIEW_STEP ? (
          <Button type="submit" disabled={blocked}>
            Next
          </Button>
        ) : (
          <Button type="submit" loading={create.isPending}>
            Create experiment
          </Button>
        )}
        <Button variant="default" component={Link} to={`/projects/${projectKey}/experiments`}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}
