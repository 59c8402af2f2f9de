/**
 * @module features/sdk-delivery/config-service
 * Builds, caches and compiles each environment's SDK config payload.
 *
 * A payload is built from one consistent snapshot of the project's definitions and labelled with
 * the environment's config version read in that same snapshot, so a version always names exactly
 * one content. Cache keys include the version: a change never needs an invalidation, it simply
 * makes the next read miss.
 */
import {
  buildConfigPayload,
  type CompiledConfig,
  compileConfig,
  type EvaluationContext,
  type EvaluationResult,
  type Experiment,
  evaluate,
  type Flag,
  type Holdout,
  type Layer,
  type Segment,
} from '@cleave/core';
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../http/errors.js';
import type { Cache } from '../../ports/cache.js';
import type { ChangeNotifier } from '../../ports/change-notifier.js';
import type { DefinitionRecord } from '../definitions/definition-record.js';
import { readDefinitions } from '../definitions/read-definitions.js';
import type { ExperimentDocument } from '../experiments/experiment-document.js';
import { readEnvironments } from '../projects/service.js';

export interface EnvironmentConfig {
  environmentId: string;
  version: number;
  /** Strong ETag of this version, quoted as HTTP wants it. */
  etag: string;
  /** The payload serialised once, sent as is to every client. */
  json: string;
}

export interface CompiledEnvironmentConfig {
  version: number;
  etag: string;
  compiled: CompiledConfig;
}

/** How long a tracked version is trusted without a database check, in case a notice was lost. */
const VERSION_RECHECK_MS = 30_000;

export function etagOfVersion(version: number): string {
  return `"${version}"`;
}

export class SdkConfigService {
  /** Builds in flight per key: a burst of clients after a change triggers one build, not many. */
  private readonly building = new Map<string, Promise<EnvironmentConfig>>();
  private readonly versions = new Map<string, { version: number; checkedAt: number }>();
  /** The newest compiled config of each environment, for the synchronous path of `currentCompiled`. */
  private readonly newestCompiled = new Map<string, CompiledEnvironmentConfig>();

  private readonly payloads: Cache<string>;
  private readonly compiled: Cache<CompiledEnvironmentConfig>;

  constructor(
    private readonly options: {
      transactor: Transactor;
      clock: Clock;
      notifier: ChangeNotifier;
      /** Serialised payloads: shared by every node (Redis) in production. */
      payloads: Cache<string>;
      /** Compiled configs are objects: they stay in-process on every node. */
      compiled: Cache<CompiledEnvironmentConfig>;
    },
  ) {
    this.payloads = options.payloads;
    this.compiled = options.compiled;
    options.notifier.onConfigChanged((bump) => {
      const known = this.versions.get(bump.environmentId);
      if (!known || bump.configVersion > known.version) {
        this.versions.set(bump.environmentId, {
          version: bump.configVersion,
          checkedAt: known?.checkedAt ?? Date.now(),
        });
      }
    });
    // Notices may have been lost: every tracked version is re-read from the database on next use.
    options.notifier.onResync(() => this.versions.clear());
  }

  /**
   * The environment's current config version. Kept current by change notices (in-process, or from
   * every node through Redis), so SDK requests need no query; re-read from the database when a
   * notice may have been missed (an entry older than VERSION_RECHECK_MS).
   */
  async currentVersion(projectId: string, environmentId: string): Promise<number> {
    const tracked = this.versions.get(environmentId);
    if (tracked && Date.now() - tracked.checkedAt < VERSION_RECHECK_MS) return tracked.version;
    const environment = (await readEnvironments(this.options.transactor.db, projectId)).find(
      (candidate) => candidate.id === environmentId,
    );
    if (!environment) throw new NotFoundError('The environment no longer exists.');
    // A notice may have arrived while we read: never go back to an older version.
    const version = Math.max(environment.configVersion, this.versions.get(environmentId)?.version ?? 0);
    this.versions.set(environmentId, { version, checkedAt: Date.now() });
    return version;
  }

  /**
   * The environment's current compiled config: what evaluation requests need. When the version is
   * tracked and already compiled (every request after the first since a change), it is answered
   * synchronously, with no promise, cache key or lookup beyond two map reads.
   */
  currentCompiled(
    projectId: string,
    environmentId: string,
  ): CompiledEnvironmentConfig | Promise<CompiledEnvironmentConfig> {
    const tracked = this.versions.get(environmentId);
    if (tracked !== undefined && Date.now() - tracked.checkedAt < VERSION_RECHECK_MS) {
      const newest = this.newestCompiled.get(environmentId);
      if (newest !== undefined && newest.version === tracked.version) return newest;
    }
    return this.currentVersion(projectId, environmentId).then((version) =>
      this.compiledFor(projectId, environmentId, version),
    );
  }

  /**
   * How one flag evaluates for `context` in an environment's current configuration, with the trace
   * of every rule (the UI's "test this flag"). Undefined when the project has no such environment.
   */
  async explainFlag(
    projectId: string,
    environmentKey: string,
    flagKey: string,
    context: EvaluationContext,
  ): Promise<EvaluationResult | undefined> {
    const environment = (await readEnvironments(this.options.transactor.db, projectId)).find(
      (candidate) => candidate.key === environmentKey,
    );
    if (!environment) return undefined;
    const { compiled } = await this.compiledFor(
      projectId,
      environment.id,
      await this.currentVersion(projectId, environment.id),
    );
    return evaluate(compiled, flagKey, context, { explain: true });
  }

  /** The payload of `version` (usually the one the caller just read), built on a miss. */
  async configFor(projectId: string, environmentId: string, version: number): Promise<EnvironmentConfig> {
    const key = `${environmentId}:${version}`;
    const cached = await this.payloads.get(key);
    if (cached !== undefined) return { environmentId, version, etag: etagOfVersion(version), json: cached };
    const inFlight = this.building.get(key);
    if (inFlight) return inFlight;
    const build = this.build(projectId, environmentId).finally(() => this.building.delete(key));
    this.building.set(key, build);
    return build;
  }

  async compiledFor(
    projectId: string,
    environmentId: string,
    version: number,
  ): Promise<CompiledEnvironmentConfig> {
    const key = `${environmentId}:${version}`;
    const cached = await this.compiled.get(key);
    if (cached) return this.noteCompiled(environmentId, cached);
    const config = await this.configFor(projectId, environmentId, version);
    const compiledConfig = {
      version: config.version,
      etag: config.etag,
      compiled: compileConfig(JSON.parse(config.json)),
    };
    await this.compiled.set(`${environmentId}:${config.version}`, compiledConfig);
    return this.noteCompiled(environmentId, compiledConfig);
  }

  private noteCompiled(environmentId: string, config: CompiledEnvironmentConfig): CompiledEnvironmentConfig {
    const newest = this.newestCompiled.get(environmentId);
    if (newest === undefined || config.version > newest.version)
      this.newestCompiled.set(environmentId, config);
    return config;
  }

  private async build(projectId: string, environmentId: string): Promise<EnvironmentConfig> {
    const { payload, version } = await this.options.transactor.snapshot(async (tx) => {
      const environment = (await readEnvironments(tx, projectId)).find(
        (candidate) => candidate.id === environmentId,
      );
      if (!environment) throw new NotFoundError('The environment no longer exists.');
      const definitions = await loadLiveDefinitions(tx, projectId);
      return {
        version: environment.configVersion,
        payload: buildConfigPayload({
          environment: environment.key,
          version: environment.configVersion,
          generatedAt: this.options.clock.now().toISOString(),
          ...withRunningExperimentsOnly(definitions, environment.key),
        }),
      };
    });
    const json = JSON.stringify(payload);
    // Cached under the version read in the snapshot, which is what the content reflects.
    await this.payloads.set(`${environmentId}:${version}`, json);
    return { environmentId, version, etag: etagOfVersion(version), json };
  }
}

interface LiveDefinitions {
  flags: Flag[];
  segments: Segment[];
  experiments: DefinitionRecord<ExperimentDocument>[];
  layers: Layer[];
  holdouts: Holdout[];
}

async function loadLiveDefinitions(tx: SqlExecutor, projectId: string): Promise<LiveDefinitions> {
  const active = { status: ['active'] };
  const documents = async <T>(records: Promise<DefinitionRecord<T>[]>) =>
    (await records).map((record) => record.definition);
  return {
    flags: await documents(readDefinitions<Flag>(tx, 'flags', projectId, active)),
    segments: await documents(readDefinitions<Segment>(tx, 'segments', projectId, active)),
    experiments: await readDefinitions<ExperimentDocument>(tx, 'experiments', projectId, {
      status: ['running'],
    }),
    layers: await documents(readDefinitions<Layer>(tx, 'layers', projectId, active)),
    holdouts: await documents(readDefinitions<Holdout>(tx, 'holdouts', projectId, active)),
  };
}

/**
 * Only running experiments assign units. A rule that points at a draft or stopped experiment is
 * left out of the payload, so the flag serves what it would without it.
 */
function withRunningExperimentsOnly(definitions: LiveDefinitions, environmentKey: string) {
  const running = new Set(definitions.experiments.map((record) => record.key));
  const flags = definitions.flags.map((flag) => {
    const state = flag.environments[environmentKey];
    if (!state?.rules?.some((rule) => rule.type === 'experiment' && !running.has(rule.experimentKey)))
      return flag;
    const rules = state.rules.filter((rule) => rule.type !== 'experiment' || running.has(rule.experimentKey));
    return { ...flag, environments: { ...flag.environments, [environmentKey]: { ...state, rules } } };
  });
  const experiments: Experiment[] = definitions.experiments.map(({ definition }) => {
    const { hypothesis: _h, metrics: _m, phases: _p, decision: _d, ...experiment } = definition;
    return experiment;
  });
  return {
    flags,
    segments: definitions.segments,
    experiments,
    layers: definitions.layers,
    holdouts: definitions.holdouts,
  };
}
