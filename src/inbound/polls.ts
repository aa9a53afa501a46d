import type { PoolClient } from '../db/pool';
import { storableMessage } from '../log/privacy';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * The last result of each poller (`poll_results`, one row per poller), recorded after every poll that ran
 * (docs/operations.md, "dhx doctor"): `dhx doctor` and the dashboard show when DVK and ADIT were last
 * asked and how it went. The error is stored as every stored message is (personal codes masked).
 */

export type Poller = 'dvk' | 'adit';

export interface PollOutcome {
  ok: boolean;
  fetched: number;
  stage?: string;
  error?: string;
}

export interface PollResult extends PollOutcome {
  poller: Poller;
  at: Date;
  lastOkAt?: Date;
}

export async function recordPoll(q: Queryable, poller: Poller, o: PollOutcome): Promise<void> {
  await q.query(
    `INSERT INTO poll_results (poller, at, ok, fetched, stage, error, last_ok_at) VALUES ($1, now(), $2, $3, $4, $5, CASE WHEN $2 THEN now() END)
     ON CONFLICT (poller) DO UPDATE SET at = now(), ok = EXCLUDED.ok, fetched = EXCLUDED.fetched, stage = EXCLUDED.stage, error = EXCLUDED.error,
       last_ok_at = CASE WHEN EXCLUDED.ok THEN now() ELSE poll_results.last_ok_at END`,
    [poller, o.ok, o.fetched, o.stage ?? null, o.error === undefined ? null : storableMessage(o.error).slice(0, 1000)],
  );
}

export async function lastPolls(q: Queryable): Promise<PollResult[]> {
  const r = await q.query<{ poller: Poller; at: Date; ok: boolean; fetched: number; stage: string | null; error: string | null; last_ok_at: Date | null }>(
    'SELECT poller, at, ok, fetched, stage, error, last_ok_at FROM poll_results ORDER BY poller',
  );
  return r.rows.map((x) => ({
    poller: x.poller,
    at: x.at,
    ok: x.ok,
    fetched: x.fetched,
    ...(x.stage ? { stage: x.stage } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.last_ok_at ? { lastOkAt: x.last_ok_at } : {}),
  }));
}
