/**
 * @module features/demo/demo-store
 * Which project is the instance's demo: one row, deleted with the project (foreign key cascade).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/sql/database.js';

export class KyselyDemoStore {
  constructor(private readonly db: Kysely<Database>) {}

  async mark(projectId: string, now: string): Promise<void> {
    await this.db.insertInto('demo_projects').values({ project_id: projectId, created_at: now }).execute();
  }

  async projectId(): Promise<string | undefined> {
    const row = await this.db.selectFrom('demo_projects').select('project_id').limit(1).executeTakeFirst();
    return row?.project_id;
  }
}
