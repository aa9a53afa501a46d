import { Worker, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { attemptIntake } from '../intake/pipeline';
import type { IntakeDeps } from '../intake/stages';
import { QueueName, type JobData } from './queues';

/**
 * The intake worker: job data is `{ id }` only (STYLE habit 1); Postgres says what to do next. A transient
 * failure schedules a delayed job of its own (exponential backoff), because jobs are added by several
 * producers (receive path, CLI, reconciler) with their own options.
 */

export interface IntakeWorkerOptions {
  deps: IntakeDeps;
  queue: Queue<JobData['intake']>;
  /** A connection for the worker (maxRetriesPerRequest: null, ECOSYSTEM.md). */
  connection: Redis;
  prefix: string;
  log: Logger;
}

export function makeIntakeWorker(o: IntakeWorkerOptions): Worker<JobData['intake']> {
  const { deps, log } = o;
  const worker = new Worker<JobData['intake']>(
    QueueName.intake,
    async (job) => {
      const id = job.data.id;
      const outcome = await attemptIntake(deps, id, log.child({ capsuleId: id, stage: 'intake' }));
      if (outcome.kind === 'retry') {
        await o.queue.add('capsule', { id }, { jobId: `${id}-retry-${outcome.attempt}-${Date.now()}`, delay: outcome.delayMs });
      }
      return outcome.kind;
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: deps.intake.concurrency,
      lockDuration: deps.intake.lockMs,
      stalledInterval: Math.max(1000, Math.floor(deps.intake.lockMs / 2)),
      maxStalledCount: 3,
      removeOnComplete: { count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'intake worker error'));
  return worker;
}
