/**
 * @module experiments/results-view
 * An experiment's results as a team decides on them: health banners first (sample ratio mismatch,
 * regressed guardrails, units seen in several variants), the summary sentences, then per metric
 * each variant's units and mean, and each treatment's effect with its interval (forest plot),
 * p-value or chance to win, and a verdict coloured win / loss / inconclusive.
 */
import { Alert, Badge, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { ForestRow } from './forest-plot.js';
import {
  forestDomain,
  formatEffect,
  formatInterval,
  formatNumber,
  formatProbability,
  formatPValue,
  VERDICT_COLOUR,
  VERDICT_LABEL,
} from './results-format.js';
import type { ExperimentResults, MetricResult, ResultsSettings } from './results-types.js';

const CumulativeChart = lazy(() =>
  import('./cumulative-chart.js').then((module) => ({ default: module.CumulativeChart })),
);

const ROLE_ORDER = { primary: 0, secondary: 1, guardrail: 2 } as const;

export function ResultsView({ results }: { results: ExperimentResults }) {
  const { health, settings } = results;
  const regressed = health.guardrails.filter((guardrail) => guardrail.regressed);
  const metrics = [...results.metrics].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const totalUnits = Object.values(health.units).reduce((sum, units) => sum + units, 0);
  return (
    <Stack>
      {health.srm.flagged && (
        <Alert color="red" title="Sample ratio mismatch: do not trust these results" role="alert">
          The units per variant differ from the configured weights more than chance allows (χ² ={' '}
          {formatNumber(health.srm.chiSquare)}, p = {formatPValue(health.srm.pValue)}). Assignment or exposure
          logging is broken somewhere; find the cause before reading any effect.
        </Alert>
      )}
      {regressed.length > 0 && (
        <Alert color="orange" title="Guardrail regressed" role="alert">
          {regressed.map((guardrail) => `${guardrail.variant} worsens ${guardrail.metric}`).join('; ')}.
        </Alert>
      )}
      {health.multipleVariantUnits > 0 && (
        <Alert color="yellow" title="Units seen in more than one variant">
          {health.multipleVariantUnits} units were exposed to several variants and are left out of the
          analysis.
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        {formatNumber(totalUnits)} units
        {health.plannedUnits ? ` of ${formatNumber(health.plannedUnits)} planned` : ''} ·{' '}
        {Object.entries(health.units)
          .map(([variant, units]) => `${variant} ${formatNumber(units)}`)
          .join(', ')}{' '}
        · {settings.method}, {settings.effect} effect, {Math.round((1 - settings.alpha) * 100)} % intervals ·
        computed {new Date(results.computedAt).toLocaleString()}
      </Text>
      {health.summary.length > 0 && (
        <List size="sm">
          {health.summary.map((line) => (
            <List.Item key={`${line.metric}-${line.variant}`}>{line.sentence}</List.Item>
          ))}
        </List>
      )}
      {metrics.map((metric) => (
        <MetricCard key={metric.metric} metric={metric} settings={settings} />
      ))}
    </Stack>
  );
}

function MetricCard({ metric, settings }: { metric: MetricResult; settings: ResultsSettings }) {
  const control = metric.variants[0];
  const domain = forestDomain(metric.comparisons);
  const bayesian = settings.method === 'bayesian';
  return (
    <Card withBorder component="section" aria-label={`Metric ${metric.metric}`}>
      <Group mb="xs">
        <Title order={3} size="h4">
          {metric.metric}
        </Title>
        <Badge variant="outline" color="dark">
          {metric.role}
        </Badge>
      </Group>
      {metric.comparisons
        .filter((comparison) => comparison.note)
        .map((comparison) => (
          <Text key={comparison.variant} size="sm" c="dimmed" mb="xs">
            {comparison.variant}: {comparison.note}
          </Text>
        ))}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variant</Table.Th>
            <Table.Th ta="right">Units</Table.Th>
            <Table.Th ta="right">Mean</Table.Th>
            <Table.Th ta="right">Effect</Table.Th>
            <Table.Th>Interval</Table.Th>
            <Table.Th>
              <Text span size="sm" fw={700}>
                {formatEffect(domain[0], settings.effect)} · 0 · {formatEffect(domain[1], settings.effect)}
              </Text>
            </Table.Th>
            <Table.Th ta="right">{bayesian ? 'Chance to win' : 'p-value'}</Table.Th>
            <Table.Th>Verdict</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {control && (
            <Table.Tr>
              <Table.Td>
                {control.variant}{' '}
                <Text span size="xs" c="dimmed">
                  (control)
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatNumber(control.n)}</Table.Td>
              <Table.Td ta="right">{formatNumber(control.mean)}</Table.Td>
              <Table.Td colSpan={5} />
            </Table.Tr>
          )}
          {metric.comparisons.map((comparison) => {
            const statistics = metric.variants.find((variant) => variant.variant === comparison.variant);
            const pValue = comparison.adjustedPValue ?? comparison.pValue;
            return (
              <Table.Tr key={comparison.variant}>
                <Table.Td>{comparison.variant}</Table.Td>
                <Table.Td ta="right">{formatNumber(statistics?.n)}</Table.Td>
                <Table.Td ta="right">{formatNumber(statistics?.mean)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatEffect(comparison.estimate, settings.effect)}
                </Table.Td>
                <Table.Td>{formatInterval(comparison, settings.effect)}</Table.Td>
                <Table.Td>
                  <ForestRow comparison={comparison} domain={domain} />
                </Table.Td>
                <Table.Td ta="right">
                  {bayesian ? formatProbability(comparison.chanceToWin) : formatPValue(pValue)}
                  {!bayesian && comparison.adjustedPValue != null && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (adj.)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={VERDICT_COLOUR[comparison.verdict]}>
                    {VERDICT_LABEL[comparison.verdict]}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {metric.series.length > 1 && (
        <>
          <Text size="sm" fw={500} mt="md">
            Cumulative effect over time
          </Text>
          <Suspense fallback={<Text size="sm">Loading chart…</Text>}>
            <CumulativeChart metric={metric} effect={settings.effect} />
          </Suspense>
        </>
      )}
      {metric.dimension && <DimensionTable metric={metric} effect={settings.effect} />}
    </Card>
  );
}

function DimensionTable({ metric, effect }: { metric: MetricResult; effect: ResultsSettings['effect'] }) {
  const dimension = metric.dimension;
  if (!dimension) return null;
  return (
    <>
      <Text size="sm" fw={500} mt="md">
        By {dimension.name}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{dimension.name}</Table.Th>
            <Table.Th>Variant</Table.Th>
            <Table.Th ta="right">Units</Table.Th>
            <Table.Th ta="right">Effect</Table.Th>
            <Table.Th>Interval</Table.Th>
            <Table.Th>Verdict</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {dimension.values.flatMap((value) =>
            value.comparisons.map((comparison) => (
              <Table.Tr key={`${value.value}-${comparison.variant}`}>
                <Table.Td>{value.value}</Table.Td>
                <Table.Td>{comparison.variant}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(value.variants.find((variant) => variant.variant === comparison.variant)?.n)}
                </Table.Td>
                <Table.Td ta="right">{formatEffect(comparison.estimate, effect)}</Table.Td>
                <Table.Td>{formatInterval(comparison, effect)}</Table.Td>
                <Table.Td>
                  <Badge color={VERDICT_COLOUR[comparison.verdict]}>
                    {VERDICT_LABEL[comparison.verdict]}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
    </>
  );
}
