/**
 * @module infra/observability/observability.test
 * Keeps the Prometheus alert rules and the Grafana dashboard true to what Cleave exports: every
 * expression is parsed with Prometheus's own PromQL grammar (`@prometheus-io/lezer-promql`, the
 * parser of Prometheus's UI) and every metric it selects must be one the server registers, taken
 * from a live `createTelemetry()` registry rather than a copied list. With `promtool` on the PATH
 * (Debian's `prometheus` package) the rules also go through `promtool check rules` and the unit
 * tests in alerts.rules-test.yaml; CI's machine has no promtool, so those two are skipped there.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { observeConnectionPools } from '../../packages/server/src/adapters/sql/pool-metrics.js';
import { createTelemetry } from '../../packages/server/src/runtime/telemetry.js';

const here = new URL('./', import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, here), 'utf8');

/** Series names a scrape of a Cleave process can contain, histograms expanded. */
async function exportedSeries(): Promise<Set<string>> {
  const { registry } = createTelemetry();
  // The pool gauges are registered beside the telemetry, once the databases are connected.
  observeConnectionPools(registry, []);
  const metrics = await registry.getMetricsAsJSON();
  return new Set(
    metrics.flatMap(({ name, type }) =>
      String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    ),
  );
}

/** Parses PromQL; returns the metric names it selects, or throws at the first syntax error. */
function selectedMetrics(expression: string): string[] {
  const names: string[] = [];
  const cursor = parser.parse(expression).cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expression}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') {
      names.push(expression.slice(cursor.from, cursor.to));
    }
  } while (cursor.next());
  return names;
}

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
const rules = parse(read('prometheus/alerts.yaml')) as { groups: { name: string; rules: AlertRule[] }[] };
const allRules = rules.groups.flatMap((group) => group.rules);

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string; refId: string }[];
}
const dashboard = JSON.parse(read('grafana/cleave-dashboard.json')) as { uid: string; panels: Panel[] };
/** Grafana's interval variables, replaced by a value PromQL accepts. */
const withoutGrafanaVariables = (expression: string) =>
  expression.replace(/\$__(rate_interval|range|interval)/g, '5m');

describe('PromQL checks', () => {
  it('find the metric names an expression selects and refuse broken syntax', () => {
    expect(selectedMetrics('sum by (le) (rate(a_bucket{x="1"}[5m])) / on() b > 0')).toEqual([
      'a_bucket',
      'b',
    ]);
    expect(() => selectedMetrics('sum(rate(a[5m])')).toThrow(/syntax/);
  });
});

describe('Prometheus alert rules', () => {
  it('follow the rule-file structure Prometheus documents', () => {
    // Written from the Prometheus documentation's description of alerting rule files.
    const schema = {
      type: 'object',
      required: ['groups'],
      additionalProperties: false,
      properties: {
        groups: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'rules'],
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              interval: { type: 'string', pattern: '^\\d+[smhdwy]$' },
              rules: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['alert', 'expr', 'labels', 'annotations'],
                  additionalProperties: false,
                  properties: {
                    alert: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
                    expr: { type: 'string' },
                    for: { type: 'string', pattern: '^(\\d+[smhdwy])+$' },
                    labels: {
                      type: 'object',
                      required: ['severity'],
                      properties: { severity: { enum: ['page', 'ticket'] } },
                    },
                    annotations: {
                      type: 'object',
                      required: ['summary', 'description'],
                      additionalProperties: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(rules), JSON.stringify(validate.errors)).toBe(true);
    expect(new Set(allRules.map((rule) => rule.alert)).size).toBe(allRules.length);
  });

  it('parse, and select only metrics Cleave exports', async () => {
    const exported = await exportedSeries();
    for (const rule of allRules) {
      const selected = selectedMetrics(rule.expr);
      expect(selected.length, rule.alert).toBeGreaterThan(0);
      for (const name of selected) expect(exported, `${rule.alert}: ${name}`).toContain(name);
    }
  });

  it('cover writer lag, a stalled writer, failing writer batches, dead letters and the 5xx rate', () => {
    const watched = (metric: string) =>
      allRules.filter((rule) => rule.expr.includes(metric)).map((rule) => rule.alert);
    expect(watched('cleave_event_writer_lag_events')).toEqual(
      expect.arrayContaining(['CleaveEventWriterLagHigh', 'CleaveEventWriterStalled']),
    );
    expect(watched('cleave_event_writer_batches_total{outcome="failed"}')).toEqual([
      'CleaveEventWriterBatchesFailing',
    ]);
    expect(watched('cleave_event_writer_dead_lettered_total')).toEqual(['CleaveEventsDeadLettered']);
    expect(allRules.find((rule) => rule.alert === 'CleaveHttp5xxRateHigh')?.expr).toMatch(/status=~"5\.\."/);
  });

  it('cover failing analysis jobs and a saturated database pool', () => {
    const watched = (metric: string) =>
      allRules.filter((rule) => rule.expr.includes(metric)).map((rule) => rule.alert);
    expect(watched('cleave_analysis_job_failures_total')).toEqual(['CleaveAnalysisJobsFailing']);
    expect(watched('cleave_analysis_job_seconds_count{outcome="retried"}')).toEqual([
      'CleaveAnalysisJobsRetryingOften',
    ]);
    expect(watched('cleave_db_pool_waiting')).toEqual(['CleaveDatabasePoolSaturated']);
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  it.skipIf(!promtool)('pass promtool check rules and the promtool rule unit tests', () => {
    const cwd = new URL('prometheus/', here);
    for (const args of [
      ['check', 'rules', 'alerts.yaml'],
      ['test', 'rules', 'alerts.rules-test.yaml'],
    ]) {
      const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
    }
  });
});

describe('Grafana dashboard', () => {
  const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('queries only metrics Cleave exports, in valid PromQL', async () => {
    const exported = await exportedSeries();
    expect(queryPanels.length).toBeGreaterThanOrEqual(8);
    for (const panel of queryPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        for (const name of selectedMetrics(withoutGrafanaVariables(target.expr))) {
          expect(exported, `${panel.title}: ${name}`).toContain(name);
        }
      }
    }
  });

  it('charts the writer lag, ingestion, 5xx ratio, latency, analysis jobs, SSE streams and pool saturation', () => {
    const expressions = queryPanels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    for (const metric of [
      'cleave_event_writer_lag_events',
      'cleave_events_accepted_total',
      'cleave_event_writer_rows_total',
      'cleave_http_request_seconds_bucket',
      'cleave_http_request_seconds_count{status=~"5.."}',
      'cleave_analysis_job_seconds_bucket',
      'cleave_analysis_job_failures_total',
      'cleave_sse_connections',
      'cleave_db_pool_connections{state="in_use"}',
      'cleave_db_pool_max_connections',
      'cleave_db_pool_waiting',
    ]) {
      expect(
        expressions.some((expression) => expression.includes(metric)),
        metric,
      ).toBe(true);
    }
  });

  it('lays out panels with unique ids inside the 24-column grid, none overlapping', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    const cells = new Set<string>();
    for (const { gridPos, title } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
