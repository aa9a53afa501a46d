import { BLOB_UPSERT } from '../blob/retention';
import { prepared, type Pool } from '../db/pool';

/**
 * What the receive path writes (docs/receive.md: row and blob committed before the receipt): new capsule
 * rows with their blob and first history row, and the duplicate key's window (DHX §8.2).
 */

/** A received capsule as the receive path hands it over for its row. */
export interface ReceivedCapsule {
  id: string;
  dedupKey: string;
  consignmentId: string;
  client: string;
  sender: string;
  recipient: string;
  recipientSystem: string | null;
  xroadMessageId: string | null;
  /** The organisation a DHX intermediary sent for (X-Road representedParty). */
  representedParty: string | null;
  sha256: string;
  size: number;
  /** First history row's detail (JSON text). */
  detail: string;
  /** The capsule itself when it is kept in the database; null when it is a file in the blob store. */
  content: Buffer | null;
}

// Blob row, capsule rows and first history rows in one statement, so atomic; rows whose duplicate key is
// taken are skipped (ON CONFLICT) and reported back by their absence.
// Content goes as one binary parameter per row (an array parameter would travel as hex text, twice the
// bytes), so there is one statement text, prepared once, per batch size.
const insertStatement = (rows: number): string => `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::bigint[], $11::jsonb[], $12::text[],
                       ARRAY[${Array.from({ length: rows }, (_, i) => `$${13 + i}::bytea`).join(',')}])
    AS t(id, dedup_key, consignment_id, client, sender, recipient, recipient_system, xroad_message_id, sha256, size, detail,
         represented_party, content)
), blob AS (
  INSERT INTO blobs (sha256, size, content)
  SELECT DISTINCT ON (sha256) sha256, size, content FROM input ORDER BY sha256
  ${BLOB_UPSERT}
), capsule AS (
  INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, recipient_system,
    xroad_message_id, blob_sha256, size, represented_party)
  SELECT id, dedup_key, consignment_id, client, sender, recipient, recipient_system, xroad_message_id, sha256, size,
    represented_party FROM input
  ON CONFLICT (dedup_key) DO NOTHING RETURNING id
), history AS (
  INSERT INTO inbound_state_history (capsule_id, state, detail)
  SELECT input.id, 'received', input.detail FROM input JOIN capsule USING (id)
)
SELECT id FROM capsule`;

/**
 * Inserts received capsules (state `received`) in one statement; the ids inserted. A row whose duplicate
 * key another row holds is not inserted (its id is absent). Prepared once per connection and number of
 * rows (the text differs by it): parsed and planned once.
 */
export async function insertReceived(pool: Pool, rows: readonly ReceivedCapsule[]): Promise<Set<string>> {
  const col = <K extends keyof ReceivedCapsule>(k: K): Array<ReceivedCapsule[K]> => rows.map((r) => r[k]);
  const r = await pool.query<{ id: string }>(
    prepared(insertStatement(rows.length), [
      col('id'), col('dedupKey'), col('consignmentId'), col('client'), col('sender'), col('recipient'), col('recipientSystem'),
      col('xroadMessageId'), col('sha256'), col('size'), col('detail'), col('representedParty'), ...col('content'),
    ]),
  );
  return new Set(r.rows.map((x) => x.id));
}

/** Whether a capsule with this duplicate key was received within the last `windowDays` days. */
export async function receivedWithin(pool: Pool, dedupKey: string, windowDays: number): Promise<boolean> {
  const dup = await pool.query(`SELECT 1 FROM inbound_capsules WHERE dedup_key = $1 AND received_at > now() - make_interval(days => $2)`, [dedupKey, windowDays]);
  return !!dup.rowCount;
}

/** Frees a duplicate key held by a capsule received before the window (it no longer counts); true when one was freed. */
export async function releaseExpiredDedupKey(pool: Pool, dedupKey: string, windowDays: number): Promise<boolean> {
  const released = await pool.query(
    `UPDATE inbound_capsules SET dedup_key = NULL WHERE dedup_key = $1 AND received_at <= now() - make_interval(days => $2)`,
    [dedupKey, windowDays],
  );
  return !!released.rowCount;
}
