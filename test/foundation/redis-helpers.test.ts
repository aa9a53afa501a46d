import { QueueEvents } from 'bullmq';
import pino from 'pino';
import { enqueue, makeQueue, QueueName } from '../../src/jobs/queues';
import { makeWorker } from '../../src/jobs/worker';
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
    const queue = makeQueue(QueueName.intake, connection, prefix);
    const events = new QueueEvents(QueueName.intake, { connection: eventsConnection, prefix });
    const worker = makeWorker(QueueName.intake, async (job) => job.data.id, {
      connection: workerConnection,
      prefix,
      concurrency: 1,
      log: pino({ level: 'silent' }),
      label: 'test',
    });
    try {
      await events.waitUntilReady();
      await enqueue(queue, [{ data: { id: 'c-1' }, jobId: 'c-1' }]);
      const job = (await queue.getJob('c-1'))!;
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
