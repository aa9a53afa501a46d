import fs from 'node:fs';
import { Readable } from 'node:stream';
import { prepared, type Pool } from '../db/pool';
import type { BlobStore } from './store';

/**
 * Reading a blob by its sha256, wherever it was stored: inline in PostgreSQL (`blobs.content`, small
 * received capsules) or as a file in the blob store. Every reader of received content goes through here.
 */

export class BlobMissingError extends Error {
  readonly code = 'BLOB_MISSING';
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is neither in the database nor in the blob store`);
    this.name = 'BlobMissingError';
  }
}

/** The blob's content was removed by retention (RETENTION_DAYS); its row and the document's metadata remain. */
export class BlobRemovedError extends Error {
  readonly code = 'BLOB_REMOVED';
  constructor(
    readonly sha256: string,
    readonly removedAt: Date,
  ) {
    super(`the content of blob ${sha256} was removed by retention on ${removedAt.toISOString()} (RETENTION_DAYS); its metadata remains`);
    this.name = 'BlobRemovedError';
  }
}

/** Where a blob lives: `inline` (in the database) or `file` (DATA_DIR); undefined when unknown. */
export async function blobLocation(pool: Pool, sha256: string): Promise<'inline' | 'file' | undefined> {
  const r = await pool.query<{ inline: boolean }>('SELECT content IS NOT NULL AS inline FROM blobs WHERE sha256 = $1', [sha256]);
  const row = r.rows[0];
  return row ? (row.inline ? 'inline' : 'file') : undefined;
}

/** The blob's bytes as a stream (a file is streamed, never read whole). */
export async function openBlob(pool: Pool, store: BlobStore, sha256: string): Promise<Readable> {
  const r = await pool.query<{ content: Buffer | null; removed_at: Date | null }>(prepared('SELECT content, removed_at FROM blobs WHERE sha256 = $1', [sha256]));
  const content = r.rows[0]?.content;
  if (content) return Readable.from([content]);
  const removedAt = r.rows[0]?.removed_at;
  if (removedAt) throw new BlobRemovedError(sha256, removedAt);
  const file = store.pathOf(sha256);
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    throw new BlobMissingError(sha256);
  }
  return fs.createReadStream(file, { highWaterMark: 256 * 1024 });
}

/** The whole blob in memory: only for content known to be small (tests, inspection). */
export async function readBlob(pool: Pool, store: BlobStore, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await openBlob(pool, store, sha256)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
