import type { Pool } from '../db/pool';
import { writeAudit } from '../db/audit';
import { withTransaction } from '../db/tx';
import { lastPendingState, lockInbound, recordOperatorClassification, resetAttempts } from '../inbound/operator';
import { failedInboundIds as failedIds, transition } from '../inbound/repo';
import { type Category, type SubKind } from '../cases/categories';
import { InboundState } from '../inbound/states';

/**
 * Operator decisions (docs/intake.md, "Failures": a replay is a state change recorded in the audit log + a
 * re-enqueue).
 */

export type OperatorResult = { kind: 'ok'; state: InboundState } | { kind: 'refused'; reason: string };

/** `dhx classify ID CATEGORY`: a capsule in triage gets its category from a person and moves on to extraction. */
export async function classifyByOperator(pool: Pool, id: string, category: Category, subKind: SubKind | undefined, actor: string): Promise<OperatorResult> {
  return withTransaction(pool, async (client) => {
    const state = (await lockInbound(client, id))?.state;
    if (!state) return { kind: 'refused', reason: `no inbound capsule ${id}` };
    if (state !== InboundState.triage) return { kind: 'refused', reason: `capsule ${id} is ${state}, not in triage` };
    const { previousRule } = await recordOperatorClassification(client, id, category, subKind ?? null, actor);
    await transition(client, id, InboundState.triage, InboundState.classified, { category, by: 'operator', actor });
    await writeAudit(client, { actor, action: 'classify', subjectType: 'inbound', subjectId: id, detail: { from: InboundState.triage, to: InboundState.classified, category, subKind: subKind ?? null, previousRule } });
    return { kind: 'ok', state: InboundState.classified };
  });
}

/**
 * `dhx replay ID`: a failed or parked capsule goes back to the last pending state it was in, with its
 * attempts reset; the caller re-enqueues it.
 */
export async function replayInbound(pool: Pool, id: string, actor: string): Promise<OperatorResult> {
  return withTransaction(pool, async (client) => {
    const row = await lockInbound(client, id);
    if (!row) return { kind: 'refused', reason: `no inbound capsule ${id}` };
    if (row.state !== InboundState.failed && row.state !== InboundState.parked) return { kind: 'refused', reason: `capsule ${id} is ${row.state}, not failed or parked` };
    const to = await lastPendingState(client, id);
    await resetAttempts(client, id);
    await transition(client, id, row.state, to, { by: 'operator', actor, replay: true });
    await writeAudit(client, { actor, action: 'replay', subjectType: 'inbound', subjectId: id, detail: { from: row.state, to, failureCode: row.failure_code } });
    return { kind: 'ok', state: to };
  });
}

export async function failedInboundIds(pool: Pool): Promise<string[]> {
  return failedIds(pool);
}
