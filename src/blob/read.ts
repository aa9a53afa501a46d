import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { prepared, type Pool } from '../db/pool';
import { readLargeObject } from './large-object';
import type { BlobStore } from './store';

/**
 * Reading a blob by its sha256, wherever its row says it is: inline in PostgreSQL (`blobs.content`), a
 * PostgreSQL large object (`blobs.lo_oid`, BLOB_STORE=postgres: every node reads it) or a file in
 * DATA_DIR (BLOB_STORE=fs: only where DATA_DIR is). Every reader of received content goes through here.
 */

export class BlobMissingError extends Error {
  readonly code = 'BLOB_MISSING';
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is neither in the database nor in the blob store`);
    this.name = 'BlobMissingError';
  }
}

/**
 * A blob whose row says it is a file, and the file is not in this node's DATA_DIR: written by a node with
 * BLOB_STORE=fs and another DATA_DIR (or lost). Its message names the setting; like any missing blob it
 * is INTERNAL (src/errors.ts): the capsule is parked for an operator (intake) or the send lands for a
 * person to decide, never retried on its own — after the setting is mended (or the files migrated),
 * `dhx replay` takes it up again.
 */
export class BlobNotHereError extends BlobMissingError {
  constructor(sha256: string, dataDir: string) {
    super(sha256);
    this.message =
      `blob ${sha256} is a file that is not in this node's DATA_DIR (${dataDir}): it was stored with BLOB_STORE=fs by a node with another DATA_DIR, or removed; ` +
      'nodes that do not share DATA_DIR need BLOB_STORE=postgres (existing files: dhx blobs migrate --to postgres on the node that has them)';
    this.name = 'BlobNotHereError';
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

export type BlobLocation = 'inline' | 'large-object' | 'file' | 'removed';

/**
 * Where a blob lives: `inline` (in its row), `large-object` (PostgreSQL) or `file` (a DATA_DIR); `removed`
 * when retention took its content (the row stays); undefined when unknown.
 */
export async function blobLocation(pool: Pool, sha256: string): Promise<BlobLocation | undefined> {
  const r = await pool.query<{ inline: boolean; lo: boolean; removed: boolean }>(
    'SELECT content IS NOT NULL AS inline, lo_oid IS NOT NULL AS lo, removed_at IS NOT NULL AS removed FROM blobs WHERE sha256 = $1',
    [sha256],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return row.inline ? 'inline' : row.lo ? 'large-object' : row.removed ? 'removed' : 'file';
}

/** The blob's bytes as a stream (a file or large object is streamed in chunks, never read whole). */
export async function openBlob(pool: Pool, store: BlobStore, sha256: string): Promise<Readable> {
  const r = await pool.query<{ content: Buffer | null; lo_oid: number | null; size: string; removed_at: Date | null }>(
    prepared('SELECT content, lo_oid, size, removed_at FROM blobs WHERE sha256 = $1', [sha256]),
  );
  const row = r.rows[0];
  if (row?.content) return Readable.from([row.content]);
  if (row?.lo_oid !== null && row?.lo_oid !== undefined) return readLargeObject(pool, Number(row.lo_oid), Number(row.size));
  if (row?.removed_at) throw new BlobRemovedError(sha256, row.removed_at);
  const file = store.fileOf(sha256);
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    // No row: the caller asked for something never stored. A file row without its file: another node's.
    if (row) throw new BlobNotHereError(sha256, path.dirname(store.tmpDir));
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
