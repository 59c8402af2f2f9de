/**
 * @module experiments/wizard/power-calculator
 * How many units the experiment needs and how long that takes: the primary metric's baseline (a
 * rate, or a mean with its standard deviation: typed in, or read from the environment's recent
 * events with "Use recent data"), the smallest relative effect worth detecting, alpha and power
 * go to `POST /api/v1/stats/sample-size`; the environment's recent traffic (distinct units a day)
 * turns the units into days. The result can become the planned units, which end the experiment
 * when reached.
 */
import { Alert, Button, Card, Group, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldError } from '../../api/api-error.js';
import { api, unwrap } from '../../api/client.js';
import { FormError } from '../../api/form-error.js';
import type { paths } from '../../api/schema.gen.js';
import { daysNeeded, totalUnitsNeeded } from './power-plan.js';

type SampleSizeBody =
  paths['/api/v1/stats/sample-size']['post']['requestBody']['content']['application/json'];

const TRAFFIC_DAYS = 14;

export interface PowerCalculatorProps {
  projectKey: string;
  environments: readonly { key: string; name: string }[];
  defaultEnvironment: string;
  /** The primary metric's key and type, when one is chosen. */
  metric: { key: string; type: string } | undefined;
  alpha: number;
  /** Variation weights as fractions, and the share of traffic that enters (coverage × layer range). */
  weights: readonly number[];
  share: number;
  onPlan(units: number): void;
}

export function PowerCalculator(props: PowerCalculatorProps) {
  const { projectKey, environments, metric, alpha, weights, share, onPlan } = props;
  const [environment, setEnvironment] = useState(props.defaultEnvironment);
  const [baseline, setBaseline] = useState<number | ''>('');
  const [deviation, setDeviation] = useState<number | ''>('');
  const [mdePercent, setMdePercent] = useState<number | ''>(5);
  const [powerPercent, setPowerPercent] = useState<number | ''>(80);
  const isRate = metric?.type === 'proportion';

  const traffic = useQuery({
    queryKey: ['projects', projectKey, 'traffic', environment, TRAFFIC_DAYS],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/traffic', {
          params: { path: { projectKey }, query: { environment, days: TRAFFIC_DAYS } },
        }),
      ),
  });
  const recent = useMutation({
    mutationFn: (key: string) =>
      unwrap(
        api.GET('/api/v1/projects/{projectKey}/metrics/{key}/baseline', {
          params: { path: { projectKey, key }, query: { environment, days: TRAFFIC_DAYS } },
        }),
      ),
    onSuccess: (found) => {
      if (found.mean === null) return;
      setBaseline(found.type === 'proportion' ? Math.round(found.mean * 1_000_000) / 10_000 : found.mean);
      if (found.type === 'mean' && found.standardDeviation !== null) setDeviation(found.standardDeviation);
    },
  });
  const plan = useMutation({
    mutationFn: (body: SampleSizeBody) => unwrap(api.POST('/api/v1/stats/sample-size', { body })),
  });

  const incomplete =
    baseline === '' || mdePercent === '' || powerPercent === '' || (!isRate && deviation === '');
  const calculate = () => {
    if (incomplete) return;
    const common = { mde: mdePercent / 100, alpha, power: powerPercent / 100 };
    plan.mutate(
      isRate
        ? { metric: 'proportion', baseline: baseline / 100, ...common }
        : { metric: 'mean', baseline, standardDeviation: Number(deviation), ...common },
    );
  };
  const nPerVariant = plan.data?.nPerVariant;
  const total = nPerVariant === undefined ? undefined : totalUnitsNeeded(nPerVariant, weights);
  const dailyUnits = traffic.data?.dailyUnits ?? 0;
  const days = total === undefined ? undefined : daysNeeded(total, dailyUnits, share);
  const environmentName = environments.find((item) => item.key === environment)?.name ?? environment;
  const issue = (pointer: string) => fieldError(plan.error, pointer);

  return (
    <Card withBorder component="section" aria-label="Power calculator">
      <Stack>
        <Title order={3} size="h5">
          Power calculator
        </Title>
        {!metric ? (
          <Text size="sm" c="dimmed">
            Choose a primary metric to plan the sample size.
          </Text>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              For {metric.key} ({isRate ? 'a conversion rate' : 'a mean per unit'}), a two-sided test at α ={' '}
              {alpha}.
            </Text>
            <Group grow align="start">
              <NumberInput
                label={isRate ? 'Baseline conversion rate' : 'Baseline mean'}
                suffix={isRate ? ' %' : undefined}
                value={baseline}
                onChange={(value) => setBaseline(typeof value === 'number' ? value : '')}
                error={issue('/baseline')}
                decimalScale={4}
              />
              {!isRate && (
                <NumberInput
                  label="Standard deviation"
                  min={0}
                  value={deviation}
                  onChange={(value) => setDeviation(typeof value === 'number' ? value : '')}
                  error={issue('/standardDeviation')}
                  decimalScale={4}
                />
              )}
              <NumberInput
                label="Minimum detectable effect"
                description="Relative to the baseline"
                suffix=" %"
                value={mdePercent}
                onChange={(value) => setMdePercent(typeof value === 'number' ? value : '')}
                error={issue('/mde')}
                decimalScale={2}
              />
              <NumberInput
                label="Power"
                suffix=" %"
                min={1}
                max={99}
                value={powerPercent}
                onChange={(value) => setPowerPercent(typeof value === 'number' ? value : '')}
                error={issue('/power')}
              />
            </Group>
            <Group align="end">
              <Select
                label="Recent data from"
                data={environments.map((item) => ({ value: item.key, label: item.name }))}
                value={environment}
                onChange={(value) => {
                  if (!value) return;
                  setEnvironment(value);
                  recent.reset();
                }}
                allowDeselect={false}
                w={220}
              />
              <Button
                variant="default"
                onClick={() => metric && recent.mutate(metric.key)}
                loading={recent.isPending}
                disabled={metric.type === 'ratio'}
              >
                Use recent data
              </Button>
              <Button onClick={calculate} loading={plan.isPending} disabled={incomplete}>
                Calculate
              </Button>
            </Group>
            {recent.data && (
              <Text size="sm" c="dimmed">
                {recent.data.mean === null
                  ? `No units in ${environmentName} over the last ${TRAFFIC_DAYS} days: type the baseline in.`
                  : `Baseline from ${recent.data.units.toLocaleString('en')} units with events in ${environmentName} over the last ${TRAFFIC_DAYS} days (no conversion window or capping).`}
              </Text>
            )}
            <FormError error={recent.error} />
            <FormError error={plan.error} />
            {traffic.isError && <Alert color="red">{traffic.error.message}</Alert>}
            {nPerVariant !== undefined && total !== undefined && (
              <Stack gap={4} aria-live="polite">
                <Text fw={600}>
                  {nPerVariant.toLocaleString('en')} units per variation, {total.toLocaleString('en')} units
                  in all
                </Text>
                {days === undefined ? (
                  <Text size="sm" c="dimmed">
                    No units in {environmentName} over the last {TRAFFIC_DAYS} days: the duration cannot be
                    estimated from traffic.
                  </Text>
                ) : (
                  <Text size="sm">
                    About {days} {days === 1 ? 'day' : 'days'} at current traffic:{' '}
                    {Math.round(dailyUnits).toLocaleString('en')} new units a day in {environmentName} over
                    the last {TRAFFIC_DAYS} days, {Math.round(share * 10_000) / 100} % of them entering.
                  </Text>
                )}
                <Group>
                  <Button variant="subtle" onClick={() => onPlan(total)}>
                    Plan for {total.toLocaleString('en')} units
                  </Button>
                </Group>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
