import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PENDING_STATES } from '../../src/inbound/states';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';

/**
 * A live `dhx serve` in its own process (the built CLI, as in production) with its own DATA_DIR, test
 * database and queue prefix, and what the fuzzer and the hostile tests look at from outside: its pid,
 * RSS, open descriptors, temporary files and /health latency. Restartable after a crash, on the same
 * port, database and folder.
 */

function packageRoot(): string {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) if (fs.existsSync(path.join(d, 'package.json'))) return d;
  throw new Error('package root not found');
}

/** The repository (this file runs from test/fuzz under Jest and from dist/test/fuzz under `npm run fuzz`). */
export const ROOT = packageRoot();
export const CLI = path.join(ROOT, 'dist/src/cli/index.js');

export interface Daemon {
  port: number;
  dataDir: string;
  db: TestDatabase;
  prefix: string;
  pid(): number;
  alive(): boolean;
  /** Alive and answering since its (re)start: false while it starts. */
  ready(): boolean;
  /** How the process ended, when it did, with the end of what it printed. */
  exit(): string | undefined;
  /**
   * Starts it again on the same port, database and folder. `quarantine`: after a daemon stopped
   * answering, the capsule that did it would stop the next one too (intake takes it up again): capsules
   * still in intake are parked and the queues start afresh under a new prefix.
   */
  restart(o?: { quarantine?: boolean }): Promise<void>;
  /** SIGKILL (a daemon that stopped answering), then waits for the exit. */
  kill(): Promise<void>;
  rssMb(): number;
  /**
   * Memory after two full collections, in MB (test/fuzz/heap-probe.js answers SIGUSR2 in the daemon):
   * what the process still holds, unlike RSS, which keeps the high-water mark of large bodies.
   * undefined when the daemon does not answer within `timeoutMs`.
   */
  heapMb(timeoutMs?: number): Promise<HeapSample | undefined>;
  /** Descriptors the process holds on files under DATA_DIR. */
  openDataFiles(): string[];
  tmpFiles(): string[];
  /** GET /health on a fresh connection: the status, or an error, and how long it took. */
  health(timeoutMs?: number): Promise<{ status: number | string; ms: number }>;
  stop(): Promise<void>;
}

export interface HeapSample {
  /** V8's heap in use. */
  heapUsed: number;
  /** Memory outside V8's heap held by JavaScript objects (Buffers, ArrayBuffers). */
  external: number;
  rss: number;
}

export const HEAP_PROBE = path.join(ROOT, 'test/fuzz/heap-probe.js');

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function health(port: number, timeoutMs = 2000): Promise<{ status: number | string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: err.message, ms: Date.now() - started }));
  });
}

/**
 * The fuzzed daemon's settings: capsules around the base case's size are kept in memory or spilled to
 * DATA_DIR/tmp about half and half, so both paths are exercised; the capsule limit is low enough for
 * cases to pass it cheaply.
 */
export const FUZZ_DAEMON_ENV: NodeJS.ProcessEnv = {
  DHX_INLINE_BLOB_BYTES: '1536',
  DHX_MAX_CAPSULE_BYTES: '4MiB',
  INTAKE_CONCURRENCY: '4',
};

export interface DaemonOptions {
  role: 'http' | 'all';
  env?: NodeJS.ProcessEnv;
  /** Appends everything the daemon prints to this file (its error logs name what went wrong inside). */
  logFile?: string;
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-fuzz-'));
  const prefixes = [randomPrefix()];
  const port = await freePort();
  // Outside DATA_DIR, where the fuzzer counts the daemon's open files.
  const probeFile = path.join(os.tmpdir(), `dhx-fuzz-heap-${process.pid}-${port}.json`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    DHX_QUEUE_PREFIX: prefixes[0],
    LOG_LEVEL: 'error',
    // Nothing outside this machine: sends fail at once on a closed local port; no address book refresh.
    XROAD_SECURITY_SERVER: 'http://127.0.0.1:9',
    DHX_ADDRESSBOOK_REFRESH: '0',
    FUZZ_HEAP_PROBE: probeFile,
    ...o.env,
  };
  let child: ChildProcess;
  let output = '';
  let ready = false;
  const spawnOnce = async (): Promise<void> => {
    output = '';
    ready = false;
    child = spawn(process.execPath, ['--expose-gc', '--require', HEAP_PROBE, CLI, 'serve', '--role', o.role], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    track('fuzz daemon', child, (c) => c.exitCode !== null || c.signalCode !== null);
    const keep = (c: Buffer): void => {
      output = (output + c.toString('utf8')).slice(-4000);
      if (o.logFile) fs.appendFileSync(o.logFile, c);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    for (let i = 0; i < 150; i++) {
      if (child.exitCode !== null) break;
      if ((await health(port, 1000)).status === 200) {
        ready = true;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`dhx serve did not become healthy: ${output}`);
  };
  await spawnOnce();
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    port,
    dataDir,
    db,
    get prefix() {
      return prefixes[prefixes.length - 1]!;
    },
    pid: () => child.pid!,
    alive,
    ready: () => ready && alive(),
    exit: () => (alive() ? undefined : `exit code ${child.exitCode}, signal ${child.signalCode}: ${output.trim().slice(-1500)}`),
    async restart(r = {}) {
      if (r.quarantine) {
        await db.pool.query(`UPDATE inbound_capsules SET state = 'parked' WHERE state = ANY($1::text[])`, [PENDING_STATES]);
        prefixes.push(randomPrefix());
        env.DHX_QUEUE_PREFIX = prefixes[prefixes.length - 1];
      }
      await spawnOnce();
    },
    async kill() {
      if (!alive()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    rssMb() {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    async heapMb(timeoutMs = 10_000) {
      if (!alive()) return undefined;
      fs.rmSync(probeFile, { force: true });
      child.kill('SIGUSR2');
      for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        let text: string;
        try {
          text = fs.readFileSync(probeFile, 'utf8');
        } catch {
          continue;
        }
        const m = JSON.parse(text) as { heapUsed: number; external: number; rss: number };
        const mb = (n: number): number => n / 1024 / 1024;
        return { heapUsed: mb(m.heapUsed), external: mb(m.external), rss: mb(m.rss) };
      }
      return undefined;
    },
    openDataFiles() {
      const dir = `/proc/${child.pid}/fd`;
      const out: string[] = [];
      let fds: string[];
      try {
        fds = fs.readdirSync(dir);
      } catch {
        return out;
      }
      for (const fd of fds) {
        try {
          const target = fs.readlinkSync(path.join(dir, fd));
          if (target.startsWith(dataDir)) out.push(target);
        } catch {
          // closed between the listing and the look
        }
      }
      return out;
    },
    tmpFiles: () => (fs.existsSync(path.join(dataDir, 'tmp')) ? fs.readdirSync(path.join(dataDir, 'tmp')) : []),
    health: (timeoutMs = 2000) => health(port, timeoutMs),
    async stop() {
      if (alive()) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      const redis = testRedis();
      for (const prefix of prefixes) await cleanupPrefix(redis, prefix).catch(() => undefined);
      await redis.quit();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(probeFile, { force: true });
    },
  };
}
