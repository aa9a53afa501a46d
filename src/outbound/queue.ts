import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The `send` queue (ids only, STYLE habit 1; Postgres is the record). A job's id is `<row id>-<attempts
 * so far>`: the send of one attempt is queued once however many producers ask (opinion command, the
 * worker's delayed retry, the scheduler), and the next attempt gets a new job.
 */

export const SEND_QUEUE = 'send';

export interface SendJobData {
  id: string;
}

export type SendQueue = Queue<SendJobData>;

export function makeSendQueue(connection: Redis, prefix: string): SendQueue {
  return new Queue<SendJobData>(SEND_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

export function sendJobId(id: string, attempts: number): string {
  return `${id}-${attempts}`;
}

/** Queues the next attempt of row `id` (which has made `attempts` attempts), after `delayMs`. */
export async function enqueueSend(queue: SendQueue, id: string, attempts = 0, delayMs = 0): Promise<void> {
  await queue.add('send', { id }, { jobId: sendJobId(id, attempts), ...(delayMs > 0 ? { delay: delayMs } : {}) });
}

/** The job of this id, if Redis holds one, with its state (read once). */
async function findJob(queue: SendQueue, jobId: string): Promise<{ job?: Awaited<ReturnType<SendQueue['getJob']>>; state?: string }> {
  const job = await queue.getJob(jobId);
  return job ? { job, state: await job.getState() } : {};
}

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * As enqueueSend, but a finished job of the same id (it ran and found the row not yet due, or Redis kept
 * an old one) is removed first, so the row is really queued again. Returns whether a job was added.
 *
 * `overdue`: the row has waited past OUTBOUND_STUCK_AFTER_SECONDS although a job for it exists. A job that
 * is `active` then belongs to a worker that died before claiming the row (a claim moves the row on), and
 * BullMQ would hand it out again only after its lock expires and a stalled check runs; a second job
 * (`<job id>-lost`, queued once) is added beside it instead. Two jobs for one row are harmless: the claim
 * lets one of them send.
 */
export async function requeueSend(queue: SendQueue, id: string, attempts: number, overdue = false): Promise<boolean> {
  let jobId = sendJobId(id, attempts);
  let { job, state } = await findJob(queue, jobId);
  if (overdue && state === 'active') {
    jobId = `${jobId}-lost`;
    ({ job, state } = await findJob(queue, jobId));
  }
  if (job && state !== undefined) {
    if (LIVE.has(state)) {
      if (state === 'delayed') await job.promote().catch(() => undefined); // due now by Postgres' clock
      return false;
    }
    await job.remove().catch(() => undefined);
  }
  await queue.add('send', { id }, { jobId });
  return true;
}
