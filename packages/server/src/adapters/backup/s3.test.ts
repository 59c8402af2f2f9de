import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleave } from '../../cli/commands.js';
import { freePort } from '../../test-support/ports.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { connectDatabase } from '../connect-database.js';
import { parseS3Url } from './s3.js';
import { rowCounts } from './tables.js';

// s3rver speaks the S3 protocol on loopback and checks signatures with its fixed credentials.
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'eu-west-1' };

describe('S3 locations', () => {
  it('names a backup in a folder by its time and keeps a full key as given', () => {
    const now = new Date('2026-11-30T01:02:03.004Z');
    expect(parseS3Url('s3://cleave-backups/nightly/', now)).toEqual({
      bucket: 'cleave-backups',
      key: 'nightly/cleave-2026-11-30T01-02-03.004Z.backup',
    });
    expect(parseS3Url('s3://cleave-backups', now).key).toBe('cleave-2026-11-30T01-02-03.004Z.backup');
    expect(parseS3Url('s3://cleave-backups/a/b.backup', now)).toEqual({
      bucket: 'cleave-backups',
      key: 'a/b.backup',
    });
    for (const bad of ['s3://', 's3://UPPER/x', 's3:///key', 's3://a/x'])
      expect(() => parseS3Url(bad), bad).toThrow(/not an S3 location/);
  });
});

describe('cleave backup and restore with an S3 location', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cleave-s3-test-'));
  let s3: S3rver;
  let endpoint: string;
  let source: TestApp;

  const cleave = async (dataDir: string, ...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { CLEAVE_DATA_DIR: dataDir, CLEAVE_BACKUP_S3_ENDPOINT: endpoint, ...CREDENTIALS };
    const code = await runCleave(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    const port = await freePort();
    s3 = new S3rver({
      port,
      address: '127.0.0.1',
      silent: true,
      directory: path.join(scratch, 's3'),
      configureBuckets: [{ name: 'cleave-backups', configs: [] }],
    });
    await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
    source = await createTestApp('sqlite');
    const owner = await source.signUpOwner();
    await source.createProject(owner);
    await source.environmentKey(owner);
  });
  afterAll(async () => {
    await source?.close();
    await s3?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('uploads a backup into a folder of the bucket, and restores it from there into an empty store', async () => {
    // The CLI backs up the database the server would use: the test app's file, found by its folder.
    const dataDir = path.dirname(source.database.location);
    const backup = await cleave(dataDir, 'backup', 's3://cleave-backups/nightly/');
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    const shown = /to (s3:\/\/\S+): \d+ bytes/.exec(backup.out)?.[1] ?? '';
    expect(shown).toMatch(/^s3:\/\/cleave-backups\/nightly\/cleave-.*\.backup$/);

    const client = new S3Client({
      endpoint,
      forcePathStyle: true,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      },
    });
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: 'cleave-backups', Prefix: 'nightly/' }),
    );
    client.destroy();
    expect(listed.Contents?.map((object) => `s3://cleave-backups/${object.Key}`)).toEqual([shown]);

    const restoreDir = path.join(scratch, 'restored');
    const restore = await cleave(restoreDir, 'restore', shown);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    const restored = connectDatabase({ kind: 'sqlite', file: path.join(restoreDir, 'cleave.db') });
    try {
      const counts = await rowCounts(restored.db);
      expect(counts).toEqual(await rowCounts(source.database.database.db));
      expect(counts.users).toBe(1);
    } finally {
      await restored.close();
    }
  });

  it('fails with a one-line reason when the bucket is missing, and refuses a folder to restore from', async () => {
    const dataDir = path.dirname(source.database.location);
    const missing = await cleave(dataDir, 'backup', 's3://no-such-bucket/x/');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^Uploading the backup to s3:\/\/no-such-bucket\/x\/cleave-.* failed: .*bucket/i,
    );
    const folder = await cleave(path.join(scratch, 'other'), 'restore', 's3://cleave-backups/nightly/');
    expect(folder.code).toBe(1);
    expect(folder.err).toMatch(/full key/);
  });
});
