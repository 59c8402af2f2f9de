/**
 * @module features/analysis/overview
 * Light reads for planning and for lists, computed from what is already stored:
 * - per experiment, a summary of its latest results in an environment (units, and a verdict on
 *   its primary metrics, or an SRM warning when the split itself is broken);
 * - an environment's recent traffic: distinct units with events per UTC day, the figure a power
 *   calculation turns into an estimated duration.
 */
import { type Kysely, sql } from 'kysely';
import type { AnalysisSqlDialect } from '../../adapters/sql/analysis-sql.js';
import type { Database } from '../../adapters/sql/database.js';
import type { Clock } from '../../domain/clock.js';
import type { Project } from '../../domain/project.js';
import type { ExperimentService } from '../experiments/service.js';
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
  dialect: Pick<AnalysisSqlDialect, 'time' | 'day'>;
  clock: Clock;
  projects: ProjectService;
  experiments: ExperimentService;
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

  /** The last `dayCount` complete UTC days (today is partial, so it would drag the rate down). */
  async traffic(project: Project, environmentKey: string, dayCount: number): Promise<Traffic> {
    const { db, dialect, clock } = this.options;
    const environment = await this.options.projects.environmentByKey(project, environmentKey);
    const today = Math.floor(clock.now().getTime() / DAY_MS) * DAY_MS;
    const from = new Date(today - dayCount * DAY_MS).toISOString();
    const to = new Date(today).toISOString();
    const scoped = db
      .selectFrom('events')
      .where('project_id', '=', project.id)
      .where('environment_id', '=', environment.id)
      .where(sql<boolean>`occurred_at >= ${dialect.time(from)}`)
      .where(sql<boolean>`occurred_at < ${dialect.time(to)}`);
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
}
