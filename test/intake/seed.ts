import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from '../../src/db/pool';

/** Inserts a capsule as the receive path leaves it (inline blob, row in `received`), without HTTP. */
export async function insertInbound(pool: Pool, capsule: Buffer, sender: string, o: { state?: string; ageSeconds?: number } = {}): Promise<string> {
  const id = randomUUID();
  const sha = createHash('sha256').update(capsule).digest('hex');
  await pool.query('INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [sha, capsule.length, capsule]);
  await pool.query(
    `INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, blob_sha256, size, state, received_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, '70001975', $6, $7, $8, now() - make_interval(secs => $9), now() - make_interval(secs => $9))`,
    [id, `ee-dev/GOV/${sender}/DHX/${id}`, id, `ee-dev/GOV/${sender}/DHX`, sender, sha, capsule.length, o.state ?? 'received', o.ageSeconds ?? 0],
  );
  await pool.query(`INSERT INTO inbound_state_history (capsule_id, state) VALUES ($1, 'received')`, [id]);
  return id;
}
