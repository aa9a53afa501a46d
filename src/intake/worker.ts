import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName, type JobData } from '../jobs/queues';
import { makeWorker, RetryAfter } from '../jobs/worker';
import { InboundState } from '../inbound/states';
import { attemptIntake, type IntakeOutcome } from './pipeline';
import type { StoredFile } from './content';
import type { IntakeDeps } from './stages';

/**
 * The intake worker: job data is `{ id }` only (docs/architecture.md); PostgreSQL says what to do next. A
 * transient failure is recorded in PostgreSQL (attempts, next_attempt_at) by attemptIntake, which decides
 * the delay from the recorded count; the worker then throws RetryAfter and BullMQ retries the same job
 * after that delay (the queue's `attempts`/`backoff`, src/jobs/queues.ts). Past INTAKE_ATTEMPTS the job
 * completes and the reconciler takes the capsule up later; permanent and ambiguous failures are recorded
 * (failed, parked) and the job completes too.
 */

/** States in which a capsule's files are stored (attachments written). */
const FILES_STORED = new Set<string>([InboundState.extracted, InboundState.routed, InboundState.done]);

export interface IntakeWorkerOptions {
  deps: IntakeDeps;
  /**
   * A connection for the worker (maxRetriesPerRequest: null, which BullMQ requires of a worker's connection).
   */
  connection: Redis;
  prefix: string;
  log: Logger;
}

export function makeIntakeWorker(o: IntakeWorkerOptions): Worker<JobData['intake'], Exclude<IntakeOutcome['kind'], 'retry'>> {
  const { deps, log } = o;
  return makeWorker(
    QueueName.intake,
    async (job) => {
      const id = job.data.id;
      let files: StoredFile[] | undefined;
      const outcome = await attemptIntake(deps, id, log.child({ capsuleId: id, stage: 'intake' }), (f) => (files = f));
      // Intake is finished with the capsule's files: the text step reads them for search, without intake waiting.
      if (outcome.kind === 'finished' && outcome.state && FILES_STORED.has(outcome.state)) deps.afterFilesStored?.(id, files);
      if (outcome.kind === 'retry') throw new RetryAfter(outcome.delayMs, `${outcome.code}: attempt ${outcome.attempt} failed, retried in ${outcome.delayMs} ms`);
      return outcome.kind;
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: deps.intake.concurrency,
      log,
      label: 'intake',
      options: {
        lockDuration: deps.intake.lockMs,
        stalledInterval: Math.max(1000, Math.floor(deps.intake.lockMs / 2)),
        maxStalledCount: 3,
      },
    },
  );
}
