import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool';
import { PENDING_STATES } from '../intake/categories';
import { startCronPass, type CronPass } from './cron';
import type { JobData } from './queues';

/**
 * The reconciler (DESIGN.md §3): rows in a non-terminal state untouched for `stuckAfterSeconds`
 * are enqueued again, so a crash, a lost job or a flushed Redis loses nothing. It runs on an in-process
 * timer (node-cron), not a BullMQ scheduler, because it must work when Redis has lost everything.
 */

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface ReconcilerOptions {
  pool: Pool;
  queue: Queue<JobData['intake']>;
  stuckAfterSeconds: number;
  log: Logger;
  /** Rows per pass. */
  batch?: number;
}

/** One pass: returns how many ids were enqueued. */
export async function reconcileOnce(o: ReconcilerOptions): Promise<number> {
  const r = await o.pool.query<{ id: string }>(
    `SELECT id FROM inbound_capsules
      WHERE state = ANY($1::text[]) AND updated_at < now() - make_interval(secs => $2)
        AND (next_attempt_at IS NULL OR next_attempt_at <= now())
      ORDER BY updated_at LIMIT $3`,
    [PENDING_STATES, o.stuckAfterSeconds, o.batch ?? 5000],
  );
  let enqueued = 0;
  for (const { id } of r.rows) {
    const job = await o.queue.getJob(id);
    if (job) {
      const state = await job.getState();
      if (LIVE.has(state)) continue;
      await job.remove().catch(() => undefined); // completed or failed long ago: make room for a new one
    }
    await o.queue.add('capsule', { id }, { jobId: id });
    enqueued++;
  }
  if (enqueued) o.log.info({ enqueued }, 'reconciler re-enqueued stuck capsules');
  return enqueued;
}

export type Reconciler = CronPass;

export function startReconciler(o: ReconcilerOptions & { cron: string }): Reconciler {
  return startCronPass({ name: 'intake-reconciler', schedule: o.cron, log: o.log, pass: () => reconcileOnce(o), failure: 'reconciler pass failed' });
}
