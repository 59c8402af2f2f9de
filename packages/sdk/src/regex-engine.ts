/**
 * @module Loading core's regex engine (the `matches` operator) only for configurations that use it.
 *
 * The engine is about 3.4 KB of the browser bundle's gzip weight, and most configurations have no
 * `matches` condition: `import()` makes it a chunk of its own that bundlers load on demand (the
 * single-file browser build inlines it). A payload that mentions `matches` waits for the engine
 * before it is compiled; every other payload is applied at once, as before.
 */
import { installPatternCompiler, isRegexEngineInstalled } from '@cleave/core/evaluation';

let loading: Promise<void> | undefined;

/**
 * Whether `raw` has to wait for the engine: it has a `matches` condition and the engine is not
 * installed yet. A payload that cannot be serialised is left to the compile step, which refuses
 * an unchecked pattern rather than matching it some other way.
 */
export function needsRegexEngine(raw: unknown): boolean {
  if (isRegexEngineInstalled()) return false;
  try {
    return JSON.stringify(raw)?.includes('"operator":"matches"') ?? false;
  } catch {
    return false;
  }
}

/**
 * Loads and installs the engine; one load at a time. After a failure the next payload asks again
 * (a browser that remembers the failed fetch answers from memory until the page reloads). Call it before
 * `createClient` to apply a bootstrap with `matches` conditions synchronously.
 *
 * @example
 * await loadRegexEngine();
 * const client = createClient({ sdkKey, apiHost, bootstrap: window.__CLEAVE__ });
 */
export function loadRegexEngine(): Promise<void> {
  loading ??= import('@cleave/core/regex').then(
    (engine) => installPatternCompiler(engine.compileOrExplain),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
