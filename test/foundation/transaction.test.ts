import { makePool, type Pool } from '../../src/db/pool';
import { withTransaction } from '../../src/db/tx';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { track } from '../helpers/resources';

/**
 * A client held for a transaction is not watched by the pool: when PostgreSQL ends its connection (a
 * restart, a crash, pg_terminate_backend) the client emits `error`, which ends the process if nobody
 * listens. The chaos run (test/chaos) saw worker processes die that way during PostgreSQL restarts.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('withTransaction when PostgreSQL ends the connection', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = track('pg pool', makePool({ databaseUrl: db.url, max: 2 }), (p) => p.ended);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  test('the transaction fails with the lost connection, the process lives on, and the pool hands out a working client', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => void uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const attempt = withTransaction(pool, async (client) => {
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        // Ended between two statements, as a fast shutdown ends an idle session.
        await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
        await sleep(300);
        await client.query('SELECT 1');
      });
      await expect(attempt).rejects.toThrow(/terminat|Connection/i);
      await sleep(100);
      expect(uncaught).toEqual([]);
      // Both clients of the pool work (the broken one was discarded, not handed out again).
      const [a, b] = await Promise.all([pool.query('SELECT 1 AS one'), pool.query('SELECT 1 AS one')]);
      expect([a.rows[0], b.rows[0]]).toEqual([{ one: 1 }, { one: 1 }]);
      expect(await withTransaction(pool, async (c) => (await c.query<{ n: number }>('SELECT 2 AS n')).rows[0]!.n)).toBe(2);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  });
});
