import type { PoolClient } from '../db/pool';
import { lastPendingState } from './operator';
import type { InboundState } from './states';

type Queryable = Pick<PoolClient, 'query'>;

/** Inbound capsules that stopped (failed, parked), as a replay sees them (src/operator/replay.ts). */

export interface StoppedFilter {
  /** Only these ids. */
  ids?: readonly string[];
  /** Only these states (default failed and parked). */
  states?: readonly string[];
  /** Only this failure code. */
  code?: string;
  /** Only rows whose last change is at or after this time. */
  since?: Date;
}

export interface StoppedInbound {
  id: string;
  state: InboundState;
  failureCode: string | null;
  updatedAt: Date;
  /** Where a replay resumes: the last pending state of its history. */
  resumeAt: InboundState;
}

export async function stoppedInbound(q: Queryable, f: StoppedFilter): Promise<StoppedInbound[]> {
  const r = await q.query<{ id: string; state: InboundState; failure_code: string | null; updated_at: Date }>(
    `SELECT id, state, failure_code, updated_at FROM inbound_capsules
      WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) AND ($2::text[] IS NULL OR state = ANY($2::text[]))
        AND ($3::text IS NULL OR failure_code = $3) AND ($4::timestamptz IS NULL OR updated_at >= $4)
      ORDER BY updated_at, id`,
    [f.ids ?? null, f.states ?? (f.ids ? null : ['failed', 'parked']), f.code ?? null, f.since ?? null],
  );
  const out: StoppedInbound[] = [];
  for (const x of r.rows) {
    out.push({ id: x.id, state: x.state, failureCode: x.failure_code, updatedAt: x.updated_at, resumeAt: await lastPendingState(q, x.id) });
  }
  return out;
}
