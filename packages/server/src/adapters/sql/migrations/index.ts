/**
 * @module adapters/sql/migrations
 * The in-code migration list, in order. Adding a migration means adding one line here; a missing
 * import fails to compile, so no migration can be silently skipped (unlike a folder scan).
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialect } from '../sql-database.js';
import { foundation } from './2026-11-25-001-foundation.js';
import { management } from './2026-11-25-002-management.js';
import { events } from './2026-11-25-003-events.js';
import { eventIdentityPerEnvironment } from './2026-11-29-004-event-identity-per-environment.js';
import { definitionReferences } from './2026-11-29-005-definition-references.js';
import { analysis } from './2026-11-29-006-analysis.js';
import { analysisFacts } from './2026-11-30-007-analysis-facts.js';
import { demoProjects } from './2026-11-30-008-demo-projects.js';
import { flagUsage } from './2026-11-30-009-flag-usage.js';
import { analysisValueIndex } from './2026-11-30-010-analysis-value-index.js';
import { analysisUnitDays } from './2026-11-30-011-analysis-unit-days.js';
import { analysisUnitSlots } from './2026-11-30-012-analysis-unit-slots.js';
import { analysisSeriesDays } from './2026-11-30-013-analysis-series-days.js';
import { auditOutlivesProjects } from './2026-11-30-014-audit-outlives-projects.js';
import { disabledAccounts } from './2026-11-30-015-disabled-accounts.js';

export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '2026-11-25-001-foundation': foundation(dialect),
    '2026-11-25-002-management': management(dialect),
    '2026-11-25-003-events': events(dialect),
    '2026-11-29-004-event-identity-per-environment': eventIdentityPerEnvironment(dialect),
    '2026-11-29-005-definition-references': definitionReferences(dialect),
    '2026-11-29-006-analysis': analysis(dialect),
    '2026-11-30-007-analysis-facts': analysisFacts(dialect),
    '2026-11-30-008-demo-projects': demoProjects(dialect),
    '2026-11-30-009-flag-usage': flagUsage(dialect),
    '2026-11-30-010-analysis-value-index': analysisValueIndex(dialect),
    '2026-11-30-011-analysis-unit-days': analysisUnitDays(dialect),
    '2026-11-30-012-analysis-unit-slots': analysisUnitSlots(dialect),
    '2026-11-30-013-analysis-series-days': analysisSeriesDays(dialect),
    '2026-11-30-014-audit-outlives-projects': auditOutlivesProjects(dialect),
    '2026-11-30-015-disabled-accounts': disabledAccounts(dialect),
  };
}

export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
