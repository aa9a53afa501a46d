import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import { startFakeDvk, type FakeDvk } from '../../src/sim/dvk';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis';
import { track } from '../helpers/resources';
import { capsuleFixture, VALID } from './helpers';

/**
 * The poller in the daemon: `dhx serve` (worker role) polls every DVK_POLL_SECONDS and the documents go
 * through intake like POST /dhx's; a SIGKILLed worker between storing and marking; the `dhx dvk poll` and
 * `dhx show` commands; /health unaffected by a DVK outage, /metrics counting.
 */

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');
const ADMIN_TOKEN = 'dvk-test-admin-token-0123456789';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const silent = () => makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let db: TestDatabase;
let dvk: FakeDvk;
let dvkClosed = false;
let dataDir: string;
let prefix: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  db = await createTestDatabase();
  dvkClosed = false;
  dvk = track('fake dvk', await startFakeDvk(), () => dvkClosed);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-dvkd-'));
  prefix = randomPrefix();
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    DHX_QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    DVK_URL: dvk.url,
    DVK_POLL_SECONDS: '0.3',
    DVK_TIMEOUT_SECONDS: '2',
    DHX_ADDRESSBOOK_REFRESH: '0',
    ADMIN_TOKEN,
    LOG_LEVEL: 'error',
  };
});
afterEach(async () => {
  if (!dvkClosed) {
    dvkClosed = true;
    await dvk.close();
  }
  const r = testRedis();
  await cleanupPrefix(r, prefix);
  await r.quit();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const states = async (): Promise<Array<{ id: string; dhl_id: string; state: string }>> =>
  (await db.pool.query('SELECT id, dhl_id, state FROM inbound_capsules ORDER BY dhl_id')).rows;
const terminal = (s: string): boolean => s === 'done' || s === 'triage';

test('dhx serve --role all polls DVK: the documents go through intake to done or triage; dhx show says transport dvk and its dhlId; /metrics counts; /health stays ok when DVK goes away', async () => {
  const ids = VALID.slice(0, 3).map((f) => dvk.enqueue(capsuleFixture(f)));
  const app = await makeApp({ config: loadConfig(env), log: silent(), queuePrefix: prefix, role: 'all' });
  try {
    const port = await app.start(0, '127.0.0.1');
    const rows = await until('three documents through intake', async () => {
      const r = await states();
      return r.length === 3 && r.every((x) => terminal(x.state)) && r;
    });
    expect(rows.map((r) => r.dhl_id)).toEqual(ids);
    expect(dvk.marked().map((m) => m.dhlId)).toEqual(ids);
    const shown = await dhx(['show', rows[0]!.id, '--json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: rows[0]!.id, transport: 'dvk', dhlId: ids[0] });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(metrics).toMatch(/dhx_dvk_documents_total\{step="stored"\} 3/);
    expect(metrics).toMatch(/dhx_dvk_documents_total\{step="marked"\} 3/);
    // The send follow-up's counter is on the same registry (nothing handed to DVK here: all zero).
    expect(metrics).toMatch(/dhx_dvk_send_status_total\{outcome="sent"\} 0/);
    // DVK away: polls fail (counted), the daemon and /health carry on
    dvkClosed = true;
    await dvk.close();
    await sleep(1200);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const after = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(Number(/dhx_dvk_poll_failures_total\{stage="receive"\} (\d+)/.exec(after)?.[1])).toBeGreaterThanOrEqual(1);
  } finally {
    await app.stop();
  }
});

test('the DVK poller is off without DVK_URL (default) and on only in the worker roles', async () => {
  expect(loadConfig({}).dvk).toMatchObject({ url: '', pollSeconds: 60, batch: 10, service: 'ee-dev/GOV/70006317/dhl' });
  expect(loadConfig({ XROAD_INSTANCE: 'EE' }).dvk.service).toBe('EE/GOV/70006317/dhl');
  expect(() => loadConfig({ DVK_URL: 'ftp://x' })).toThrow(/DVK_URL/);
  expect(() => loadConfig({ DVK_POLL_BATCH: '0' })).toThrow(/DVK_POLL_BATCH/);
  expect(() => loadConfig({ DVK_POLL_SECONDS: 'often' })).toThrow(/DVK_POLL_SECONDS/);
  expect(() => loadConfig({ DVK_SERVICE: 'ee-dev/GOV/70006317' })).toThrow(/DVK_SERVICE/);
  dvk.enqueue(capsuleFixture(VALID[0]!));
  const app = await makeApp({ config: loadConfig(env), log: silent(), queuePrefix: prefix, role: 'http' });
  try {
    await sleep(800);
    expect(dvk.requests()).toEqual([]);
  } finally {
    await app.stop();
  }
});

function startWorker(extra: NodeJS.ProcessEnv = {}): ChildProcess {
  // The intake settings of test/intake/crash.test.ts: a killed worker's intake job is taken up again soon.
  const intake = { INTAKE_LOCK_MS: '1000', INTAKE_RECONCILE_CRON: '* * * * * *', INTAKE_STUCK_AFTER_SECONDS: '2' };
  const child = spawn(process.execPath, [CLI, 'serve', '--role', 'worker'], { env: { ...process.env, ...env, ...intake, ...extra }, stdio: 'ignore' });
  track('worker process', child, (c) => c.exitCode !== null || c.signalCode !== null);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

test('a `dhx serve --role worker` SIGKILLed between storing and marking: the restarted worker marks the same documents, no second inbound document', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const ids = VALID.map((f) => dvk.enqueue(capsuleFixture(f)));
  // markDocumentsReceived hangs: the worker has stored (committed) and is waiting for the mark when it dies.
  dvk.setFaults({ mark: 'slow', slowMs: 60_000 });
  const first = startWorker({ DVK_TIMEOUT_SECONDS: '30' });
  try {
    await until('the documents stored and the mark sent', async () => (await states()).length === 4 && dvk.requests().some((r) => r.operation === 'markDocumentsReceived'));
  } finally {
    await kill(first, 'SIGKILL');
  }
  const stored = await states();
  expect(dvk.marked()).toEqual([]);
  expect(dvk.queued()).toEqual(ids);
  dvk.setFaults({});
  const second = startWorker();
  try {
    await until('marked by the restarted worker', async () => dvk.queued().length === 0);
    const rows = await until('all four through intake', async () => {
      const r = await states();
      return r.every((x) => terminal(x.state)) && r;
    });
    expect(rows.map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(dvk.marked().map((m) => m.dhlId)).toEqual(ids);
    const history = await db.pool.query(`SELECT capsule_id FROM inbound_state_history WHERE state = 'received' GROUP BY 1 HAVING count(*) > 1`);
    expect(history.rows).toEqual([]);
  } finally {
    await kill(second, 'SIGTERM');
  }
}, 60_000);

test('dhx dvk poll: one poll by hand, --json, exit codes', async () => {
  const ids = VALID.slice(0, 2).map((f) => dvk.enqueue(capsuleFixture(f)));
  const r = await dhx(['dvk', 'poll', '--json'], env);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out);
  expect(report).toMatchObject({ kind: 'ok', polled: 2, marked: ids });
  expect(report.stored.map((s: { dhlId: string }) => s.dhlId)).toEqual(ids);
  const plain = await dhx(['dvk', 'poll'], env);
  expect(plain).toMatchObject({ code: 0, out: expect.stringMatching(/^0 documents from DVK, 0 stored, 0 marked/) });
  dvk.setFaults({ receive: 'soapFault' });
  const failed = await dhx(['dvk', 'poll'], env);
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(/DVK poll failed at receive: SOAP Fault/);
  // Not configured is a failure (exit 1, as `dhx adit poll` without ADIT_SERVICE), not bad usage.
  expect(await dhx(['dvk', 'poll'], { ...env, DVK_URL: '' })).toEqual({ code: 1, out: '', err: 'dhx dvk poll: DVK is not configured: set DVK_URL (environment or DHX_CONFIG file; docs/dvk.md)' });
  expect((await dhx(['dvk', 'poll', '--bogus'], env)).code).toBe(2);
  const help = await dhx(['dvk', 'poll', '--help'], env);
  expect(help.code).toBe(0);
  expect(help.out).toMatch(/receiveDocuments v4/);
});
