import pino from 'pino';
import { startDeadlineWatch } from '../../src/cases/deadlines';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';

/**
 * Redis without persistence forgets everything when it restarts (and a flush removes it): the deadline
 * watch must not stop then, nor wait for the worker process to be restarted. It runs on the periodic
 * scheduler, an in-process timer that holds nothing in Redis, so Redis losing everything cannot stop it.
 * The chaos run (test/chaos) restarts Redis that way.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('a deadline watch goes on running while Redis loses everything', async () => {
  const prefix = randomPrefix();
  const connection = testRedis();
  let runs = 0;
  const watch = startDeadlineWatch({ pool: db.pool, everySeconds: 1, dueSoonDays: 5, log: pino({ level: 'silent' }), onCounts: () => runs++ });
  const waitRuns = async (n: number): Promise<number> => {
    const until = Date.now() + 8_000;
    while (runs < n && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return runs;
  };
  try {
    expect(await waitRuns(1)).toBeGreaterThanOrEqual(1);
    // Redis loses everything of ours (as a restart without persistence does): the watch kept nothing there.
    expect(await cleanupPrefix(connection, prefix)).toBe(0);
    const before = runs;
    expect(await waitRuns(before + 2)).toBeGreaterThanOrEqual(before + 2);
  } finally {
    await watch.stop();
    await cleanupPrefix(connection, prefix);
    await connection.quit();
  }
});
