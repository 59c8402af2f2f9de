/**
 * @module What the SDK weighs in a browser application: each entry point bundled with esbuild
 * (minified ESM for browsers, production mode, peer libraries left out), measured minified and
 * gzipped, beside GrowthBook's browser SDK built the same way.
 *
 * `react` and `openfeature-web` are measured together with `createClient` (an application using
 * them uses both); what they add is their size minus the `sdk` entry's.
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
];

export interface EntrySize {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
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
  const { code, metafile } = await bundleSdk({
    entry: { contents: entry.contents },
    platform: 'browser',
    minify: true,
    external: entry.external,
  });
  return { name: entry.name, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSize(code), metafile };
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

/** Minified bytes per input module of a bundle, largest first (where the bytes go). */
export function bytesByModule(metafile: Metafile): { module: string; bytes: number }[] {
  const output = Object.values(metafile.outputs)[0];
  if (output === undefined) return [];
  return Object.entries(output.inputs)
    .map(([module, input]) => ({ module, bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}
