/**
 * @module infra/github/workflows.test
 * The GitHub Actions workflows are not run here, so this checks them statically: both pass GitHub's
 * own workflow parser and schema (`@actions/workflow-parser`), CI runs exactly the commands of
 * `.ci/run` (section by section, in order) against the services `.ci/run` expects, and the release
 * workflow builds and pushes the Dockerfile's image on version tags only.
 */
import { readFileSync } from 'node:fs';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, root), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { services?: Record<string, { image: string; ports?: string[] }>; steps: Step[] }>;
}

const ciText = read('.github/workflows/ci.yml');
const releaseText = read('.github/workflows/release.yml');
const ci = parse(ciText) as Workflow;
const release = parse(releaseText) as Workflow;

/** Command lines of a script: trimmed, without blank lines and comments. */
const commands = (script: string) =>
  script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

/** `.ci/run` split at its `log "section"` lines: section name → that section's command lines. */
function ciRunSections(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of commands(read('.ci/run'))) {
    const heading = line.match(/^log "(.+)"$/);
    if (heading) {
      current = [];
      sections.set(heading[1] as string, current);
    } else current?.push(line);
  }
  return sections;
}

describe('GitHub workflows', () => {
  it.each([
    ['ci.yml', ciText],
    ['release.yml', releaseText],
  ])('%s passes GitHub’s workflow parser without errors', (name, content) => {
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    expect(result.value).toBeDefined();
    // The parser does report schema errors: a step with neither run nor uses is refused.
    const broken = parseWorkflow(
      { name, content: 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - name: nothing\n' },
      new NoOperationTraceWriter(),
    );
    expect(broken.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe('ci.yml', () => {
  const job = ci.jobs.ci as Workflow['jobs'][string];
  const sections = ciRunSections();

  it('runs every section of .ci/run as a step of the same name with the same commands, in order', () => {
    const named = job.steps.filter((step) => step.name !== undefined);
    const order = named.map((step) => step.name);
    expect([...sections.keys()].every((section) => order.includes(section))).toBe(true);
    expect(order.filter((name) => sections.has(name as string))).toEqual([...sections.keys()]);
    for (const [section, lines] of sections) {
      if (section === 'services') continue;
      const step = named.find((candidate) => candidate.name === section);
      expect(commands(step?.run ?? ''), section).toEqual(lines);
    }
  });

  it('provides each service .ci/run waits for on the port it checks', () => {
    const checked = [
      ...(sections.get('services') ?? []).join('\n').matchAll(/ensure_service (\w+) (\d+)/g),
    ].map((match) => [match[1], match[2]] as const);
    expect(checked.map(([name]) => name)).toEqual(['PostgreSQL', 'Redis', 'NATS']);
    const published = [
      ...Object.values(job.services ?? {}).flatMap((service) => service.ports ?? []),
      ...[...(job.steps.find((step) => step.name === 'services')?.run ?? '').matchAll(/-p (\d+:\d+)/g)].map(
        (match) => match[1] as string,
      ),
    ];
    for (const [name, port] of checked) expect(published, name).toContain(`${port}:${port}`);
    expect(job.steps.find((step) => step.name === 'services')?.run).toMatch(/nats:[\d.]+ -js/);
  });

  it('uses the Node.js version the Dockerfile ships and reads nothing but the repository', () => {
    const node = job.steps.find((step) => step.uses?.startsWith('actions/setup-node'));
    expect(read('Dockerfile')).toContain(`FROM node:${node?.with?.['node-version']}-`);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});

describe('release.yml', () => {
  const steps = (release.jobs.image as Workflow['jobs'][string]).steps;

  it('runs on version tags only', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push).toEqual({ tags: ['v*.*.*'] });
  });

  it('builds the root Dockerfile and pushes it to the registry, tagged by version', () => {
    const build = steps.find((step) => step.uses?.startsWith('docker/build-push-action'));
    expect(build?.with).toMatchObject({ context: '.', file: 'Dockerfile', push: true });
    const meta = steps.find((step) => step.uses?.startsWith('docker/metadata-action'));
    expect(meta?.with?.images).toMatch(/^ghcr\.io\/.+\/cleave$/);
    expect(String(meta?.with?.tags)).toContain('type=semver,pattern={{version}}');
    expect(release.permissions).toMatchObject({ contents: 'read', packages: 'write' });
  });
});
