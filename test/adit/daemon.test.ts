import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { personalCodeCheckDigit } from '../../src/log/personal-code';
import { makeLogger } from '../../src/log/logger';
import type { FakeAdit } from '../../src/sim/adit';
import type { XRoadSim } from '../../src/sim/server';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis';
import { track } from '../helpers/resources';
import { startSim } from '../sim/helpers';

/**
 * The ADIT poller in the daemon: `dhx serve` polls every ADIT_POLL_SECONDS and the documents go through
 * intake; a SIGKILLed worker between storing and marking; `dhx adit poll`, `dhx show --json`; /metrics. ADIT is
 * reached as in production, through the security server: XROAD_SECURITY_SERVER is the X-Road simulator, which
 * passes GOV/70006317/adit requests on to the fake ADIT.
 * Personal codes are fictional (valid checksum).
 */

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');
const ADMIN_TOKEN = 'adit-test-admin-token-0123456789';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const silent = () => makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const fictional = (first10: string): string => `${first10}${personalCodeCheckDigit(first10)}`;
const PARENT = fictional('3790202999');

let db: TestDatabase;
let sim: XRoadSim;
let adit: FakeAdit;
let dataDir: string;
let prefix: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  adit = await sim.addAdit();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-aditd-'));
  prefix = randomPrefix();
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    DHX_QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    XROAD_SECURITY_SERVER: sim.url,
    ADIT_SERVICE: '{XROAD_INSTANCE}/GOV/70006317/adit',
    ADIT_POLL_SECONDS: '0.3',
    DHX_SEND_TIMEOUT: '2',
    DHX_ADDRESSBOOK_REFRESH: '0',
    ADMIN_TOKEN,
    LOG_LEVEL: 'error',
  };
});
afterEach(async () => {
  await sim.stop();
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

const letter = (n: number) => ({
  title: `Kiri ${n}`,
  creatorCode: `EE${PARENT}`,
  creatorName: 'Mari Maasikas',
  files: [{ name: 'kiri.txt', contentType: 'text/plain', data: Buffer.from(`Palun abi, kiri ${n}.`, 'utf8') }],
});
const states = async (): Promise<Array<{ id: string; adit_document_id: string; state: string }>> =>
  (await db.pool.query('SELECT id, adit_document_id, state FROM inbound_capsules ORDER BY adit_document_id')).rows;
const terminal = (s: string): boolean => s === 'done' || s === 'triage';

test('dhx serve --role all polls ADIT: the documents go through intake; dhx show --json says transport adit and aditDocumentId; /metrics counts', async () => {
  const ids = [adit.add(letter(1)), adit.add(letter(2))];
  const app = await makeApp({ config: loadConfig(env), log: silent(), queuePrefix: prefix, role: 'all' });
  try {
    const port = await app.start(0, '127.0.0.1');
    const rows = await until('two documents through intake', async () => {
      const r = await states();
      return r.length === 2 && r.every((x) => terminal(x.state)) && r;
    });
    expect(rows.map((r) => r.adit_document_id)).toEqual(ids);
    expect(adit.marks()).toEqual(ids);
    const shown = await dhx(['show', rows[0]!.id, '--json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: rows[0]!.id, transport: 'adit', aditDocumentId: ids[0], dhlId: null });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(metrics).toMatch(/dhx_adit_documents_total\{step="stored"\} 2/);
    expect(metrics).toMatch(/dhx_adit_documents_total\{step="marked"\} 2/);
  } finally {
    await app.stop();
  }
});

test('a parent\'s request in a receipt category: the business receipt goes back to the parent through ADIT, not to ADIT by DHX', async () => {
  adit.join(PARENT);
  const id = adit.add({ ...letter(1), title: 'Palun nõustamist minu lapse lastekaitsejuhtumis' });
  const app = await makeApp({ config: loadConfig(env), log: silent(), queuePrefix: prefix, role: 'all' });
  try {
    const receipt = await until('the receipt sent', async () => {
      const r = await db.pool.query<{ kind: string; state: string; transport: string | null; recipient_person: string | null; adit_document_id: string | null; inbound_id: string }>(
        `SELECT o.kind, o.state, o.transport, o.recipient_person, o.adit_document_id, o.inbound_id FROM outbound_documents o WHERE o.kind = 'receipt'`,
      );
      return r.rows[0] && ['sent', 'failed'].includes(r.rows[0].state) && r.rows[0];
    });
    expect(receipt).toMatchObject({ state: 'sent', transport: 'adit', recipient_person: PARENT, adit_document_id: expect.any(String) });
    const inbound = (await db.pool.query<{ adit_document_id: string }>('SELECT adit_document_id FROM inbound_capsules WHERE id = $1', [receipt.inbound_id])).rows[0]!;
    expect(inbound.adit_document_id).toBe(id);
    const saved = adit.saved().find((x) => x.id === receipt.adit_document_id)!;
    expect(saved.document.title).toBe('Teade dokumendi kättesaamise kohta');
    expect(saved.sentTo).toEqual([{ code: `EE${PARENT}` }]);
  } finally {
    await app.stop();
  }
});

test('the ADIT poller is off without ADIT_SERVICE (default); settings defaults', async () => {
  expect(loadConfig({}).adit).toEqual({ service: '', pollSeconds: 60, userCode: 'EE70001975', infosystem: 'DHX' });
  expect(loadConfig({ XROAD_INSTANCE: 'EE', ADIT_SERVICE: '{XROAD_INSTANCE}/GOV/70006317/adit' }).adit.service).toBe('EE/GOV/70006317/adit');
  expect(() => loadConfig({ ADIT_SERVICE: 'EE/GOV/70006317' })).toThrow(/ADIT_SERVICE/);
  adit.add(letter(1));
  const app = await makeApp({ config: loadConfig({ ...env, ADIT_SERVICE: '' }), log: silent(), queuePrefix: prefix, role: 'all' });
  try {
    await sleep(800);
    expect(adit.requests()).toEqual([]);
  } finally {
    await app.stop();
  }
});

function startWorker(extra: NodeJS.ProcessEnv = {}): ChildProcess {
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

test('a `dhx serve --role worker` SIGKILLed between storing and marking: the restarted worker marks the document, no second inbound document', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const id = adit.add(letter(1));
  adit.setFaults({ slowMarkMs: 60_000 });
  const first = startWorker({ DHX_SEND_TIMEOUT: '30' });
  try {
    await until('the document stored and the mark sent', async () => (await states()).length === 1 && adit.requests().some((r) => r.serviceCode === 'markDocumentViewed'));
  } finally {
    await kill(first, 'SIGKILL');
  }
  const stored = await states();
  expect(adit.marks()).toEqual([]);
  expect(adit.unviewed()).toEqual([id]);
  adit.setFaults({});
  const second = startWorker();
  try {
    await until('marked by the restarted worker', async () => adit.unviewed().length === 0);
    const rows = await until('through intake', async () => {
      const r = await states();
      return r.every((x) => terminal(x.state)) && r;
    });
    expect(rows.map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(adit.marks()).toEqual([id]);
  } finally {
    await kill(second, 'SIGTERM');
  }
}, 60_000);

test('dhx adit poll: one poll by hand, --json, exit codes', async () => {
  const id = adit.add(letter(1));
  const r = await dhx(['adit', 'poll', '--json'], env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ kind: 'ok', listed: 1, marked: [id] });
  const plain = await dhx(['adit', 'poll'], env);
  expect(plain).toMatchObject({ code: 0, out: expect.stringMatching(/^0 documents from ADIT, 0 stored, 0 marked viewed/) });
  adit.setFaults({ fault: { getDocumentList: {} } });
  const failed = await dhx(['adit', 'poll'], env);
  expect(failed.code).toBe(1);
  expect(failed.err).toMatch(/ADIT poll failed at list \(REMOTE_SOAP_FAULT\): SOAP Fault/);
  // Not configured is a failure (exit 1, as `dhx dvk poll` without DVK_URL), not bad usage; a bad option is.
  expect(await dhx(['adit', 'poll'], { ...env, ADIT_SERVICE: '' })).toEqual({ code: 1, out: '', err: 'dhx adit poll: ADIT is not configured: set ADIT_SERVICE (environment or DHX_CONFIG file; docs/adit.md)' });
  expect((await dhx(['adit', 'poll', '--bogus'], env)).code).toBe(2);
  expect(`${r.out}${r.err}${failed.err}`).not.toContain(PARENT);
});
