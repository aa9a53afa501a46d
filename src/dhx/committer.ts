import { prepared, type Pool } from '../db/pool';
import { makeBatcher } from '../jobs/batch';

/**
 * Group commit for receipts (DESIGN.md §3: row and blob committed before the receipt). Rows that arrive
 * while earlier ones are being written are gathered and committed together in one statement: one round
 * trip, one plan and one WAL flush for several receipts. Each caller still learns its own row's fate, and
 * a receipt is still only given after the commit that holds its row. A batch that fails is retried row by
 * row, so one bad row cannot cost the others their receipts.
 */

export interface InboundRow {
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

/** `inserted`: committed. `taken`: its duplicate key is held by another row (inside the window or not). */
export type CommitResult = 'inserted' | 'taken';

export interface ReceiptCommitter {
  commit(row: InboundRow): Promise<CommitResult>;
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
  ON CONFLICT (sha256) DO NOTHING
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

async function insertRows(pool: Pool, rows: InboundRow[]): Promise<Set<string>> {
  const col = <K extends keyof InboundRow>(k: K): Array<InboundRow[K]> => rows.map((r) => r[k]);
  // Prepared once per connection and batch size (the text differs by size): parsed and planned once.
  const r = await pool.query<{ id: string }>(
    prepared(insertStatement(rows.length), [
      col('id'), col('dedupKey'), col('consignmentId'), col('client'), col('sender'), col('recipient'), col('recipientSystem'),
      col('xroadMessageId'), col('sha256'), col('size'), col('detail'), col('representedParty'), ...col('content'),
    ]),
  );
  return new Set(r.rows.map((x) => x.id));
}

export function makeReceiptCommitter(pool: Pool, opts: { maxInFlight?: number; maxBatch?: number } = {}): ReceiptCommitter {
  // Rows handed over in the same turn of the event loop, or while maxInFlight batches are being written,
  // travel together. A batch never holds two rows with one duplicate key: the later one waits for the next
  // batch, so exactly one of concurrent sends of a consignment is inserted and the other sees it taken.
  // A failed batch is retried row by row, so each caller gets its own answer.
  const batcher = makeBatcher<InboundRow, CommitResult>(
    async (rows) => {
      const inserted = await insertRows(pool, rows);
      return rows.map((r): CommitResult => (inserted.has(r.id) ? 'inserted' : 'taken'));
    },
    { maxItems: opts.maxBatch ?? 32, maxInFlight: opts.maxInFlight ?? 4, keyOf: (r) => r.dedupKey, singlyOnFailure: true },
  );
  return { commit: (row) => batcher.add(row) };
}
