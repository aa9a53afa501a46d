import { BLOB_UPSERT } from '../blob/retention';
import { randomUUID } from 'node:crypto';
import { fragment, type Fragment } from '../db/statement';
import { OutboundState } from './states';
import { NEW_OUTBOUND_COLUMNS, inlineContent, newOutboundPlaceholders, newOutboundValues, queuedDetail, type NewOutbound } from './repo';

/**
 * The business receipt as intake asks for it: the outgoing document queued in the same statement that
 * moves the request to `done` (src/intake/stages.ts), with the row and history insertOutbound writes
 * (one definition, repo.ts). The fragments read the statement's `moved` CTE (the request, present only
 * when its state changed), so the receipt is queued exactly when the request moves. One receipt per
 * request (a unique index; a second is not inserted).
 */

export type ReceiptDocument = Omit<NewOutbound, 'kind' | 'inboundId' | 'caseId' | 'verdict' | 'note'> & { caseId: string; inboundId: string };

/** `ob`, `o` and `oh`: the receipt's blob, its `queued` row and first history row; `id` is the new document's. */
export function queueReceipt(r: ReceiptDocument): { id: string; ctes: Fragment[] } {
  const id = randomUUID();
  const doc: NewOutbound = { ...r, kind: 'receipt' };
  const values = newOutboundValues(id, randomUUID(), doc);
  return {
    id,
    ctes: [
      fragment(
        `ob AS (INSERT INTO blobs (sha256, size, content) SELECT @1::text, @2::bigint, @3::bytea WHERE EXISTS (SELECT 1 FROM moved) ${BLOB_UPSERT})`,
        [r.blob.sha256, r.blob.size, inlineContent(r.blob)],
      ),
      fragment(`o AS (INSERT INTO outbound_documents (${NEW_OUTBOUND_COLUMNS}) SELECT ${newOutboundPlaceholders('@')} FROM moved ON CONFLICT DO NOTHING RETURNING id)`, values),
      fragment(`oh AS (INSERT INTO outbound_state_history (document_id, state, detail) SELECT id, @1::text, @2::jsonb FROM o)`, [
        OutboundState.queued,
        JSON.stringify(queuedDetail(doc)),
      ]),
    ],
  };
}
