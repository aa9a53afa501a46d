import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Queue names and their job data (ids only: Postgres is the record, STYLE habit 1). */
export const QueueName = { intake: 'intake' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobData {
  intake: { id: string };
}

export function makeIntakeQueue(connection: Redis, prefix: string): Queue<JobData['intake']> {
  return new Queue<JobData['intake']>(QueueName.intake, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/** One job per capsule: the capsule id is the job id, so a second enqueue of the same id does nothing. */
export async function enqueueIntake(queue: Queue<JobData['intake']>, id: string): Promise<void> {
  await queue.add('capsule', { id }, { jobId: id });
}

/** Several capsules in one Redis round trip; as with one, an id already queued is not queued again. */
export async function enqueueIntakeMany(queue: Queue<JobData['intake']>, ids: string[]): Promise<void> {
  if (ids.length === 1) return enqueueIntake(queue, ids[0]!);
  await queue.addBulk(ids.map((id) => ({ name: 'capsule', data: { id }, opts: { jobId: id } })));
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
