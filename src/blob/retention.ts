import fs from 'node:fs';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import type { BlobStore } from './store';

/**
 * Removing a blob's content for retention (docs/operations.md, "Retention"): its `blobs` row stays, with
 * the content gone (`content` NULL, the large object unlinked, the file deleted) and `removed_at` set, so
 * a reader answers "removed by retention" (BlobRemovedError, read.ts) rather than "missing". Which blobs may go is decided by the
 * caller (src/operator/retention.ts); this is the one place that removes, whatever store keeps the bytes.
 */

export interface RemovedBlob {
  /** False when the blob was already removed, or has no row. */
  removed: boolean;
  size: number;
  where?: 'inline' | 'large-object' | 'file';
}

export async function removeBlob(pool: Pool, store: BlobStore, sha256: string): Promise<RemovedBlob> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
  // The row stays locked while its content goes: the same bytes arriving meanwhile (BLOB_UPSERT, or the
  // postgres store's commit) wait for this commit and then bring the content back. A large object is
  // unlinked by the row's trigger (migration 0017) when lo_oid is set NULL, in this same transaction, so
  // it goes exactly when the row says removed. A file goes before the commit; a crash after the file went
  // and before the commit leaves the row unmarked, and the next pass finds it again and marks it.
  return withTransaction(pool, async (client) => {
    const r = await client.query<{ inline: boolean; lo: boolean; size: string }>(
      'SELECT content IS NOT NULL AS inline, lo_oid IS NOT NULL AS lo, size FROM blobs WHERE sha256 = $1 AND removed_at IS NULL FOR UPDATE',
      [sha256],
    );
    const row = r.rows[0];
    if (!row) return { removed: false, size: 0 };
    const where = row.inline ? 'inline' : row.lo ? 'large-object' : 'file';
    if (where === 'file') await fs.promises.rm(store.fileOf(sha256), { force: true });
    await client.query('UPDATE blobs SET content = NULL, lo_oid = NULL, removed_at = now() WHERE sha256 = $1', [sha256]);
    return { removed: true, size: Number(row.size), where };
  });
}

/**
 * The conflict clause of every `INSERT INTO blobs`: the same bytes arriving again after retention removed
 * them bring their content back (inline content stored again, or the file the caller just committed
 * counted again; on BLOB_STORE=postgres the store's commit has already written a new large object and
 * cleared `removed_at`, store.ts), instead of leaving a new document pointing at a removed blob. A blob not removed is
 * left as it is, as `DO NOTHING` would.
 */
export const BLOB_UPSERT = 'ON CONFLICT (sha256) DO UPDATE SET content = EXCLUDED.content, removed_at = NULL WHERE blobs.removed_at IS NOT NULL';
