import type { Redis } from 'ioredis';
import { enqueue, jobState, makeQueue, QueueName, requeue, sendJobId, type JobData, type TypedQueue } from '../jobs/queues';

/**
 * The `send` queue (ids only; PostgreSQL is the record, docs/architecture.md), made and fed by the src/jobs
 * pieces. A job's id is `<row id>-<attempts so far>` (sendJobId, src/jobs/queues.ts): the send of one
 * attempt is queued once however many producers ask (opinion command, the worker's next attempt, the
 * scheduler), and the next attempt gets a new job.
 */

export const SEND_QUEUE = QueueName.send;
export { sendJobId };

export type SendJobData = JobData['send'];

export type SendQueue = TypedQueue<'send'>;

export function makeSendQueue(connection: Redis, prefix: string): SendQueue {
  return makeQueue(QueueName.send, connection, prefix);
}

/** Queues the next attempt of row `id` (which has made `attempts` attempts), after `delayMs`. */
export async function enqueueSend(queue: SendQueue, id: string, attempts = 0, delayMs = 0): Promise<void> {
  await enqueue(queue, [{ data: { id }, jobId: sendJobId(id, attempts), delayMs }]);
}

/**
 * As enqueueSend, but a finished job of the same id (it ran and found the row not yet due, or Redis kept
 * an old one) is removed first, so the row is really queued again; a delayed one is made due now (due by
 * PostgreSQL's clock). Returns whether a job was added.
 *
 * `overdue`: the row has waited past OUTBOUND_STUCK_AFTER_SECONDS although a job for it exists. A job that
 * is `active` then belongs to a worker that died before claiming the row (a claim moves the row on), and
 * BullMQ would hand it out again only after its lock expires and a stalled check runs; a second job
 * (`<job id>-lost`, queued once) is added beside it instead. Two jobs for one row are harmless: the claim
 * lets one of them send.
 */
export async function requeueSend(queue: SendQueue, id: string, attempts: number, overdue = false): Promise<boolean> {
  let jobId = sendJobId(id, attempts);
  if (overdue && (await jobState(queue, jobId)) === 'active') jobId = `${jobId}-lost`;
  return requeue(queue, { data: { id }, jobId }, { promoteDelayed: true });
}
