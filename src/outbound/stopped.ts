import type { PoolClient } from '../db/pool';
import type { OutboundState } from './states';

type Queryable = Pick<PoolClient, 'query'>;

/** Outgoing documents that stopped (failed, ambiguous), as a replay sees them (src/operator/replay.ts). */

export interface StoppedOutboundFilter {
  ids?: readonly string[];
  /** Only these states (default failed and ambiguous). */
  states?: readonly string[];
  /** Only this code: the FailureCode of the last attempt or the receiver's fault code. */
  code?: string;
  since?: Date;
}

export interface StoppedOutbound {
  id: string;
  state: OutboundState;
  failureCode: string | null;
  faultCode: string | null;
  attempts: number;
  updatedAt: Date;
}

export async function stoppedOutbound(q: Queryable, f: StoppedOutboundFilter): Promise<StoppedOutbound[]> {
  const r = await q.query<{ id: string; state: OutboundState; failure_code: string | null; fault_code: string | null; attempts: number; updated_at: Date }>(
    `SELECT id, state, failure_code, fault_code, attempts, updated_at FROM outbound_documents
      WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) AND ($2::text[] IS NULL OR state = ANY($2::text[]))
        AND ($3::text IS NULL OR failure_code = $3 OR fault_code = $3) AND ($4::timestamptz IS NULL OR updated_at >= $4)
      ORDER BY updated_at, id`,
    [f.ids ?? null, f.states ?? (f.ids ? null : ['failed', 'ambiguous']), f.code ?? null, f.since ?? null],
  );
  return r.rows.map((x) => ({ id: x.id, state: x.state, failureCode: x.failure_code, faultCode: x.fault_code, attempts: x.attempts, updatedAt: x.updated_at }));
}
