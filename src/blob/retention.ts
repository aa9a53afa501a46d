import fs from 'node:fs';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import type { BlobStore } from './store';

/**
 * Removing a blob's content for retention (docs/operations.md, "Retention"): its `blobs` row stays, with
 * the content gone (`content` NULL, the file deleted) and `removed_at` set, so a reader answers "removed
 * by retention" (BlobRemovedError, read.ts) rather than "missing". Which blobs may go is decided by the
 * caller (src/operator/retention.ts); this is the one place that removes, whatever store keeps the bytes.
 */

export interface RemovedBlob {
  /** False when the blob was already removed, or has no row. */
  removed: boolean;
  size: number;
  where?: 'inline' | 'file';
}

export async function removeBlob(pool: Pool, store: BlobStore, sha256: string): Promise<RemovedBlob> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
  // The row stays locked while its file goes: the same bytes arriving meanwhile (BLOB_UPSERT) wait for
  // this commit and then bring the content back. A crash after the file went and before the commit leaves
  // the row unmarked; the next pass finds it again and marks it.
  return withTransaction(pool, async (client) => {
    const r = await client.query<{ inline: boolean; size: string }>(
      'SELECT content IS NOT NULL AS inline, size FROM blobs WHERE sha256 = $1 AND removed_at IS NULL FOR UPDATE',
      [sha256],
    );
    const row = r.rows[0];
    if (!row) return { removed: false, size: 0 };
    if (!row.inline) await fs.promises.rm(store.fileOf(sha256), { force: true });
    await client.query('UPDATE blobs SET content = NULL, removed_at = now() WHERE sha256 = $1', [sha256]);
    return { removed: true, size: Number(row.size), where: row.inline ? 'inline' : 'file' };
  });
}

/**
 * The conflict clause of every `INSERT INTO blobs`: the same bytes arriving again after retention removed
 * them bring their content back (inline content stored again, or the file the caller just committed
 * counted again), instead of leaving a new document pointing at a removed blob. A blob not removed is
 * left as it is, as `DO NOTHING` would.
 */
export const BLOB_UPSERT = 'ON CONFLICT (sha256) DO UPDATE SET content = EXCLUDED.content, removed_at = NULL WHERE blobs.removed_at IS NOT NULL';
