import fs from 'node:fs';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { LO_WRITE_CHUNK, writeLargeObject } from './large-object';
import type { BlobStore } from './store';

/**
 * `dhx blobs migrate --to postgres` (docs/receive.md, "Where blobs are kept"): every blob that
 * is a file in this node's DATA_DIR becomes a large object. Each blob is its own transaction: the file is
 * streamed into a new large object while it is hashed, the hash must be the blob's address, and only
 * then the row names the large object; the file is removed after the commit. Stopped at any point, a
 * re-run continues with the files still left (a file whose row already names a large object is simply
 * removed). Rows whose content retention removed are not files and are skipped. Files of another
 * node's DATA_DIR are counted as not here, to be moved on that node.
 */

export interface BlobMigration {
  dryRun: boolean;
  /** File blobs found in the database when the run started. */
  files: number;
  /** Moved into large objects (dry run: would be moved). */
  moved: number;
  bytes: number;
  /** Rows whose file is not in this DATA_DIR (another node's, or lost). */
  notHere: string[];
  /** Files whose content does not hash to their address: left as they are, for a person to look at. */
  mismatched: string[];
}

class Mismatch extends Error {}

const BATCH = 100;

export async function migrateBlobsToPostgres(pool: Pool, store: BlobStore, o: { dryRun?: boolean; progress?: (line: string) => void } = {}): Promise<BlobMigration> {
  const dryRun = o.dryRun ?? false;
  const total = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE content IS NULL AND lo_oid IS NULL AND removed_at IS NULL');
  const report: BlobMigration = { dryRun, files: total.rows[0]!.n, moved: 0, bytes: 0, notHere: [], mismatched: [] };
  let after = '';
  let seen = 0;
  for (;;) {
    const batch = await pool.query<{ sha256: string; size: string }>(
      'SELECT sha256, size FROM blobs WHERE content IS NULL AND lo_oid IS NULL AND removed_at IS NULL AND sha256 > $1 ORDER BY sha256 LIMIT $2',
      [after, BATCH],
    );
    if (batch.rows.length === 0) break;
    for (const row of batch.rows) {
      after = row.sha256;
      seen++;
      const file = store.fileOf(row.sha256);
      if (!fs.existsSync(file)) {
        report.notHere.push(row.sha256);
        o.progress?.(`${seen}/${report.files} ${row.sha256}: not in this DATA_DIR`);
        continue;
      }
      if (dryRun) {
        report.moved++;
        report.bytes += Number(row.size);
        continue;
      }
      try {
        const moved = await moveOne(pool, row.sha256, Number(row.size), file);
        if (moved) {
          report.moved++;
          report.bytes += Number(row.size);
        }
        o.progress?.(`${seen}/${report.files} ${row.sha256}: ${moved ? `moved (${row.size} bytes)` : 'already a large object'}`);
      } catch (err) {
        if (!(err instanceof Mismatch)) throw err;
        report.mismatched.push(row.sha256);
        o.progress?.(`${seen}/${report.files} ${row.sha256}: ${err.message}; left as it is`);
      }
    }
  }
  return report;
}

/** One blob, one transaction; the file removed only once the large object is committed. */
async function moveOne(pool: Pool, sha256: string, size: number, file: string): Promise<boolean> {
  const moved = await withTransaction(pool, async (client) => {
    const r = await client.query<{ file: boolean }>('SELECT content IS NULL AND lo_oid IS NULL AND removed_at IS NULL AS file FROM blobs WHERE sha256 = $1 FOR UPDATE', [sha256]);
    if (!r.rows[0]?.file) return false;
    const written = await writeLargeObject(client, fs.createReadStream(file, { highWaterMark: LO_WRITE_CHUNK }));
    if (written.sha256 !== sha256 || written.size !== size) throw new Mismatch(`the file holds ${written.size} bytes with sha256 ${written.sha256}`);
    await client.query('UPDATE blobs SET lo_oid = $2 WHERE sha256 = $1', [sha256, written.oid]);
    return true;
  });
  await fs.promises.rm(file, { force: true });
  return moved;
}
