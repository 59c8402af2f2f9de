/**
 * @module infra/docker/dockerfile.test
 * Lints the production Dockerfile without a container engine: `dockerfile-utils` (the Docker language
 * server's validator) for syntax and instruction errors, then this project's rules, the subset of
 * hadolint's that matter here (hadolint itself is on neither npm nor Debian): pinned base images, no
 * ADD, a non-root numeric USER, a HEALTHCHECK, tini as PID 1 with the server in exec form so SIGTERM
 * reaches Node.js, production dependencies from `npm ci --omit=dev`, tidy apt-get, no compiler at
 * run time. The `.dockerignore` is checked against every file the Dockerfile copies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { isIgnored, parseDockerignore } from './dockerignore.js';

const root = new URL('../../', import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, root), 'utf8');

const dockerfileText = read('Dockerfile');
const dockerfile = DockerfileParser.parse(dockerfileText);
const rootPackage = JSON.parse(read('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
}

/** Instructions grouped by the FROM that starts their stage. */
const stages: Stage[] = [];
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() === 'FROM') {
    const [base = '', , name = null] = instruction.getArguments().map((argument) => argument.getValue());
    stages.push({ base, name, instructions: [] });
  } else stages.at(-1)?.instructions.push(instruction);
}
const runtime = stages.at(-1) as Stage;
const inStage = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);
const argumentsOf = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
const lines = dockerfileText.split('\n');
/** The instruction's whole source text, flags included (dockerfile-ast leaves flags out of arguments). */
function sourceOf(instruction: Instruction): string {
  const { start, end } = instruction.getRange();
  return lines.slice(start.line, end.line + 1).join('\n');
}
const everyRun = stages.flatMap((stage) => inStage(stage, 'RUN')).map(argumentsOf);

/** The exec-form array of a CMD, ENTRYPOINT or HEALTHCHECK CMD, or null for the shell form. */
function execForm(text: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

describe('Dockerfile', () => {
  it('has no errors or warnings from the Dockerfile validator', () => {
    expect(validate(dockerfileText)).toEqual([]);
    // The validator does report what it should: a sanity check that the empty list means something.
    expect(validate('FROM node:20\nHEALTHCHECK CMD true\nHEALTHCHECK CMD false\n').length).toBeGreaterThan(0);
  });

  it('pins every base image to an exact release (or an earlier stage), never latest', () => {
    const stageNames = new Set<string>();
    for (const stage of stages) {
      if (!stageNames.has(stage.base)) {
        expect(stage.base, stage.base).toMatch(
          /^[a-z0-9./-]+:\d+\.\d+\.\d+[a-z0-9.-]*(@sha256:[0-9a-f]{64})?$/,
        );
        expect(stage.base).not.toContain(':latest');
      }
      if (stage.name) stageNames.add(stage.name);
    }
  });

  it('runs a Node.js release the project supports', () => {
    for (const stage of stages.filter((s) => s.base.startsWith('node:'))) {
      const version = stage.base.match(/^node:(\d+\.\d+\.\d+)/)?.[1];
      expect(version, stage.base).toBeDefined();
      // engines.node is a range (`^20.19.0 || ^22.13.0 || >=24.0.0`), not one minimum.
      expect(semver.satisfies(version ?? '', rootPackage.engines.node), stage.base).toBe(true);
    }
  });

  it('never uses ADD (no remote URLs, no implicit archive extraction)', () => {
    expect(dockerfile.getInstructions().filter((i) => i.getKeyword() === 'ADD')).toEqual([]);
  });

  it('runs as a numeric non-root user in the final image', () => {
    const users = inStage(runtime, 'USER').map(argumentsOf);
    const last = users.at(-1) ?? 'root';
    expect(last).toMatch(/^\d+(:\d+)?$/);
    expect(Number(last.split(':')[0])).toBeGreaterThan(0);
  });

  it('checks its own health on /healthz in exec form', () => {
    const [healthcheck, ...more] = inStage(runtime, 'HEALTHCHECK').map(argumentsOf);
    expect(more).toEqual([]);
    const command = execForm((healthcheck ?? '').replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(command?.[0]).toBe('node');
    expect(command?.join(' ')).toContain('/healthz');
  });

  it('starts tini as PID 1 and the server in exec form, so SIGTERM reaches Node.js', () => {
    expect(execForm(argumentsOf(inStage(runtime, 'ENTRYPOINT')[0] as Instruction))).toEqual([
      '/usr/bin/tini',
      '--',
    ]);
    const command = execForm(argumentsOf(inStage(runtime, 'CMD')[0] as Instruction));
    // The same entry point `npm start` runs after building.
    expect(rootPackage.scripts.start).toContain(command?.join(' '));
    for (const signal of inStage(runtime, 'STOPSIGNAL').map(argumentsOf)) expect(signal).toBe('SIGTERM');
    expect(everyRun.join('\n')).toContain('tini');
  });

  it('ships only production dependencies, installed reproducibly from the lockfile', () => {
    // The stage whose whole /app (manifests and node_modules) the runtime copies.
    const appCopy = inStage(runtime, 'COPY')
      .map(sourceOf)
      .find((source) => /\s\/app\s+\.\/$/.test(source));
    const moduleSource = stages.find((stage) => stage.name === appCopy?.match(/--from=(\S+)/)?.[1]);
    expect(moduleSource?.name).toBe('deps');
    expect(
      inStage(moduleSource as Stage, 'RUN')
        .map(argumentsOf)
        .join('\n'),
    ).toMatch(/npm ci [^\n]*--omit=dev/);
    for (const command of everyRun) expect(command).not.toMatch(/npm (install|i)\b/);
  });

  it('installs apt packages without recommends and removes the package lists in the same layer', () => {
    const installs = everyRun.filter((command) => command.includes('apt-get install'));
    expect(installs.length).toBeGreaterThan(0);
    for (const command of installs) {
      expect(command).toContain('--no-install-recommends');
      expect(command).toContain('-y');
      expect(command).toContain('rm -rf /var/lib/apt/lists/*');
    }
    for (const command of everyRun) {
      expect(command).not.toMatch(/\bsudo\b|\bcd\b|apt-get upgrade/);
    }
  });

  it('pins the packages the runtime image installs and carries no compiler', () => {
    const runtimeInstalls = inStage(runtime, 'RUN').map(argumentsOf).join('\n');
    expect(runtimeInstalls).not.toMatch(/\b(g\+\+|gcc|make|python3)\b/);
    const packages =
      runtimeInstalls
        .match(/--no-install-recommends ([^&]+)/)?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    for (const name of packages) expect(name).toMatch(/^[a-z0-9.+-]+=\S+$/);
  });

  it('carries pg_dump and pg_restore of PostgreSQL 16 from the PostgreSQL project, key verified', () => {
    // `cleave backup` runs pg_dump, which must be at least the server's major version (RDS: 16).
    const runtimeInstalls = inStage(runtime, 'RUN').map(argumentsOf).join('\n');
    expect(runtimeInstalls).toMatch(/apt-get install [^&]*\bpostgresql-client-16=16\.\S*/);
    expect(runtimeInstalls).toMatch(
      /deb \[signed-by=\/usr\/share\/keyrings\/pgdg\.gpg\] https?:\/\/apt\.postgresql\.org\/pub\/repos\/apt bookworm-pgdg main/,
    );
    const keyCopy = inStage(runtime, 'COPY')
      .map(sourceOf)
      .find((source) => source.includes('/usr/share/keyrings/pgdg.gpg'));
    const keyStage = stages.find((stage) => stage.name === keyCopy?.match(/--from=(\S+)/)?.[1]);
    expect(keyStage, 'the stage the signing key comes from').toBeDefined();
    const keySteps = inStage(keyStage as Stage, 'RUN')
      .map(argumentsOf)
      .join('\n');
    // The key is trusted only if it is the one whose fingerprint the PostgreSQL project publishes.
    expect(keySteps).toContain('B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8');
    expect(keySteps).toMatch(/curl -fsSL https:\/\/www\.postgresql\.org\/media\/keys\/ACCC4CF8\.asc/);
    expect(
      inStage(keyStage as Stage, 'SHELL')
        .map(argumentsOf)
        .join(' '),
    ).toContain('pipefail');
  });

  it('uses absolute working directories', () => {
    for (const stage of stages)
      for (const dir of inStage(stage, 'WORKDIR').map(argumentsOf)) expect(dir).toMatch(/^\//);
  });
});

describe('.dockerignore', () => {
  const rules = parseDockerignore(read('.dockerignore'));
  const copiedFromContext = stages
    .flatMap((stage) => inStage(stage, 'COPY'))
    .filter((copy) => !sourceOf(copy).includes('--from='))
    .flatMap((copy) =>
      copy
        .getArguments()
        .slice(0, -1)
        .map((argument) => argument.getValue()),
    );

  it('lets every file the Dockerfile copies into the build context', () => {
    expect(copiedFromContext.length).toBeGreaterThan(5);
    for (const source of copiedFromContext) {
      expect(existsSync(new URL(source, root)), source).toBe(true);
      expect(isIgnored(source, rules), source).toBe(false);
    }
    for (const source of [
      'packages/server/src/main.ts',
      'packages/web/index.html',
      'packages/core/vectors',
    ]) {
      expect(isIgnored(source, rules), source).toBe(false);
    }
  });

  it('keeps local state, secrets, builds and history out of the context', () => {
    for (const path of [
      'node_modules/fastify/package.json',
      'packages/server/node_modules/x',
      'packages/server/dist/main.js',
      '.cleave/cleave.db',
      '.env',
      'packages/server/.env',
      '.git/HEAD',
      'infra/aws/cdk.out/manifest.json',
      'infra/k8s/base/kustomization.yaml',
    ]) {
      expect(isIgnored(path, rules), path).toBe(true);
    }
  });

  it('matches with Docker semantics: one segment per *, any depth for **, last rule wins', () => {
    const sample = parseDockerignore('# comment\n*.md\n**/dist\ninfra/**\n!infra/aws/package.json\n');
    expect(isIgnored('README.md', sample)).toBe(true);
    expect(isIgnored('docs/events.md', sample)).toBe(false);
    expect(isIgnored('dist/a.js', sample)).toBe(true);
    expect(isIgnored('packages/web/dist/index.html', sample)).toBe(true);
    expect(isIgnored('infra/aws/bin/app.ts', sample)).toBe(true);
    expect(isIgnored('infra/aws/package.json', sample)).toBe(false);
    expect(isIgnored('./infrastructure', sample)).toBe(false);
  });
});
