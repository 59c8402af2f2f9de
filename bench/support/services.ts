/**
 * @module What end-to-end benchmarks set up around a server: uniquely named PostgreSQL databases,
 * temporary directories, bootstrap credentials, and a small JSON client for the API. Every
 * resource comes with its own clean-up, for `finally` blocks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The server benchmarks create their databases on (trust auth on loopback by default). */
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Lower-case letters and digits, safe in database, stream and key names. */
export function randomSuffix(length = 10): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Bootstrap keys in the shapes `CLEAVE_INIT_ADMIN_TOKEN` and `CLEAVE_INIT_SDK_KEY` require. */
export function bootstrapKeys(): { adminToken: string; sdkKey: string } {
  return { adminToken: `clv_admin_bench_${randomSuffix(24)}`, sdkKey: `clv_sdk_bench_${randomSuffix(24)}` };
}

export interface TempDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops it, ending its connections first. Never throws. */
  drop(): Promise<void>;
}

async function withAdminClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database named `<prefix>_<random>` on {@link POSTGRES_URL}. */
export async function createDatabase(prefix: string): Promise<TempDatabase> {
  const name = `${prefix}_${randomSuffix()}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`))
        .then(() => undefined)
        .catch((error: unknown) => console.error(`could not drop database ${name}: ${String(error)}`)),
  };
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function createTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Api {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>;
}

/** JSON over fetch with a bearer key; a status of 300 or more throws with the body. */
export function apiClient(baseUrl: string, key: string): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
