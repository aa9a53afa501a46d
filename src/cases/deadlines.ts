import type { Logger } from 'pino';
import type { Pool } from '../db/pool';
import { startPeriodic } from '../jobs/periodic';

/**
 * Deadline watch: every `everySeconds` (on the periodic scheduler, src/jobs/periodic.ts) it sets each open
 * case's `deadline_status` from its due date in Tallinn's calendar: `overdue` after the due date,
 * `due_soon` within `dueSoonDays` of it, `on_track` before, `answered` once SKA answered, `none` without a
 * due date. One statement that changes only rows whose status is stale, so every worker process may run
 * it; as an in-process timer it needs nothing from Redis, and a Redis that loses its keys cannot stop it.
 */

export interface DeadlineCounts {
  dueSoon: number;
  overdue: number;
  changed: number;
}

export async function watchDeadlines(pool: Pool, dueSoonDays: number, today?: string): Promise<DeadlineCounts> {
  const r = await pool.query<{ changed: string; due_soon: string; overdue: string }>(
    `WITH t AS (SELECT coalesce($2::date, (now() AT TIME ZONE 'Europe/Tallinn')::date) AS today),
     upd AS (
       UPDATE cases c SET deadline_status = s.status, updated_at = now()
         FROM (SELECT id, CASE
                 WHEN answered_at IS NOT NULL THEN 'answered'
                 WHEN due_date IS NULL THEN 'none'
                 WHEN due_date < t.today THEN 'overdue'
                 WHEN due_date - t.today <= $1 THEN 'due_soon'
                 ELSE 'on_track' END AS status
                 FROM cases, t WHERE status <> 'closed') s
        WHERE c.id = s.id AND c.deadline_status <> s.status
        RETURNING c.id)
     SELECT (SELECT count(*) FROM upd) AS changed,
            (SELECT count(*) FROM cases c, t WHERE c.status <> 'closed' AND c.answered_at IS NULL AND c.due_date >= t.today AND c.due_date - t.today <= $1) AS due_soon,
            (SELECT count(*) FROM cases c, t WHERE c.status <> 'closed' AND c.answered_at IS NULL AND c.due_date < t.today) AS overdue`,
    [dueSoonDays, today ?? null],
  );
  const row = r.rows[0]!;
  return { changed: Number(row.changed), dueSoon: Number(row.due_soon), overdue: Number(row.overdue) };
}

export interface DeadlineWatch {
  stop(): Promise<void>;
}

export function startDeadlineWatch(o: {
  pool: Pool;
  everySeconds: number;
  dueSoonDays: number;
  log: Logger;
  onCounts?: (c: DeadlineCounts) => void;
}): DeadlineWatch {
  return startPeriodic({
    name: 'deadline-watch',
    every: { seconds: o.everySeconds },
    log: o.log,
    atStart: true,
    failure: 'deadline watch failed',
    pass: async () => {
      const counts = await watchDeadlines(o.pool, o.dueSoonDays);
      o.onCounts?.(counts);
    },
  });
}
