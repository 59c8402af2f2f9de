/**
 * @module adapters/sql/analysis-facts
 * The analysis over **per-unit facts**, kept up to date incrementally. Re-reading every tracked
 * event on every analysis costs tens of times a count of the exposures; instead, per experiment
 * and environment (a "fact set"), the database keeps
 * - each unit's first exposure: variant, t0, and `mixed_at`, when a second variant first appeared
 *   (a unit is mixed for an analysis ending at `endAt` exactly when `mixed_at < endAt`);
 * - per metric definition (keyed by a hash of what its SQL depends on), each unit's uncapped
 *   value, ratio denominator and CUPED covariate, with a copy of the unit's variant, t0, mixed_at;
 *   and, for up to {@link ANALYSIS_FACT_SLOTS} definitions per set, a copy of those three values
 *   in the definition's slot on the unit's first-exposure row, so one row per unit holds them all.
 *
 * A refresh reads only the events stored since the set's watermark (ingestion order: PostgreSQL's
 * `events.ingest_seq`, SQLite's `rowid`): new exposures merge into the units' state; units whose
 * t0 moved (a late earlier exposure) or that are new get their values recomputed from their events;
 * every other unit adds the contributions of its new events. A metric never seen before (or
 * edited: a new hash) is built in full. The analysis then aggregates one row per unit (for every
 * metric with a slot at once, the health too when no percentile cap needs it first), applying at
 * read time what depends on the analysed period (`endAt`) and on capping, so both stay exact:
 * percentile caps are taken over the per-unit values, and for metrics without a window the events
 * at or after `endAt` (normally none) are subtracted.
 *
 * Per metric definition the facts also keep each unit's value changes per UTC day
 * (`analysis_unit_days`), from which the daily series' points are computed and stored
 * (`analysis-series.ts`).
 *
 * The full computation ({@link SqlAnalysisQueries}) stays as the reference: dimension breakdowns
 * still use it, and the randomized test proves both paths agree.
 */
import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import type {
  AnalysedMetric,
  AnalysisQueries,
  AnalysisScope,
  AnalysisSums,
  DailySums,
  DimensionSums,
  EventsDerivedState,
  ExposureCounts,
  MetricSums,
  VariantSums,
} from '../../ports/analysis-queries.js';
import { daysOf, noSeries, percentileOf, StoredSeries, seriesOf, seriesRange } from './analysis-series.js';
import {
  type AnalysisSqlDialect,
  capOf,
  columns,
  contributionOf,
  eventMatches,
  eventNamesOf,
  exposureCountsOf,
  HOUR,
  metricSumsOf,
  momentSums,
  type Row,
  SqlAnalysisQueries,
  toIso,
} from './analysis-sql.js';
import type { AnalysisFactSetsTable, Database } from './database.js';

type Fragment = RawBuilder<unknown>;
type Executor = Kysely<Database> | Transaction<Database>;

/** A metric aggregated in the one pass over the facts: its position, facts and resolved cap. */
interface TogetherMetric {
  index: number;
  metric: AnalysedMetric;
  metricId: number;
  /** The slot of the units' rows holding a copy of its facts' values, when it has one. */
  slot?: number;
  cap?: number;
}

/**
 * Metric facts per fact set with a copy on the units' rows (`v0`…`d0`…`c0`… of
 * `analysis_unit_exposures`, migration 012): an experiment's metrics are read from one row per
 * unit. Facts beyond these (rare: more than 8 metric definitions) are read from their own rows.
 */
export const ANALYSIS_FACT_SLOTS = 8;

/** What the incremental path needs beyond {@link AnalysisSqlDialect}: the events' ingestion order. */
export interface FactsDialect {
  /** SQL naming the ingestion order of events aliased `t` (null for rows stored before it existed). */
  readonly ingestOrder: string;
  /**
   * The highest ingestion order below which every event is committed: a refresh reads up to it,
   * so a transaction committing later with a smaller number cannot be skipped.
   */
  takeCut(db: Kysely<Database>): Promise<Cut>;
  /**
   * A statement run after facts are built in bulk (PostgreSQL: fresh planner statistics, or it
   * plans the analysis for tables it believes empty).
   */
  readonly afterBuild?: string;
  /** `for update` where the engine has row locks; SQLite serialises writers anyway. */
  readonly lockRows: boolean;
}

/** Where a refresh reads up to: an ingestion order, and the id of the event stored there. */
export interface Cut {
  order: number;
  eventId: string | null;
}

/** What one refresh did: for benchmarks and logs. */
export interface FactsRefresh {
  /** The ingestion order the facts are now complete up to. */
  watermark: number;
  /** Whether the set was (re)built from scratch. */
  rebuilt: boolean;
  /** Metric definitions built in full (new or edited). */
  builtMetrics: number;
}

interface FactSet {
  id: number;
  /** Ids of the set's metric facts by definition hash, for those brought up to date. */
  metricIds: Map<string, number>;
  /** The slot of each of those metric facts (by id) that has one. */
  slots: Map<number, number>;
  watermark: number;
  /** The id of the event stored at the watermark: proves the ingestion order was not renumbered. */
  watermarkEvent?: string;
  earliestT0?: string;
}

/** The hash a metric's facts are keyed by: everything its per-unit SQL depends on, not capping. */
export function metricFactsHash(metric: AnalysedMetric): string {
  const relevant = {
    type: metric.type === 'proportion' ? 'proportion' : 'value',
    numerator: metric.numerator,
    denominator: metric.denominator ?? null,
    delayHours: metric.delayHours,
    windowHours: metric.windowHours ?? null,
    covariateDays: metric.covariateDays ?? null,
  };
  return createHash('sha256').update(canonicalJson(relevant)).digest('hex').slice(0, 24);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The earlier of two nullable times (null: no time). */
function earliest(a: Fragment, b: Fragment): Fragment {
  return sql`(case when ${a} is null then ${b} when ${b} is null or ${a} <= ${b} then ${a} else ${b} end)`;
}

/**
 * Events, then their units: SQLite keeps a CROSS JOIN's order, so it reads the (index-selected)
 * events once and finds each one's unit by key, rather than scanning the events once per unit
 * (there is no index by unit). PostgreSQL plans a cross join with conditions like any join.
 */
const EVENTS_THEN_UNITS = sql`from events t cross join analysis_unit_exposures u`;

export class FactAnalysisQueries implements AnalysisQueries, EventsDerivedState {
  private readonly reference: SqlAnalysisQueries;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: AnalysisSqlDialect,
    private readonly facts: FactsDialect,
    reference?: SqlAnalysisQueries,
  ) {
    this.reference = reference ?? new SqlAnalysisQueries(db, dialect);
  }

  /** The full computation from the events, for comparison and rebuilds. */
  get fullComputation(): AnalysisQueries {
    return this.reference;
  }

  async exposures(scope: AnalysisScope): Promise<ExposureCounts> {
    return this.withFreshFacts(scope, [], (trx, set) => this.health(trx, scope, set));
  }

  async metricSums(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<MetricSums[]> {
    if (metrics.length === 0) return [];
    return this.withFreshFacts(scope, metrics, async (trx, set) => {
      // A percentile cap needs the number of analysed units; without one, no count is read.
      const counted = metrics.some((metric) => metric.capping?.type === 'percentile')
        ? analysedUnits(await this.health(trx, scope, set))
        : 0;
      return (await this.sums(trx, scope, metrics, set, counted)).sums;
    });
  }

  /**
   * Health and sums, as the analysis job reads them: with every metric of the experiment. So the
   * facts of definitions none of `metrics` has any more (an edited or removed metric) are deleted.
   */
  async analysis(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<AnalysisSums> {
    return this.withFreshFacts(scope, metrics, async (trx, set) => {
      let result: AnalysisSums;
      if (metrics.some((metric) => metric.capping?.type === 'percentile')) {
        // A percentile cap ranks the analysed units: counted first.
        const exposures = await this.health(trx, scope, set);
        const { sums } = await this.sums(trx, scope, metrics, set, analysedUnits(exposures));
        result = { exposures, sums };
      } else {
        // Otherwise the health comes from the same pass as the sums, where one is read.
        const { sums, health } = await this.sums(trx, scope, metrics, set, 0, true);
        const exposures = health
          ? exposureCountsOf(health, scope.variations)
          : await this.health(trx, scope, set);
        result = { exposures, sums };
      }
      await this.forgetOtherDefinitions(trx, set, metrics);
      return result;
    });
  }

  /** Deletes the set's facts of metric definitions none of `metrics` has. */
  private async forgetOtherDefinitions(
    trx: Transaction<Database>,
    set: FactSet,
    metrics: readonly AnalysedMetric[],
  ): Promise<void> {
    const used = new Set(metrics.map(metricFactsHash));
    const known = await trx
      .selectFrom('analysis_fact_metrics')
      .select(['id', 'metric_hash'])
      .where('set_id', '=', set.id)
      .execute();
    for (const { id, metric_hash: hash } of known) {
      if (used.has(hash)) continue;
      for (const table of SERIES_AND_UNIT_TABLES)
        await trx.deleteFrom(table).where('metric_id', '=', id).execute();
      await trx.deleteFrom('analysis_fact_metrics').where('id', '=', id).execute();
    }
  }

  dimensionSums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    dimension: string,
  ): Promise<DimensionSums[]> {
    return this.reference.dimensionSums(scope, metrics, dimension);
  }

  /**
   * The daily series ({@link StoredSeries}): each day's point before the last from the stored
   * points still current, the others computed from the per-unit daily facts and stored; the last
   * day is `totals` (the analysis the caller just read), or the analysis read here.
   */
  async dailySums(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    totals?: readonly MetricSums[],
  ): Promise<DailySums[]> {
    if (metrics.length === 0) return [];
    return this.withFreshFacts(scope, metrics, async (trx, set) => {
      const range = await seriesRange(trx, this.dialect, scope, metrics);
      if (!range) return noSeries(metrics);
      const days = daysOf(range);
      const stored = new StoredSeries(trx, this.dialect, this.facts.ingestOrder, set.watermark);
      const earlier: VariantSums[][][] = [];
      for (const metric of metrics) {
        const metricId = set.metricIds.get(metricFactsHash(metric)) as number;
        earlier.push(await stored.points(scope, { metric, metricId }, days.slice(0, -1)));
      }
      const last =
        totals ??
        (
          await this.sums(
            trx,
            scope,
            metrics,
            set,
            metrics.some((metric) => metric.capping?.type === 'percentile')
              ? analysedUnits(await this.health(trx, scope, set))
              : 0,
          )
        ).sums;
      return seriesOf(metrics, days, earlier, last);
    });
  }

  /** Brings the experiment's facts (and those of `metrics`) up to every event committed now. */
  async refresh(scope: AnalysisScope, metrics: readonly AnalysedMetric[]): Promise<FactsRefresh> {
    return this.withFreshFacts(scope, metrics, async (_trx, _set, refresh) => refresh);
  }

  /**
   * Forgets the fact sets that depend on events before `cutoff` (retention dropped them), or whose
   * watermark the ingestion order no longer backs; they are rebuilt on their next analysis.
   * Returns how many were forgotten.
   */
  async forgetProject(projectId: string): Promise<number> {
    const sets = await this.db
      .selectFrom('analysis_fact_sets')
      .select('id')
      .where('project_id', '=', projectId)
      .execute();
    for (const set of sets) await this.forgetSet(set.id);
    return sets.length;
  }

  /** Deletes one fact set, after any refresh of it in progress, so none writes rows for it afterwards. */
  private async forgetSet(setId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const locked = trx.selectFrom('analysis_fact_sets').select('id').where('id', '=', setId);
      await (this.facts.lockRows ? locked.forUpdate() : locked).execute();
      await clearSet(trx, setId);
      await trx.deleteFrom('analysis_fact_sets').where('id', '=', setId).execute();
    });
  }

  async forgetEventsBefore(cutoff: Date): Promise<number> {
    const sets = await this.db
      .selectFrom('analysis_fact_sets')
      .select(['id', 'earliest_t0', 'watermark', 'watermark_event'])
      .execute();
    const lookbacks = await this.db
      .selectFrom('analysis_fact_metrics')
      .select(['set_id', (eb) => eb.fn.max('lookback_seconds').as('lookback')])
      .groupBy('set_id')
      .execute();
    const lookbackOf = new Map(lookbacks.map((row) => [Number(row.set_id), Number(row.lookback ?? 0)]));
    let forgotten = 0;
    for (const set of sets) {
      const earliestT0 = toIso(set.earliest_t0);
      const readsFrom =
        earliestT0 === undefined
          ? undefined
          : Date.parse(earliestT0) - (lookbackOf.get(Number(set.id)) ?? 0) * 1000;
      const dependsOnDropped = readsFrom !== undefined && readsFrom < cutoff.getTime();
      const valid = await this.orderStillValid(this.db, Number(set.watermark), set.watermark_event);
      if (dependsOnDropped || !valid) {
        await this.forgetSet(set.id);
        forgotten += 1;
      }
    }
    return forgotten;
  }

  // ---- refresh ----

  /** Refreshes the set in a transaction holding it, then reads from it in the same transaction. */
  private async withFreshFacts<T>(
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    read: (trx: Transaction<Database>, set: FactSet, refresh: FactsRefresh) => Promise<T>,
  ): Promise<T> {
    const cut = await this.facts.takeCut(this.db);
    return this.db.transaction().execute(async (trx) => {
      const settings = this.dialect.querySettings ?? [];
      // One round trip: an analysis that finds nothing new is a handful of short statements.
      if (settings.length > 0) await sql.raw(settings.join('; ')).execute(trx);
      const { set, rebuilt } = await this.lockSet(trx, scope, cut);
      const builtMetrics = await this.bringUpToDate(trx, scope, metrics, set, cut.order);
      if (cut.order > set.watermark) await this.advance(trx, set, cut);
      return read(trx, set, { watermark: set.watermark, rebuilt, builtMetrics });
    });
  }

  private async lockSet(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    cut: Cut,
  ): Promise<{ set: FactSet; rebuilt: boolean }> {
    const now = new Date().toISOString();
    const startAt = scope.startAt ? new Date(scope.startAt).toISOString() : null;
    const select = () => {
      const query = trx
        .selectFrom('analysis_fact_sets')
        .selectAll()
        .where('environment_id', '=', scope.environmentId)
        .where('experiment_key', '=', scope.experimentKey);
      return (this.facts.lockRows ? query.forUpdate() : query).executeTakeFirst();
    };
    let row = await select();
    if (row) return this.checkSet(trx, row, scope, startAt, cut, now);
    await trx
      .insertInto('analysis_fact_sets')
      .values({
        project_id: scope.projectId,
        environment_id: scope.environmentId,
        experiment_key: scope.experimentKey,
        start_at: startAt,
        watermark: 0,
        watermark_event: null,
        earliest_t0: null,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.columns(['environment_id', 'experiment_key']).doNothing())
      .execute();
    row = await select();
    if (!row) throw new Error('The analysis fact set vanished while being created.');
    return this.checkSet(trx, row, scope, startAt, cut, now);
  }

  /** The set as it is, or emptied for a rebuild when its facts no longer describe the events. */
  private async checkSet(
    trx: Transaction<Database>,
    row: Selectable<AnalysisFactSetsTable>,
    scope: AnalysisScope,
    startAt: string | null,
    cut: Cut,
    now: string,
  ): Promise<{ set: FactSet; rebuilt: boolean }> {
    const watermark = Number(row.watermark);
    const orderValid =
      watermark === 0 ||
      (cut.order === watermark
        ? cut.eventId === row.watermark_event
        : await this.orderStillValid(trx, watermark, row.watermark_event));
    const stale =
      (toIso(row.start_at) ?? null) !== startAt ||
      row.project_id !== scope.projectId ||
      cut.order < watermark ||
      !orderValid;
    if (!stale) {
      const earliestT0 = toIso(row.earliest_t0);
      const set: FactSet = {
        id: row.id,
        metricIds: new Map(),
        slots: new Map(),
        watermark,
        ...(row.watermark_event !== null && { watermarkEvent: row.watermark_event }),
        ...(earliestT0 && { earliestT0 }),
      };
      return { set, rebuilt: watermark === 0 };
    }
    await clearSet(trx, row.id);
    await trx
      .updateTable('analysis_fact_sets')
      .set({
        project_id: scope.projectId,
        start_at: startAt,
        watermark: 0,
        watermark_event: null,
        earliest_t0: null,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    return { set: { id: row.id, metricIds: new Map(), slots: new Map(), watermark: 0 }, rebuilt: true };
  }

  /**
   * Whether the event stored at `watermark` is still the one the facts saw there: a restore or a
   * rebuilt events table renumbers the order, and retention may have dropped it (both: rebuild).
   */
  private async orderStillValid(db: Executor, watermark: number, eventId: string | null): Promise<boolean> {
    if (watermark === 0) return true;
    if (eventId === null) return false;
    const { rows } = await sql<{ event_id: string }>`select t.event_id from events t
      where ${sql.raw(this.facts.ingestOrder)} = ${watermark}`.execute(db);
    return rows.length === 1 && String(rows[0]?.event_id) === eventId;
  }

  /** The events whose ingestion order is in `(after, upTo]`; everything up to `upTo` when after = 0. */
  private stored(after: number, upTo: number): Fragment {
    const order = sql.raw(this.facts.ingestOrder);
    return after === 0
      ? sql`coalesce(${order}, 0) <= ${upTo}`
      : sql`${order} > ${after} and ${order} <= ${upTo}`;
  }

  private async bringUpToDate(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    set: FactSet,
    cut: number,
  ): Promise<number> {
    if (cut > set.watermark) await this.mergeExposures(trx, scope, set, cut);
    let built = 0;
    const hashes = new Set<string>();
    const existing =
      metrics.length === 0
        ? []
        : await trx
            .selectFrom('analysis_fact_metrics')
            .select(['id', 'metric_hash', 'watermark', 'slot'])
            .where('set_id', '=', set.id)
            .execute();
    // Slots held by the set's facts, those of definitions no longer analysed included (they free
    // theirs when deleted after the analysis).
    const taken = new Set(existing.flatMap((row) => (row.slot === null ? [] : [Number(row.slot)])));
    // The oldest watermark among the facts advanced by this refresh (0 for facts built in full).
    let advancedFrom: number | undefined;
    const advancing = (from: number) => {
      advancedFrom = advancedFrom === undefined ? from : Math.min(advancedFrom, from);
    };
    for (const metric of metrics) {
      const hash = metricFactsHash(metric);
      if (hashes.has(hash)) continue;
      hashes.add(hash);
      const known = existing.find((candidate) => candidate.metric_hash === hash);
      if (!known) {
        const free = Array.from({ length: ANALYSIS_FACT_SLOTS }, (_, slot) => slot).find(
          (slot) => !taken.has(slot),
        );
        const { id } = await trx
          .insertInto('analysis_fact_metrics')
          .values({
            set_id: set.id,
            metric_hash: hash,
            watermark: cut,
            lookback_seconds: lookbackOf(metric),
            slot: free ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        set.metricIds.set(hash, Number(id));
        if (free !== undefined) {
          taken.add(free);
          set.slots.set(Number(id), free);
        }
        await this.recomputeUnits(trx, scope, metric, Number(id), set, cut);
        if (this.facts.afterBuild) await sql.raw(this.facts.afterBuild).execute(trx);
        advancing(0);
        built += 1;
        continue;
      }
      const metricId = Number(known.id);
      set.metricIds.set(hash, metricId);
      if (known.slot !== null) set.slots.set(metricId, Number(known.slot));
      const metricWatermark = Number(known.watermark);
      if (metricWatermark >= cut) continue;
      advancing(metricWatermark);
      await this.recomputeUnits(trx, scope, metric, metricId, set, cut, metricWatermark);
      await this.addNewEvents(trx, scope, metric, metricId, set, cut, metricWatermark);
      await this.copyChangedState(trx, metricId, set, metricWatermark);
      await trx
        .updateTable('analysis_fact_metrics')
        .set({ watermark: cut })
        .where('id', '=', metricId)
        .execute();
    }
    if (advancedFrom !== undefined) await this.copyToSlots(trx, scope, set, advancedFrom, cut);
    return built;
  }

  /** Records that the set's facts now include everything up to `cut`. */
  private async advance(trx: Transaction<Database>, set: FactSet, cut: Cut): Promise<void> {
    set.watermark = cut.order;
    if (cut.eventId !== null) set.watermarkEvent = cut.eventId;
    await trx
      .updateTable('analysis_fact_sets')
      .set({
        watermark: cut.order,
        watermark_event: cut.eventId,
        earliest_t0: set.earliestT0 ?? null,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', set.id)
      .execute();
  }

  /** Exposures stored in `(watermark, cut]` merged into each unit's first-exposure state. */
  private async mergeExposures(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    set: FactSet,
    cut: number,
  ): Promise<void> {
    const { dialect } = this;
    const since = scope.startAt ? sql`and t.occurred_at >= ${dialect.time(scope.startAt)}` : sql``;
    const batch = sql`from events t
      where t.project_id = ${scope.projectId} and t.environment_id = ${scope.environmentId}
        and t.type = 'exposure' and t.experiment = ${scope.experimentKey} and t.variant is not null
        ${since} and ${this.stored(set.watermark, cut)}`;
    // Per unit of the batch: its first variant and time, and the first time of a second variant.
    const old = sql.ref('analysis_unit_exposures');
    const oldT0 = sql`${old}.t0`;
    const oldVariant = sql`${old}.variant`;
    await sql`insert into analysis_unit_exposures (set_id, unit_id, variant, t0, mixed_at, t0_seq, changed_seq)
      select ${bigint(set.id)}, b.unit_id, b.variant, b.t0, b.mixed_at, ${bigint(cut)}, ${bigint(cut)} from (
        select unit_id, max(case when r = 1 then variant end) as variant, min(f) as t0,
          max(case when r = 2 then f end) as mixed_at
        from (
          select unit_id, variant, f, row_number() over (partition by unit_id order by f, variant) as r
          from (select t.unit_id, t.variant, min(t.occurred_at) as f ${batch} group by t.unit_id, t.variant) per_variant
        ) ranked
        where r <= 2 group by unit_id
      ) b where true
      on conflict (set_id, unit_id) do update set
        variant = case when excluded.t0 < ${oldT0} then excluded.variant
          when excluded.t0 > ${oldT0} then ${oldVariant}
          when excluded.variant < ${oldVariant} then excluded.variant else ${oldVariant} end,
        t0 = case when excluded.t0 < ${oldT0} then excluded.t0 else ${oldT0} end,
        mixed_at = ${earliest(
          earliest(
            sql`case when excluded.variant = ${oldVariant} then null
              when excluded.t0 < ${oldT0} then ${oldT0} else excluded.t0 end`,
            sql`${old}.mixed_at`,
          ),
          sql`excluded.mixed_at`,
        )},
        t0_seq = case when excluded.t0 < ${oldT0} then excluded.t0_seq else ${old}.t0_seq end,
        changed_seq = excluded.changed_seq`.execute(trx);
    const { rows } = await sql<{ first: unknown }>`select min(t.occurred_at) as first ${batch}`.execute(trx);
    const first = toIso(rows[0]?.first);
    if (first && (!set.earliestT0 || first < set.earliestT0)) set.earliestT0 = first;
  }

  /** Per-unit sums of a metric's matching events `t` for unit `u`, as `x`, `d`, `c` columns. */
  private unitSums(metric: AnalysedMetric, withCovariate = true): Fragment[] {
    const { dialect } = this;
    const t0 = sql.ref('u.t0');
    const from = dialect.plusSeconds(t0, metric.delayHours * HOUR);
    const inWindow =
      metric.windowHours === undefined
        ? sql`t.occurred_at >= ${from}`
        : sql`t.occurred_at >= ${from} and t.occurred_at < ${dialect.plusSeconds(t0, (metric.delayHours + metric.windowHours) * HOUR)}`;
    const sum = (aggregate: NonNullable<AnalysedMetric['denominator']>, when: Fragment, name: string) =>
      sql`sum(case when ${eventMatches(dialect, aggregate)} and ${when} then ${contributionOf(metric, aggregate)} else 0 end) as ${sql.raw(name)}`;
    const parts = [sum(metric.numerator, inWindow, 'x')];
    if (metric.denominator) parts.push(sum(metric.denominator, inWindow, 'd'));
    if (withCovariate && metric.covariateDays !== undefined) {
      const pre = sql`t.occurred_at >= ${dialect.plusSeconds(t0, -metric.covariateDays * 24 * HOUR)} and t.occurred_at < u.t0`;
      parts.push(sum(metric.numerator, pre, 'c'));
    }
    return parts;
  }

  private trackedEvents(scope: AnalysisScope, metric: AnalysedMetric): Fragment {
    return sql`t.project_id = ${scope.projectId} and t.environment_id = ${scope.environmentId}
      and t.type = 'track' and t.event_name in (${sql.join(eventNamesOf([metric]))})`;
  }

  /**
   * Every unit's (or, with `changedAfter`, every unit whose t0 changed after that watermark, new
   * units included) values from all its events stored up to `cut`, replacing what was there.
   */
  private async recomputeUnits(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metric: AnalysedMetric,
    metricId: number,
    set: FactSet,
    cut: number,
    changedAfter?: number,
  ): Promise<void> {
    const { dialect } = this;
    const which = changedAfter === undefined ? sql`` : sql`and u.t0_seq > ${changedAfter}`;
    const { rows } = await sql<{ first: unknown }>`select min(t0) as first from analysis_unit_exposures u
      where u.set_id = ${set.id} ${which}`.execute(trx);
    const first = toIso(rows[0]?.first);
    if (first === undefined) return;
    // The earliest event any of these units can use: a literal lets PostgreSQL skip old partitions.
    const readsFrom = new Date(Date.parse(first) - lookbackOf(metric) * 1000).toISOString();
    const optional = (present: boolean, column: string) =>
      present ? sql`coalesce(k.${sql.raw(column)}, 0)` : dialect.float(sql`null`);
    await sql`insert into analysis_unit_metrics
        (metric_id, unit_id, variant, t0, mixed_at, value, denominator, covariate)
      select ${bigint(metricId)}, u.unit_id, u.variant, u.t0, u.mixed_at, coalesce(k.x, 0),
        ${optional(metric.denominator !== undefined, 'd')}, ${optional(metric.covariateDays !== undefined, 'c')}
      from analysis_unit_exposures u left join (
        select u.unit_id, ${sql.join(this.unitSums(metric))}
        ${EVENTS_THEN_UNITS}
        where u.set_id = ${set.id} and u.unit_id = t.unit_id ${which} and ${this.trackedEvents(scope, metric)}
          and t.occurred_at >= ${dialect.time(readsFrom)} and ${this.stored(0, cut)}
        group by u.unit_id
      ) k on k.unit_id = u.unit_id
      where u.set_id = ${set.id} ${which}
      on conflict (metric_id, unit_id) do update set variant = excluded.variant,
        t0 = excluded.t0, mixed_at = excluded.mixed_at, value = excluded.value,
        denominator = excluded.denominator, covariate = excluded.covariate`.execute(trx);
    // The same units' daily changes, replaced (their window moved, or they are new). Stored in
    // the order the series reads them (each unit's days in turn): built in full, the table's rows
    // then lie in its key's order, and a day's point (each unit's changes up to that day) reads
    // them sequentially rather than one random page per row (the running-sum series this replaced
    // went from 582 to 304 ms for one metric at 200,000 units).
    if (changedAfter !== undefined) {
      await sql`delete from analysis_unit_days where metric_id = ${bigint(metricId)} and unit_id in (
          select u.unit_id from analysis_unit_exposures u where u.set_id = ${set.id} ${which})`.execute(trx);
    }
    await sql`insert into analysis_unit_days (metric_id, unit_id, day, value, denominator)
      select ${bigint(metricId)}, k.unit_id, k.day, k.x, ${this.optionalDenominator(metric, 'k.d')} from (
        select u.unit_id, ${this.eventDay()} as day, ${sql.join(this.unitSums(metric, false))}
        ${EVENTS_THEN_UNITS}
        where u.set_id = ${set.id} and u.unit_id = t.unit_id ${which} and ${this.trackedEvents(scope, metric)}
          and t.occurred_at >= ${dialect.time(readsFrom)} and ${this.stored(0, cut)}
        group by u.unit_id, ${this.eventDay()}
      ) k where ${this.moved(metric, 'k')}
      order by k.unit_id, k.day`.execute(trx);
  }

  /** The UTC day of tracked event `t`. */
  private eventDay(): Fragment {
    return this.dialect.day(sql.ref('t.occurred_at'));
  }

  /** A metric's denominator column where it has one, else a null of the same type. */
  private optionalDenominator(metric: AnalysedMetric, column: string): Fragment {
    return metric.denominator ? sql.ref(column) : this.dialect.float(sql`null`);
  }

  /** Whether a day's sums `source.x` (and `source.d`) moved the unit's value: a data day. */
  private moved(metric: AnalysedMetric, source: string): Fragment {
    return metric.denominator
      ? sql`(${sql.ref(`${source}.x`)} <> 0 or ${sql.ref(`${source}.d`)} <> 0)`
      : sql`${sql.ref(`${source}.x`)} <> 0`;
  }

  /** Units whose t0 did not change: the contributions of their events stored in `(after, cut]`. */
  private async addNewEvents(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metric: AnalysedMetric,
    metricId: number,
    set: FactSet,
    cut: number,
    after: number,
  ): Promise<void> {
    const optional = (present: boolean, column: string) =>
      present ? sql.raw(column) : this.dialect.float(sql`null`);
    const old = sql.ref('analysis_unit_metrics');
    await sql`insert into analysis_unit_metrics
        (metric_id, unit_id, variant, t0, mixed_at, value, denominator, covariate)
      select ${bigint(metricId)}, s.unit_id, s.variant, s.t0, s.mixed_at, s.x,
        ${optional(metric.denominator !== undefined, 's.d')}, ${optional(metric.covariateDays !== undefined, 's.c')}
      from (
        select u.unit_id, u.variant, u.t0, u.mixed_at, ${sql.join(this.unitSums(metric))}
        ${EVENTS_THEN_UNITS}
        where u.set_id = ${set.id} and u.unit_id = t.unit_id
          and ${this.trackedEvents(scope, metric)} and ${this.stored(after, cut)} and u.t0_seq <= ${after}
        group by u.unit_id, u.variant, u.t0, u.mixed_at
      ) s where true
      on conflict (metric_id, unit_id) do update set value = ${old}.value + excluded.value,
        denominator = ${old}.denominator + excluded.denominator,
        covariate = ${old}.covariate + excluded.covariate`.execute(trx);
    const oldDay = sql.ref('analysis_unit_days');
    await sql`insert into analysis_unit_days (metric_id, unit_id, day, value, denominator)
      select ${bigint(metricId)}, s.unit_id, s.day, s.x, ${this.optionalDenominator(metric, 's.d')} from (
        select u.unit_id, ${this.eventDay()} as day, ${sql.join(this.unitSums(metric, false))}
        ${EVENTS_THEN_UNITS}
        where u.set_id = ${set.id} and u.unit_id = t.unit_id
          and ${this.trackedEvents(scope, metric)} and ${this.stored(after, cut)} and u.t0_seq <= ${after}
        group by u.unit_id, ${this.eventDay()}
      ) s where ${this.moved(metric, 's')}
      on conflict (metric_id, unit_id, day) do update set value = ${oldDay}.value + excluded.value,
        denominator = ${oldDay}.denominator + excluded.denominator`.execute(trx);
  }

  /**
   * Copies the values of every slotted metric facts brought up to date into their slots on the
   * rows of the units whose values may have changed since `after` (the oldest watermark among the
   * facts this refresh advanced; 0: every unit): units whose t0 moved or that are new, and units
   * with tracked events stored in `(after, cut]`. One update per unit for all slots, so a refresh
   * leaves at most one old version of each row it touched.
   */
  private async copyToSlots(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    set: FactSet,
    after: number,
    cut: number,
  ): Promise<void> {
    if (set.slots.size === 0) return;
    const slots = [...set.slots.entries()];
    const assignments = slots.flatMap(([, slot]) =>
      ['v', 'd', 'c'].map(
        (prefix, part) =>
          sql`${sql.raw(`${prefix}${slot}`)} = ${sql.ref(`m${slot}.${['value', 'denominator', 'covariate'][part]}`)}`,
      ),
    );
    // Every unit of the set has a row in each brought-up-to-date metric's facts.
    const joins = slots.map(
      ([metricId, slot]) =>
        sql`${sql.ref(`m${slot}.metric_id`)} = ${bigint(metricId)} and ${sql.ref(`m${slot}.unit_id`)} = analysis_unit_exposures.unit_id`,
    );
    const units =
      after === 0
        ? sql``
        : sql`and (analysis_unit_exposures.t0_seq > ${after} or analysis_unit_exposures.unit_id in (
            select t.unit_id from events t
            where t.project_id = ${scope.projectId} and t.environment_id = ${scope.environmentId}
              and t.type = 'track' and ${this.stored(after, cut)}))`;
    await sql`update analysis_unit_exposures set ${sql.join(assignments)}
      from ${sql.join(slots.map(([, slot]) => sql`analysis_unit_metrics ${sql.raw(`m${slot}`)}`))}
      where analysis_unit_exposures.set_id = ${set.id} and ${sql.join(joins, sql` and `)} ${units}`.execute(
      trx,
    );
  }

  /** A unit's variant or mixed_at changed without its t0 (a second variant): copy it over. */
  private async copyChangedState(
    trx: Transaction<Database>,
    metricId: number,
    set: FactSet,
    after: number,
  ): Promise<void> {
    await sql`update analysis_unit_metrics set variant = u.variant, mixed_at = u.mixed_at
      from analysis_unit_exposures u
      where analysis_unit_metrics.metric_id = ${metricId} and u.set_id = ${set.id} and u.unit_id = analysis_unit_metrics.unit_id
        and u.changed_seq > ${after} and u.t0_seq <= ${after}`.execute(trx);
  }

  // ---- analysis over the facts ----

  /** Analysed units per variant and the units left out, from the units' first exposures. */
  private async health(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    set: FactSet,
  ): Promise<ExposureCounts> {
    const endAt = this.dialect.time(scope.endAt);
    const query = sql<Row>`select variant, multiple, count(*) as units, min(t0) as first_exposure
      from (
        select variant, t0, case when mixed_at is not null and mixed_at < ${endAt} then 1 else 0 end as multiple
        from analysis_unit_exposures where set_id = ${set.id} and t0 < ${endAt}
      ) counted
      group by variant, multiple`;
    return exposureCountsOf((await query.execute(trx)).rows, scope.variations);
  }

  /**
   * The metrics' sums given the number of analysed units (`counted`, for percentile caps). Metrics
   * whose facts hold exactly their values (all but a window-less metric with events after `endAt`)
   * are aggregated together, with caps resolved beforehand from the ordered value index: those
   * with a slot in one pass over the units' rows (`withHealth`: grouping every unit as the health
   * counts them, returned as `health`), the rest in one pass over their facts' rows; the others
   * one by one, taking the events after `endAt` off first.
   */
  private async sums(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metrics: readonly AnalysedMetric[],
    set: FactSet,
    counted: number,
    withHealth = false,
  ): Promise<{ sums: MetricSums[]; health?: Row[] }> {
    const results = new Map<number, MetricSums>();
    let health: Row[] | undefined;
    const together: TogetherMetric[] = [];
    for (const [index, metric] of metrics.entries()) {
      const metricId = set.metricIds.get(metricFactsHash(metric)) as number;
      if (await this.hasTail(trx, scope, metric, set)) {
        const rows = (await this.aggregateQuery(scope, metric, set, metricId, true).execute(trx)).rows;
        results.set(index, metricSumsOf(scope, metric, 0, rows, capOf(rows, metric, 0).cap));
        continue;
      }
      const cap = await this.capOf(trx, scope, metric, metricId, counted);
      const slot = set.slots.get(metricId);
      together.push({
        index,
        metric,
        metricId,
        ...(slot !== undefined && { slot }),
        ...(cap !== undefined && { cap }),
      });
    }
    const slotted = together.filter((item) => item.slot !== undefined);
    if (slotted.length > 0) {
      const read = (await this.slotPassQuery(scope, set, slotted, withHealth).execute(trx)).rows;
      if (withHealth) health = read;
      const rows = withHealth ? read.filter((row) => Number(row.multiple) === 0) : read;
      for (const { index, metric, cap } of slotted)
        results.set(index, metricSumsOf(scope, metric, index, rows, cap));
    }
    // Facts without a slot: one pass over their own rows per round of metrics with distinct facts
    // (two metrics differing only in their cap share facts, and each needs its own cap applied).
    let pending = together.filter((item) => item.slot === undefined);
    while (pending.length > 0) {
      const round: TogetherMetric[] = [];
      const later: TogetherMetric[] = [];
      for (const item of pending)
        (round.some((other) => other.metricId === item.metricId) ? later : round).push(item);
      pending = later;
      const rows = (await this.onePassQuery(scope, round).execute(trx)).rows;
      for (const { index, metric, metricId, cap } of round) {
        const mine = rows.filter((row) => Number(row.metric_id) === metricId);
        results.set(index, metricSumsOf(scope, metric, 0, mine, cap));
      }
    }
    return {
      sums: metrics.map((_, index) => results.get(index) as MetricSums),
      ...(health && { health }),
    };
  }

  /** The analysed units' facts of metric `metricId`: exposed before `endAt`, one known variant. */
  private analysedFacts(scope: AnalysisScope, metricIds: readonly number[]): Fragment {
    const endAt = this.dialect.time(scope.endAt);
    return sql`f.metric_id in (${sql.join(metricIds.map(bigint))}) and f.t0 < ${endAt}
      and (f.mixed_at is null or f.mixed_at >= ${endAt}) and f.variant in (${sql.join(scope.variations)})`;
  }

  /**
   * A metric's cap: the absolute one, or the percentile over the `counted` analysed units' values
   * (linear between the order statistics at floor and ceil of (counted − 1)·fraction, as
   * `percentile_cont`), read as the two order statistics from the value index, walking from
   * whichever end is nearer. Undefined without capping or without units.
   */
  private async capOf(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metric: AnalysedMetric,
    metricId: number,
    counted: number,
  ): Promise<number | undefined> {
    if (!metric.capping) return undefined;
    if (metric.capping.type === 'absolute') return metric.capping.value;
    return percentileOf(metric, metric.capping.value, counted, async (ascending, limit, offset) => {
      const { rows } = await sql<{ value: unknown }>`select f.value from analysis_unit_metrics f
        where ${this.analysedFacts(scope, [metricId])}
        order by f.value ${sql.raw(ascending ? 'asc' : 'desc')}
        limit ${limit} offset ${offset}`.execute(trx);
      return rows.map((row) => row.value);
    });
  }

  /**
   * Metrics of `together` (distinct facts each) in one pass over their facts, grouped by facts and
   * variant: each row's value, denominator and covariate go through its own metric's threshold
   * and cap (a CASE on the facts id), so every row feeds only a handful of aggregates.
   */
  private onePassQuery(scope: AnalysisScope, together: readonly TogetherMetric[]) {
    const { dialect } = this;
    const byFacts = (fragment: (item: TogetherMetric) => Fragment | undefined) => {
      const branches = together.flatMap((item) => {
        const value = fragment(item);
        return value === undefined ? [] : [sql`when ${bigint(item.metricId)} then ${value}`];
      });
      return branches.length === 0 ? undefined : sql`case f.metric_id ${sql.join(branches, sql` `)} end`;
    };
    const threshold = (metric: AnalysedMetric, value: Fragment) =>
      metric.type === 'proportion' ? sql`case when ${value} > 0 then 1 else 0 end` : value;
    const capped = (cap: number | undefined, value: Fragment) => {
      if (cap === undefined) return value;
      const limit = dialect.float(sql`${cap}`);
      return sql`case when ${value} <= ${limit} then ${value} else ${limit} end`;
    };
    const value = byFacts(({ metric, cap }) => capped(cap, threshold(metric, sql`f.value`)));
    const denominator = byFacts(({ metric }) =>
      metric.denominator ? sql`coalesce(f.denominator, 0)` : undefined,
    );
    const covariate = byFacts(({ metric, cap }) =>
      metric.covariateDays === undefined
        ? undefined
        : capped(cap, threshold(metric, sql`coalesce(f.covariate, 0)`)),
    );
    const names = columns(0);
    const x = sql.raw(names.value);
    const float = (name: string) => dialect.float(sql.raw(name));
    const sums = [
      sql`sum(${float(names.value)}) as ${sql.raw(`${names.value}_sum`)}`,
      sql`sum(${float(names.value)} * ${x}) as ${sql.raw(`${names.value}_squares`)}`,
    ];
    const parts = [sql`${value} as ${x}`];
    for (const [expression, name] of [
      [denominator, names.denominator],
      [covariate, names.covariate],
    ] as const) {
      if (expression === undefined) continue;
      const y = sql.raw(name);
      parts.push(sql`${expression} as ${y}`);
      sums.push(
        sql`sum(${float(name)}) as ${sql.raw(`${name}_sum`)}`,
        sql`sum(${float(name)} * ${y}) as ${sql.raw(`${name}_squares`)}`,
        sql`sum(${float(name)} * ${x}) as ${sql.raw(`${name}_product`)}`,
      );
    }
    const ids = together.map(({ metricId }) => metricId);
    return sql<Row>`select metric_id, variant, count(*) as n, ${sql.join(sums)} from (
        select f.metric_id, f.variant, ${sql.join(parts)}
        from analysis_unit_metrics f where ${this.analysedFacts(scope, ids)}
      ) v group by metric_id, variant`;
  }

  /**
   * Metrics whose facts have a slot, in one pass over the units' rows (one per unit, whatever the
   * number of metrics): each metric's value, denominator and covariate read from its facts' slot,
   * thresholded and capped, and summed into its own columns (named by its position).
   */
  private slotPassQuery(
    scope: AnalysisScope,
    set: FactSet,
    slotted: readonly TogetherMetric[],
    withHealth: boolean,
  ) {
    const { dialect } = this;
    const endAt = dialect.time(scope.endAt);
    const parts: Fragment[] = [];
    const sums: Fragment[] = [];
    for (const { index, metric, slot, cap } of slotted) {
      const names = columns(index);
      const column = (prefix: string) => sql.ref(`f.${prefix}${slot}`);
      parts.push(sql`${this.analysedValue(metric, cap, column('v'))} as ${sql.raw(names.value)}`);
      if (metric.denominator) parts.push(sql`coalesce(${column('d')}, 0) as ${sql.raw(names.denominator)}`);
      if (metric.covariateDays !== undefined)
        parts.push(
          sql`${this.analysedValue(metric, cap, sql`coalesce(${column('c')}, 0)`)} as ${sql.raw(names.covariate)}`,
        );
      // The cap is known already: no max(cap) column.
      const { capping: _cap, ...uncapped } = metric;
      sums.push(...momentSums(dialect, uncapped, index));
    }
    if (withHealth) {
      // Every unit exposed before endAt, grouped as the health counts them (mixed or not, any
      // variant); the analysed units' sums are the unmixed groups of the analysed variants.
      return sql<Row>`select variant, multiple, count(*) as units, count(*) as n,
          min(t0) as first_exposure, ${sql.join(sums)} from (
          select f.variant, f.t0,
            case when f.mixed_at is not null and f.mixed_at < ${endAt} then 1 else 0 end as multiple,
            ${sql.join(parts)}
          from analysis_unit_exposures f where f.set_id = ${set.id} and f.t0 < ${endAt}
        ) v group by variant, multiple`;
    }
    return sql<Row>`select variant, count(*) as n, ${sql.join(sums)} from (
        select f.variant, ${sql.join(parts)}
        from analysis_unit_exposures f
        where f.set_id = ${set.id} and f.t0 < ${endAt} and (f.mixed_at is null or f.mixed_at >= ${endAt})
          and f.variant in (${sql.join(scope.variations)})
      ) v group by variant`;
  }

  /** A metric's value (or covariate) as analysed: the proportion threshold, then the cap. */
  private analysedValue(metric: AnalysedMetric, cap: number | undefined, value: Fragment): Fragment {
    const thresholded = metric.type === 'proportion' ? sql`case when ${value} > 0 then 1 else 0 end` : value;
    if (cap === undefined) return thresholded;
    const limit = this.dialect.float(sql`${cap}`);
    return sql`case when ${thresholded} <= ${limit} then ${thresholded} else ${limit} end`;
  }

  /**
   * Whether a window-less metric has events at or after `endAt` among those in the facts: usually
   * none (a running experiment ends now), and then the analysis skips subtracting them.
   */
  private async hasTail(
    trx: Transaction<Database>,
    scope: AnalysisScope,
    metric: AnalysedMetric,
    set: FactSet,
  ) {
    if (metric.windowHours !== undefined) return false;
    const { rows } = await sql`select 1 as found from events t
      where ${this.trackedEvents(scope, metric)} and t.occurred_at >= ${this.dialect.time(scope.endAt)}
        and ${this.stored(0, set.watermark)} limit 1`.execute(trx);
    return rows.length > 0;
  }

  private aggregateQuery(
    scope: AnalysisScope,
    metric: AnalysedMetric,
    set: FactSet,
    metricId: number,
    tail: boolean,
  ) {
    const { dialect } = this;
    const names = columns(0);
    const endAt = dialect.time(scope.endAt);
    // Without a window a metric counts up to endAt; the facts count everything stored, so what
    // lies at or after endAt (future-dated events, or events after a stop) is taken off again.
    const tailCte = tail
      ? sql`tail as (
          select u.unit_id, ${sql.join([
            sql`sum(case when ${eventMatches(dialect, metric.numerator)} and t.occurred_at >= ${dialect.plusSeconds(sql.ref('u.t0'), metric.delayHours * HOUR)} then ${contributionOf(metric, metric.numerator)} else 0 end) as x`,
            ...(metric.denominator
              ? [
                  sql`sum(case when ${eventMatches(dialect, metric.denominator)} and t.occurred_at >= ${dialect.plusSeconds(sql.ref('u.t0'), metric.delayHours * HOUR)} then ${contributionOf(metric, metric.denominator)} else 0 end) as d`,
                ]
              : []),
          ])}
          ${EVENTS_THEN_UNITS}
          where u.set_id = ${set.id} and u.unit_id = t.unit_id and ${this.trackedEvents(scope, metric)} and t.occurred_at >= ${endAt} and ${this.stored(0, set.watermark)}
          group by u.unit_id
        ),`
      : sql``;
    const raw = (column: string) =>
      tail && column !== 'covariate'
        ? sql`(f.${sql.raw(column)} - coalesce(tail.${sql.raw(column === 'value' ? 'x' : 'd')}, 0))`
        : sql`coalesce(f.${sql.raw(column)}, 0)`;
    const threshold = (value: Fragment) =>
      metric.type === 'proportion' ? sql`case when ${value} > 0 then 1 else 0 end` : value;
    const capped = (value: Fragment) =>
      metric.capping
        ? sql`case when caps.${sql.raw(names.cap)} is null or ${value} <= caps.${sql.raw(names.cap)} then ${value} else caps.${sql.raw(names.cap)} end`
        : value;
    const cap = metric.capping
      ? metric.capping.type === 'absolute'
        ? dialect.float(sql`${metric.capping.value}`)
        : dialect.percentile(names.value, metric.capping.value)
      : undefined;
    const x = sql.raw(names.value);
    const sums = momentSums(dialect, metric, 0);
    return sql<Row>`with ${tailCte}
      unit_values as (
        select f.variant, ${threshold(raw('value'))} as ${x}
          ${metric.denominator ? sql`, ${raw('denominator')} as ${sql.raw(names.denominator)}` : sql``}
          ${metric.covariateDays !== undefined ? sql`, ${threshold(raw('covariate'))} as ${sql.raw(names.covariate)}` : sql``}
        from analysis_unit_metrics f ${tail ? sql`left join tail on tail.unit_id = f.unit_id` : sql``}
        where f.metric_id = ${metricId} and f.t0 < ${endAt} and (f.mixed_at is null or f.mixed_at >= ${endAt})
          and f.variant in (${sql.join(scope.variations)})
      ),
      caps as materialized (select ${cap ? sql`${cap} as ${sql.raw(names.cap)}` : sql`1 as no_cap`}),
      capped as (
        select v.variant, ${capped(sql.ref(`v.${names.value}`))} as ${x}
          ${metric.denominator ? sql`, v.${sql.raw(names.denominator)} as ${sql.raw(names.denominator)}` : sql``}
          ${metric.covariateDays !== undefined ? sql`, ${capped(sql.ref(`v.${names.covariate}`))} as ${sql.raw(names.covariate)}` : sql``}
          ${metric.capping ? sql`, caps.${sql.raw(names.cap)} as ${sql.raw(names.cap)}` : sql``}
        from unit_values v cross join caps
      )
      select variant, count(*) as n, ${sql.join(sums)} from capped group by variant`;
  }
}

/** An ingestion order as a 64-bit integer on every engine (a bare parameter would be text). */
function bigint(value: number): Fragment {
  return sql`cast(${value} as bigint)`;
}

/** How far before t0 a metric reads events (its CUPED pre-period), in seconds. */
function lookbackOf(metric: AnalysedMetric): number {
  return (metric.covariateDays ?? 0) * 24 * HOUR;
}

/** Every table holding rows per metric facts (`metric_id`), besides `analysis_fact_metrics`. */
const SERIES_AND_UNIT_TABLES = [
  'analysis_series_days',
  'analysis_series_state',
  'analysis_unit_days',
  'analysis_unit_metrics',
] as const;

async function clearSet(trx: Executor, setId: number): Promise<void> {
  for (const table of SERIES_AND_UNIT_TABLES)
    await trx
      .deleteFrom(table)
      .where('metric_id', 'in', (eb) =>
        eb.selectFrom('analysis_fact_metrics').select('id').where('set_id', '=', setId),
      )
      .execute();
  await trx.deleteFrom('analysis_fact_metrics').where('set_id', '=', setId).execute();
  await trx.deleteFrom('analysis_unit_exposures').where('set_id', '=', setId).execute();
}

/** The units an analysis counts: exposed to one known variant. */
function analysedUnits(exposures: ExposureCounts): number {
  return Object.values(exposures.units).reduce((total, count) => total + count, 0);
}
