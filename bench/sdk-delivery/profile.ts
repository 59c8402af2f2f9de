/**
 * @module `node --import tsx bench/sdk-delivery/profile.ts [target] [seconds]`: where the server
 * spends its CPU while one request-path target is under load. Starts the built server (embedded,
 * default LOG_LEVEL) with `--cpu-prof`, seeds the load targets, runs autocannon against `target`
 * (ofrep, ofrep-bulk, evaluate or healthz; default ofrep) and prints the functions with the most
 * self time, and the same grouped by package, from the profile the server writes as it exits
 * (`PROFILE_KEEP=<file>` keeps that profile).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../support/server.js';
import { apiClient, bootstrapKeys, createTempDir } from '../support/services.js';
import { runLoad, seedLoadTargets, TARGET_NAMES, type TargetName } from './load-targets.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = Number(process.env.PROFILE_TOP ?? 25);

/** `node_modules/<package>` (scoped too), `node:internal`, or the project's own file. */
function ownerOf(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node (internal)';
  if (url === '') return '(native / GC / idle)';
  const project = /packages\/([^/]+)\//.exec(url);
  return project?.[1] ? `@cleave/${project[1]}` : url;
}

/** Prints each function's share of the non-idle samples and its main-thread time per request served. */
function summarise(profile: CpuProfile, requests: number): void {
  const sampleUs =
    profile.timeDeltas.reduce((sum, delta) => sum + delta, 0) / Math.max(1, profile.samples.length);
  const selfById = new Map<number, number>();
  for (const id of profile.samples) selfById.set(id, (selfById.get(id) ?? 0) + 1);
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const self = selfById.get(node.id) ?? 0;
    if (self === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += self;
    const file = url.replace(/^.*\/(node_modules|packages)\//, '');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + self);
    const owner = ['(garbage collector)', '(program)'].includes(functionName) ? functionName : ownerOf(url);
    owners.set(owner, (owners.get(owner) ?? 0) + self);
  }
  const print = (title: string, entries: Map<string, number>, limit: number) => {
    console.log(
      `\n${title} (share of non-idle samples, main-thread µs per request (wall time: includes waits for a core))`,
    );
    for (const [name, count] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      const perRequest = (count * sampleUs) / requests;
      console.log(
        `  ${((100 * count) / total).toFixed(1).padStart(5)}%  ${perRequest.toFixed(2).padStart(7)} µs  ${name}`,
      );
    }
  };
  console.log(
    `\nmain-thread non-idle µs per request: ${((total * sampleUs) / requests).toFixed(1)} µs (${requests} requests)`,
  );
  print(`Top ${TOP} functions by self time`, functions, TOP);
  print('Self time by package', owners, 15);
}

async function main(): Promise<void> {
  const target = (process.argv[2] ?? 'ofrep') as TargetName;
  if (!TARGET_NAMES.includes(target)) throw new Error(`target must be one of ${TARGET_NAMES.join(', ')}`);
  const seconds = Number(process.argv[3] ?? 10);
  const profileDir = mkdtempSync(join(tmpdir(), 'cleave-profile-'));
  const dataDir = createTempDir('cleave-profile-data');
  const keys = bootstrapKeys();
  const server = await startServer({
    name: 'profile',
    env: {
      CLEAVE_DATA_DIR: dataDir.path,
      CLEAVE_INIT_ADMIN_TOKEN: keys.adminToken,
      CLEAVE_INIT_SDK_KEY: keys.sdkKey,
      ...(process.env.LOG_LEVEL && { LOG_LEVEL: process.env.LOG_LEVEL }),
    },
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  let requests = 0;
  try {
    const targets = await seedLoadTargets(server, apiClient(server.url, keys.adminToken));
    const chosen = targets.find((candidate) => candidate.name === target);
    if (!chosen) throw new Error(`no target ${target}`);
    const warmup = await runLoad({ ...chosen.request, connections: 50, duration: 2 });
    const result = await runLoad({ ...chosen.request, connections: 50, duration: seconds });
    // Every request the profile covers (seeding's few dozen aside).
    requests = warmup.requests.total + result.requests.total;
    console.log(
      `${chosen.label}: ${Math.round(result.requests.average)} req/s over ${seconds} s (${result.non2xx} non-2xx)`,
    );
  } finally {
    await server.stop();
    dataDir.remove();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the server wrote no profile');
  summarise(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile, requests);
  // PROFILE_KEEP=<path>: keep the raw profile (for Chrome DevTools or a closer look) instead of deleting it.
  const keep = process.env.PROFILE_KEEP;
  if (keep) {
    copyFileSync(join(profileDir, file), keep);
    console.log(`\nprofile kept in ${keep}`);
  }
  rmSync(profileDir, { recursive: true, force: true });
}

await main();
