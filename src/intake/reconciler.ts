import type { Logger } from 'pino';
import type { Pool } from '../db/pool';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { intakeJobId, requeue, type TypedQueue } from '../jobs/queues';
import { PENDING_STATES } from '../inbound/states';

/**
 * The reconciler (docs/intake.md, "Queues, reconciler, deadline watch"): rows in a non-terminal state
 * untouched for `stuckAfterSeconds` are enqueued again, so a crash, a lost job or a flushed Redis loses
 * nothing. It runs on the periodic scheduler (src/jobs/periodic.ts), an in-process timer, because it must
 * work when Redis has lost everything.
 */

export interface ReconcilerOptions {
  pool: Pool;
  queue: TypedQueue<'intake'>;
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
  // A live job (waiting, running, or delayed for its retry) is left alone; a finished one is replaced.
  for (const { id } of r.rows) if (await requeue(o.queue, { data: { id }, jobId: intakeJobId(id) })) enqueued++;
  if (enqueued) o.log.info({ enqueued }, 'reconciler re-enqueued stuck capsules');
  return enqueued;
}

export type Reconciler = Periodic;

export function startReconciler(o: ReconcilerOptions & { cron: string }): Reconciler {
  return startPeriodic({ name: 'intake-reconciler', every: { cron: o.cron }, log: o.log, pass: () => reconcileOnce(o), failure: 'reconciler pass failed' });
}
