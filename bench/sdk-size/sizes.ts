/**
 * @module What the SDK weighs in a browser application: each entry point bundled with esbuild
 * (minified ESM for browsers, production mode, peer libraries left out), measured minified and
 * gzipped, beside GrowthBook's browser SDK built the same way.
 *
 * `react` and `openfeature-web` are measured together with `createClient` (an application using
 * them uses both); what they add is their size minus the `sdk` entry's.
 *
 * Bundled with code splitting, as applications' bundlers do: what a page loads at start is the
 * entry and the modules it imports statically; what the SDK loads with `import()` only when a
 * configuration needs it (core's regex engine, for `matches` conditions) is counted apart.
 */
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { bundleSdk } from '../../packages/sdk/scripts/bundle-sdk.js';

export interface EntryPoint {
  readonly name: string;
  readonly contents: string;
  /** Peer libraries: the application has them anyway, so they are not counted. */
  readonly external: readonly string[];
  /** Measured as what it adds to this entry (its size minus that entry's). */
  readonly on?: string;
}

export const ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'sdk', contents: "export { createClient } from '@cleave/sdk';", external: [] },
  {
    name: 'react',
    contents: "export { createClient } from '@cleave/sdk';\nexport * from '@cleave/sdk/react';",
    external: ['react', 'react-dom'],
    on: 'sdk',
  },
  {
    name: 'openfeature-web',
    contents:
      "export { createClient } from '@cleave/sdk';\nexport { CleaveWebProvider } from '@cleave/sdk/openfeature';",
    external: ['@openfeature/web-sdk', '@openfeature/server-sdk', '@openfeature/core'],
    on: 'sdk',
  },
  { name: 'growthbook', contents: "export { GrowthBook } from '@growthbook/growthbook';", external: [] },
  /**
   * Core's engine alone as the SDK uses it, compile step (payload checks included) and evaluation
   * without the explain trace, without the SDK:
   * what every entry above carries, so the floor under the `sdk` figure (issue #14's 8 KB goal
   * counts it too).
   */
  {
    name: 'core-engine',
    contents: "export { compileConfig, evaluateWithoutTrace } from '@cleave/core/evaluation';",
    external: [],
  },
];

export interface EntrySize {
  readonly name: string;
  /** What a page loads at start: the entry and its static imports. */
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Loaded with `import()` only when needed (the regex engine); not in the figures above. */
  readonly onDemandMinifiedBytes: number;
  readonly onDemandGzipBytes: number;
  /** For entries measured on another: what they add to it. */
  readonly addedMinifiedBytes: number | undefined;
  readonly addedGzipBytes: number | undefined;
  readonly metafile: Metafile;
}

/** Gzip at the highest level, as CDNs and build tools serve static assets. */
export function gzipSize(code: string): number {
  return gzipSync(Buffer.from(code), { level: 9 }).length;
}

export async function measureEntry(
  entry: EntryPoint,
): Promise<Omit<EntrySize, 'addedMinifiedBytes' | 'addedGzipBytes'>> {
  const { code, chunks, metafile } = await bundleSdk({
    entry: { contents: entry.contents },
    platform: 'browser',
    minify: true,
    external: entry.external,
    splitting: true,
  });
  const atStart = staticallyLoaded(metafile);
  const files = [{ name: 'entry.js', code }, ...chunks];
  const sum = (loaded: boolean, measure: (code: string) => number) =>
    files
      .filter((file) => atStart.has(file.name) === loaded)
      .reduce((total, file) => total + measure(file.code), 0);
  return {
    name: entry.name,
    minifiedBytes: sum(true, Buffer.byteLength),
    gzipBytes: sum(true, gzipSize),
    onDemandMinifiedBytes: sum(false, Buffer.byteLength),
    onDemandGzipBytes: sum(false, gzipSize),
    metafile,
  };
}

/** File names of the entry's output and of every output it reaches through static imports. */
export function staticallyLoaded(metafile: Metafile): Set<string> {
  const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const entryOutput = Object.keys(metafile.outputs).find((path) => fileName(path) === 'entry.js');
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(fileName(path))) return;
    loaded.add(fileName(path));
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  if (entryOutput !== undefined) visit(entryOutput);
  return loaded;
}

/** Every entry point's size, in `ENTRY_POINTS` order. */
export async function measureAll(): Promise<EntrySize[]> {
  const measured = new Map<string, Awaited<ReturnType<typeof measureEntry>>>();
  for (const entry of ENTRY_POINTS) measured.set(entry.name, await measureEntry(entry));
  return ENTRY_POINTS.map((entry) => {
    const size = measured.get(entry.name) as Awaited<ReturnType<typeof measureEntry>>;
    const base = entry.on === undefined ? undefined : measured.get(entry.on);
    return {
      ...size,
      addedMinifiedBytes: base === undefined ? undefined : size.minifiedBytes - base.minifiedBytes,
      addedGzipBytes: base === undefined ? undefined : size.gzipBytes - base.gzipBytes,
    };
  });
}

/** Minified bytes per input module of what a page loads at start, largest first (where the bytes go). */
export function bytesByModule(metafile: Metafile): { module: string; bytes: number }[] {
  const atStart = staticallyLoaded(metafile);
  return Object.entries(metafile.outputs)
    .filter(([path]) => atStart.has(path.slice(path.lastIndexOf('/') + 1)))
    .flatMap(([, output]) => Object.entries(output.inputs))
    .map(([module, input]) => ({ module, bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}
