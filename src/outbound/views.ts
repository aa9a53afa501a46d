import type { PoolClient } from '../db/pool';
import { RESTRICTED } from '../log/privacy';

/** Read-only views of outgoing documents for people (dhx show, the demo). Nothing here writes. */

type Queryable = Pick<PoolClient, 'query'>;

/**
 * One outgoing document as `dhx show` prints it, with its state history; undefined when `id` is not one.
 * A restricted case's title reads {@link RESTRICTED} unless `reveal` (audit-logged by the caller).
 */
export async function outboundDocument(q: Queryable, id: string, opts: { reveal?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await q.query<{
    id: string;
    kind: string;
    state: string;
    consignment_id: string;
    attempts: number;
    fault_code: string | null;
    case_id: string | null;
    inbound_id: string | null;
    recipient_code: string;
    recipient_name: string;
    title: string;
    size: string;
    blob_sha256: string;
    created_at: Date;
    receipt_id: string | null;
    failure_code: string | null;
    fault_message: string | null;
    recipient_system: string | null;
    next_attempt_at: Date | null;
    delivered_at: Date | null;
    route: string | null;
    dhl_id: string | null;
    transport: string | null;
    recipient_person: string | null;
    adit_document_id: string | null;
    opened_at: Date | null;
    verdict: string | null;
    restricted: boolean;
    history: unknown;
  }>(
    `SELECT o.*, coalesce((SELECT k.access_restricted FROM cases k WHERE k.id = o.case_id), false) AS restricted,
            (SELECT json_agg(json_build_object('state', h.state, 'at', h.at) ORDER BY h.at, h.id)
               FROM outbound_state_history h WHERE h.document_id = o.id) AS history
       FROM outbound_documents o WHERE o.id = $1`,
    [id],
  );
  const o = r.rows[0];
  if (!o) return undefined;
  return {
    id: o.id,
    direction: 'outbound',
    kind: o.kind,
    state: o.state,
    consignmentId: o.consignment_id,
    attempts: o.attempts,
    faultCode: o.fault_code,
    // Sending: the receiver's receiptId, why the last attempt failed, when the next one is due.
    receiptId: o.receipt_id,
    failureCode: o.failure_code,
    faultMessage: o.fault_message,
    nextAttemptAt: o.next_attempt_at?.toISOString() ?? null,
    deliveredAt: o.delivered_at?.toISOString() ?? null,
    route: o.route,
    // DVK transport: the dhl_id DVK gave it (null for DHX, or before DVK took it).
    dhlId: o.dhl_id,
    // ADIT (to a person): the person's personal code (masked by the CLI's output unless --reveal), ADIT's document id, when the person opened it.
    via: o.transport ?? (o.route === 'dvk' ? 'dvk' : 'dhx'),
    recipientPerson: o.recipient_person,
    aditDocumentId: o.adit_document_id,
    openedAt: o.opened_at?.toISOString() ?? null,
    verdict: o.verdict,
    caseId: o.case_id,
    inReplyTo: o.inbound_id,
    recipient: o.recipient_system ? `${o.recipient_system}.${o.recipient_code}` : o.recipient_code,
    recipientName: o.recipient_name,
    accessRestricted: o.restricted,
    title: o.restricted && !opts.reveal ? RESTRICTED : o.title,
    size: Number(o.size),
    sha256: o.blob_sha256,
    createdAt: o.created_at.toISOString(),
    history: o.history ?? [],
  };
}

/** Where a document's sending stands: its state and, once delivered, the receiver's receiptId. */
export async function outboundStatus(q: Queryable, id: string): Promise<{ state: string; receipt_id: string | null } | undefined> {
  const r = await q.query<{ state: string; receipt_id: string | null }>('SELECT state, receipt_id FROM outbound_documents WHERE id = $1', [id]);
  return r.rows[0];
}

/** A document to a person through ADIT: its state, ADIT's document id and when the person opened it (null until then). */
export async function aditDelivery(q: Queryable, id: string): Promise<{ state: string; adit_document_id: string | null; opened_at: Date | null } | undefined> {
  const r = await q.query<{ state: string; adit_document_id: string | null; opened_at: Date | null }>(
    'SELECT state, adit_document_id, opened_at FROM outbound_documents WHERE id = $1',
    [id],
  );
  return r.rows[0];
}

/** How many documents of a kind are in each state (only states that have some). */
export async function outboundCountsByState(q: Queryable, kind: string): Promise<Array<{ state: string; n: number }>> {
  const r = await q.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM outbound_documents WHERE kind = $1 GROUP BY state`, [kind]);
  return r.rows;
}

export interface OutboundListItem {
  id: string;
  kind: string;
  state: string;
  recipient: string;
  attempts: number;
  faultCode: string | null;
  nextAttemptAt: string | null;
  caseId: string | null;
  updatedAt: string;
}

/** Outgoing documents, last changed first, optionally only those in `states` (dhx outbound list). */
export async function listOutbound(pool: Queryable, o: { states?: string[]; limit?: number } = {}): Promise<OutboundListItem[]> {
  const r = await pool.query<{
    id: string;
    kind: string;
    state: string;
    recipient_code: string;
    attempts: number;
    fault_code: string | null;
    next_attempt_at: Date | null;
    case_id: string | null;
    updated_at: Date;
  }>(
    `SELECT id, kind, state, recipient_code, attempts, fault_code, next_attempt_at, case_id, updated_at FROM outbound_documents
      WHERE ($1::text[] IS NULL OR state = ANY($1::text[])) ORDER BY updated_at DESC LIMIT $2`,
    [o.states?.length ? o.states : null, o.limit ?? 1000],
  );
  return r.rows.map((x) => ({
    id: x.id,
    kind: x.kind,
    state: x.state,
    recipient: x.recipient_code,
    attempts: x.attempts,
    faultCode: x.fault_code,
    nextAttemptAt: x.next_attempt_at?.toISOString() ?? null,
    caseId: x.case_id,
    updatedAt: x.updated_at.toISOString(),
  }));
}

/** A document's state history with each change's detail (stored masked: fault codes, messages, who resent it), oldest first. */
export async function outboundHistory(q: Queryable, id: string): Promise<Array<{ state: string; at: string; detail: Record<string, unknown> }>> {
  const r = await q.query<{ state: string; at: Date; detail: Record<string, unknown> }>(
    'SELECT state, at, detail FROM outbound_state_history WHERE document_id = $1 ORDER BY at, id',
    [id],
  );
  return r.rows.map((x) => ({ state: x.state, at: x.at.toISOString(), detail: x.detail }));
}
