import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { failureCodeOfDb, isConnectionLevel } from '../../src/db/failure';
import { makePool, type Pool } from '../../src/db/pool';
import { DhxError, FailureCode, failureKind } from '../../src/errors';
import { attemptIntake, type IntakeOutcome } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { intakeDepsOf } from '../intake/deps';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';

/**
 * The one failure policy on the intake side, and the one mapping of what PostgreSQL throws: real errors
 * from node-postgres (a lost connection, a refused one, a terminated backend, a failing statement) get
 * their FailureCode by code or by where they arose, never by their text; and a capsule failing with any
 * of them lands where the code's set in src/errors.ts says (RETRYABLE → backoff with a next attempt,
 * AMBIGUOUS → `parked` for an operator, PERMANENT → `failed`).
 */

let db: TestDatabase;
let deps: IntakeDeps;
let dataDir: string;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-failure-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, INTAKE_BACKOFF_MS: '100', INTAKE_ATTEMPTS: '3' });
  deps = await intakeDepsOf(config, db.pool, makeBlobStore(dataDir), log);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What `run` rejects with. */
async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/**
 * A statement in flight when the TCP connection to PostgreSQL is closed under it (a proxy between the pool
 * and the server ends both sides): node-postgres rejects it with a plain Error without a code.
 */
async function lostConnectionError(): Promise<unknown> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const server = net.connect(5432, '127.0.0.1');
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((res) => proxy.listen(0, '127.0.0.1', res));
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  const pool = makePool({ databaseUrl: url.toString(), max: 1 });
  try {
    const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const pending = rejection(() => pool.query('SELECT pg_sleep(30)'));
    await waitForSleeper(pid);
    for (const s of sockets) s.end();
    const err = await pending;
    // The server notices the lost client only when it next writes: end its sleeper now.
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    return err;
  } finally {
    for (const s of sockets) s.destroy();
    await pool.end();
    await new Promise((res) => proxy.close(res));
  }
}

async function waitForSleeper(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'`, [pid]);
    if (r.rowCount) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('the sleeping statement never started');
}

/** A statement in flight when an administrator terminates its backend: 57P01 admin_shutdown. */
async function terminatedBackendError(): Promise<unknown> {
  const client = await db.pool.connect();
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const pending = rejection(() => client.query('SELECT pg_sleep(30)'));
    await waitForSleeper(pid);
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    return await pending;
  } finally {
    client.release(true);
  }
}

/** A real DatabaseError carrying `sqlstate` (as node-postgres builds them from the server's ErrorResponse). */
function databaseError(sqlstate: string): pg.DatabaseError {
  const e = new pg.DatabaseError(`simulated ${sqlstate}`, 0, 'error');
  e.code = sqlstate;
  return e;
}

describe('what PostgreSQL throws, by code or by where it arose (src/db/failure.ts)', () => {
  test('a connection lost under a statement: a plain Error without a code, marked by the pool as connection-level → DB_UNAVAILABLE', async () => {
    const err = await lostConnectionError();
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(pg.DatabaseError);
    expect((err as { code?: unknown }).code).toBeUndefined();
    expect(isConnectionLevel(err)).toBe(true);
    expect(failureCodeOfDb(err)).toBe(FailureCode.DB_UNAVAILABLE);
    // The same words from anywhere else are not a lost connection: the text decides nothing.
    expect(failureCodeOfDb(new Error((err as Error).message))).toBe(FailureCode.INTERNAL);
  });

  test('a connection refused: errno ECONNREFUSED, and marked by the pool as it failed to connect → DB_UNAVAILABLE', async () => {
    const pool = makePool({ databaseUrl: 'postgres://root@127.0.0.1:9/none' });
    try {
      const err = await rejection(() => pool.query('SELECT 1'));
      expect(err).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isConnectionLevel(err)).toBe(true);
      expect(failureCodeOfDb(err)).toBe(FailureCode.DB_UNAVAILABLE);
      const held = await rejection(() => pool.connect());
      expect(isConnectionLevel(held)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  test('a server that accepts the connection and never answers: the connect timeout (no code) is marked by the pool → DB_UNAVAILABLE', async () => {
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    const pool = makePool({ databaseUrl: `postgres://root@127.0.0.1:${(silent.address() as net.AddressInfo).port}/none` });
    try {
      const err = await rejection(() => pool.query('SELECT 1'));
      expect((err as { code?: unknown }).code).toBeUndefined();
      expect(isConnectionLevel(err)).toBe(true);
      expect(failureCodeOfDb(err)).toBe(FailureCode.DB_UNAVAILABLE);
    } finally {
      await pool.end();
      silent.close();
    }
  }, 15_000);

  test('a backend terminated by an administrator: SQLSTATE 57P01 → DB_UNAVAILABLE', async () => {
    const err = await terminatedBackendError();
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(err).toMatchObject({ code: '57P01' });
    expect(failureCodeOfDb(err)).toBe(FailureCode.DB_UNAVAILABLE);
  });

  test('a held client whose connection was lost while idle: its next statements fail "not queryable", without a code, marked → DB_UNAVAILABLE', async () => {
    const client = await db.pool.connect();
    try {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const heard = new Promise<unknown>((res) => client.once('error', res));
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await heard;
      const err = await rejection(() => client.query('SELECT 1'));
      expect(err).not.toBeInstanceOf(pg.DatabaseError);
      expect((err as { code?: unknown }).code).toBeUndefined();
      expect(failureCodeOfDb(err)).toBe(FailureCode.DB_UNAVAILABLE);
      const viaCallback = await new Promise<unknown>((res) => client.query('SELECT 1', (e: Error | undefined) => res(e)));
      expect(failureCodeOfDb(viaCallback)).toBe(FailureCode.DB_UNAVAILABLE);
    } finally {
      client.release(true);
    }
  });

  test('a statement of ours that fails: its SQLSTATE (22012 division by zero, 23505, 42P01) → INTERNAL', async () => {
    for (const sql of ['SELECT 1/0', 'SELECT * FROM no_such_table']) {
      const err = await rejection(() => db.pool.query(sql));
      expect(err).toBeInstanceOf(pg.DatabaseError);
      expect(isConnectionLevel(err)).toBe(false);
      expect(failureCodeOfDb(err)).toBe(FailureCode.INTERNAL);
    }
    expect(failureCodeOfDb(databaseError('23505'))).toBe(FailureCode.INTERNAL);
  });

  test('SQLSTATE class 08 and the "not now" codes → DB_UNAVAILABLE; errno of a broken socket → DB_UNAVAILABLE', () => {
    for (const s of ['08000', '08003', '08006', '08P01', '57P01', '57P02', '57P03', '53300', '40001', '40P01']) {
      expect({ s, code: failureCodeOfDb(databaseError(s)) }).toEqual({ s, code: FailureCode.DB_UNAVAILABLE });
    }
    for (const s of ['40002', '53100', '57014', '22P02']) expect({ s, code: failureCodeOfDb(databaseError(s)) }).toEqual({ s, code: FailureCode.INTERNAL });
    for (const errno of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      expect(failureCodeOfDb(Object.assign(new Error(`read ${errno}`), { code: errno }))).toBe(FailureCode.DB_UNAVAILABLE);
    }
    expect(failureCodeOfDb(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(FailureCode.INTERNAL);
  });

  test('our own codes pass through by value, also after serialisation; anything else is INTERNAL', () => {
    for (const code of Object.values(FailureCode)) {
      expect(failureCodeOfDb(new DhxError(code, 'x'))).toBe(code);
      expect(failureCodeOfDb(JSON.parse(JSON.stringify({ code })))).toBe(code);
    }
    expect(failureCodeOfDb(new Error('boom'))).toBe(FailureCode.INTERNAL);
    expect(failureCodeOfDb('a string')).toBe(FailureCode.INTERNAL);
    expect(failureCodeOfDb(undefined)).toBe(FailureCode.INTERNAL);
  });
});

/** `deps` on a pool whose first query (the run's load of the row) fails with `err`. */
function failingFirstQuery(err: unknown): IntakeDeps {
  let fail = true;
  const pool = new Proxy(db.pool, {
    get(target, prop, recv) {
      if (prop === 'query' && fail) {
        return () => {
          fail = false;
          return Promise.reject(err);
        };
      }
      return Reflect.get(target, prop, recv) as unknown;
    },
  }) as Pool;
  return { ...deps, pool };
}

/** Asserts that the attempt and the row are where the sets say a first failure with `code` lands. */
async function expectLanding(id: string, outcome: IntakeOutcome, code: FailureCode): Promise<void> {
  const row = (
    await db.pool.query<{ state: string; failure_code: string | null; next_attempt_at: Date | null; attempts: number }>(
      'SELECT state, failure_code, next_attempt_at, attempts FROM inbound_capsules WHERE id = $1',
      [id],
    )
  ).rows[0]!;
  expect({ code: row.failure_code, attempts: row.attempts }).toEqual({ code, attempts: 1 });
  switch (failureKind(code)) {
    case 'retryable':
      expect(outcome).toEqual({ kind: 'retry', code, attempt: 1, delayMs: 100 });
      expect(row.state).toBe('received'); // the stage runs again after the backoff
      expect(row.next_attempt_at).toBeInstanceOf(Date);
      break;
    case 'ambiguous':
      expect(outcome).toEqual({ kind: 'stopped', code, state: 'parked' });
      expect(row.state).toBe('parked');
      break;
    case 'permanent':
      expect(outcome).toEqual({ kind: 'stopped', code, state: 'failed' });
      expect(row.state).toBe('failed');
      break;
  }
}

const newCapsule = async (title = 'Nõustamise taotlus'): Promise<string> => insertInbound(db.pool, await kovCapsule({ title }), KOVS[0]!.code);

describe('each intake failure path lands where the FailureCode sets say', () => {
  test('PostgreSQL lost under a stage, refused, or its backend terminated: DB_UNAVAILABLE, retried after the backoff', async () => {
    const errors = [
      await lostConnectionError(),
      await rejection(async () => {
        const pool = makePool({ databaseUrl: 'postgres://root@127.0.0.1:9/none' });
        try {
          await pool.query('SELECT 1');
        } finally {
          await pool.end();
        }
      }),
      await terminatedBackendError(),
      databaseError('40P01'),
      databaseError('08006'),
    ];
    for (const err of errors) {
      const id = await newCapsule();
      await expectLanding(id, await attemptIntake(failingFirstQuery(err), id, log), FailureCode.DB_UNAVAILABLE);
    }
  });

  test('a statement of ours failing (a SQLSTATE outside the "not now" ones), or an unknown throw: INTERNAL, parked', async () => {
    const errors = [await rejection(() => db.pool.query('SELECT 1/0')), new Error('boom'), new Error('Connection terminated unexpectedly'), new TypeError('x is undefined')];
    for (const err of errors) {
      const id = await newCapsule();
      await expectLanding(id, await attemptIntake(failingFirstQuery(err), id, log), FailureCode.INTERNAL);
    }
  });

  test('a capsule that is not a capsule, or one past a size limit: CAPSULE_INVALID, failed', async () => {
    const notXml = await insertInbound(db.pool, Buffer.from('not xml at all'), KOVS[1]!.code);
    await expectLanding(notXml, await attemptIntake(deps, notXml, log), FailureCode.CAPSULE_INVALID);
    const large = await insertInbound(db.pool, await kovCapsule({ title: 'Suur taotlus', fileNames: ['a.pdf'] }), KOVS[1]!.code);
    await expectLanding(large, await attemptIntake({ ...deps, limits: { ...deps.limits, maxFileBytes: 4 } }, large, log), FailureCode.CAPSULE_INVALID);
  });

  test.each(Object.values(FailureCode))('a %s thrown by a stage lands as its set says', async (code) => {
    const id = await newCapsule();
    await expectLanding(id, await attemptIntake(failingFirstQuery(new DhxError(code, `simulated ${code}`)), id, log), code);
  });
});
