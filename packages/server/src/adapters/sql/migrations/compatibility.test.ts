import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../test-support/databases.js';
import {
  incompatibilities,
  type SchemaShape,
  schemaShape,
} from '../../../test-support/schema-compatibility.js';
import { migrationProvider, migrationsFor } from './index.js';

describe('the compatibility rule', () => {
  const before: SchemaShape = {
    flags: {
      id: { dataType: 'text', isNullable: false, hasDefaultValue: false },
      note: { dataType: 'text', isNullable: true, hasDefaultValue: false },
    },
    old: { id: { dataType: 'text', isNullable: false, hasDefaultValue: false } },
  };

  it('accepts added tables, added nullable or defaulted columns and relaxed constraints', () => {
    const after: SchemaShape = {
      ...before,
      flags: {
        id: { dataType: 'text', isNullable: true, hasDefaultValue: false },
        note: { dataType: 'text', isNullable: true, hasDefaultValue: false },
        owner: { dataType: 'text', isNullable: true, hasDefaultValue: false },
        weight: { dataType: 'integer', isNullable: false, hasDefaultValue: true },
      },
      snapshots: { id: { dataType: 'text', isNullable: false, hasDefaultValue: false } },
    };
    expect(incompatibilities(before, after)).toEqual([]);
  });

  it('names every change that breaks the previous release', () => {
    const after: SchemaShape = {
      flags: {
        id: { dataType: 'integer', isNullable: false, hasDefaultValue: false },
        note: { dataType: 'text', isNullable: false, hasDefaultValue: false },
        required: { dataType: 'text', isNullable: false, hasDefaultValue: false },
      },
    };
    expect(incompatibilities(before, after)).toEqual([
      'column flags.id changed type from text to integer',
      'column flags.note became NOT NULL without a default',
      'new column flags.required is NOT NULL without a default: old code cannot insert rows',
      'table old was dropped or renamed',
    ]);
  });
});

describe.each(DIALECTS)('each migration keeps the previous schema usable (%s)', (dialect) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.destroy();
    test = undefined;
  });

  it('only adds: no table or column of the previous migration is dropped, renamed, retyped or made required', async () => {
    test = await createTestDatabase(dialect, { migrate: false });
    const migrator = new Migrator({ db: test.database.db, provider: migrationProvider(dialect) });
    let previous = await schemaShape(test.database.db);
    for (const name of Object.keys(migrationsFor(dialect))) {
      const { error } = await migrator.migrateTo(name);
      expect(error).toBeUndefined();
      const current = await schemaShape(test.database.db);
      expect(incompatibilities(previous, current), name).toEqual([]);
      previous = current;
    }
  });
});
