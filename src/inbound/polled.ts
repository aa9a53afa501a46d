import { BLOB_UPSERT } from '../blob/retention';
import type { PoolClient } from '../db/pool';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * What a polling transport writes (docs/dvk.md): a capsule fetched from DVK (receiveDocuments) becomes an
 * inbound capsule like one received by POST /dhx — blob, `inbound_capsules` row and first history row in one
 * statement — deduplicated by its transport and DVK document id (`dhl_id`), so fetching it again (after a
 * crash before markDocumentsReceived) finds the row instead of adding a second document. A capsule that
 * failed validation is stored too, at once `failed` with its failure code, so a person can see what came.
 */

export interface PolledCapsule {
  id: string;
  transport: 'dvk' | 'adit';
  /** DVK's dhl_id, or for `adit` ADIT's document id (stored as adit_document_id). */
  dhlId: string;
  /** The DVK service the capsule was fetched from (`{instance}/GOV/70006317/dhl`). */
  client: string;
  sender: string;
  recipient: string;
  sha256: string;
  size: number;
  /** The capsule when it is kept in PostgreSQL; null when it is a file in the blob store. */
  content: Buffer | null;
  /** First history row's detail. */
  detail: Record<string, unknown>;
  /** Set for a capsule refused by validation: stored `failed` with this code and message. */
  failure?: { code: string; message: string };
}

export interface PolledOutcome {
  /** The capsule's row: the new one, or the one stored by an earlier poll. */
  id: string;
  inserted: boolean;
  state: string;
}

const INSERT = `
WITH blob AS (
  INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ${BLOB_UPSERT}
), capsule AS (
  INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, recipient_system, xroad_message_id,
    blob_sha256, size, transport, dhl_id, adit_document_id, state, failure_code, failure_message)
  VALUES ($4::uuid, $5, $6, $7, $8, $9, NULL, NULL, $1, $2, $10, CASE WHEN $10::text = 'adit' THEN NULL ELSE $6 END, CASE WHEN $10::text = 'adit' THEN $6 END, $11, $12, $13)
  ON CONFLICT DO NOTHING RETURNING id, state
), history AS (
  INSERT INTO inbound_state_history (capsule_id, state, detail)
  SELECT capsule.id, s.state, s.detail FROM capsule, unnest($14::text[], $15::jsonb[]) WITH ORDINALITY AS s(state, detail, n) ORDER BY s.n
)
SELECT id, state FROM capsule`;

/** Stores a fetched capsule, or finds the row an earlier poll stored for the same transport and dhl_id. */
export async function insertPolled(q: Queryable, c: PolledCapsule): Promise<PolledOutcome> {
  const states = c.failure ? ['received', 'failed'] : ['received'];
  const details = [JSON.stringify(c.detail), ...(c.failure ? [JSON.stringify({ code: c.failure.code, message: c.failure.message })] : [])];
  const r = await q.query<{ id: string; state: string }>(INSERT, [
    c.sha256, c.size, c.content, c.id, `${c.transport}|${c.dhlId}`, c.dhlId, c.client, c.sender, c.recipient, c.transport,
    c.failure ? 'failed' : 'received', c.failure?.code ?? null, c.failure?.message ?? null, states, details,
  ]);
  const row = r.rows[0];
  if (row) return { id: row.id, inserted: true, state: row.state };
  const found = await q.query<{ id: string; state: string }>(
    `SELECT id, state FROM inbound_capsules WHERE transport = $1 AND (CASE WHEN $1 = 'adit' THEN adit_document_id ELSE dhl_id END) = $2`,
    [c.transport, c.dhlId],
  );
  const existing = found.rows[0];
  if (!existing) throw new Error(`${c.transport.toUpperCase()} document ${c.dhlId}: neither stored nor found (its duplicate key is held by another row)`);
  return { id: existing.id, inserted: false, state: existing.state };
}
