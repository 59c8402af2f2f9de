#!/usr/bin/env node
// Dependency audit for CI: `npm audit --audit-level=high`, with documented exceptions
// (.ci/audit-exceptions.json: advisory URL, why it does not apply, until when). A high or critical
// advisory that is not excepted fails the build; an audit service that cannot be reached (offline,
// a registry mirror without the audit endpoint) is reported and does not.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FAILING = new Set(['high', 'critical']);

/**
 * What to do with `npm audit --json`'s report: `{ outcome: 'pass' | 'fail' | 'unavailable', lines }`.
 * @param {any} report the parsed JSON npm printed
 * @param {{ advisory: string, reason: string, until: string }[]} exceptions
 * @param {Date} now
 */
export function auditVerdict(report, exceptions, now = new Date()) {
  if (!report || typeof report.vulnerabilities !== 'object') {
    const why = report?.message ?? report?.error?.summary ?? 'no report';
    return { outcome: 'unavailable', lines: [`npm audit could not run: ${why}`] };
  }
  const excepted = new Map(
    exceptions.filter((entry) => new Date(entry.until) >= now).map((entry) => [entry.advisory, entry]),
  );
  const lines = [];
  let failing = 0;
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    if (!FAILING.has(vulnerability.severity)) continue;
    // `via` lists advisories (objects) or the dependencies that carry them (strings): the
    // advisories themselves are reported under their own package.
    const advisories = vulnerability.via.filter(
      (via) => typeof via === 'object' && FAILING.has(via.severity),
    );
    for (const advisory of advisories) {
      const exception = excepted.get(advisory.url);
      if (exception) {
        lines.push(`excepted: ${name} ${advisory.url} (${exception.reason}; until ${exception.until})`);
      } else {
        failing += 1;
        lines.push(`${advisory.severity}: ${name} ${advisory.title} ${advisory.url}`);
      }
    }
  }
  return { outcome: failing > 0 ? 'fail' : 'pass', lines };
}

async function main() {
  const exceptions = JSON.parse(readFileSync(new URL('./audit-exceptions.json', import.meta.url), 'utf8'));
  const stdout = await new Promise((resolve) => {
    execFile('npm', ['audit', '--audit-level=high', '--json'], { maxBuffer: 64 * 1024 * 1024 }, (_, out) =>
      resolve(out),
    );
  });
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = undefined;
  }
  const { outcome, lines } = auditVerdict(report, exceptions);
  for (const line of lines) console.log(line);
  if (outcome === 'unavailable') console.log('dependency audit skipped: the audit service is unreachable');
  if (outcome === 'pass') console.log('dependency audit: no high or critical advisory');
  if (outcome === 'fail') {
    console.error('dependency audit failed: fix, or document an exception in .ci/audit-exceptions.json');
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
