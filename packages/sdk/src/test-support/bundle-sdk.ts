/**
 * @module Bundling the SDK's sources with esbuild, as an application's bundler would: for tests
 * that run the SDK in a child Node process (no build step needed) and for size measurements.
 */
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const source = (relative: string) => `${REPOSITORY_ROOT}${relative}`;

/** The workspace packages, resolved to their TypeScript sources (as vitest's aliases do). */
export const WORKSPACE_ALIASES: Readonly<Record<string, string>> = {
  '@cleave/core/evaluation': source('packages/core/src/evaluation-entry.ts'),
  '@cleave/core': source('packages/core/src/index.ts'),
};

export interface BundledSdk {
  readonly code: string;
  readonly metafile: Metafile;
}

/**
 * Bundles `entry` (a path under the repository, or a module to re-export from) into one ESM file
 * in memory.
 *
 * @example
 * const { code } = await bundleSdk({ entry: 'packages/sdk/src/index.ts', platform: 'node' });
 */
export async function bundleSdk(options: {
  readonly entry: string;
  readonly platform: 'node' | 'browser';
  readonly minify?: boolean;
  readonly external?: readonly string[];
}): Promise<BundledSdk> {
  const settings: BuildOptions = {
    entryPoints: [source(options.entry)],
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
  };
  const result = await build(settings);
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error(`esbuild produced nothing for ${options.entry}`);
  return { code: output.text, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
}
