import type { PoolClient } from '../db/pool';

/** Read-only views of the address book for people (the dashboard). Nothing here writes. */

export interface LastRefresh {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  source: string;
  error: string | null;
  /** When a refresh last succeeded (this one or an earlier one); null when none ever did. */
  lastSuccessAt: string | null;
  members: number;
}

/** The last address book refresh and the number of members known; undefined when none has run yet. */
export async function lastAddressBookRefresh(q: Pick<PoolClient, 'query'>): Promise<LastRefresh | undefined> {
  const r = await q.query<{ started_at: Date; finished_at: Date; ok: boolean; source: string; error: string | null; last_success: Date | null; members: number }>(
    `SELECT r.started_at, r.finished_at, r.ok, r.source, r.error,
            (SELECT max(finished_at) FROM addressbook_refreshes WHERE ok) AS last_success,
            (SELECT count(*)::int FROM addressbook_members) AS members
       FROM addressbook_refreshes r ORDER BY r.id DESC LIMIT 1`,
  );
  const x = r.rows[0];
  if (!x) return undefined;
  return {
    startedAt: x.started_at.toISOString(),
    finishedAt: x.finished_at.toISOString(),
    ok: x.ok,
    source: x.source,
    error: x.error,
    lastSuccessAt: x.last_success?.toISOString() ?? null,
    members: x.members,
  };
}
