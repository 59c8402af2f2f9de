/**
 * @module adapters/backup/format
 * The backup file: one line of JSON (the header) followed by the payload, the same for both
 * dialects. The header lets restore refuse a file it cannot read — another format, a newer format
 * version, the other dialect, a schema newer than this Cleave — before it touches the target, and
 * its payload size and SHA-256 catch a truncated or damaged copy (the usual disaster-recovery
 * surprise) before anything is restored from it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { SqlDialect } from '../sql/sql-database.js';

export const BACKUP_FORMAT = 'cleave-backup';
/** Bumped when the header or payload layout changes; restore reads exactly this version. */
export const BACKUP_FORMAT_VERSION = 1;
/** A header is a few hundred bytes; anything without a newline this early is not a backup. */
const MAX_HEADER_BYTES = 16 * 1024;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  dialect: SqlDialect;
  /** The latest migration applied to the backed-up database; null for a database never migrated. */
  migration: string | null;
  createdAt: string;
  cleaveVersion: string;
  /** `sqlite-database` (a SQLite file) or `pg-dump-custom` (a `pg_dump --format=custom` archive). */
  payload: 'sqlite-database' | 'pg-dump-custom';
  payloadBytes: number;
  payloadSha256: string;
}

/** The file is not a backup this Cleave can restore; `message` says why, for the operator. */
export class BackupFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFormatError';
  }
}

export function encodeHeader(header: BackupHeader): Buffer {
  return Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
}

export interface OpenedBackup {
  header: BackupHeader;
  /** Byte offset where the payload starts. */
  payloadOffset: number;
}

/**
 * Reads and checks the header of `file`, then verifies the payload's size and checksum.
 * @throws BackupFormatError when the file is not a readable, intact Cleave backup.
 */
export async function readBackup(file: string): Promise<OpenedBackup> {
  const handle = await open(file, 'r');
  let head: Buffer;
  let fileBytes: number;
  try {
    fileBytes = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(MAX_HEADER_BYTES, fileBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const newline = head.indexOf(0x0a);
  const header = newline > 0 ? parseHeader(head.subarray(0, newline).toString('utf8')) : undefined;
  if (!header) throw new BackupFormatError(`${file} is not a Cleave backup (no ${BACKUP_FORMAT} header)`);
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `${file} is a Cleave backup of format version ${String(header.formatVersion)}; this Cleave reads version ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const payloadOffset = newline + 1;
  if (fileBytes - payloadOffset !== header.payloadBytes) {
    throw new BackupFormatError(
      `${file} is damaged: its payload has ${fileBytes - payloadOffset} bytes, the header promises ${header.payloadBytes}`,
    );
  }
  if ((await sha256(file, payloadOffset)) !== header.payloadSha256) {
    throw new BackupFormatError(`${file} is damaged: its payload does not match the header's SHA-256`);
  }
  return { header, payloadOffset };
}

function parseHeader(line: string): BackupHeader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const header = value as Partial<BackupHeader>;
  if (header.format !== BACKUP_FORMAT) return undefined;
  const wellFormed =
    typeof header.formatVersion === 'number' &&
    (header.formatVersion !== BACKUP_FORMAT_VERSION ||
      ((header.dialect === 'sqlite' || header.dialect === 'postgres') &&
        (header.migration === null || typeof header.migration === 'string') &&
        typeof header.createdAt === 'string' &&
        typeof header.cleaveVersion === 'string' &&
        (header.payload === 'sqlite-database' || header.payload === 'pg-dump-custom') &&
        Number.isSafeInteger(header.payloadBytes) &&
        typeof header.payloadSha256 === 'string'));
  return wellFormed ? (header as BackupHeader) : undefined;
}

/** SHA-256 (hex) of `file` from byte `start` to its end. */
export async function sha256(file: string, start = 0): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { start })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
