import pino from 'pino';
import { DEADLINE_QUEUE, startDeadlineWatch } from '../../src/jobs/deadlines';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';

/**
 * The deadline watch is a BullMQ job scheduler, kept in Redis. Redis without persistence forgets it when
 * it restarts (and a flush removes it): the watch must come back by itself, not wait for the worker
 * process to be restarted. The chaos run (test/chaos) restarts Redis that way.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('a deadline watch whose scheduler Redis lost puts it back and runs again', async () => {
  const prefix = randomPrefix();
  const connection = testRedis();
  let runs = 0;
  const watch = await startDeadlineWatch({ pool: db.pool, connection, prefix, everySeconds: 1, dueSoonDays: 5, log: pino({ level: 'silent' }), onCounts: () => runs++ });
  const waitRuns = async (n: number): Promise<number> => {
    const until = Date.now() + 8_000;
    while (runs < n && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return runs;
  };
  try {
    expect(await waitRuns(1)).toBeGreaterThanOrEqual(1);
    expect(await watch.queue.getJobScheduler('deadline-watch')).toMatchObject({ key: 'deadline-watch' });
    // Redis loses everything of ours (as a restart without persistence does). The process checks every
    // second here, so the scheduler may already be back by the time a read could look for its absence.
    expect(await cleanupPrefix(connection, prefix)).toBeGreaterThan(0);
    const before = runs;
    expect(await waitRuns(before + 2)).toBeGreaterThanOrEqual(before + 2);
    expect(await watch.queue.getJobScheduler('deadline-watch')).toMatchObject({ key: 'deadline-watch' });
    expect(watch.queue.name).toBe(DEADLINE_QUEUE);
  } finally {
    await watch.stop();
    await cleanupPrefix(connection, prefix);
    await connection.quit();
  }
});
