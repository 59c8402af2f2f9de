/**
 * @module bench/web/suite
 * The UI's first screen: what a browser must download before it can show `/` (index.html, the
 * entry script, the stylesheet, and the chunks the entry preloads), gzipped as a server would send
 * them. Pages behind the sign-in are separate chunks loaded on demand and are listed apart.
 * Reads the build in `packages/web/dist` (`npm run bench` builds first). Results go to
 * bench/results/web.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describeEnvironment, printTable, type Suite, writeResults } from '../harness.js';

const DIST = fileURLToPath(new URL('../../packages/web/dist/', import.meta.url));
const RESULTS_PATH = fileURLToPath(new URL('../results/web.json', import.meta.url));
/** The initial route's budget, gzipped: fast on a slow 4G connection (~1.6 Mbit/s → about 1 s). */
const GOAL_INITIAL_GZIP_BYTES = 200 * 1024;

interface Asset {
  file: string;
  bytes: number;
  gzipBytes: number;
}

function measure(file: string): Asset {
  const content = readFileSync(`${DIST}${file}`);
  return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
}

/** The files index.html makes the browser fetch before the first render. */
export function initialFiles(indexHtml: string): string[] {
  const files = new Set<string>();
  for (const match of indexHtml.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="\/([^"]+\.(?:js|css))"/g)) {
    if (match[1]) files.add(match[1]);
  }
  return [...files];
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export const suite: Suite = {
  name: 'web',
  description: "the UI's initial route, gzipped (what a browser downloads before the first screen)",
  async run() {
    const indexHtml = readFileSync(`${DIST}index.html`, 'utf8');
    const initial = [measure('index.html'), ...initialFiles(indexHtml).map(measure)];
    const initialNames = new Set(initial.map((asset) => asset.file));
    const lazy = readdirSync(`${DIST}assets`)
      .map((file) => `assets/${file}`)
      .filter((file) => !initialNames.has(file) && /\.(js|css)$/.test(file))
      .map(measure)
      .sort((a, b) => b.gzipBytes - a.gzipBytes);
    const total = initial.reduce((sum, asset) => sum + asset.gzipBytes, 0);
    const pass = total <= GOAL_INITIAL_GZIP_BYTES;

    printTable(
      'Initial route',
      ['file', 'size', 'gzip'],
      [
        ...initial.map((asset) => [asset.file, kB(asset.bytes), kB(asset.gzipBytes)]),
        ['total', '', kB(total)],
      ],
    );
    printTable(
      'Largest on-demand chunks (pages, charts)',
      ['file', 'size', 'gzip'],
      lazy.slice(0, 8).map((asset) => [asset.file, kB(asset.bytes), kB(asset.gzipBytes)]),
    );
    console.log(
      `\nInitial route ${kB(total)} gzipped: ${pass ? 'within' : 'over'} the ${kB(GOAL_INITIAL_GZIP_BYTES)} budget. Results: bench/results/web.json`,
    );
    writeResults(RESULTS_PATH, {
      environment: describeEnvironment(),
      goal: { initialGzipBytes: GOAL_INITIAL_GZIP_BYTES },
      initial,
      initialGzipBytes: total,
      pass,
      lazy,
    });
  },
};
