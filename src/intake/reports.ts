import type { Pool } from '../db/pool';

/** What stopped, in both directions, for `dhx failed list`. */

export interface FailedItem {
  id: string;
  direction: 'inbound' | 'outbound';
  state: string;
  faultCode: string | null;
  faultMessage: string | null;
  attempts: number;
  updatedAt: string;
}

export async function listFailed(pool: Pool): Promise<FailedItem[]> {
  const r = await pool.query<{ id: string; direction: 'inbound' | 'outbound'; state: string; code: string | null; message: string | null; attempts: number; updated_at: Date }>(
    `SELECT id, 'inbound' AS direction, state, failure_code AS code, failure_message AS message, attempts, updated_at
       FROM inbound_capsules WHERE state IN ('failed', 'parked')
     UNION ALL
     SELECT id, 'outbound', state, fault_code, fault_message, attempts, updated_at FROM outbound_documents WHERE state IN ('failed', 'ambiguous')
     ORDER BY updated_at`,
  );
  return r.rows.map((x) => ({ id: x.id, direction: x.direction, state: x.state, faultCode: x.code, faultMessage: x.message, attempts: x.attempts, updatedAt: x.updated_at.toISOString() }));
}
