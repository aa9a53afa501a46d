import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { enqueueSend, SEND_QUEUE, type SendJobData, type SendQueue } from './queue';
import { attemptSend, type SendDeps } from './send';

/**
 * The send worker: job data `{ id }` only; the row says what to do (attemptSend). After a transient or
 * ambiguous outcome the next attempt is queued as a delayed job for its time; the schedule itself is
 * `next_attempt_at` in Postgres, and the scheduler (scheduler.ts) queues it again should Redis lose it.
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

export function makeSendWorker(o: SendWorkerOptions): Worker<SendJobData> {
  const worker = new Worker<SendJobData>(
    SEND_QUEUE,
    async (job) => {
      const id = job.data.id;
      const r = await attemptSend(o.deps, id);
      if ((r.kind === 'retrying' || r.kind === 'ambiguous') && r.delayMs !== undefined) {
        await enqueueSend(o.queue, id, r.attempt, r.delayMs).catch((err: unknown) =>
          o.log.warn({ outboundId: id, err: (err as Error).message }, 'next attempt not queued; the scheduler will'),
        );
      } else if (r.kind === 'not-due') {
        // Woken early (clocks of Redis and Postgres differ a little): come back when it is due.
        await o.queue.add('send', { id }, { jobId: `${id}-due-${Date.now()}`, delay: r.delayMs });
      }
      return r.kind;
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      removeOnComplete: { count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
  worker.on('error', (err) => o.log.warn({ err: err.message }, 'send worker error'));
  return worker;
}
