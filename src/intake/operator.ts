import type { Pool } from '../db/pool';
import { writeAudit } from '../db/audit';
import { withTransaction } from '../db/tx';
import { InboundState, PENDING_STATES, type Category, type SubKind } from './categories';
import { transition } from './repo';

/** Operator decisions (DESIGN.md §3: a replay is a state change recorded in the audit log + a re-enqueue). */

export type OperatorResult = { kind: 'ok'; state: InboundState } | { kind: 'refused'; reason: string };

/** `dhx classify ID CATEGORY`: a capsule in triage gets its category from a person and moves on to extraction. */
export async function classifyByOperator(pool: Pool, id: string, category: Category, subKind: SubKind | undefined, actor: string): Promise<OperatorResult> {
  return withTransaction(pool, async (client) => {
    const r = await client.query<{ state: InboundState }>('SELECT state FROM inbound_capsules WHERE id = $1 FOR UPDATE', [id]);
    const state = r.rows[0]?.state;
    if (!state) return { kind: 'refused', reason: `no inbound capsule ${id}` };
    if (state !== InboundState.triage) return { kind: 'refused', reason: `capsule ${id} is ${state}, not in triage` };
    const prev = await client.query<{ reasons: unknown; rule: string | null; score: string }>('SELECT reasons, rule, score FROM classifications WHERE capsule_id = $1', [id]);
    await client.query(
      `INSERT INTO classifications (capsule_id, category, sub_kind, confident, rule, score, reasons, decided_by, actor)
       VALUES ($1, $2, $3, true, 'operator', 0, $4, 'operator', $5)
       ON CONFLICT (capsule_id) DO UPDATE SET category = EXCLUDED.category, sub_kind = EXCLUDED.sub_kind, confident = true,
         rule = 'operator', reasons = EXCLUDED.reasons, decided_by = 'operator', actor = EXCLUDED.actor, at = now()`,
      [id, category, subKind ?? null, JSON.stringify({ operator: actor, rules: prev.rows[0]?.reasons ?? null }), actor],
    );
    await transition(client, id, InboundState.triage, InboundState.classified, { category, by: 'operator', actor });
    await writeAudit(client, { actor, action: 'classify', subjectType: 'inbound', subjectId: id, detail: { category, subKind: subKind ?? null, previousRule: prev.rows[0]?.rule ?? null } });
    return { kind: 'ok', state: InboundState.classified };
  });
}

/**
 * `dhx replay ID`: a failed or parked capsule goes back to the last pending state it was in, with its
 * attempts reset; the caller re-enqueues it.
 */
export async function replayInbound(pool: Pool, id: string, actor: string): Promise<OperatorResult> {
  return withTransaction(pool, async (client) => {
    const r = await client.query<{ state: InboundState; failure_code: string | null }>('SELECT state, failure_code FROM inbound_capsules WHERE id = $1 FOR UPDATE', [id]);
    const row = r.rows[0];
    if (!row) return { kind: 'refused', reason: `no inbound capsule ${id}` };
    if (row.state !== InboundState.failed && row.state !== InboundState.parked) return { kind: 'refused', reason: `capsule ${id} is ${row.state}, not failed or parked` };
    const h = await client.query<{ state: InboundState }>(
      'SELECT state FROM inbound_state_history WHERE capsule_id = $1 AND state = ANY($2::text[]) ORDER BY at DESC, id DESC LIMIT 1',
      [id, PENDING_STATES],
    );
    const to = h.rows[0]?.state ?? InboundState.received;
    await client.query('UPDATE inbound_capsules SET attempts = 0 WHERE id = $1', [id]);
    await transition(client, id, row.state, to, { by: 'operator', actor, replay: true });
    await writeAudit(client, { actor, action: 'replay', subjectType: 'inbound', subjectId: id, detail: { from: row.state, to, failureCode: row.failure_code } });
    return { kind: 'ok', state: to };
  });
}

export async function failedInboundIds(pool: Pool): Promise<string[]> {
  const r = await pool.query<{ id: string }>(`SELECT id FROM inbound_capsules WHERE state IN ('failed', 'parked') ORDER BY updated_at`);
  return r.rows.map((x) => x.id);
}
