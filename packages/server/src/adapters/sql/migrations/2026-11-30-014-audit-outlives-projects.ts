/**
 * Audit records outlive their project: `audit_log.project_id` no longer references `projects`, so
 * deleting a project (its row, and by cascade everything else of it) leaves its audit trail,
 * the record of the deletion included. Who deleted a project, and what it held, stays provable.
 * The column keeps the id of the project that was; nothing else changes. Frozen once merged.
 *
 * PostgreSQL drops the constraint (looked up by what it is, not by its generated name). SQLite
 * cannot drop a constraint, so the table is rebuilt in one transaction with the same columns,
 * rows, sequence numbers and indexes, and its AUTOINCREMENT high-water mark kept, so no sequence
 * number of a record deleted earlier is ever handed out again (cursors page by it).
 */
import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../sql-database.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's Database type.
type AnyDatabase = Kysely<any>;

const COLUMNS = [
  'sequence',
  'id',
  'project_id',
  'actor_type',
  'actor_id',
  'action',
  'resource_type',
  'resource_id',
  'before',
  'after',
  'request_id',
  'created_at',
];

export function auditOutlivesProjects(dialect: SqlDialect) {
  return {
    async up(db: AnyDatabase): Promise<void> {
      if (dialect === 'postgres') {
        const { rows } = await sql<{ name: string }>`
          select conname as name from pg_constraint
          where contype = 'f' and conrelid = 'audit_log'::regclass and confrelid = 'projects'::regclass
        `.execute(db);
        for (const { name } of rows) await db.schema.alterTable('audit_log').dropConstraint(name).execute();
        return;
      }
      await rebuildSqliteAuditLog(db, { referencesProjects: false });
    },

    /**
     * Puts the reference back for new records. PostgreSQL leaves the kept records of deleted
     * projects unchecked (NOT VALID); SQLite cannot hold a row that breaks the reference, so those
     * records stay with their `project_id` cleared (their before/after still name the project).
     */
    async down(db: AnyDatabase): Promise<void> {
      if (dialect === 'postgres') {
        await sql`
          alter table audit_log add constraint audit_log_project_id_fkey
          foreign key (project_id) references projects (id) on delete cascade not valid
        `.execute(db);
        return;
      }
      await rebuildSqliteAuditLog(db, { referencesProjects: true });
    },
  };
}

async function rebuildSqliteAuditLog(
  db: AnyDatabase,
  { referencesProjects }: { referencesProjects: boolean },
): Promise<void> {
  // Not run in a transaction by Kysely on SQLite (no transactional DDL there, it assumes): the
  // rebuild is all or nothing, so an interrupted start never leaves the log half-copied.
  await db.transaction().execute(async (tx) => {
    const { rows: highWater } = await sql<{ seq: number }>`
      select seq from sqlite_sequence where name = 'audit_log'
    `.execute(tx);
    await tx.schema
      .createTable('audit_log_rebuilt')
      .addColumn('sequence', 'integer', (column) => column.primaryKey().autoIncrement())
      .addColumn('id', 'text', (column) => column.notNull().unique())
      .addColumn('project_id', 'text', (column) =>
        referencesProjects ? column.references('projects.id').onDelete('cascade') : column,
      )
      .addColumn('actor_type', 'text', (column) => column.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('resource_type', 'text', (column) => column.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('request_id', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    const columns = sql.join(COLUMNS.map((column) => sql.ref(column)));
    if (referencesProjects) {
      // Records of deleted projects cannot point at them under the reference: keep them unattached.
      await sql`
        insert into audit_log_rebuilt (${columns})
        select sequence, id,
          case when project_id in (select id from projects) then project_id end,
          actor_type, actor_id, action, resource_type, resource_id, before, after, request_id, created_at
        from audit_log
      `.execute(tx);
    } else {
      await sql`insert into audit_log_rebuilt (${columns}) select ${columns} from audit_log`.execute(tx);
    }
    await tx.schema.dropTable('audit_log').execute();
    await tx.schema.alterTable('audit_log_rebuilt').renameTo('audit_log').execute();
    const [mark] = highWater;
    if (mark) {
      // The copy set the new table's mark to its highest row; records deleted above it count too.
      await sql`
        insert into sqlite_sequence (name, seq) select 'audit_log', 0
        where not exists (select 1 from sqlite_sequence where name = 'audit_log')
      `.execute(tx);
      await sql`update sqlite_sequence set seq = max(seq, ${mark.seq}) where name = 'audit_log'`.execute(tx);
    }
    await tx.schema
      .createIndex('audit_log_project_idx')
      .on('audit_log')
      .columns(['project_id', 'sequence'])
      .execute();
    await tx.schema
      .createIndex('audit_log_resource_idx')
      .on('audit_log')
      .columns(['resource_type', 'resource_id'])
      .execute();
  });
}
