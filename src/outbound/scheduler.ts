import type { Logger } from 'pino';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { FailureCode } from '../errors';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { requeueSend, type SendQueue } from './queue';
import { transitionOutbound } from './repo';
import { OutboundState } from './states';

/**
 * The send scheduler and reconciler: the retry schedule lives in Postgres (`next_attempt_at`),
 * so every pass queues what is due by the database's clock — a restarted adapter, or one whose Redis lost
 * its delayed jobs, resumes where the schedule stands. It also:
 * - queues `queued` rows untouched for OUTBOUND_STUCK_AFTER_SECONDS (a job lost with Redis, or a row
 *   inserted without one, as intake's business receipts are), and rows due that long, also when their
 *   job is still `active` under a dead worker's lock (requeueSend);
 * - turns a row left in `sending` past DHX_SEND_TIMEOUT + OUTBOUND_STUCK_AFTER_SECONDS (its worker
 *   stopped mid-send) into `ambiguous`: the request may have left, so it is resent with the same
 *   consignmentId, like any lost answer. A row `sending` with a dhl_id is not stopped: DVK has it, and the
 *   DVK follow-up (dvk-follow.ts) waits for its delivery.
 * On the periodic scheduler (src/jobs/periodic.ts), an in-process timer, not a BullMQ scheduler: it must
 * work when Redis has lost everything.
 */

export interface OutboundScanOptions {
  pool: Pool;
  queue: SendQueue;
  schedule: readonly number[];
  sendTimeoutSeconds: number;
  stuckAfterSeconds: number;
  log: Logger;
  /** Rows per pass. */
  batch?: number;
}

/** One pass: returns how many jobs were queued and how many stopped sends were found. */
export async function scanOutbound(o: OutboundScanOptions): Promise<{ enqueued: number; stuck: number }> {
  const stuck = await withTransaction(o.pool, async (client) => {
    const r = await client.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM outbound_documents
        WHERE state = 'sending' AND dhl_id IS NULL AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [o.sendTimeoutSeconds + o.stuckAfterSeconds, o.batch ?? 1000],
    );
    for (const row of r.rows) {
      const wait = o.schedule[row.attempts - 1];
      // Resent at once while the schedule has attempts left; past it, an operator decides.
      await transitionOutbound(
        client,
        row.id,
        OutboundState.ambiguous,
        { attempt: row.attempts, code: FailureCode.RESPONSE_LOST, reason: 'stuck in sending' },
        {
          mayHaveArrived: true,
          failure: { code: FailureCode.RESPONSE_LOST, faultCode: FailureCode.RESPONSE_LOST, message: 'the send stopped before its answer was recorded' },
          nextAttemptInSeconds: wait === undefined ? null : 0,
        },
      );
    }
    return r.rowCount ?? 0;
  });
  if (stuck) o.log.warn({ stuck }, 'sends that stopped mid-way are now ambiguous');
  // overdue: waiting past OUTBOUND_STUCK_AFTER_SECONDS, so a job still `active` for it is a dead worker's.
  const due = await o.pool.query<{ id: string; attempts: number; overdue: boolean }>(
    `SELECT id, attempts, (state = 'queued' OR next_attempt_at < now() - make_interval(secs => $2)) AS overdue
       FROM outbound_documents
      WHERE (state = 'queued' AND updated_at < now() - make_interval(secs => $2))
         OR (state IN ('retrying', 'ambiguous') AND next_attempt_at <= now())
      ORDER BY coalesce(next_attempt_at, created_at) LIMIT $1`,
    [o.batch ?? 1000, o.stuckAfterSeconds],
  );
  let enqueued = 0;
  for (const row of due.rows) if (await requeueSend(o.queue, row.id, row.attempts, row.overdue)) enqueued++;
  if (enqueued) o.log.info({ enqueued }, 'send scheduler queued due documents');
  return { enqueued, stuck };
}

export type OutboundScheduler = Periodic;

export function startOutboundScheduler(o: OutboundScanOptions & { cron: string }): OutboundScheduler {
  return startPeriodic({ name: 'send-scheduler', every: { cron: o.cron }, log: o.log, pass: () => scanOutbound(o), failure: 'send scheduler pass failed' });
}
