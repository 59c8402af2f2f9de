/**
 * @module The configuration in use: the last good payload, compiled once per version.
 */
import type { CompiledConfig, ConfigPayload } from '@cleave/core/evaluation';
import { changedFlagKeys } from './changed-flag-keys.js';
import { CleaveError } from './cleave-error.js';
import { guardPayload, type PayloadIssue } from './payload-guard.js';

/** Where a payload came from. */
export type PayloadSource = 'bootstrap' | 'fetch' | 'stream';

/** What a new configuration changed: the payload of a `change` event. */
export interface ConfigChange {
  /** Flags added, removed or possibly changed (every flag when shared definitions changed). */
  readonly flagKeys: readonly string[];
  readonly version: number;
  readonly previousVersion: number | undefined;
  readonly source: PayloadSource;
}

export type ApplyResult =
  | { readonly kind: 'applied'; readonly change: ConfigChange }
  /** The version in hand already; nothing to do. */
  | { readonly kind: 'current' }
  /** An older version than the one in hand (a slow poll overtaken by the stream): ignored. */
  | { readonly kind: 'outdated' }
  | { readonly kind: 'invalid'; readonly error: CleaveError };

const MAX_REPORTED_ISSUES = 20;

/**
 * Holds the configuration. `apply` validates a received payload completely before using it:
 * an invalid one is refused and the last good configuration stays in use.
 *
 * @example
 * const store = new ConfigStore();
 * const result = store.apply(await response.json(), 'fetch');
 * if (result.kind === 'applied') notify(result.change.flagKeys);
 */
export class ConfigStore {
  #payload: ConfigPayload | undefined;
  #compiled: CompiledConfig | undefined;
  /** Experiment key → keys of the flags whose rules run it, in payload order. */
  #experimentFlags = new Map<string, string[]>();

  get payload(): ConfigPayload | undefined {
    return this.#payload;
  }

  get compiled(): CompiledConfig | undefined {
    return this.#compiled;
  }

  get version(): number | undefined {
    return this.#payload?.version;
  }

  flagsOfExperiment(experimentKey: string): readonly string[] {
    return this.#experimentFlags.get(experimentKey) ?? [];
  }

  apply(raw: unknown, source: PayloadSource): ApplyResult {
    const guarded = guardPayload(raw);
    if (!guarded.ok) return { kind: 'invalid', error: refusal(source, guarded.issues) };
    const { payload, compiled } = guarded;
    const previous = this.#payload;
    // A version is compared only within one environment: a payload of another environment
    // (a bootstrap saved from elsewhere) is always replaced.
    if (previous !== undefined && previous.environment === payload.environment) {
      if (payload.version === previous.version) return { kind: 'current' };
      if (payload.version < previous.version) return { kind: 'outdated' };
    }
    this.#compiled = compiled;
    this.#payload = payload;
    this.#experimentFlags = indexExperimentFlags(payload);
    return {
      kind: 'applied',
      change: {
        flagKeys: changedFlagKeys(previous, payload),
        version: payload.version,
        previousVersion: previous?.version,
        source,
      },
    };
  }
}

function refusal(source: PayloadSource, allIssues: readonly PayloadIssue[]): CleaveError {
  const issues = allIssues.slice(0, MAX_REPORTED_ISSUES);
  const first = issues[0];
  const summary = first === undefined ? '' : `: ${first.path || '/'} ${first.message}`;
  return new CleaveError(
    'invalid_payload',
    `${source} payload refused (${allIssues.length} issue(s)${summary}); keeping the last good configuration`,
    { details: { source, issues } },
  );
}

function indexExperimentFlags(payload: ConfigPayload): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const flag of payload.flags) {
    for (const rule of flag.rules ?? []) {
      if (rule.type !== 'experiment') continue;
      const keys = index.get(rule.experimentKey) ?? [];
      if (!keys.includes(flag.key)) keys.push(flag.key);
      index.set(rule.experimentKey, keys);
    }
  }
  return index;
}
