/**
 * @module features/audit/audit-log
 * The audit feature's service: other features append records inside their own transaction (so a
 * change and its record commit together), and the routes read the log.
 */
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import type { AuditEntry, AuditRecord } from '../../domain/audit.js';
import { type AuditQuery, KyselyAuditStore } from './store.js';

export type { AuditQuery };

export class AuditLog {
  constructor(private readonly transactor: Transactor) {}

  /** Appends `entry` in the transaction `tx` (never on its own: an audit record belongs to a change). */
  append(tx: SqlExecutor, entry: AuditEntry & { id: string; now: string }): Promise<AuditRecord> {
    return new KyselyAuditStore(tx).record(entry);
  }

  list(query: AuditQuery): Promise<AuditRecord[]> {
    return new KyselyAuditStore(this.transactor.db).list(query);
  }
}
