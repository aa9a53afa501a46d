import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'bullmq';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import type { Pool } from '../../src/db/pool';
import { startDeadlineWatch, watchDeadlines } from '../../src/cases/deadlines';
import { reconcileOnce } from '../../src/intake/reconciler';
import { makeQueue, QueueName } from '../../src/jobs/queues';
import { attemptIntake, runIntake } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';
import { intakeDepsOf } from './deps';
import { KOVS, kovCapsule } from './kov';
import { insertInbound } from './seed';

let db: TestDatabase;
let deps: IntakeDeps;
let dataDir: string;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-pipe-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, INTAKE_BACKOFF_MS: '100', INTAKE_ATTEMPTS: '3' });
  deps = await intakeDepsOf(config, db.pool, makeBlobStore(dataDir), log);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const n = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

describe('stages are idempotent', () => {
  test('ten concurrent runs of one capsule make one case, one receipt, one set of attachments and one history row per state', async () => {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus', fileNames: ['a.pdf', 'b.pdf'] }), KOVS[0]!.code);
    const states = await Promise.all(Array.from({ length: 10 }, () => runIntake(deps, id)));
    expect(new Set(states)).toEqual(new Set(['done']));
    expect(await n('SELECT count(*) AS n FROM cases WHERE opened_by = $1', [id])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM outbound_documents WHERE inbound_id = $1', [id])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM attachments WHERE capsule_id = $1', [id])).toBe(2);
    const hist = await db.pool.query<{ state: string }>('SELECT state FROM inbound_state_history WHERE capsule_id = $1 ORDER BY id', [id]);
    expect(hist.rows.map((r) => r.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
    // And once more, after the fact: nothing changes.
    expect(await runIntake(deps, id)).toBe('done');
    expect(await n('SELECT count(*) AS n FROM inbound_state_history WHERE capsule_id = $1', [id])).toBe(6);
  });
});

describe('consecutive stages in one statement', () => {
  // The time of each history row in microseconds (a transaction's now(); a Date keeps only milliseconds).
  const history = async (id: string) =>
    (
      await db.pool.query<{ state: string; us: string }>(
        `SELECT state, (extract(epoch FROM at) * 1000000)::bigint::text AS us FROM inbound_state_history WHERE capsule_id = $1 ORDER BY id`,
        [id],
      )
    ).rows.map((r) => ({ state: r.state, at: Number(r.us) }));

  test('a new request is parsed, classified and extracted together (one transaction: one time); a reply goes stage by stage', async () => {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'Nõustamise taotlus lastekaitsejuhtumis' }), KOVS[0]!.code);
    expect(await runIntake(deps, id)).toBe('done');
    const h = await history(id);
    expect(h.map((r) => r.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
    expect(new Set(h.slice(1, 4).map((r) => r.at)).size).toBe(1);
    expect(h[4]!.at).toBeGreaterThan(h[3]!.at);

    const caseNumber = (await db.pool.query<{ case_number: string }>('SELECT case_number FROM cases WHERE opened_by = $1', [id])).rows[0]!.case_number;
    const reply = await insertInbound(db.pool, await kovCapsule({ title: 'Täiendavad andmed', initiator: caseNumber }), KOVS[0]!.code);
    expect(await runIntake(deps, reply)).toBe('done');
    const r = await history(reply);
    expect(r.map((x) => x.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
    expect(r[2]!.at).toBeGreaterThan(r[1]!.at);
    expect((await db.pool.query<{ case_id: string }>('SELECT case_id FROM inbound_capsules WHERE id = $1', [reply])).rows[0]!.case_id).toBe(
      (await db.pool.query<{ id: string }>('SELECT id FROM cases WHERE opened_by = $1', [id])).rows[0]!.id,
    );
  });

  test('an unclassifiable request is parsed and sent to triage together, its files left for after the decision', async () => {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'Dokument', fileNames: ['lisa.pdf'] }), KOVS[1]!.code);
    expect(await runIntake(deps, id)).toBe('triage');
    const h = await history(id);
    expect(h.map((r) => r.state)).toEqual(['received', 'parsed', 'triage']);
    expect(h[1]!.at).toBe(h[2]!.at);
    expect(await n('SELECT count(*) AS n FROM attachments WHERE capsule_id = $1', [id])).toBe(0);
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
  });
});

describe('failures by FailureCode', () => {
  test('a permanent failure (a blob that is not a capsule) ends failed with CAPSULE_INVALID and its message', async () => {
    const id = await insertInbound(db.pool, Buffer.from('<DecContainer xmlns="urn:wrong"/>'), KOVS[1]!.code);
    const outcome = await attemptIntake(deps, id, log);
    expect(outcome).toMatchObject({ kind: 'stopped', code: 'CAPSULE_INVALID', state: 'failed' });
    const row = (await db.pool.query('SELECT state, failure_code, failure_message FROM inbound_capsules WHERE id = $1', [id])).rows[0];
    expect(row).toMatchObject({ state: 'failed', failure_code: 'CAPSULE_INVALID' });
    expect(row.failure_message).toMatch(/not valid/);
  });

  test('an ambiguous failure (the blob is missing) parks the capsule; dhx failed list shows it; dhx replay runs it again', async () => {
    const capsule = await kovCapsule({ title: 'Mentorluse taotlus', kov: KOVS[2] });
    const id = await insertInbound(db.pool, capsule, KOVS[2]!.code);
    const sha = (await db.pool.query<{ blob_sha256: string }>('SELECT blob_sha256 FROM inbound_capsules WHERE id = $1', [id])).rows[0]!.blob_sha256;
    await db.pool.query('UPDATE blobs SET content = NULL WHERE sha256 = $1', [sha]); // neither inline nor on disk
    expect(await attemptIntake(deps, id, log)).toMatchObject({ kind: 'stopped', code: 'INTERNAL', state: 'parked' });

    const env = { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' };
    const listed = JSON.parse((await dhx(['failed', 'list', '--json'], env)).out) as Array<{ id: string; state: string; faultCode: string }>;
    expect(listed).toContainEqual(expect.objectContaining({ id, state: 'parked', faultCode: 'INTERNAL' }));

    await db.pool.query('UPDATE blobs SET content = $2 WHERE sha256 = $1', [sha, capsule]);
    const replay = await dhx(['replay', id, '--actor', 'op', '--json'], env);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.out)).toEqual([{ id, direction: 'inbound', from: 'parked', state: 'received', enqueued: false }]); // Redis away: the reconciler continues it
    expect(await n(`SELECT count(*) AS n FROM audit_log WHERE action = 'replay' AND subject_id = $1`, [id])).toBe(1);
    expect(await runIntake(deps, id)).toBe('done');
    expect((await dhx(['replay', id], env)).code).toBe(1); // done is not replayable
  });

  test('a transient failure (PostgreSQL unreachable) backs off exponentially, then leaves the row to the reconciler', async () => {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'Nõustamise taotlus' }), KOVS[0]!.code);
    let fail = true;
    const flaky = new Proxy(db.pool, {
      get(target, prop, recv) {
        if (prop === 'query' && fail) {
          return () => {
            fail = false;
            return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
          };
        }
        return Reflect.get(target, prop, recv) as unknown;
      },
    }) as Pool;
    const d = { ...deps, pool: flaky };
    expect(await attemptIntake(d, id, log)).toMatchObject({ kind: 'retry', code: 'DB_UNAVAILABLE', attempt: 1, delayMs: 100 });
    fail = true;
    expect(await attemptIntake(d, id, log)).toMatchObject({ kind: 'retry', attempt: 2, delayMs: 200 });
    fail = true;
    expect(await attemptIntake(d, id, log)).toMatchObject({ kind: 'waiting', code: 'DB_UNAVAILABLE' });
    const row = (await db.pool.query('SELECT state, attempts, failure_code, next_attempt_at FROM inbound_capsules WHERE id = $1', [id])).rows[0];
    expect(row).toMatchObject({ state: 'received', attempts: 3, failure_code: 'DB_UNAVAILABLE' });
    expect(row.next_attempt_at).toBeInstanceOf(Date);
    expect(await runIntake(deps, id)).toBe('done');
  });
});

describe('reconciler', () => {
  test('re-enqueues rows stuck in a non-terminal state (Redis holds nothing) and does not double a job that is still waiting', async () => {
    const prefix = randomPrefix();
    const connection = testRedis();
    let closed = false;
    const queue = track('queue', makeQueue(QueueName.intake, connection, prefix), () => closed);
    try {
      const stuck = await insertInbound(db.pool, await kovCapsule({ title: 'Supervisiooni taotlus' }), KOVS[0]!.code, { ageSeconds: 600 });
      const fresh = await insertInbound(db.pool, await kovCapsule({ title: 'Supervisiooni taotlus 2' }), KOVS[0]!.code, { ageSeconds: 0 });
      const o = { pool: db.pool, queue, stuckAfterSeconds: 60, log };
      expect(await reconcileOnce(o)).toBe(1);
      expect((await queue.getJob(stuck))?.data).toEqual({ id: stuck });
      expect(await queue.getJob(fresh)).toBeUndefined();
      expect(await reconcileOnce(o)).toBe(0); // still waiting in Redis
      // A job that has finished while the row stayed pending (Redis keeps it a while) is replaced by a new one.
      const workerConnection = testRedis();
      const worker = new Worker(QueueName.intake, async () => 'finished', { connection: workerConnection, prefix });
      try {
        for (const until = Date.now() + 10_000; (await (await queue.getJob(stuck))?.getState()) !== 'completed' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await worker.close();
        await workerConnection.quit();
      }
      expect(await (await queue.getJob(stuck))!.getState()).toBe('completed');
      expect(await reconcileOnce(o)).toBe(1);
      expect(await (await queue.getJob(stuck))!.getState()).toBe('waiting');
    } finally {
      await queue.close();
      closed = true;
      await cleanupPrefix(connection, prefix);
      await connection.quit();
    }
  });
});

describe('deadline watch', () => {
  test('open cases become due_soon within the configured days and overdue after the due date; answered cases are not overdue', async () => {
    await db.pool.query(`UPDATE cases SET due_date = NULL`);
    const mk = async (due: string | null, answered = false): Promise<string> => {
      const id = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus' }), KOVS[0]!.code);
      await runIntake(deps, id);
      const c = (await db.pool.query<{ case_id: string }>('SELECT case_id FROM inbound_capsules WHERE id = $1', [id])).rows[0]!.case_id;
      await db.pool.query('UPDATE cases SET due_date = $2, answered_at = $3 WHERE id = $1', [c, due, answered ? new Date('2026-03-01T10:00:00Z') : null]);
      return c;
    };
    const overdue = await mk('2026-03-09');
    const soon = await mk('2026-03-13');
    const far = await mk('2026-04-30');
    const answered = await mk('2026-03-01', true);
    const counts = await watchDeadlines(db.pool, 5, '2026-03-10');
    expect(counts).toMatchObject({ overdue: 1, dueSoon: 1 });
    const st = async (id: string): Promise<string> => (await db.pool.query<{ deadline_status: string }>('SELECT deadline_status FROM cases WHERE id = $1', [id])).rows[0]!.deadline_status;
    expect([await st(overdue), await st(soon), await st(far), await st(answered)]).toEqual(['overdue', 'due_soon', 'on_track', 'answered']);
    expect((await watchDeadlines(db.pool, 5, '2026-03-10')).changed).toBe(0);
    const list = JSON.parse((await dhx(['cases', 'list', '--overdue', '--json'], { DATABASE_URL: db.url })).out) as Array<{ id: string }>;
    expect(list.map((c) => c.id)).toContain(overdue);
    expect(list.map((c) => c.id)).not.toContain(answered);
  });

  test('the periodic scheduler runs the watch: a case past its due date becomes overdue without anyone asking', async () => {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus' }), KOVS[0]!.code);
    await runIntake(deps, id);
    const c = (await db.pool.query<{ case_id: string }>('SELECT case_id FROM inbound_capsules WHERE id = $1', [id])).rows[0]!.case_id;
    await db.pool.query(`UPDATE cases SET due_date = current_date - 3, deadline_status = 'on_track', answered_at = NULL WHERE id = $1`, [c]);
    const counts: Array<{ overdue: number }> = [];
    const watch = startDeadlineWatch({ pool: db.pool, everySeconds: 1, dueSoonDays: 5, log, onCounts: (x) => counts.push(x) });
    try {
      const until = Date.now() + 10_000;
      let status = '';
      while (status !== 'overdue' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await db.pool.query<{ deadline_status: string }>('SELECT deadline_status FROM cases WHERE id = $1', [c])).rows[0]!.deadline_status;
      }
      expect(status).toBe('overdue');
      expect(counts.at(-1)?.overdue).toBeGreaterThanOrEqual(1);
    } finally {
      await watch.stop();
    }
  });
});
