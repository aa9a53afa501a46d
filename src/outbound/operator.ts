import { markAnswered } from '../cases/repo';
import type { Pool, PoolClient } from '../db/pool';
import { writeAudit } from '../db/audit';
import { storableMessage } from '../log/privacy';
import { withTransaction } from '../db/tx';
import { requeueSend, type SendQueue } from './queue';
import { transitionOutbound } from './repo';
import { OutboundKind, OutboundState } from './states';

/**
 * What an operator may do with an outgoing document that stopped, each recorded in the history
 * and the audit log:
 * - resend: `failed` or `ambiguous` → `queued`, attempts from 0 (a new schedule), the same consignmentId
 *   (a document that did arrive is then refused as a duplicate, which counts as delivered);
 * - delivered: `ambiguous` → `sent`, when the receiver confirmed it has the document (by other means).
 */

export type OutboundOperatorResult = { kind: 'ok'; state: OutboundState; from: string } | { kind: 'refused'; reason: string };

async function lock(client: PoolClient, id: string): Promise<{ state: string; attempts: number; kind: string; case_id: string | null } | undefined> {
  const r = await client.query<{ state: string; attempts: number; kind: string; case_id: string | null }>(
    'SELECT state, attempts, kind, case_id FROM outbound_documents WHERE id = $1 FOR UPDATE',
    [id],
  );
  return r.rows[0];
}

/** Queues a stopped document again; the caller passes the queue to send it now (else the scheduler will). */
export async function resendOutbound(pool: Pool, id: string, actor: string, queue?: SendQueue): Promise<OutboundOperatorResult> {
  const result = await withTransaction(pool, async (client): Promise<OutboundOperatorResult> => {
    const row = await lock(client, id);
    if (!row) return { kind: 'refused', reason: `no outgoing document ${id}` };
    if (row.state !== OutboundState.failed && row.state !== OutboundState.ambiguous) {
      return { kind: 'refused', reason: `outgoing document ${id} is ${row.state}, not failed or ambiguous` };
    }
    await transitionOutbound(
      client,
      id,
      OutboundState.queued,
      { by: 'operator', actor, resend: true, from: row.state, attemptsBefore: row.attempts },
      { attempts: 0, nextAttemptInSeconds: null, mayHaveArrived: row.state === OutboundState.ambiguous },
    );
    await writeAudit(client, { actor, action: 'resend', subjectType: 'outbound', subjectId: id, detail: { from: row.state, to: OutboundState.queued, attempts: row.attempts } });
    return { kind: 'ok', state: OutboundState.queued, from: row.state };
  });
  if (result.kind === 'ok' && queue) await requeueSend(queue, id, 0);
  return result;
}

/** An ambiguous send the receiver confirmed: sent (an opinion then answers its case). */
export async function markDelivered(pool: Pool, id: string, actor: string, given?: string): Promise<OutboundOperatorResult> {
  // An operator's note is free text: kept with its personal codes masked, as every stored message is.
  const note = given === undefined ? undefined : storableMessage(given);
  return withTransaction(pool, async (client): Promise<OutboundOperatorResult> => {
    const row = await lock(client, id);
    if (!row) return { kind: 'refused', reason: `no outgoing document ${id}` };
    if (row.state !== OutboundState.ambiguous) return { kind: 'refused', reason: `outgoing document ${id} is ${row.state}, not ambiguous` };
    await transitionOutbound(client, id, OutboundState.sent, { by: 'operator', actor, confirmed: true, ...(note ? { note } : {}) }, { delivered: true, nextAttemptInSeconds: null });
    if (row.kind === OutboundKind.opinion && row.case_id) await markAnswered(client, row.case_id);
    await writeAudit(client, { actor, action: 'mark-delivered', subjectType: 'outbound', subjectId: id, detail: { from: row.state, to: OutboundState.sent, ...(note ? { note } : {}) } });
    return { kind: 'ok', state: OutboundState.sent, from: row.state };
  });
}
