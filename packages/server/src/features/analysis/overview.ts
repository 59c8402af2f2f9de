/**
 * @module features/analysis/overview
 * Light reads for planning and for lists, computed from what is already stored:
 * - per experiment, a summary of its latest results in an environment (units, and a verdict on
 *   its primary metrics, or an SRM warning when the split itself is broken);
 * - an environment's recent traffic: distinct units with events per UTC day, the figure a power
 *   calculation turns into an estimated duration;
 * - a metric's recent baseline over those units (rate, or mean and standard deviation), the other
 *   input of a power calculation.
 */
import type { Metric } from '@cleave/core';
import { type Kysely, sql } from 'kysely';
import type { AnalysisSqlDialect } from '../../adapters/sql/analysis-sql.js';
import type { Database } from '../../adapters/sql/database.js';
import type { Clock } from '../../domain/clock.js';
import type { Project } from '../../domain/project.js';
import { ValidationError } from '../../http/errors.js';
import type { ExperimentService } from '../experiments/service.js';
import type { MetricService } from '../metrics/service.js';
import type { ProjectService } from '../projects/service.js';
import type { Results } from './schemas.js';
import type { SnapshotOutputs } from './service.js';
import { KyselySnapshotStore } from './snapshot-store.js';

const DAY_MS = 24 * 3_600_000;

/** `srm` outranks the metrics: with a broken split no effect estimate can be trusted. */
export type Verdict = 'srm' | 'win' | 'loss' | 'mixed' | 'inconclusive';

export interface ResultsSummary {
  experiment: string;
  computedAt: string;
  units: number;
  verdict: Verdict;
  guardrailRegressed: boolean;
}

export interface Traffic {
  environment: string;
  /** Complete UTC days, oldest first, every day present (0 when none). */
  days: { date: string; units: number }[];
  /** Distinct units over the whole period: returning units count once. */
  units: number;
  /** `units / days`: new units an experiment can expect per day. */
  dailyUnits: number;
}

export interface Baseline {
  metric: string;
  type: 'proportion' | 'mean';
  environment: string;
  /** Units with any event in the period: the population the baseline is over. */
  units: number;
  /** Proportions: the share of units with the event; means: the mean per unit. Null without units. */
  mean: number | null;
  /** Per-unit sample standard deviation (proportions: √(p(1 − p))); null with fewer than 2 units. */
  standardDeviation: number | null;
}

/** The verdict of a snapshot: SRM first, then what its primary metrics' comparisons say. */
export function verdictOf(outputs: Pick<Results, 'health' | 'metrics'>): Verdict {
  if (outputs.health.srm.flagged) return 'srm';
  const verdicts = outputs.metrics
    .filter((metric) => metric.role === 'primary')
    .flatMap((metric) => metric.comparisons.map((comparison) => comparison.verdict));
  const wins = verdicts.includes('win');
  const losses = verdicts.includes('loss');
  if (wins && losses) return 'mixed';
  if (wins) return 'win';
  if (losses) return 'loss';
  return 'inconclusive';
}

export interface ExperimentOverviewOptions {
  db: Kysely<Database>;
  dialect: Pick<AnalysisSqlDialect, 'time' | 'day' | 'propertyMatches'>;
  clock: Clock;
  projects: ProjectService;
  experiments: ExperimentService;
  metrics: MetricService;
}

export class ExperimentOverview {
  constructor(private readonly options: ExperimentOverviewOptions) {}

  /** Experiments without results in the environment are left out. */
  async summaries(project: Project, environmentKey: string): Promise<ResultsSummary[]> {
    const environment = await this.options.projects.environmentByKey(project, environmentKey);
    const experiments = await this.options.experiments.list(project, {});
    const snapshots = new KyselySnapshotStore(this.options.db);
    const summaries: ResultsSummary[] = [];
    for (const experiment of experiments) {
      const snapshot = await snapshots.latest(project.id, experiment.key, environment.id);
      if (!snapshot) continue;
      const outputs = snapshot.outputs as SnapshotOutputs;
      summaries.push({
        experiment: experiment.key,
        computedAt: snapshot.computedAt,
        units: Object.values(outputs.health.units).reduce((sum, units) => sum + units, 0),
        verdict: verdictOf(outputs),
        guardrailRegressed: outputs.health.guardrails.some((guardrail) => guardrail.regressed),
      });
    }
    return summaries;
  }

  /** The environment's events over the last `dayCount` complete UTC days (today is partial). */
  private async recentEvents(project: Project, environmentKey: string, dayCount: number) {
    const { db, dialect, clock } = this.options;
    const environment = await this.options.projects.environmentByKey(project, environmentKey);
    const today = Math.floor(clock.now().getTime() / DAY_MS) * DAY_MS;
    const from = new Date(today - dayCount * DAY_MS).toISOString();
    const to = new Date(today).toISOString();
    const events = db
      .selectFrom('events')
      .where('project_id', '=', project.id)
      .where('environment_id', '=', environment.id)
      .where(sql<boolean>`occurred_at >= ${dialect.time(from)}`)
      .where(sql<boolean>`occurred_at < ${dialect.time(to)}`);
    return { environment, today, events };
  }

  /** The last `dayCount` complete UTC days (a partial today would drag the rate down). */
  async traffic(project: Project, environmentKey: string, dayCount: number): Promise<Traffic> {
    const { dialect } = this.options;
    const { environment, today, events: scoped } = await this.recentEvents(project, environmentKey, dayCount);
    const day = dialect.day(sql.ref('occurred_at'));
    const [perDay, total] = await Promise.all([
      scoped
        .select([day.as('date'), sql<number>`count(distinct unit_id)`.as('units')])
        .groupBy(day)
        .execute(),
      scoped.select(sql<number>`count(distinct unit_id)`.as('units')).executeTakeFirst(),
    ]);
    const counted = new Map(perDay.map((row) => [String(row.date), Number(row.units)]));
    const days = Array.from({ length: dayCount }, (_, index) => {
      const date = new Date(today - (dayCount - index) * DAY_MS).toISOString().slice(0, 10);
      return { date, units: counted.get(date) ?? 0 };
    });
    const units = Number(total?.units ?? 0);
    return { environment: environment.key, days, units, dailyUnits: units / dayCount };
  }

  /**
   * A metric's value per unit over the units with any event in the last `dayCount` complete days,
   * without conversion windows or capping (there is no exposure to start them from): a planning
   * estimate, not an analysis. Ratio metrics have no per-unit baseline of this kind.
   */
  async baseline(
    project: Project,
    environmentKey: string,
    metricKey: string,
    dayCount: number,
  ): Promise<Baseline> {
    const { db, dialect } = this.options;
    const metric: Metric = (await this.options.metrics.get(project, metricKey)).definition;
    if (metric.type === 'ratio') {
      throw new ValidationError(`"${metricKey}" is a ratio metric: type its baseline in.`, {
        issues: [{ path: '/params/key', message: 'ratio metrics have no per-unit baseline' }],
      });
    }
    const { environment, events } = await this.recentEvents(project, environmentKey, dayCount);
    const { numerator } = metric;
    const matches = sql.join(
      [
        sql`type = 'track'`,
        sql`event_name = ${numerator.event}`,
        ...(numerator.filters ?? []).map((filter) => dialect.propertyMatches(sql.ref('properties'), filter)),
      ],
      sql` and `,
    );
    const added =
      metric.type === 'mean' && numerator.aggregation === 'sum' ? sql`coalesce(value, 0)` : sql`1`;
    const perUnit = events
      .select(['unit_id', sql<number>`sum(case when ${matches} then ${added} else 0 end)`.as('x')])
      .groupBy('unit_id');
    const row = await db
      .selectFrom(perUnit.as('u'))
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(case when x > 0 then 1 else 0 end)`.as('converted'),
        sql<number>`sum(x)`.as('total'),
        sql<number>`sum(x * x)`.as('squares'),
      ])
      .executeTakeFirst();
    const n = Number(row?.n ?? 0);
    const type = metric.type;
    if (n === 0)
      return {
        metric: metricKey,
        type,
        environment: environment.key,
        units: 0,
        mean: null,
        standardDeviation: null,
      };
    if (type === 'proportion') {
      const rate = Number(row?.converted ?? 0) / n;
      return {
        metric: metricKey,
        type,
        environment: environment.key,
        units: n,
        mean: rate,
        standardDeviation: Math.sqrt(rate * (1 - rate)),
      };
    }
    const mean = Number(row?.total ?? 0) / n;
    const variance = n < 2 ? null : Math.max(0, (Number(row?.squares ?? 0) - n * mean * mean) / (n - 1));
    return {
      metric: metricKey,
      type,
      environment: environment.key,
      units: n,
      mean,
      standardDeviation: variance === null ? null : Math.sqrt(variance),
    };
  }
}
