/**
 * @module @cleave/core/regex
 * The linear-time regex engine of the `matches` operator, as its own entry: the SDK imports it
 * with `import()` only when a configuration uses `matches`, so that bundles without regex
 * conditions never load it (issue #14). Core's main entry installs it by itself.
 *
 * @example
 * const { installRegexEngine } = await import('@cleave/core/regex');
 * installRegexEngine();
 */
export { installRegexEngine } from './evaluation/regex/install-regex-engine.js';
