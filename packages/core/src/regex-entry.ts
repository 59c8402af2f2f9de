/**
 * @module @cleave/core/regex
 * The linear-time regex engine of the `matches` operator, as its own entry: the SDK imports it
 * with `import()` only when a configuration uses `matches`, so that pages whose configurations
 * have none never load it (issue #14), and installs it with `installPatternCompiler` from
 * `@cleave/core/evaluation`. Core's main entry installs it by itself.
 *
 * Nothing here imports the module that holds the installed compiler: a bundler then has no code
 * to share between this chunk and the SDK's entry, and the page loads one file at start.
 *
 * @example
 * const { compileOrExplain } = await import('@cleave/core/regex');
 * installPatternCompiler(compileOrExplain);
 */
export { compileOrExplain } from './evaluation/regex/compile-or-explain.js';
