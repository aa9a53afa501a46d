import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { incompressible } from '../../bench/content';
import { openBlob } from '../../src/blob/read';
import { makeBlobStore } from '../../src/blob/store';
import { buildCapsule } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort } from '../helpers/ports';
import { cleanupPrefix, randomPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis';
import { track } from '../helpers/resources';

/**
 * Separate nodes (issue #16): `dhx serve --role http` and two `dhx serve --role worker` processes, each
 * with its own empty DATA_DIR (as on three machines), sharing PostgreSQL and Redis. On BLOB_STORE=postgres
 * capsules of 10 KB, 5 MB and 150 MB sent to the http node become cases whose files every node reads,
 * and a worker SIGKILLed while it extracts the 150 MB capsule loses nothing. On BLOB_STORE=fs the same
 * set-up fails at once with a message naming the setting (docs/receive.md, "Where blobs are kept").
 */

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

let db: TestDatabase;
let prefix: string;
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  prefix = randomPrefix();
});
afterEach(async () => {
  for (const c of children.splice(0)) await kill(c, 'SIGKILL');
  const r = testRedis();
  await cleanupPrefix(r, prefix);
  await r.quit();
  await db.drop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function envFor(blobStore: 'fs' | 'postgres'): NodeJS.ProcessEnv {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-node-'));
  dirs.push(dataDir);
  return {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    DHX_QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    BLOB_STORE: blobStore,
    DHX_ADDRESSBOOK_REFRESH: '0',
    DHX_SEND_TIMEOUT: '2',
    LOG_LEVEL: 'error',
    INTAKE_LOCK_MS: '1000',
    INTAKE_RECONCILE_CRON: '* * * * * *',
    INTAKE_STUCK_AFTER_SECONDS: '2',
  };
}

function serve(role: 'http' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--role', role], { env: { ...process.env, ...env }, stdio: 'ignore' });
  track(`${role} process`, child, (c) => c.exitCode !== null || c.signalCode !== null);
  children.push(child);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function ready(port: number): Promise<void> {
  await until('the http node', () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status < 500, () => false), 20_000);
}

/** A capsule of about `capsuleBytes` (its one file base64-encoded), built as it is sent. */
function capsuleOf(capsuleBytes: number, seed: number): { draft: ReturnType<typeof makeDraft>; fileSha256: Promise<string>; fileSize: number } {
  const fileSize = Math.floor(capsuleBytes / 1.37);
  const content = incompressible(fileSize, seed);
  const draft = makeDraft({
    sender: { code: '75006546', name: 'Tartu Linnavalitsus' },
    recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Taotlus',
    title: 'Nõustamise taotlus, lisa',
    originalIdentifier: `7-1/${seed}`,
    files: [{ name: 'lisa.bin', mimeType: 'application/octet-stream', content, fileSize }],
  });
  return { draft, fileSha256: sha256Of(content()), fileSize };
}

async function sha256Of(r: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const c of r) h.update(c as Buffer);
  return h.digest('hex');
}

const BOUNDARY = 'NodesBoundary';
function envelope(id: string): string {
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prod="http://dhx.x-road.eu/producer"><soapenv:Header><xrd:protocolVersion>4.0</xrd:protocolVersion><xrd:id>${id}</xrd:id><xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>75006546</id:memberCode><id:subsystemCode>DHX</id:subsystemCode></xrd:client><xrd:service id:objectType="SERVICE"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70001975</id:memberCode><id:subsystemCode>DHX</id:subsystemCode><id:serviceCode>sendDocument</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service></soapenv:Header><soapenv:Body><prod:sendDocument><prod:DHXVersion>1.0</prod:DHXVersion><prod:consignmentId>${id}</prod:consignmentId><prod:documentAttachment>cid:doc</prod:documentAttachment></prod:sendDocument></soapenv:Body></soapenv:Envelope>`;
}

/** sendDocument to the http node, the capsule streamed as it is built; the consignment id when receipted. */
function send(port: number, draft: ReturnType<typeof makeDraft>): Promise<string> {
  const id = randomUUID();
  return new Promise<string>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/dhx', method: 'POST', headers: { 'content-type': `multipart/related; type="text/xml"; start="<root>"; boundary=${BOUNDARY}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (text.includes('receiptId')) resolve(id);
          else reject(new Error(`no receipt: ${text.slice(0, 500)}`));
        });
      },
    );
    req.on('error', reject);
    req.write(`--${BOUNDARY}\r\nContent-Type: text/xml\r\nContent-ID: <root>\r\n\r\n${envelope(id)}\r\n--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`);
    const capsule = buildCapsule(draft);
    capsule.on('error', reject);
    capsule.on('end', () => req.end(`\r\n--${BOUNDARY}--\r\n`));
    capsule.pipe(req, { end: false });
  });
}

interface Row {
  id: string;
  consignment_id: string;
  state: string;
  failure_code: string | null;
  failure_message: string | null;
}
const rows = async (): Promise<Row[]> => (await db.pool.query<Row>('SELECT id, consignment_id, state, failure_code, failure_message FROM inbound_capsules')).rows;
const tmpBytes = (dataDir: string): number => {
  const tmp = path.join(dataDir, 'tmp');
  return fs.existsSync(tmp) ? fs.readdirSync(tmp).reduce((n, f) => n + (fs.statSync(path.join(tmp, f), { throwIfNoEntry: false })?.size ?? 0), 0) : 0;
};

test('BLOB_STORE=postgres, three nodes with their own DATA_DIR: 10 KB, 5 MB and 150 MB capsules become cases whose files every node reads; a worker SIGKILLed mid-extraction loses nothing', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const port = await freePort();
  const httpEnv: NodeJS.ProcessEnv = { ...envFor('postgres'), PORT: String(port) };
  const workerEnvs = [envFor('postgres'), envFor('postgres')];
  const migrated = spawn(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...httpEnv }, stdio: 'ignore' });
  await new Promise((r) => migrated.once('exit', r));
  serve('http', httpEnv);
  const workers = workerEnvs.map((e) => serve('worker', e));
  await ready(port);

  const capsules = [capsuleOf(10 * 1024, 1), capsuleOf(5 * MB, 2), capsuleOf(150 * MB, 3)];
  const ids: string[] = [];
  for (const c of capsules) ids.push(await send(port, c.draft));

  // The 150 MB capsule's extraction writes its file to a worker's own tmp/: kill that worker there.
  const victim = await until(
    'a worker extracting the 150 MB file',
    async () => {
      const i = workerEnvs.findIndex((e) => tmpBytes(e.DATA_DIR!) > 20 * MB);
      return i >= 0 ? i + 1 : undefined;
    },
    60_000,
  );
  await kill(workers[victim - 1]!, 'SIGKILL');
  // Restarted on its own (empty of anything useful) DATA_DIR, as a machine coming back.
  serve('worker', workerEnvs[victim - 1]!);

  const done = await until(
    'every capsule through intake',
    async () => {
      const r = await rows();
      return r.length === 3 && r.every((x) => x.state === 'done' || x.state === 'failed' || x.state === 'parked' || x.state === 'triage') && r;
    },
    90_000,
  );
  for (const r of done) expect({ state: r.state, failure: r.failure_message }).toEqual({ state: 'done', failure: null });

  // Each case's file, read as a fourth node would (its own empty DATA_DIR), is the file that was sent.
  const reader = makeBlobStore(envFor('postgres').DATA_DIR!, { kind: 'postgres', pool: db.pool });
  for (const [i, c] of capsules.entries()) {
    const row = done.find((r) => r.consignment_id === ids[i])!;
    const shown = await dhx(['show', row.id, '--json'], workerEnvs[i % 2]!);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: row.id, state: 'done' });
    const files = (await db.pool.query<{ sha256: string; size: string }>('SELECT sha256, size FROM attachments WHERE capsule_id = $1', [row.id])).rows;
    expect(files).toHaveLength(1);
    expect(Number(files[0]!.size)).toBe(c.fileSize);
    expect(files[0]!.sha256).toBe(await c.fileSha256);
    expect(await sha256Of(await openBlob(db.pool, reader, files[0]!.sha256))).toBe(await c.fileSha256);
  }
  // One case per capsule, nothing extracted twice, no large object without its row.
  expect(Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n)).toBe(3);
  const orphans = await db.pool.query('SELECT oid FROM pg_largeobject_metadata m WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.lo_oid = m.oid)');
  expect(orphans.rows).toEqual([]);
  // No node kept a blob file: DATA_DIR held only data in transit.
  for (const e of [httpEnv, ...workerEnvs]) expect(fs.readdirSync(path.join(e.DATA_DIR!, 'blobs'))).toEqual([]);
}, 180_000);

test('BLOB_STORE=fs, nodes with separate DATA_DIRs: the worker fails the capsule at once with a message naming BLOB_STORE', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const port = await freePort();
  const httpEnv: NodeJS.ProcessEnv = { ...envFor('fs'), PORT: String(port) };
  const workerEnv = envFor('fs');
  serve('http', httpEnv);
  serve('worker', workerEnv);
  await ready(port);
  const c = capsuleOf(5 * MB, 4);
  await send(port, c.draft);
  const stopped = await until('the capsule stopped', async () => (await rows()).find((r) => r.state === 'parked' || r.state === 'failed'), 30_000);
  expect(stopped.failure_code).toBe('INTERNAL');
  expect(stopped.failure_message).toMatch(/not in this node's DATA_DIR.*BLOB_STORE=postgres/);
  const shown = JSON.parse((await dhx(['show', stopped.id, '--json'], workerEnv)).out) as { failureMessage: string };
  expect(shown.failureMessage).toMatch(/BLOB_STORE/);
}, 60_000);
