import { BLOB_UPSERT } from '../blob/retention';
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
 * What a stored fault message about outgoing document `id` must not name (docs/operations.md, "Privacy"):
 * when its case is restricted, the document's title and the case's (a receiver's fault text may quote
 * either).
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
  /** The row's own transport (`adit`: to a person); absent: the configured OUTBOUND_TRANSPORT. */
  transport?: 'adit';
  /** ADIT: the recipient person's personal code (checked before this is called). */
  recipientPerson?: string;
}

/**
 * The one definition of a new document's row and first history row, for insertOutbound and for
 * statements that queue a document together with other writes (the business receipt, receipt.ts): the
 * columns of `outbound_documents` a new row sets, their values in that order (state `queued`), and the
 * `queued` history detail.
 */
const NEW_OUTBOUND = [
  ['id', 'uuid'], ['kind', 'text'], ['case_id', 'uuid'], ['inbound_id', 'uuid'], ['recipient_code', 'text'], ['recipient_name', 'text'],
  ['recipient_system', 'text'], ['consignment_id', 'text'], ['record_guid', 'text'], ['record_original_identifier', 'text'], ['title', 'text'],
  ['state', 'text'], ['blob_sha256', 'text'], ['size', 'bigint'], ['verdict', 'text'], ['note', 'text'],
  ['transport', 'text'], ['recipient_person', 'text'],
] as const;

export const NEW_OUTBOUND_COLUMNS = NEW_OUTBOUND.map(([c]) => c).join(', ');

/** Placeholders of newOutboundValues in column order: `$1::uuid, …`, or `@1::uuid, …` in a statement fragment (src/db/statement.ts). */
export const newOutboundPlaceholders = (mark: '$' | '@'): string => NEW_OUTBOUND.map(([, type], i) => `${mark}${i + 1}::${type}`).join(', ');

export function newOutboundValues(id: string, consignmentId: string, o: NewOutbound): unknown[] {
  return [
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
    OutboundState.queued,
    o.blob.sha256,
    o.blob.size,
    o.verdict ?? null,
    o.note ?? null,
    o.transport ?? null,
    o.recipientPerson ?? null,
  ];
}

export function queuedDetail(o: Pick<NewOutbound, 'kind' | 'caseId' | 'inboundId'>): Record<string, unknown> {
  return { kind: o.kind, ...(o.caseId ? { caseId: o.caseId } : {}), ...(o.inboundId ? { inboundId: o.inboundId } : {}) };
}

/** The bytes of an inline blob (kept in `blobs.content`), null for a file in the blob store. */
export const inlineContent = (blob: StoredTemp): Buffer | null => (blob.path === undefined ? (blob.bytes ?? null) : null);

/**
 * Inserts a document in `queued` with its first history row, in the caller's transaction. The
 * consignmentId is made here, once: every attempt of this row carries it (DHX §7).
 */
export async function insertOutbound(client: PoolClient, o: NewOutbound): Promise<{ id: string; consignmentId: string }> {
  const id = randomUUID();
  const consignmentId = randomUUID();
  await client.query(`INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ${BLOB_UPSERT}`, [o.blob.sha256, o.blob.size, inlineContent(o.blob)]);
  await client.query(
    `INSERT INTO outbound_documents (${NEW_OUTBOUND_COLUMNS})
     VALUES (${newOutboundPlaceholders('$')})`,
    newOutboundValues(id, consignmentId, o),
  );
  await addHistory(client, id, OutboundState.queued, queuedDetail(o));
  return { id, consignmentId };
}
