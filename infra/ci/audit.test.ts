import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the CI scripts, without type declarations.
import { auditVerdict } from '../../.ci/audit.mjs';

/** CI's dependency audit: which `npm audit --json` reports fail the build. */

const advisory = (severity: string, url: string) => ({ severity, url, title: `a ${severity} advisory` });

function report(vulnerabilities: Record<string, { severity: string; via: unknown[] }>) {
  return { auditReportVersion: 2, vulnerabilities };
}

describe('dependency audit verdict', () => {
  it('fails on a high or critical advisory that is not excepted', () => {
    const verdict = auditVerdict(
      report({
        lodash: { severity: 'high', via: [advisory('high', 'https://github.com/advisories/GHSA-1')] },
        app: { severity: 'high', via: ['lodash'] },
      }),
      [],
    );
    expect(verdict.outcome).toBe('fail');
    expect(verdict.lines).toEqual([expect.stringContaining('GHSA-1')]);
  });

  it('passes on moderate advisories and on documented, unexpired exceptions', () => {
    const exceptions = [
      {
        advisory: 'https://github.com/advisories/GHSA-2',
        reason: 'dev-only, never reached',
        until: '2999-01-01',
      },
    ];
    const verdict = auditVerdict(
      report({
        minimist: {
          severity: 'moderate',
          via: [advisory('moderate', 'https://github.com/advisories/GHSA-3')],
        },
        tar: { severity: 'critical', via: [advisory('critical', 'https://github.com/advisories/GHSA-2')] },
      }),
      exceptions,
    );
    expect(verdict.outcome).toBe('pass');
    expect(verdict.lines).toEqual([expect.stringContaining('excepted: tar')]);
  });

  it('fails again once an exception has expired', () => {
    const verdict = auditVerdict(
      report({
        tar: { severity: 'critical', via: [advisory('critical', 'https://github.com/advisories/GHSA-2')] },
      }),
      [
        {
          advisory: 'https://github.com/advisories/GHSA-2',
          reason: 'waiting for a fix',
          until: '2020-01-01',
        },
      ],
    );
    expect(verdict.outcome).toBe('fail');
  });

  it('reports an unreachable audit service without failing', () => {
    const verdict = auditVerdict({ message: '405 Method Not Allowed', statusCode: 405 }, []);
    expect(verdict.outcome).toBe('unavailable');
    expect(verdict.lines[0]).toContain('405');
  });
});
