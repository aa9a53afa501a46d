import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The queues and their job data: ids only, PostgreSQL is the record (docs/architecture.md).
 *
 * Job ids, one scheme per queue:
 * - `intake`: the capsule id (`intakeJobId`). A second enqueue of a queued capsule does nothing; a retry is
 *   BullMQ's retry of that same job (`attempts`/`backoff` below, `RetryAfter` in worker.ts); a producer that
 *   must run a capsule again whose job has finished (reconciler, operator commands) replaces the finished
 *   job (`requeue`).
 * - `send`: `<row id>-<attempts so far>` (`sendJobId`): the send of one attempt is queued once however many
 *   producers ask (opinion command, the worker's next attempt, the send scheduler), and the next attempt
 *   gets a new job. `<that>-lost` is the one job added beside an `active` job of a worker that died
 *   (src/outbound/queue.ts).
 * The deadline watch has no queue: it is periodic work (periodic.ts).
 */
export const QueueName = { intake: 'intake', send: 'send' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobData {
  intake: { id: string };
  send: { id: string };
}

/** BullMQ job names, one per queue. */
const JOB_NAME: { [N in QueueName]: string } = { intake: 'capsule', send: 'send' };

export function intakeJobId(capsuleId: string): string {
  return capsuleId;
}

export function sendJobId(id: string, attempts: number): string {
  return `${id}-${attempts}`;
}

/** How long finished jobs stay in Redis (to be read by operators; PostgreSQL keeps the record). */
export const JOB_RETENTION = { removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } } as const;

/** The backoff type whose delay the failing job's error carries (worker.ts). */
export const RECORDED_BACKOFF = 'recorded';

/**
 * Ceiling on BullMQ's attempts of one intake job. The limit that counts is INTAKE_ATTEMPTS, counted in
 * PostgreSQL across all jobs of a capsule: past it the worker stops throwing and the job completes.
 */
const INTAKE_ATTEMPTS_CEILING = 1000;

const JOB_OPTIONS: { [N in QueueName]: JobsOptions } = {
  intake: { ...JOB_RETENTION, attempts: INTAKE_ATTEMPTS_CEILING, backoff: { type: RECORDED_BACKOFF } },
  // A send's next attempt is a job of its own (its id names the attempt): no BullMQ retries.
  send: { ...JOB_RETENTION },
};

/** A queue that knows its name, so its jobs get their name and options from the map above. */
export type TypedQueue<N extends QueueName> = Queue<JobData[N]> & { readonly name: N };

/** The one queue factory. */
export function makeQueue<N extends QueueName>(name: N, connection: Redis, prefix: string): TypedQueue<N> {
  return new Queue<JobData[N]>(name, { connection, prefix, defaultJobOptions: JOB_OPTIONS[name] }) as TypedQueue<N>;
}

export interface NewJob<N extends QueueName> {
  data: JobData[N];
  jobId: string;
  delayMs?: number;
}

function optsOf<N extends QueueName>(queue: TypedQueue<N>, j: NewJob<N>): JobsOptions {
  return { ...JOB_OPTIONS[queue.name], jobId: j.jobId, ...(j.delayMs && j.delayMs > 0 ? { delay: j.delayMs } : {}) };
}

/** The one enqueue: one job with `add`, several in one Redis round trip (`addBulk`); a job id already queued is not queued again. */
export async function enqueue<N extends QueueName>(queue: TypedQueue<N>, jobs: Array<NewJob<N>>): Promise<void> {
  const name = JOB_NAME[queue.name];
  // Typed by N at the boundary; BullMQ's name/data inference does not follow a generic N.
  const q = queue as unknown as Queue<unknown, unknown, string>;
  if (jobs.length === 1) {
    const j = jobs[0]!;
    await q.add(name, j.data, optsOf(queue, j));
  } else if (jobs.length > 1) {
    await q.addBulk(jobs.map((j) => ({ name, data: j.data, opts: optsOf(queue, j) })));
  }
}

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** The state of the job of this id, if Redis holds one. */
export async function jobState<N extends QueueName>(queue: TypedQueue<N>, jobId: string): Promise<string | undefined> {
  const job = await queue.getJob(jobId);
  return job ? await job.getState() : undefined;
}

/**
 * Queues the job unless one of its id is live (waiting, active, delayed...): a finished one (completed,
 * failed, or kept by Redis from long ago) is removed first, so the work really runs again. With
 * `promoteDelayed`, a live delayed job is made due now. Returns whether a job was added.
 */
export async function requeue<N extends QueueName>(queue: TypedQueue<N>, job: NewJob<N>, o: { promoteDelayed?: boolean } = {}): Promise<boolean> {
  const found = await queue.getJob(job.jobId);
  if (found) {
    const state = await found.getState();
    if (LIVE.has(state)) {
      if (o.promoteDelayed && state === 'delayed') await found.promote().catch(() => undefined);
      return false;
    }
    await found.remove().catch(() => undefined);
  }
  await enqueue(queue, [job]);
  return true;
}

/** Removes every key under a BullMQ prefix (a demo's or a test's queues); returns how many went. */
export async function removeQueueKeys(connection: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) removed += await connection.del(...keys);
  } while (cursor !== '0');
  return removed;
}
