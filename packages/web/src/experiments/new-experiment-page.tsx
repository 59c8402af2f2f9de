/**
 * @module experiments/new-experiment-page
 * Creating an experiment: the hypothesis, the variations and their weights (percentages that must
 * add up to 100), and the metrics that judge it — primary (the decision), secondary (to learn) and
 * guardrails (must not get worse) — picked from the project's metric library. It starts as a
 * draft; a flag rule of type "experiment" then lets it decide a flag, and Start runs it.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { api, unwrap } from '../api/client.js';
import { keyFromName } from '../pages/home-page.js';
import { FormError } from '../pages/sign-in-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { experimentsKey } from './queries.js';
import { equalSplit, weightsFromPercentages } from './variation-weights.js';

interface VariationDraft {
  key: string;
  percentage: number;
}

export function NewExperimentPage() {
  const { projectKey, canWrite } = useProjectScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [hypothesis, setHypothesis] = useState('');
  const [variations, setVariations] = useState<VariationDraft[]>([
    { key: 'control', percentage: 50 },
    { key: 'treatment', percentage: 50 },
  ]);
  const [primary, setPrimary] = useState<string[]>([]);
  const [secondary, setSecondary] = useState<string[]>([]);
  const [guardrail, setGuardrail] = useState<string[]>([]);
  const metrics = useQuery({
    queryKey: ['projects', projectKey, 'metrics', 'list'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/metrics', {
          params: { path: { projectKey }, query: { limit: 200 } },
        }),
      ),
  });
  const create = useMutation({
    mutationFn: (body: CreateExperimentBody) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/experiments', { params: { path: { projectKey } }, body }),
      ),
    onSuccess: async (experiment) => {
      await queryClient.invalidateQueries({ queryKey: experimentsKey(projectKey) });
      navigate(`/projects/${projectKey}/experiments/${experiment.key}`);
    },
  });
  const effectiveKey = key ?? keyFromName(name);
  const weights = weightsFromPercentages(variations.map((variation) => variation.percentage));
  const metricKeys = (metrics.data?.items ?? []).map((metric) => ({
    value: metric.key,
    label: metric.name || metric.key,
  }));
  const apiError = (pointer: string) => fieldError(create.error, pointer);

  const setVariationCount = (next: VariationDraft[]) => {
    const split = equalSplit(next.length);
    setVariations(next.map((variation, index) => ({ ...variation, percentage: split[index] ?? 0 })));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!weights.ok) return;
    create.mutate({
      key: effectiveKey,
      ...(name.trim() && { name: name.trim() }),
      ...(hypothesis.trim() && { hypothesis: hypothesis.trim() }),
      variations: variations.map((variation, index) => ({
        key: variation.key.trim(),
        weight: weights.weights[index] ?? 0,
      })),
      metrics: { primary, secondary, guardrail },
    });
  };

  if (!canWrite) return <Alert color="yellow">Your role in this project cannot create experiments.</Alert>;
  return (
    <form onSubmit={submit} noValidate>
      <Title order={2} mb="md">
        New experiment
      </Title>
      <Stack maw={760}>
        <Title order={3} size="h4">
          1. Hypothesis
        </Title>
        <Group grow align="start">
          <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <TextInput
            label="Key"
            required
            value={effectiveKey}
            onChange={(event) => setKey(event.currentTarget.value)}
            error={apiError('/key')}
          />
        </Group>
        <Textarea
          label="Hypothesis"
          description="What you change, what you expect it to do, and why."
          value={hypothesis}
          onChange={(event) => setHypothesis(event.currentTarget.value)}
          error={apiError('/hypothesis')}
        />

        <Title order={3} size="h4">
          2. Variations
        </Title>
        <Text size="sm" c="dimmed">
          The first variation is the control every other is compared with.
        </Text>
        {variations.map((variation, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; keys are being edited
          <Group key={index} align="start" wrap="nowrap">
            <TextInput
              label={`Variation ${index + 1} key`}
              value={variation.key}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setVariations((current) =>
                  current.map((item, position) => (position === index ? { ...item, key: value } : item)),
                );
              }}
              error={apiError(`/variations/${index}/key`)}
              w={220}
            />
            <NumberInput
              label={`Variation ${index + 1} weight`}
              suffix=" %"
              min={0}
              max={100}
              decimalScale={2}
              value={variation.percentage}
              onChange={(value) =>
                setVariations((current) =>
                  current.map((item, position) =>
                    position === index
                      ? { ...item, percentage: typeof value === 'number' ? value : 0 }
                      : item,
                  ),
                )
              }
              w={160}
            />
            <ActionIcon
              mt={28}
              variant="subtle"
              color="red"
              aria-label={`Remove variation ${index + 1}`}
              disabled={variations.length <= 2}
              onClick={() => setVariationCount(variations.filter((_, position) => position !== index))}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        {!weights.ok && (
          <Text c="red.8" size="sm" role="alert">
            {weights.message}
          </Text>
        )}
        <Group>
          <Button
            variant="light"
            onClick={() =>
              setVariationCount([...variations, { key: `variant-${variations.length}`, percentage: 0 }])
            }
          >
            Add variation
          </Button>
          <Button variant="subtle" onClick={() => setVariationCount(variations)}>
            Split evenly
          </Button>
        </Group>

        <Title order={3} size="h4">
          3. Metrics
        </Title>
        {metrics.data && metricKeys.length === 0 && (
          <Text size="sm" c="dimmed">
            This project has no metrics yet; define them first (API: POST /api/v1/projects/{projectKey}
            /metrics).
          </Text>
        )}
        <MultiSelect
          label="Primary (decides the experiment)"
          data={metricKeys}
          value={primary}
          onChange={setPrimary}
          error={apiError('/metrics/primary')}
          searchable
        />
        <MultiSelect
          label="Secondary (to learn from)"
          data={metricKeys}
          value={secondary}
          onChange={setSecondary}
          searchable
        />
        <MultiSelect
          label="Guardrails (must not get worse)"
          data={metricKeys}
          value={guardrail}
          onChange={setGuardrail}
          searchable
        />
        <FormError error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!weights.ok}>
            Create experiment
          </Button>
          <Button variant="default" component={Link} to={`/projects/${projectKey}/experiments`}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type CreateExperimentBody = NonNullable<
  import('../api/schema.gen.js').paths['/api/v1/projects/{projectKey}/experiments']['post']['requestBody']
>['content']['application/json'];
