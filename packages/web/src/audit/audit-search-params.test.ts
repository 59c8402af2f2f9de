import { describe, expect, it } from 'vitest';
import { NO_INSTANCE_AUDIT_FILTERS } from './audit-filters.js';
import {
  readAuditFilterInputs,
  readInstanceAuditFilterInputs,
  withAuditFilterInputs,
} from './audit-search-params.js';

describe('audit filters in search params', () => {
  it('reads back every filter it wrote', () => {
    const inputs = {
      resourceType: 'api_key',
      actor: 'user:0193a0b2-7c1e-7000-8000-000000000001',
      from: '2026-11-01',
      to: '2026-11-30',
      projectId: 'p-gone',
    };
    const params = withAuditFilterInputs(new URLSearchParams(), inputs);
    expect(readInstanceAuditFilterInputs(new URLSearchParams(params.toString()))).toEqual(inputs);
  });

  it('leaves empty filters out and keeps parameters that are not filters', () => {
    const params = withAuditFilterInputs(
      new URLSearchParams('tab=changes&resourceType=flag&from=2026-11-01'),
      NO_INSTANCE_AUDIT_FILTERS,
    );
    expect(params.toString()).toBe('tab=changes');
  });

  it('drops values no filter could show', () => {
    expect(
      readInstanceAuditFilterInputs(
        new URLSearchParams(
          `resourceType=user&actor=user:&from=2026-1-1&to=tomorrow&projectId=${'p'.repeat(101)}`,
        ),
      ),
    ).toEqual(NO_INSTANCE_AUDIT_FILTERS);
    expect(readAuditFilterInputs(new URLSearchParams('actor=robot')).actor).toBeNull();
    expect(readAuditFilterInputs(new URLSearchParams(`actor=user:${'u'.repeat(101)}`)).actor).toBeNull();
    expect(readAuditFilterInputs(new URLSearchParams('actor=system')).actor).toBe('system');
    expect(readAuditFilterInputs(new URLSearchParams('actor=api_key')).actor).toBe('api_key');
  });
});
