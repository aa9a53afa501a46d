import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JOB_RETENTION, RECORDED_BACKOFF, type JobData, type QueueName } from './queues';
import type { ReleaseStack } from './release';

/**
 * A Redis connection for BullMQ workers (maxRetriesPerRequest: null, which BullMQ requires of a worker's
 * connection), closed by the release stack after everything started later on it.
 */
export function workerRedis(redisUrl: string, log: Logger, stack: ReleaseStack, label: string): Redis {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.warn({ err: err.message }, `${label} redis error`));
  stack.push(async () => void (await connection.quit().catch(() => connection.disconnect())));
  return connection;
}

/**
 * Thrown by a processor when PostgreSQL has recorded a retry: BullMQ retries the same job after `delayMs`
 * (its `attempts`/`backoff`, with the recorded-delay strategy below). The delay is decided per failure
 * from the database's count of attempts, which spans jobs (receive path, reconciler, operator), so it is
 * not BullMQ's own count that sets it.
 */
export class RetryAfter extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryAfter';
  }
}

/**
 * The backoff of jobs whose options name RECORDED_BACKOFF: the delay a RetryAfter carries. Any other error
 * fails the job at once (-1, as an UnrecoverableError would): only what PostgreSQL recorded makes a retry,
 * and a row left pending is the reconciler's.
 */
function recordedBackoff(_attemptsMade: number, type?: string, err?: Error): number {
  return type === RECORDED_BACKOFF && err instanceof RetryAfter ? err.delayMs : -1;
}

/** The one way workers are made: the queue's name and data type, shared retention, errors logged. */
export function makeWorker<N extends QueueName, R>(
  name: N,
  processor: (job: Job<JobData[N]>, token?: string) => Promise<R>,
  o: {
    connection: Redis;
    prefix: string;
    concurrency: number;
    log: Logger;
    /** Logged with worker errors: `<label> worker error`. */
    label: string;
    /** Further BullMQ worker options (lock duration, stalled checks). */
    options?: Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency' | 'settings'>;
  },
): Worker<JobData[N], R> {
  const worker = new Worker<JobData[N], R>(name, processor, {
    ...JOB_RETENTION,
    ...o.options,
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.concurrency,
    settings: { backoffStrategy: recordedBackoff },
  });
  worker.on('error', (err) => o.log.warn({ err: err.message }, `${o.label} worker error`));
  return worker;
}
