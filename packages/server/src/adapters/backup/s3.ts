/**
 * @module adapters/backup/s3
 * Backups kept in Amazon S3 (or an S3-compatible store): `cleave backup s3://bucket/prefix/` writes
 * the backup to a local temporary file as usual, then uploads it (multipart, so size is no limit);
 * `cleave restore s3://bucket/key` downloads it first. Credentials come from the AWS SDK's default
 * chain: the task role on ECS, the instance or pod role, or `AWS_*` variables. Encryption at rest is
 * the bucket's (its default KMS key); nothing here names a key.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BackupError } from './errors.js';

export interface S3Location {
  bucket: string;
  key: string;
}

export interface S3Settings {
  /** An S3-compatible endpoint instead of AWS's (path-style addressing); `CLEAVE_BACKUP_S3_ENDPOINT`. */
  endpoint?: string | undefined;
  /** Default: the SDK's (`AWS_REGION`, which ECS sets). */
  region?: string | undefined;
  /** Keys from the command's environment (`AWS_ACCESS_KEY_ID`…); absent: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

/** The S3 settings of the `cleave` command's environment. */
export function s3SettingsFrom(env: Record<string, string | undefined>): S3Settings {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    endpoint: env.CLEAVE_BACKUP_S3_ENDPOINT || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    credentials:
      accessKeyId && secretAccessKey
        ? {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
          }
        : undefined,
  };
}

export const isS3Url = (target: string): boolean => target.startsWith('s3://');

/**
 * Reads `s3://bucket/key`. A key ending in `/` (or none) is a folder: the backup is named in it by
 * its time, `cleave-2026-11-30T01-00-00.000Z.backup`, so a schedule never overwrites a backup.
 */
export function parseS3Url(url: string, now: Date = new Date()): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match?.[1])
    throw new BackupError(`"${url}" is not an S3 location: write s3://<bucket>/<key or folder/>.`);
  const path = match[2] ?? '';
  const key =
    path === '' || path.endsWith('/')
      ? `${path}cleave-${now.toISOString().replaceAll(':', '-')}.backup`
      : path;
  return { bucket: match[1], key };
}

export function s3Url(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

function client(settings: S3Settings): S3Client {
  return new S3Client({
    ...(settings.region && { region: settings.region }),
    ...(settings.credentials && { credentials: settings.credentials }),
    // S3-compatible stores (MinIO, Ceph, …) address buckets by path and may not accept the trailing
    // checksums the SDK adds by default; the upload is still verified by its ETag.
    ...(settings.endpoint && {
      endpoint: settings.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    }),
  });
}

export async function uploadBackup(file: string, location: S3Location, settings: S3Settings): Promise<void> {
  const s3 = client(settings);
  try {
    // Parts of 16 MiB, four at a time: a dump of tens of gigabytes stays under S3's 10,000 parts.
    const upload = new Upload({
      client: s3,
      params: { Bucket: location.bucket, Key: location.key, Body: createReadStream(file) },
      partSize: 16 * 1024 * 1024,
      queueSize: 4,
      leavePartsOnError: false,
    });
    await upload.done();
  } catch (error) {
    throw new BackupError(`Uploading the backup to ${s3Url(location)} failed: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    s3.destroy();
  }
}

export async function downloadBackup(
  location: S3Location,
  file: string,
  settings: S3Settings,
): Promise<void> {
  const s3 = client(settings);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    if (!(object.Body instanceof Readable)) throw new Error('the object has no body');
    await pipeline(object.Body, createWriteStream(file));
  } catch (error) {
    throw new BackupError(`Downloading the backup ${s3Url(location)} failed: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    s3.destroy();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
