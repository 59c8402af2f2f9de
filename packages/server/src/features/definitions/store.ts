/**
 * @module features/definitions/store
 * One store for every keyed definition table. Business rules live in each feature's service; this
 * is plain persistence with optimistic concurrency (`version`).
 */
import { type DefinitionKindName, type DefinitionSet, definitionReferences } from '@cleave/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import { containsText } from '../../adapters/sql/contains-text.js';
import type { Database, DefinitionsTable, DefinitionTableName } from '../../adapters/sql/database.js';
import { isUniqueViolation } from '../../adapters/sql/unique-violation.js';
import { ConflictError, NotFoundError, VersionConflictError } from '../../http/errors.js';
import type {
  DefinitionChange,
  DefinitionQuery,
  DefinitionRecord,
  NewDefinition,
} from './definition-record.js';
import { KyselyDefinitionReferenceStore } from './reference-store.js';

export interface DefinitionStore<T> {
  /** @throws ConflictError when the project already has this key. */
  create(record: NewDefinition<T>): Promise<DefinitionRecord<T>>;
  get(projectId: string, key: string): Promise<DefinitionRecord<T> | undefined>;
  list(projectId: string, query: DefinitionQuery): Promise<DefinitionRecord<T>[]>;
  /**
   * @throws NotFoundError when the key does not exist.
   * @throws VersionConflictError when `expectedVersion` is stale.
   */
  update(
    projectId: string,
    key: string,
    change: DefinitionChange<T>,
    expectedVersion: number,
    now: string,
  ): Promise<DefinitionRecord<T>>;
}

/** What the API calls each table's records, for error messages. */
const NOUNS: Record<DefinitionTableName, string> = {
  flags: 'flag',
  segments: 'segment',
  layers: 'layer',
  holdouts: 'holdout',
  experiments: 'experiment',
  metrics: 'metric',
};

/** Keys per `in (…)` list of a keyed read. */
const KEYS_PER_QUERY = 500;

export class KyselyDefinitionStore<T> implements DefinitionStore<T> {
  /** The references index, kept in step with every definition written here, on the same handle. */
  private readonly references: KyselyDefinitionReferenceStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: DefinitionTableName,
  ) {
    this.references = new KyselyDefinitionReferenceStore(db);
  }

  /** Rewrites the references index rows of a definition just written (same transaction). */
  private async index(projectId: string, key: string, definition: T): Promise<void> {
    // Metrics are not in the definition set: nothing references them by key.
    if (this.table === 'metrics') return;
    const kind = this.table as DefinitionKindName;
    await this.references.replace(
      projectId,
      { kind, key },
      definitionReferences(kind, definition as DefinitionSet[typeof kind][number]),
    );
  }

  async create(record: NewDefinition<T>): Promise<DefinitionRecord<T>> {
    const row: Selectable<DefinitionsTable> = {
      id: record.id,
      project_id: record.projectId,
      key: record.key,
      name: record.name,
      description: record.description,
      tags: JSON.stringify(record.tags),
      status: record.status,
      definition: JSON.stringify(record.definition),
      created_at: record.now,
      updated_at: record.now,
      version: 1,
    };
    try {
      await this.db.insertInto(this.table).values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A ${NOUNS[this.table]} with key "${record.key}" already exists in this project.`,
          {
            key: record.key,
          },
        );
      }
      throw error;
    }
    await this.index(record.projectId, record.key, record.definition);
    return toRecord<T>(row);
  }

  async get(projectId: string, key: string): Promise<DefinitionRecord<T> | undefined> {
    const row = await this.db
      .selectFrom(this.table)
      .selectAll()
      .where('project_id', '=', projectId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toRecord<T>(row);
  }

  async list(projectId: string, query: DefinitionQuery): Promise<DefinitionRecord<T>[]> {
    let select = this.db
      .selectFrom(this.table)
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('key');
    if (query.status && query.status.length > 0) select = select.where('status', 'in', [...query.status]);
    if (query.keys !== undefined) {
      if (query.keys.length > KEYS_PER_QUERY) return this.listInChunks(projectId, query, query.keys);
      if (query.keys.length === 0) return [];
      select = select.where('key', 'in', [...query.keys]);
    }
    if (query.after !== undefined) select = select.where('key', '>', query.after);
    if (query.tag !== undefined) {
      // Tags are restricted to key characters, so the quoted form cannot be spoofed by a prefix.
      select = select.where(sql<string>`cast(tags as text)`, 'like', `%${JSON.stringify(query.tag)}%`);
    }
    if (query.search !== undefined && query.search !== '') {
      const search = query.search;
      select = select.where((where) => containsText(where, ['key', 'name'], search));
    }
    if (query.limit !== undefined) select = select.limit(query.limit);
    return (await select.execute()).map((row) => toRecord<T>(row));
  }

  /** A keyed read of more keys than one `in (…)` list takes: chunk by chunk, merged in key order. */
  private async listInChunks(
    projectId: string,
    query: DefinitionQuery,
    keys: readonly string[],
  ): Promise<DefinitionRecord<T>[]> {
    const records: DefinitionRecord<T>[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      const chunk = keys.slice(start, start + KEYS_PER_QUERY);
      records.push(...(await this.list(projectId, { ...query, keys: chunk, limit: undefined })));
    }
    records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return query.limit === undefined ? records : records.slice(0, query.limit);
  }

  async update(
    projectId: string,
    key: string,
    change: DefinitionChange<T>,
    expectedVersion: number,
    now: string,
  ): Promise<DefinitionRecord<T>> {
    const row = await this.db
      .updateTable(this.table)
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.description !== undefined && { description: change.description }),
        ...(change.tags !== undefined && { tags: JSON.stringify(change.tags) }),
        ...(change.status !== undefined && { status: change.status }),
        ...(change.definition !== undefined && { definition: JSON.stringify(change.definition) }),
        updated_at: now,
        version: expectedVersion + 1,
      })
      .where('project_id', '=', projectId)
      .where('key', '=', key)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (row) {
      if (change.definition !== undefined) await this.index(projectId, key, change.definition);
      return toRecord<T>(row);
    }
    const current = await this.get(projectId, key);
    if (!current) throw new NotFoundError(`No ${NOUNS[this.table]} with key "${key}".`, { key });
    throw new VersionConflictError(
      `The ${NOUNS[this.table]} "${key}" was changed by someone else (version ${current.version}); reload and retry.`,
      { expectedVersion, currentVersion: current.version },
    );
  }
}

function toRecord<T>(row: Selectable<DefinitionsTable>): DefinitionRecord<T> {
  return {
    id: row.id,
    projectId: row.project_id,
    key: row.key,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    status: row.status,
    // Validated by the owning service before it was written.
    definition: JSON.parse(row.definition) as T,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
