#!/usr/bin/env node
/**
 * @module .ci/check-engines
 * Fails when an installed package does not support every Node.js line the root package.json
 * promises (`engines.node`). npm only warns about such packages (EBADENGINE), and only for the Node
 * running the install, so a dependency that needs Node 22 went unnoticed while the README promised
 * Node 20. This reads the lockfile instead: the answer is the same on every CI machine.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';

const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));
const promised = manifest.engines?.node;
if (!promised) {
  console.error('package.json promises no engines.node');
  process.exit(1);
}

// The oldest promised release of each major line up to two past the newest named one, e.g.
// "^20.19.0 || >=22.13.0" → 20.19.0, 22.13.0, 23.0.0, 24.0.0…: a package must run on each.
const range = new semver.Range(promised);
const lowest = range.set.flat().filter((comparator) => comparator.operator.startsWith('>'));
const lastMajor = Math.max(...lowest.map((comparator) => comparator.semver.major)) + 2;
const floors = [];
for (let major = semver.minVersion(range).major; major <= lastMajor; major++) {
  const oldest = semver.minVersion(`${major}.x`);
  const candidate = lowest
    .map((comparator) => comparator.semver)
    .filter((version) => version.major === major)
    .map((version) => version.version)
    .concat(oldest ? [oldest.version] : [])
    .find((version) => semver.satisfies(version, range));
  if (candidate) floors.push(candidate);
}

const failures = [];
for (const [location, entry] of Object.entries(lock.packages ?? {})) {
  const required = entry.engines?.node;
  // Optional packages (other platforms' native builds) are skipped by npm when they don't fit.
  if (!location || !required || entry.optional) continue;
  const refused = floors.filter((version) => !semver.satisfies(version, required));
  if (refused.length > 0)
    failures.push(`${location}@${entry.version} needs node ${required} (not ${refused.join(', ')})`);
}

if (failures.length > 0) {
  console.error(`Packages that do not run on every Node.js the project promises (${promised}):`);
  for (const failure of failures) console.error(`  ${failure}`);
  console.error(
    'Pin a compatible version with "overrides" in package.json, or change engines.node everywhere.',
  );
  process.exit(1);
}
console.log(`every installed package supports node ${promised} (checked ${floors.join(', ')})`);
