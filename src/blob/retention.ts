import fs from 'node:fs';
import type { Pool } from '../db/pool';
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
  // Marked first: from this commit on readers get the clear error; the file goes after (a crash between
  // leaves a file the next pass does not see, never a row pointing at nothing without saying why).
  const r = await pool.query<{ inline: boolean; size: string }>(
    `WITH old AS (SELECT sha256, content IS NOT NULL AS inline FROM blobs WHERE sha256 = $1 AND removed_at IS NULL FOR UPDATE)
     UPDATE blobs b SET content = NULL, removed_at = now() FROM old WHERE b.sha256 = old.sha256 RETURNING old.inline, b.size`,
    [sha256],
  );
  const row = r.rows[0];
  if (!row) return { removed: false, size: 0 };
  if (!row.inline) await fs.promises.rm(store.pathOf(sha256), { force: true });
  return { removed: true, size: Number(row.size), where: row.inline ? 'inline' : 'file' };
}
