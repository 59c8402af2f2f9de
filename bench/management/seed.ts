/**
 * @module Grows a project to a given number of flags with bulk SQL, not 100,000 API calls: rows
 * as the server writes them (a valid flag document per row, its references in the index), so the
 * server sees a project it could have built itself.
 *
 * The seeded flags are realistic in what matters to a write's checks: every flag has a rule on
 * one of a few shared segments (so those segments have thousands of referrers), and every tenth
 * has a prerequisite on the flag before it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export const SEED_SEGMENTS = ['seed-eu', 'seed-beta', 'seed-staff', 'seed-mobile'];

export interface SeedTarget {
  readonly projectId: string;
  readonly environmentKeys: readonly string[];
}

interface Row {
  definitionRow: unknown[];
  references: [toKind: string, toKey: string][];
  key: string;
}

const NOW = '2026-11-29T00:00:00.000Z';

export function seededFlagKey(index: number): string {
  return `seed-${String(index).padStart(6, '0')}`;
}

function flagRow(target: SeedTarget, index: number): Row {
  const key = seededFlagKey(index);
  const segment = SEED_SEGMENTS[index % SEED_SEGMENTS.length] as string;
  const prerequisite = index % 10 === 9 ? seededFlagKey(index - 1) : undefined;
  const environments = Object.fromEntries(
    target.environmentKeys.map((environmentKey) => [
      environmentKey,
      {
        enabled: environmentKey === 'production',
        ...(prerequisite && { prerequisites: [{ flagKey: prerequisite, variants: ['on'] }] }),
        rules: [
          { id: 'targeted', type: 'force', variant: 'on', conditions: [{ segment }] },
          { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.25 },
        ],
      },
    ]),
  );
  const definition = {
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    environments,
  };
  return {
    key,
    definitionRow: [
      `seed-flag-${target.projectId}-${index}`,
      target.projectId,
      key,
      key,
      '',
      '[]',
      'active',
      JSON.stringify(definition),
      NOW,
      NOW,
      1,
    ],
    references: [
      ['segments', segment],
      ...(prerequisite ? [['flags', prerequisite] as [string, string]] : []),
    ],
  };
}

function segmentRow(target: SeedTarget, key: string): unknown[] {
  const definition = { key, conditions: [{ attribute: 'country', operator: 'in', value: ['NL', 'BE'] }] };
  return [
    `seed-segment-${target.projectId}-${key}`,
    target.projectId,
    key,
    key,
    '',
    '[]',
    'active',
    JSON.stringify(definition),
    NOW,
    NOW,
    1,
  ];
}

const DEFINITION_COLUMNS =
  'id, project_id, key, name, description, tags, status, definition, created_at, updated_at, version';

export interface Seeder {
  /** Adds flags `from` … `to - 1` (and the shared segments on the first call). */
  seed(from: number, to: number): Promise<void>;
  close(): Promise<void>;
}

export function sqliteSeeder(file: string, target: SeedTarget): Seeder {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const insertDefinition = (table: string) =>
    db.prepare(`insert into ${table} (${DEFINITION_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFlag = insertDefinition('flags');
  const insertSegment = insertDefinition('segments');
  const insertReference = db.prepare(
    'insert into definition_references (project_id, from_kind, from_key, to_kind, to_key) values (?, ?, ?, ?, ?)',
  );
  let segmentsSeeded = false;
  const seedRange = db.transaction((from: number, to: number) => {
    if (!segmentsSeeded) {
      for (const key of SEED_SEGMENTS) insertSegment.run(...segmentRow(target, key));
      segmentsSeeded = true;
    }
    for (let index = from; index < to; index++) {
      const row = flagRow(target, index);
      insertFlag.run(...row.definitionRow);
      for (const [toKind, toKey] of row.references)
        insertReference.run(target.projectId, 'flags', row.key, toKind, toKey);
    }
  });
  return {
    async seed(from, to) {
      // Chunks of 5,000 rows: the server shares the file and must not wait on one long transaction.
      for (let start = from; start < to; start += 5_000) seedRange(start, Math.min(to, start + 5_000));
    },
    async close() {
      // Fold the seeded rows into the database file now: otherwise the server's first commits
      // pay for checkpointing a write-ahead log of a hundred megabytes, and the figures show it.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export function postgresSeeder(url: string, target: SeedTarget): Seeder {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  let segmentsSeeded = false;
  /** One multi-row INSERT per table through unnest: one round trip per chunk. */
  const insertDefinitions = (table: string, rows: unknown[][]) =>
    client.query(
      `insert into ${table} (${DEFINITION_COLUMNS})
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[],
                            $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::int[])`,
      Array.from({ length: 11 }, (_, column) => rows.map((row) => row[column])),
    );
  return {
    async seed(from, to) {
      await connected;
      if (!segmentsSeeded) {
        await insertDefinitions(
          'segments',
          SEED_SEGMENTS.map((key) => segmentRow(target, key)),
        );
        segmentsSeeded = true;
      }
      for (let start = from; start < to; start += 5_000) {
        const rows = Array.from({ length: Math.min(to, start + 5_000) - start }, (_, offset) =>
          flagRow(target, start + offset),
        );
        await insertDefinitions(
          'flags',
          rows.map((row) => row.definitionRow),
        );
        const references = rows.flatMap((row) =>
          row.references.map(([toKind, toKey]) => [row.key, toKind, toKey]),
        );
        await client.query(
          `insert into definition_references (project_id, from_kind, from_key, to_kind, to_key)
           select $1, 'flags', * from unnest($2::text[], $3::text[], $4::text[])`,
          [
            target.projectId,
            references.map((reference) => reference[0]),
            references.map((reference) => reference[1]),
            references.map((reference) => reference[2]),
          ],
        );
      }
      // Fresh statistics and visibility map, as autovacuum would soon give tables that grew this much.
      await client.query('vacuum analyze flags');
      await client.query('vacuum analyze definition_references');
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}
