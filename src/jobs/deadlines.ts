import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool';
import { startCronPass } from './cron';

/**
 * Deadline watch: a BullMQ job scheduler runs it every `everySeconds`; it sets each open case's
 * `deadline_status` from its due date in Tallinn's calendar: `overdue` after the due date, `due_soon`
 * within `dueSoonDays` of it, `on_track` before, `answered` once SKA answered, `none` without a due date.
 */

export const DEADLINE_QUEUE = 'deadlines';
const SCHEDULER_ID = 'deadline-watch';
/** How often a process checks that Redis still holds the scheduler (at most; less when the watch runs more often). */
const ENSURE_EVERY_SECONDS = 60;

/** A cron schedule that fires every `seconds` (1 to 60) within each minute. */
function everySecondsCron(seconds: number): string {
  return seconds >= 60 ? '0 * * * * *' : `*/${Math.max(1, Math.floor(seconds))} * * * * *`;
}

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
  queue: Queue;
  worker: Worker;
  stop(): Promise<void>;
}

export async function startDeadlineWatch(o: {
  pool: Pool;
  connection: Redis;
  prefix: string;
  everySeconds: number;
  dueSoonDays: number;
  log: Logger;
  onCounts?: (c: DeadlineCounts) => void;
}): Promise<DeadlineWatch> {
  const queue = new Queue(DEADLINE_QUEUE, { connection: o.connection, prefix: o.prefix });
  const worker = new Worker(
    DEADLINE_QUEUE,
    async () => {
      const counts = await watchDeadlines(o.pool, o.dueSoonDays);
      o.onCounts?.(counts);
      return counts;
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  );
  worker.on('error', (err) => o.log.warn({ err: err.message }, 'deadline worker error'));
  // The scheduler lives in Redis, which forgets it when it restarts without persistence or is flushed:
  // each process puts it back when it is missing, so the watch does not stop until a worker restarts.
  const ensure = async (): Promise<void> => {
    if (await queue.getJobScheduler(SCHEDULER_ID)) return;
    await queue.upsertJobScheduler(SCHEDULER_ID, { every: o.everySeconds * 1000 }, { name: 'watch' });
  };
  await ensure().catch((err: Error) => o.log.warn({ err: err.message }, 'deadline scheduler not set (Redis away?); tried again later'));
  const check = startCronPass({
    name: 'deadline-scheduler-check',
    schedule: everySecondsCron(Math.min(o.everySeconds, ENSURE_EVERY_SECONDS)),
    log: o.log,
    pass: ensure,
    failure: 'deadline scheduler check failed',
  });
  return {
    queue,
    worker,
    async stop() {
      await check.stop();
      await worker.close();
      await queue.close();
    },
  };
}
