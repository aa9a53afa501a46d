import net from 'node:net';
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

/**
 * A server that makes the connection ready and ends it in the same packet, as PostgreSQL's fast shutdown
 * can when it comes just as a connection is made (ReadyForQuery, then FATAL 57P01).
 */
function endingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const msg = (type: string, body: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length + 4);
    return Buffer.concat([Buffer.from(type), len, body]);
  };
  const authOk = msg('R', Buffer.from([0, 0, 0, 0]));
  const ready = msg('Z', Buffer.from('I'));
  const fatal = msg('E', Buffer.concat([Buffer.from('SFATAL\0C57P01\0Mterminating connection due to administrator command\0'), Buffer.from([0])]));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      socket.write(Buffer.concat([authOk, ready, fatal]));
      socket.end();
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

test('a connection ended in the same packet that made it ready fails the transaction, not the process', async () => {
  const server = await endingServer();
  const ending = track('pg pool', makePool({ databaseUrl: `postgres://root@127.0.0.1:${server.port}/x`, max: 1 }), (p) => p.ended);
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    await expect(withTransaction(ending, async (c) => c.query('SELECT 1'))).rejects.toThrow();
    await sleep(100);
    expect(uncaught).toEqual([]);
  } finally {
    process.removeListener('uncaughtException', onUncaught);
    await ending.end();
    await server.close();
  }
});
