import { describe, expect, it } from 'vitest';
import { auditFilters, instanceAuditFilters, NO_INSTANCE_AUDIT_FILTERS } from './audit-filters.js';

describe('audit filters', () => {
  it('sends nothing for no choice', () => {
    expect(auditFilters({ resourceType: null, actor: null, from: '', to: '' })).toEqual({});
  });

  it('splits a person into actor type and id, and keeps the whole end day', () => {
    const filters = auditFilters({
      resourceType: 'segment',
      actor: 'user:u-1',
      from: '2026-11-02',
      to: '2026-11-02',
    });
    expect(filters).toMatchObject({ resourceType: 'segment', actorType: 'user', actorId: 'u-1' });
    expect(filters.since).toBe(new Date(2026, 10, 2).toISOString());
    expect(filters.until).toBe(new Date(2026, 10, 3).toISOString());
  });

  it('filters API keys and the system by type alone', () => {
    expect(auditFilters({ resourceType: null, actor: 'api_key', from: '', to: '' })).toEqual({
      actorType: 'api_key',
    });
    expect(auditFilters({ resourceType: null, actor: 'system', from: '', to: 'nonsense' })).toEqual({
      actorType: 'system',
    });
  });
});

describe('instance audit filters', () => {
  it("adds the chosen project's id to the project page's filters", () => {
    expect(
      instanceAuditFilters({
        ...NO_INSTANCE_AUDIT_FILTERS,
        resourceType: 'flag',
        actor: 'system',
        projectId: 'p-gone',
      }),
    ).toEqual({ resourceType: 'flag', actorType: 'system', projectId: 'p-gone' });
  });

  it('asks for every project when none is chosen', () => {
    expect(instanceAuditFilters(NO_INSTANCE_AUDIT_FILTERS)).toEqual({});
  });
});
