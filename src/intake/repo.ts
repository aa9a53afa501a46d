import type { Capsule, DateTimeValue } from '../capsule/model';
import { prepared, type PoolClient } from '../db/pool';
import { sameOrganisation } from '../dhx/organisation';
import type { Category, InboundState } from './categories';

/** SQL of the intake pipeline (STYLE habit 9: visible, parameterised, grouped here). */

export interface InboundRow {
  id: string;
  state: InboundState;
  blob_sha256: string;
  sender: string;
  received_at: Date;
  case_id: string | null;
  attempts: number;
}

const INBOUND_COLUMNS = 'i.id, i.state, i.blob_sha256, i.sender, i.received_at, i.case_id, i.attempts';

/** The capsule's row; `forUpdate` (inside a transaction) holds its lock until commit. */
export async function loadInbound(q: Pick<PoolClient, 'query'>, id: string, forUpdate = false): Promise<InboundRow | undefined> {
  const r = await q.query<InboundRow>(prepared(`SELECT ${INBOUND_COLUMNS} FROM inbound_capsules i WHERE i.id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]));
  return r.rows[0];
}

/**
 * The row as a run of the pipeline starts it, with the capsule's bytes when it is kept in PostgreSQL and
 * the next stage reads it (received, classified): one round trip instead of two.
 */
export async function loadInboundForRun(q: Pick<PoolClient, 'query'>, id: string): Promise<(InboundRow & { content: Buffer | null }) | undefined> {
  const r = await q.query<InboundRow & { content: Buffer | null }>(
    prepared(
      `SELECT ${INBOUND_COLUMNS}, CASE WHEN i.state IN ('received', 'classified') THEN b.content END AS content
         FROM inbound_capsules i LEFT JOIN blobs b ON b.sha256 = i.blob_sha256 WHERE i.id = $1`,
      [id],
    ),
  );
  return r.rows[0];
}

/**
 * Moves a capsule from `from` to `to` and writes the history row; false when the row is no longer in
 * `from` (another run did the step). The UPDATE takes the row lock, so effects done after it in the same
 * transaction happen exactly once (DESIGN.md §3: each stage checks the state allows the step).
 */
export async function transition(
  client: PoolClient,
  id: string,
  from: InboundState | InboundState[],
  to: InboundState,
  detail: Record<string, unknown> = {},
  failure?: { code: string; message: string },
  caseId?: string,
): Promise<boolean> {
  const froms = Array.isArray(from) ? from : [from];
  // One round trip: the state change and its history row.
  const r = await client.query(
    `WITH moved AS (
       UPDATE inbound_capsules SET state = $3, updated_at = now(), next_attempt_at = NULL, failure_code = $4, failure_message = $5,
              case_id = coalesce($7::uuid, case_id)
        WHERE id = $1 AND state = ANY($2::text[]) RETURNING id)
     INSERT INTO inbound_state_history (capsule_id, state, detail) SELECT id, $3, $6 FROM moved`,
    [
      id,
      froms,
      to,
      failure?.code ?? null,
      failure?.message ?? null,
      JSON.stringify(failure ? { ...detail, failureCode: failure.code, failureMessage: failure.message } : detail),
      caseId ?? null,
    ],
  );
  return r.rowCount === 1;
}

export interface InboundDocument {
  capsule_id: string;
  record_guid: string;
  record_original_identifier: string;
  record_date_registered: Date;
  title: string;
  reply_due_date: string | null;
  access_restricted: boolean;
  sender_code: string;
  sender_name: string;
  initiator_original_identifier: string | null;
  recipient_record_guids: string[];
  recipient_original_identifiers: string[];
  model: Capsule;
  /** What classify's reply lookup found; undefined or null when it has not looked (routing then looks itself). */
  reply?: ReplyLookup | null;
}

/** JSON keeps a DateTimeValue's instant as a string: turn it back into a Date. */
export function capsuleFromJson(json: unknown): Capsule {
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.lexical === 'string' && typeof o.instant === 'string' && Object.keys(o).length === 2) {
        return { lexical: o.lexical, instant: new Date(o.instant) } satisfies DateTimeValue;
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  return revive(json) as Capsule;
}

export async function loadDocument(q: Pick<PoolClient, 'query'>, id: string): Promise<InboundDocument | undefined> {
  const r = await q.query<InboundDocument & { reply_due_date: string | null }>(
    `SELECT capsule_id, record_guid, record_original_identifier, record_date_registered, title,
            to_char(reply_due_date, 'YYYY-MM-DD') AS reply_due_date, access_restricted, sender_code, sender_name,
            initiator_original_identifier, recipient_record_guids, recipient_original_identifiers, model, reply
       FROM inbound_documents WHERE capsule_id = $1`,
    [id],
  );
  const row = r.rows[0];
  return row ? { ...row, model: capsuleFromJson(row.model) } : undefined;
}

/** How a reply named its case: one of our outgoing documents, an SKA case number, or an earlier request. */
export const ReplyVia = { outbound: 'outbound', caseNumber: 'case_number', request: 'request' } as const;
export type ReplyVia = (typeof ReplyVia)[keyof typeof ReplyVia];

/**
 * What the reply lookup found (stored as `inbound_documents.reply`): no case; the case it is filed into,
 * with that case's category (classify gives it to the reply without another query); or only cases of
 * other organisations, which it is never filed into (it goes to triage, `reason` says why).
 */
export type ReplyLookup =
  | { kind: 'none' }
  | { kind: 'case'; caseId: string; via: ReplyVia; category: Category; subKind: string | null }
  | { kind: 'refused'; caseId: string; caseNumber: string; via: ReplyVia; reason: string };

/** Why a reply went to triage instead of into the case it named (kept in its history and shown by `dhx show`). */
export function replyTriageReason(reply: ReplyLookup | null | undefined): string | null {
  return reply?.kind === 'refused' ? `reply refused: ${reply.reason}` : null;
}

/** Most cases one lookup weighs (a capsule may name many documents; only the best few matter). */
const REPLY_CANDIDATES = 16;

const VIA_TEXT: Record<ReplyVia, string> = {
  outbound: 'a document SKA sent in case',
  case_number: 'the number of case',
  request: 'a request filed in case',
};

/**
 * The case a reply belongs to (routing): Initiator/InitiatorRecordOriginalIdentifier,
 * Recipient/RecipientRecordGuid or RecipientRecordOriginalIdentifier naming one of SKA's outgoing
 * documents, an SKA case number, or an earlier request of the same sender that has a case. A case is
 * only ever the sender's own: its organisation (`cases.kov_code`) must be the capsule's DecSender, which
 * the receive path checked against the X-Road client or the party an intermediary represents. Case
 * numbers run in sequence and record GUIDs travel in other organisations' documents, so naming one
 * proves nothing: a match of another organisation's case only is `refused`.
 */
export async function findReplyCase(q: Pick<PoolClient, 'query'>, doc: InboundDocument): Promise<ReplyLookup> {
  const guids = doc.recipient_record_guids;
  const originals = [doc.initiator_original_identifier, ...doc.recipient_original_identifiers].filter((x): x is string => !!x);
  if (guids.length === 0 && originals.length === 0) return { kind: 'none' };
  const r = await q.query<{ case_id: string; via: ReplyVia; case_number: string; kov_code: string; category: Category; sub_kind: string | null }>(
    prepared(
      `SELECT m.case_id, m.via, c.case_number, c.kov_code, c.category, c.sub_kind FROM (
          SELECT o.case_id, 'outbound' AS via, 1 AS rank FROM outbound_documents o
           WHERE o.case_id IS NOT NULL AND (o.record_guid = ANY($1::text[]) OR o.record_original_identifier = ANY($2::text[]))
          UNION ALL
          SELECT c.id, 'case_number', 2 FROM cases c WHERE c.case_number = ANY($2::text[])
          UNION ALL
          SELECT i.case_id, 'request', 3 FROM inbound_documents d JOIN inbound_capsules i ON i.id = d.capsule_id
           WHERE i.case_id IS NOT NULL AND d.capsule_id <> $3
             AND (d.record_guid = ANY($1::text[]) OR (d.sender_code = $4 AND d.record_original_identifier = ANY($2::text[])))
        ) m JOIN cases c ON c.id = m.case_id ORDER BY m.rank, c.case_number LIMIT ${REPLY_CANDIDATES}`,
      [guids, originals, doc.capsule_id, doc.sender_code],
    ),
  );
  const own = r.rows.find((row) => sameOrganisation(row.kov_code, doc.sender_code));
  if (own) return { kind: 'case', caseId: own.case_id, via: own.via, category: own.category, subKind: own.sub_kind };
  const other = r.rows[0];
  if (!other) return { kind: 'none' };
  return {
    kind: 'refused',
    caseId: other.case_id,
    caseNumber: other.case_number,
    via: other.via,
    reason: `names ${VIA_TEXT[other.via]} ${other.case_number}, which belongs to ${other.kov_code}, not to the sender ${doc.sender_code}`,
  };
}
