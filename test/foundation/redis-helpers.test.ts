import { Queue, QueueEvents, Worker } from 'bullmq';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';

describe('BullMQ isolation per test', () => {
  const connection = testRedis();
  const workerConnection = testRedis();
  const eventsConnection = testRedis();
  afterAll(async () => {
    await Promise.all([connection.quit(), workerConnection.quit(), eventsConnection.quit()]);
  });

  test("a random prefix keeps a test's queue apart, and cleanup removes every key it made", async () => {
    const prefix = randomPrefix();
    const queue = new Queue<{ id: string }>('intake', { connection, prefix });
    const events = new QueueEvents('intake', { connection: eventsConnection, prefix });
    const worker = new Worker<{ id: string }, string>('intake', async (job) => job.data.id, { connection: workerConnection, prefix });
    try {
      await events.waitUntilReady();
      const job = await queue.add('capsule', { id: 'c-1' }, { removeOnComplete: { count: 10 } });
      expect(await job.waitUntilFinished(events, 10_000)).toBe('c-1');
      expect((await connection.keys(`${prefix}:*`)).length).toBeGreaterThan(0);
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }
    expect(await cleanupPrefix(connection, prefix)).toBeGreaterThan(0);
    expect(await connection.keys(`${prefix}:*`)).toEqual([]);
  });
});
