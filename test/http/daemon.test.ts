import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { installLastResort, uncaughtVerdict } from '../../src/cli/last-resort';
import { makeLogger } from '../../src/log/logger';
import { startAdapter } from '../dhx/harness';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { spawn } from 'node:child_process';
import { createTestDatabase } from '../helpers/db';
import { freePort } from '../helpers/ports';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';
import { multipart, rawRequest, requestHead, statusOf, waitUntil } from './raw';

const CODE = makeTestPersonalCode(17);

/** What keeps the daemon itself standing: the sweep in every role, the last-resort handlers, the compose file. */

test('the HTTP role sweeps abandoned temporary files too', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-edge-sweep-'));
  fs.mkdirSync(path.join(dataDir, 'tmp'), { mode: 0o700 });
  const stale = path.join(dataDir, 'tmp', '12345-1700000000000-1');
  fs.writeFileSync(stale, 'left by a process killed mid-upload');
  const old = new Date(Date.now() - 2 * 3600 * 1000);
  fs.utimesSync(stale, old, old);
  const fresh = path.join(dataDir, 'tmp', '12345-1700000000000-2');
  fs.writeFileSync(fresh, 'being written right now');
  const h = await startAdapter({ DATA_DIR: dataDir }, 'http');
  try {
    await waitUntil(() => !fs.existsSync(stale), 3000, 'the stale file removed');
    expect(fs.existsSync(fresh)).toBe(true);
  } finally {
    await h.close();
  }
});

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');

test('dhx serve (role all) answers a bad request target and bad part headers with 400 and keeps running', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-edge-daemon-'));
  const prefix = randomPrefix();
  const port = await freePort();
  const token = 'daemon-test-admin-token-01';
  const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DHX_QUEUE_PREFIX: prefix, DHX_ADDRESSBOOK_REFRESH: '0', ADMIN_TOKEN: token, PORT: String(port) };
  const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  track('daemon', child, (c) => c.exitCode !== null || c.signalCode !== null);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const health = (): Promise<number> => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
    await waitUntil(async () => (await health()) === 200, 15000, 'the daemon healthy');
    expect(statusOf(await rawRequest(port, 'GET http://[/health HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(400);
    const b = 'daemon-boundary';
    const related = multipart(b, [
      { headers: 'Content-Type: text/xml\r\nContent-ID: <rootpart>', body: '<x/>' },
      { headers: `Content-ID: <doc>\r\nContent-Disposition: attachment; filename*=UTF-8''%E0%A4%A`, body: 'abc' },
    ]);
    const dhxHead = requestHead({ contentType: `multipart/related; type="text/xml"; start="<rootpart>"; boundary="${b}"`, length: related.length });
    expect(statusOf(await rawRequest(port, Buffer.concat([Buffer.from(dhxHead), related])))).toBe(400);
    const form = multipart(b, [{ headers: `Content-Disposition: form-data; name="file"; filename*=UTF-8''%ZZ`, body: 'x' }]);
    const formHead = requestHead({ target: '/api/opinions', contentType: `multipart/form-data; boundary=${b}`, length: form.length, extra: `Authorization: Bearer ${token}\r\n` });
    expect(statusOf(await rawRequest(port, Buffer.concat([Buffer.from(formHead), form])))).toBe(400);
    expect(child.exitCode).toBeNull();
    expect(await health()).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    const r = testRedis();
    await cleanupPrefix(r, prefix);
    await r.quit();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('the last-resort handlers of dhx serve', () => {
  const lines: string[] = [];
  const log = makeLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  beforeEach(() => (lines.length = 0));

  test('an uncaught exception is logged with personal codes masked; the daemon stops and exits 1', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    let stopped = 0;
    const lr = installLastResort({ log, stop: async () => void stopped++, exit: (code) => void exits.push(code) }, proc);
    proc.emit('uncaughtException', new TypeError(`cannot read a field of the capsule of ${CODE}`));
    await waitUntil(() => exits.length === 1, 1000, 'exit');
    expect(exits).toEqual([1]);
    expect(stopped).toBe(1);
    expect(lines.join('')).toContain('"level":"fatal"');
    expect(lines.join('')).not.toContain(CODE);
    lr.uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  test('a connection reset and an unhandled rejection are logged; the daemon goes on', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    const lr = installLastResort({ log, stop: async () => undefined, exit: (code) => void exits.push(code) }, proc);
    proc.emit('uncaughtException', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    proc.emit('unhandledRejection', new Error('a forgotten promise'));
    await new Promise((r) => setTimeout(r, 50));
    expect(exits).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(uncaughtVerdict(new RangeError('x'))).toBe('exit');
    lr.uninstall();
  });
});

describe('docker-compose.yml', () => {
  const compose = fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8');
  /** One service's block, from its name to the next top-level service or section. */
  const service = (name: string): string => {
    const from = compose.indexOf(`\n  ${name}:\n`);
    expect(from).toBeGreaterThan(0);
    const rest = compose.slice(from + 1);
    const end = rest.slice(1).search(/\n {2}[\w-]+:\n|\n[a-z]+:\n/);
    return end < 0 ? rest : rest.slice(0, end + 1);
  };

  test('publishes the http node on loopback only by default; every adapter node restarts', () => {
    expect(service('http')).toMatch(/ports:\s*\n\s*- "\$\{DHX_PUBLISH:-127\.0\.0\.1:8080\}:8080"/);
    for (const name of ['http', 'worker-1', 'worker-2']) expect(service(name)).toMatch(/\n {4}restart: unless-stopped\n/);
    for (const name of ['worker-1', 'worker-2']) expect(service(name)).not.toMatch(/ports:/);
  });

  test('one http and two worker nodes on BLOB_STORE=postgres share no volume', () => {
    expect(service('http')).toMatch(/command: \["serve", "--role", "http"\]/);
    for (const name of ['worker-1', 'worker-2']) expect(service(name)).toMatch(/command: \["serve", "--role", "worker"\]/);
    expect(compose).toMatch(/\n {6}BLOB_STORE: postgres\n/);
    for (const name of ['http', 'worker-1', 'worker-2']) expect(service(name)).not.toMatch(/volumes:/);
  });

  test('every service restarts unless stopped; the workers, which listen on no port, check PostgreSQL and Redis instead of GET /health', () => {
    for (const name of ['postgres', 'redis', 'http', 'worker-1', 'worker-2']) expect(service(name)).toMatch(/\n {4}restart: unless-stopped\n/);
    // http has the image's HEALTHCHECK (GET /health); a worker's own check must not ask a port it never opens.
    expect(service('http')).not.toMatch(/healthcheck:/);
    const check = /healthcheck: &worker-health\n\s+test: \["CMD", "node", "-e", "([^"]+)"\]/.exec(service('worker-1'));
    expect(check).not.toBeNull();
    expect(check![1]).not.toContain('/health');
    expect(check![1]).toContain("query('SELECT 1')");
    expect(check![1]).toContain('ping()');
    expect(check![1]).toContain('process.exit(1)');
    expect(service('worker-2')).toMatch(/\n {4}healthcheck: \*worker-health\n/);
  });

  test('allows no private /12 range by default: only the fixed compose network\'s gateway (a client on this host)', () => {
    expect(compose).not.toContain('172.16.0.0/12');
    expect(compose).toMatch(/DHX_ALLOWED_CLIENTS: \$\{DHX_ALLOWED_CLIENTS:-172\.31\.250\.1\/32\}/);
    expect(compose).toMatch(/- subnet: 172\.31\.250\.0\/28\n\s+gateway: 172\.31\.250\.1\n/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.resolve(__dirname, '../../Dockerfile'), 'utf8');

  test('checks GET /health with a command the image has (node), exiting 1 unless the answer is 200', () => {
    const m = /HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "([^"]+)"\]/.exec(dockerfile);
    expect(m).not.toBeNull();
    expect(m![1]).toContain("path:'/health'");
    expect(m![1]).toContain('r.statusCode===200?0:1');
    expect(m![1]).toMatch(/timeout:\d+/);
  });
});
