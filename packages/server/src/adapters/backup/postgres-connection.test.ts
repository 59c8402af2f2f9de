import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connectionArguments } from './postgres.js';

describe('the connection pg_dump and pg_restore are given', () => {
  it('keeps the password out of the arguments', () => {
    const { args, env } = connectionArguments('postgres://cleave:s%40cret@db.internal:5432/cleave');
    expect(args.join(' ')).not.toContain('cret');
    expect(env).toEqual({ PGPASSWORD: 's@cret' });
  });

  it("turns node-postgres's sslmode=no-verify (the AWS launch command's) into libpq's require", () => {
    const { args } = connectionArguments('postgres://cleave:pw@db.internal:5432/cleave?sslmode=no-verify');
    expect(args).toEqual(['--dbname=postgres://cleave@db.internal:5432/cleave?sslmode=require']);
    expect(connectionArguments('postgres://u@h/d?sslmode=verify-full').args[0]).toContain(
      'sslmode=verify-full',
    );
  });

  // libpq itself judges the URL, through the pg_dump on this machine.
  const pgDump = spawnSync('pg_dump', ['--version']).status === 0;
  it.skipIf(!pgDump)('gives libpq a URL it accepts, where the original one is refused', () => {
    const url = 'postgres://nobody@127.0.0.1:1/none?sslmode=no-verify&connect_timeout=1';
    const refused = spawnSync('pg_dump', ['--schema-only', `--dbname=${url}`], { encoding: 'utf8' });
    expect(refused.stderr).toMatch(/invalid sslmode value/);
    const fixed = spawnSync('pg_dump', ['--schema-only', ...connectionArguments(url).args], {
      encoding: 'utf8',
    });
    expect(fixed.status).not.toBe(0);
    // It now fails to connect (nothing listens on port 1), not to parse.
    expect(fixed.stderr).not.toMatch(/invalid sslmode value/);
    expect(fixed.stderr).toMatch(/connection|connect/i);
  });
});
