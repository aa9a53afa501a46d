import type { PoolClient } from '../db/pool';
import type { Category } from '../cases/categories';
import { PENDING_STATES, type InboundState } from './states';

/**
 * What an operator's decision writes of a capsule (`dhx classify`, `dhx replay`), in the caller's
 * transaction: the caller locks the row, decides, records the state change (repo.ts `transition`) and
 * writes the audit row.
 */

/** The capsule's state and failure code, its row locked until the transaction ends; undefined when there is no such capsule. */
export async function lockInbound(client: PoolClient, id: string): Promise<{ state: InboundState; failure_code: string | null } | undefined> {
  const r = await client.query<{ state: InboundState; failure_code: string | null }>('SELECT state, failure_code FROM inbound_capsules WHERE id = $1 FOR UPDATE', [id]);
  return r.rows[0];
}

/**
 * A person's category for the capsule (confident, rule `operator`), replacing the automatic verdict,
 * whose reasons are kept inside the new one; the rule that verdict had (null when there was none).
 */
export async function recordOperatorClassification(
  client: PoolClient,
  id: string,
  category: Category,
  subKind: string | null,
  actor: string,
): Promise<{ previousRule: string | null }> {
  const prev = await client.query<{ reasons: unknown; rule: string | null; score: string }>('SELECT reasons, rule, score FROM classifications WHERE capsule_id = $1', [id]);
  await client.query(
    `INSERT INTO classifications (capsule_id, category, sub_kind, confident, rule, score, reasons, decided_by, actor)
     VALUES ($1, $2, $3, true, 'operator', 0, $4, 'operator', $5)
     ON CONFLICT (capsule_id) DO UPDATE SET category = EXCLUDED.category, sub_kind = EXCLUDED.sub_kind, confident = true,
       rule = 'operator', reasons = EXCLUDED.reasons, decided_by = 'operator', actor = EXCLUDED.actor, at = now()`,
    [id, category, subKind, JSON.stringify({ operator: actor, rules: prev.rows[0]?.reasons ?? null }), actor],
  );
  return { previousRule: prev.rows[0]?.rule ?? null };
}

/** The last pending state the capsule's history records (where a replay resumes); received when none. */
export async function lastPendingState(client: Pick<PoolClient, 'query'>, id: string): Promise<InboundState> {
  const h = await client.query<{ state: InboundState }>(
    'SELECT state FROM inbound_state_history WHERE capsule_id = $1 AND state = ANY($2::text[]) ORDER BY at DESC, id DESC LIMIT 1',
    [id, PENDING_STATES],
  );
  return h.rows[0]?.state ?? 'received';
}

/** Starts the capsule's attempts afresh (a replay). */
export async function resetAttempts(client: PoolClient, id: string): Promise<void> {
  await client.query('UPDATE inbound_capsules SET attempts = 0 WHERE id = $1', [id]);
}
