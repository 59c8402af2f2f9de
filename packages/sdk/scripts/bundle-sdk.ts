/**
 * @module Bundling the SDK's sources with esbuild, as an application's bundler would: for tests
 * that run the SDK in a child Node process (no build step needed), for the browser build and for
 * the size budgets (bench/sdk-size).
 */
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const source = (relative: string) => `${REPOSITORY_ROOT}${relative}`;

/** The workspace packages, resolved to their TypeScript sources (as vitest's aliases are). */
export const WORKSPACE_ALIASES: Readonly<Record<string, string>> = {
  '@cleave/core/evaluation': source('packages/core/src/evaluation-entry.ts'),
  '@cleave/core/regex': source('packages/core/src/regex-entry.ts'),
  '@cleave/core': source('packages/core/src/index.ts'),
  '@cleave/sdk/openfeature': source('packages/sdk/src/openfeature/index.ts'),
  '@cleave/sdk/react': source('packages/sdk/src/react/index.ts'),
  '@cleave/sdk': source('packages/sdk/src/index.ts'),
};

export interface BundledSdk {
  /** The entry's module. */
  readonly code: string;
  /** With `splitting`: the other modules, loaded through the entry's `import()` calls. */
  readonly chunks: readonly { readonly name: string; readonly code: string }[];
  readonly metafile: Metafile;
}

export interface BundleOptions {
  /** A file under the repository root, or module source (e.g. `export { createClient } from '@cleave/sdk'`). */
  readonly entry: { readonly file: string } | { readonly contents: string };
  readonly platform: 'node' | 'browser';
  readonly minify?: boolean;
  /** Modules left to the application (peer dependencies). */
  readonly external?: readonly string[];
  /**
   * Emit each `import()` target as a module of its own, loaded on demand, as applications'
   * bundlers do; without it (a single file) they are inlined.
   */
  readonly splitting?: boolean;
}

/**
 * Bundles one entry into a single ESM file, in memory. Production mode, as applications ship.
 *
 * @example
 * const { code } = await bundleSdk({ entry: { file: 'packages/sdk/src/index.ts' }, platform: 'node' });
 */
export async function bundleSdk(options: BundleOptions): Promise<BundledSdk> {
  const entry = options.entry;
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [source(entry.file)] }
      : { stdin: { contents: entry.contents, resolveDir: REPOSITORY_ROOT, loader: 'ts' as const } }),
    bundle: true,
    write: false,
    format: 'esm',
    platform: options.platform,
    target: 'es2022',
    minify: options.minify ?? false,
    metafile: true,
    alias: { ...WORKSPACE_ALIASES },
    external: [...(options.external ?? [])],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    absWorkingDir: REPOSITORY_ROOT,
    ...(options.splitting === true
      ? {
          splitting: true,
          outdir: `${REPOSITORY_ROOT}bundle`,
          entryNames: 'entry',
          chunkNames: 'chunk-[hash]',
        }
      : {}),
  });
  const outputs = result.outputFiles ?? [];
  const main = outputs.find((output) => output.path.endsWith('/entry.js')) ?? outputs[0];
  if (main === undefined) throw new Error('esbuild produced no output');
  const chunks = outputs
    .filter((output) => output !== main)
    .map((output) => ({ name: output.path.slice(output.path.lastIndexOf('/') + 1), code: output.text }));
  return { code: main.text, chunks, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
}
