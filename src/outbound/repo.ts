import { randomUUID } from 'node:crypto';
import type { StoredTemp } from '../blob/store';
import type { Pool, PoolClient } from '../db/pool';
import type { Confidential } from '../log/privacy';
import { OutboundState, type OutboundKind, type Verdict } from './states';

/** SQL of outgoing documents (outbound_documents + outbound_state_history; migrations 0004, 0006). */

export interface OutboundRow {
  id: string;
  kind: OutboundKind;
  case_id: string | null;
  recipient_code: string;
  recipient_system: string | null;
  consignment_id: string;
  state: OutboundState;
  attempts: number;
  may_have_arrived: boolean;
  blob_sha256: string;
  size: string;
}

export async function loadOutbound(pool: Pool | PoolClient, id: string): Promise<OutboundRow | undefined> {
  const r = await pool.query<OutboundRow>(
    `SELECT id, kind, case_id, recipient_code, recipient_system, consignment_id, state, attempts, may_have_arrived, blob_sha256, size
       FROM outbound_documents WHERE id = $1`,
    [id],
  );
  return r.rows[0];
}

/**
 * What a stored fault message about outgoing document `id` must not name (README "Privacy"): when its case
 * is restricted, the document's title and the case's (a receiver's fault text may quote either).
 */
export async function confidentialOf(q: Pick<PoolClient, 'query'>, id: string): Promise<Confidential> {
  const r = await q.query<{ restricted: boolean; names: string[] }>(
    `SELECT coalesce(k.access_restricted, false) AS restricted, array_remove(ARRAY[o.title, k.title], NULL) AS names
       FROM outbound_documents o LEFT JOIN cases k ON k.id = o.case_id WHERE o.id = $1`,
    [id],
  );
  return r.rows[0] ?? { restricted: false, names: [] };
}

/**
 * How an outgoing document changes state, as the CTE pair of one statement (the one definition; every
 * transition goes through it, alone in {@link transitionOutbound} or fused into the send path's claim and
 * outcome): `upd` updates the row (alias `o`; `set` holds the assignments, the new state among them;
 * `updated_at` is set here) where `where` holds, `from` naming relations it joins; `hist` writes the history
 * row with `historyState` and `detail` (SQL over `upd` and `from`). `upd` returns `id` and `returning`.
 */
export function outboundTransitionCte(t: { set: string; where: string; from?: string; returning?: string; historyState: string; detail: string }): string {
  return `upd AS (
         UPDATE outbound_documents o SET ${t.set}, updated_at = now()${t.from ? ` FROM ${t.from}` : ''}
          WHERE ${t.where} RETURNING o.id${t.returning ? `, ${t.returning}` : ''}),
       hist AS (
         INSERT INTO outbound_state_history (document_id, state, detail) SELECT upd.id, ${t.historyState}, ${t.detail} FROM upd${t.from ? `, ${t.from}` : ''})`;
}

/** What a transition changes besides the state (and `updated_at`); an absent field is left as it is. */
export interface OutboundChange {
  /** Attempts so far (a resend starts a new schedule from 0). */
  attempts?: number;
  /** The next attempt is due this many seconds from now; null: none is scheduled. */
  nextAttemptInSeconds?: number | null;
  /** An attempt may have reached the receiver: once set, it stays set. */
  mayHaveArrived?: boolean;
  /** The receiver has it: `delivered_at` is now. */
  delivered?: true;
  /** Why the last attempt failed (`failure_code`, `fault_code`: the receiver's code or ours; a storable message). */
  failure?: { code: string; faultCode: string; message: string };
}

/**
 * Moves document `id` to state `to` with its history row, in one statement (in the caller's transaction,
 * which holds the row's lock when the move depends on what it read). False when there is no such row.
 */
export async function transitionOutbound(
  q: Pick<PoolClient, 'query'>,
  id: string,
  to: OutboundState,
  detail: Record<string, unknown>,
  change: OutboundChange = {},
): Promise<boolean> {
  const params: unknown[] = [id, to, JSON.stringify(detail)];
  const param = (value: unknown, type: string): string => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const set = ['state = $2'];
  if (change.attempts !== undefined) set.push(`attempts = ${param(change.attempts, 'int')}`);
  if (change.mayHaveArrived !== undefined) set.push(`may_have_arrived = may_have_arrived OR ${param(change.mayHaveArrived, 'boolean')}`);
  if (change.delivered) set.push('delivered_at = now()');
  if (change.failure) {
    const f = change.failure;
    set.push(`failure_code = ${param(f.code, 'text')}, fault_code = ${param(f.faultCode, 'text')}, fault_message = ${param(f.message, 'text')}`);
  }
  if (change.nextAttemptInSeconds !== undefined) {
    const wait = change.nextAttemptInSeconds;
    set.push(`next_attempt_at = ${wait === null ? 'NULL' : `now() + make_interval(secs => ${param(wait, 'double precision')})`}`);
  }
  const r = await q.query(
    `WITH ${outboundTransitionCte({ set: set.join(', '), where: 'o.id = $1', historyState: '$2', detail: '$3::jsonb' })}
     SELECT id FROM upd`,
    params,
  );
  return (r.rowCount ?? 0) > 0;
}

export async function addHistory(client: PoolClient, id: string, state: OutboundState, detail: Record<string, unknown> = {}): Promise<void> {
  await client.query('INSERT INTO outbound_state_history (document_id, state, detail) VALUES ($1, $2, $3)', [id, state, JSON.stringify(detail)]);
}

export interface NewOutbound {
  kind: OutboundKind;
  caseId?: string;
  inboundId?: string;
  recipientCode: string;
  recipientName: string;
  recipientSystem?: string;
  recordGuid: string;
  recordOriginalIdentifier: string;
  title: string;
  /** The capsule, committed to the blob store (or held inline: then its bytes go into `blobs.content`). */
  blob: StoredTemp;
  verdict?: Verdict;
  note?: string;
}

/**
 * Inserts a document in `queued` with its first history row, in the caller's transaction. The
 * consignmentId is made here, once: every attempt of this row carries it (DHX §7).
 */
export async function insertOutbound(client: PoolClient, o: NewOutbound): Promise<{ id: string; consignmentId: string }> {
  const id = randomUUID();
  const consignmentId = randomUUID();
  const inline = o.blob.path === undefined ? (o.blob.bytes ?? null) : null;
  await client.query('INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [o.blob.sha256, o.blob.size, inline]);
  await client.query(
    `INSERT INTO outbound_documents (id, kind, case_id, inbound_id, recipient_code, recipient_name, recipient_system, consignment_id,
        record_guid, record_original_identifier, title, state, blob_sha256, size, verdict, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', $12, $13, $14, $15)`,
    [
      id,
      o.kind,
      o.caseId ?? null,
      o.inboundId ?? null,
      o.recipientCode,
      o.recipientName,
      o.recipientSystem ?? null,
      consignmentId,
      o.recordGuid,
      o.recordOriginalIdentifier,
      o.title,
      o.blob.sha256,
      o.blob.size,
      o.verdict ?? null,
      o.note ?? null,
    ],
  );
  await addHistory(client, id, OutboundState.queued, { kind: o.kind, ...(o.caseId ? { caseId: o.caseId } : {}) });
  return { id, consignmentId };
}
