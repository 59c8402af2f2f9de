/**
 * @module infra/aws/lib/launch-command.test
 * Runs the launch script in a real shell with the variables ECS would inject and feeds what it
 * exports to the server's own configuration loader.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../packages/server/src/runtime/config.js';
import { LAUNCH_VARIABLES, launchCommand, URL_SAFE_EXCLUDED } from './launch-command.js';

const injected = {
  DB_HOST: 'cleave.abc123.eu-west-1.rds.amazonaws.com',
  DB_PORT: '5432',
  DB_NAME: 'cleave',
  DB_USER: 'cleave',
  DB_PASSWORD: 'p4ss-W0rd_with.safe_chars',
  REDIS_HOST: 'master.cleave.abc123.euw1.cache.amazonaws.com',
  REDIS_PORT: '6379',
  REDIS_AUTH_TOKEN: 'T0ken-of_safe.chars',
};

function environmentAfterLaunch(variables: Record<string, string>): Record<string, string> {
  const [shell, ...args] = launchCommand(['env']);
  const result = spawnSync(shell as string, args, {
    env: { PATH: process.env.PATH, ...variables },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return Object.fromEntries(
    result.stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('launchCommand', () => {
  it('exports connection URLs the server accepts and hides the raw secrets from the process', () => {
    const environment = environmentAfterLaunch(injected);
    expect(environment.DB_PASSWORD).toBeUndefined();
    expect(environment.REDIS_AUTH_TOKEN).toBeUndefined();
    const config = loadConfig(environment);
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://cleave:p4ss-W0rd_with.safe_chars@cleave.abc123.eu-west-1.rds.amazonaws.com:5432/cleave?sslmode=no-verify',
    });
    const redis = new URL(config.redisUrl ?? '');
    expect(redis.protocol).toBe('rediss:');
    expect(redis.password).toBe(injected.REDIS_AUTH_TOKEN);
    expect(redis.host).toBe(`${injected.REDIS_HOST}:6379`);
  });

  it('points analysis reads at the read replica when DB_READ_HOST names one, and not otherwise', () => {
    const withReplica = loadConfig(
      environmentAfterLaunch({
        ...injected,
        DB_READ_HOST: 'cleave-replica.abc123.eu-west-1.rds.amazonaws.com',
      }),
    );
    expect(withReplica.readDatabaseUrl).toBe(
      'postgres://cleave:p4ss-W0rd_with.safe_chars@cleave-replica.abc123.eu-west-1.rds.amazonaws.com:5432/cleave?sslmode=no-verify',
    );
    expect(loadConfig(environmentAfterLaunch(injected)).readDatabaseUrl).toBeUndefined();
  });

  it('execs the command it wraps, arguments intact', () => {
    const [shell, ...args] = launchCommand(['printf', '%s|', 'a b', '$HOME']);
    const result = spawnSync(shell as string, args, { env: injected, encoding: 'utf8' });
    expect(result.stdout).toBe('a b|$HOME|');
  });

  it('reads exactly the variables it declares', () => {
    const script = launchCommand([])[2] ?? '';
    const read = new Set([...script.matchAll(/\$([A-Z_]+)/g)].map((match) => match[1]));
    expect(read).toEqual(
      new Set([...LAUNCH_VARIABLES.database, ...LAUNCH_VARIABLES.replica, ...LAUNCH_VARIABLES.redis]),
    );
  });

  it('keeps every character that would need percent-encoding out of generated passwords', () => {
    for (const character of [':', '/', '@', '?', '#', '%', '[', ']', ' ', '"', "'", '\\', '$', '`']) {
      expect(URL_SAFE_EXCLUDED).toContain(character);
    }
  });
});
