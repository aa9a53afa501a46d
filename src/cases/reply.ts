import { prepared, type PoolClient } from '../db/pool';
import { sameOrganisation } from '../xroad/organisation';
import type { Category } from './categories';

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

/** What of a received document the reply lookup reads: who sent it and which earlier documents it names. */
export interface ReplyNames {
  capsule_id: string;
  sender_code: string;
  initiator_original_identifier: string | null;
  recipient_record_guids: string[];
  recipient_original_identifiers: string[];
}

/** Why a reply went to triage instead of into the case it named (kept in its history and shown by `dhx show`). */
export function replyTriageReason(reply: ReplyLookup | null | undefined): string | null {
  return reply?.kind === 'refused' ? `reply refused: ${reply.reason}` : null;
}

/** True when the document names an earlier one (findReplyCase has something to look up). */
export function namesEarlierDocument(doc: ReplyNames): boolean {
  return doc.recipient_record_guids.length > 0 || doc.recipient_original_identifiers.length > 0 || !!doc.initiator_original_identifier;
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
 * proves nothing: a match of another organisation's case only is `refused`. A document that names
 * nothing is answered without a query.
 */
export async function findReplyCase(q: Pick<PoolClient, 'query'>, doc: ReplyNames): Promise<ReplyLookup> {
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
