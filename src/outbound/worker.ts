import { DelayedError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName } from '../jobs/queues';
import { makeWorker } from '../jobs/worker';
import { enqueueSend, type SendJobData, type SendQueue } from './queue';
import { attemptSend, type AttemptResult, type SendDeps } from './send';

/**
 * The send worker: job data `{ id }` only; the row says what to do (attemptSend). After a transient or
 * ambiguous outcome the next attempt is queued as a delayed job of its own for its time (its job id names
 * the attempt, src/jobs/queues.ts): the delay is DHX_SEND_RETRY_SCHEDULE's entry for the attempt recorded
 * in PostgreSQL (`next_attempt_at`), and the scheduler (scheduler.ts) queues it again should Redis lose it.
 */

export interface SendWorkerOptions {
  deps: SendDeps;
  queue: SendQueue;
  /** A connection for the worker (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  concurrency: number;
  log: Logger;
}

export function makeSendWorker(o: SendWorkerOptions): Worker<SendJobData, Exclude<AttemptResult['kind'], 'not-due'>> {
  return makeWorker(
    QueueName.send,
    async (job, token) => {
      const id = job.data.id;
      const r = await attemptSend(o.deps, id);
      if ((r.kind === 'retrying' || r.kind === 'ambiguous') && r.delayMs !== undefined) {
        await enqueueSend(o.queue, id, r.attempt, r.delayMs).catch((err: unknown) =>
          o.log.warn({ outboundId: id, err: (err as Error).message }, 'next attempt not queued; the scheduler will'),
        );
      } else if (r.kind === 'not-due') {
        // Woken early (clocks of Redis and PostgreSQL differ a little): this job comes back when it is due.
        await job.moveToDelayed(Date.now() + r.delayMs, token);
        throw new DelayedError();
      }
      return r.kind;
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency, log: o.log, label: 'send' },
  );
}
