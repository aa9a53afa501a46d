import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { migrate } from '../../src/db/migrate';
import { makePool, type Pool } from '../../src/db/pool';
import type { XRoadSim } from '../../src/sim/server';
import { refreshAddressBook } from '../../src/addressbook/addressbook';
import { KOVS, SKA_CODE } from '../intake/kov';
import { track } from '../helpers/resources';
import { SKA, startSim } from '../sim/helpers';
import { freePort } from '../helpers/ports';
import { sleep, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './services';

/**
 * The adapter as it runs in production, on private services: `dhx serve --role http` and two or more
 * `dhx serve --role worker` processes (dist/, as npm test builds it), a private PostgreSQL and Redis, and
 * the X-Road simulator in this process with the fake KOVs (test/intake/kov.ts KOVS) and the adapter as
 * SKA behind it. Scan intervals are short so that recovery is seen within seconds.
 */

export const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');
export const PREFIX = 'chaos';

export interface AdapterProcess {
  role: 'http' | 'worker';
  name: string;
  child: ChildProcess;
  /** Set when we killed it (a SIGKILL of the chaos loop or the final stop). */
  killedByUs: boolean;
}

export interface Rig {
  dir: string;
  dataDir: string;
  pg: PrivatePostgres;
  redis: PrivateRedis;
  dbUrl: string;
  /** The test's own pool (reconnects after a restart; queries fail while PostgreSQL is down). */
  pool: Pool;
  sim: XRoadSim;
  http: AdapterProcess;
  workers: AdapterProcess[];
  /** Processes that exited without being killed by us (each a finding). */
  unexpectedExits: string[];
  /** Highest VmHWM (peak resident set) of any adapter process, in bytes. */
  peakRssBytes(): number;
  /** SIGKILLs worker `i` and starts a new one in its place after `restartAfterMs`. */
  killWorker(i: number, restartAfterMs: number): Promise<void>;
  /** The same for the HTTP process (requests in flight lose their answers). */
  killHttp(restartAfterMs: number): Promise<void>;
  stop(): Promise<void>;
  /** The last lines the adapter processes logged (warnings and errors), for a failure's message. */
  logTail(lines?: number): string;
  /** Copies the adapter processes' logs out of the folder stop() removes; returns where. */
  keepLogs(): string;
}

export interface RigOptions {
  workers: number;
  env?: NodeJS.ProcessEnv;
}

function vmHwmBytes(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function startRig(o: RigOptions): Promise<Rig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-chaos-'));
  fs.chmodSync(dir, 0o755); // the private PostgreSQL (another user) keeps its folder in here
  const dataDir = path.join(dir, 'adapter-data');
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  };
  try {
    const pg = await startPrivatePostgres(dir);
    cleanups.push(() => pg.destroy());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.destroy());
    const admin = makePool({ databaseUrl: pg.adminUrl, max: 1 });
    await admin.query('CREATE DATABASE dhx_chaos');
    await admin.end();
    const dbUrl = pg.urlFor('dhx_chaos');
    const pool = track('chaos pool', makePool({ databaseUrl: dbUrl, max: 8 }), (p) => p.ended);
    cleanups.push(async () => void (pool.ended || (await pool.end())));
    await migrate(pool);
    const sim = await startSim({ forwardTimeoutMs: 10_000 });
    cleanups.push(() => sim.stop());
    for (const k of KOVS) sim.addKov({ memberCode: k.code, name: k.name });
    const port = await freePort();
    sim.addAdapter({ memberCode: SKA_CODE, name: 'Sotsiaalkindlustusamet', url: `http://127.0.0.1:${port}/dhx` });
    await refreshAddressBook(pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: sim.url, client: SKA, timeoutMs: 5000 } }, pino({ level: 'silent' }));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      XROAD_SECURITY_SERVER: sim.url,
      XROAD_MEMBER_CODE: SKA_CODE,
      DHX_QUEUE_PREFIX: PREFIX,
      DHX_ADDRESSBOOK_REFRESH: '0',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      INTAKE_RECONCILE_CRON: '*/2 * * * * *',
      INTAKE_STUCK_AFTER_SECONDS: '3',
      INTAKE_LOCK_MS: '2000',
      INTAKE_BACKOFF_MS: '200',
      INTAKE_CONCURRENCY: '4',
      OUTBOUND_CONCURRENCY: '4',
      OUTBOUND_SCAN_CRON: '* * * * * *',
      OUTBOUND_STUCK_AFTER_SECONDS: '3',
      DHX_SEND_RETRY_SCHEDULE: '1,1,2,2,3,5',
      DHX_SEND_TIMEOUT: '3',
      DEADLINE_WATCH_SECONDS: '5',
      ...o.env,
    };
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    const unexpectedExits: string[] = [];
    let peak = 0;
    let stopping = false;
    let started = 0;
    const spawnAdapter = (role: 'http' | 'worker', name: string): AdapterProcess => {
      const out = fs.openSync(path.join(logs, `${name}-${++started}.log`), 'a');
      const child = spawn(process.execPath, [CLI, 'serve', '--role', role], { env, stdio: ['ignore', out, out] });
      fs.closeSync(out);
      const p: AdapterProcess = { role, name, child, killedByUs: false };
      track(`adapter ${name} process`, child, (c) => c.exitCode !== null || c.signalCode !== null);
      child.once('exit', (code, signal) => {
        if (!p.killedByUs && !stopping) unexpectedExits.push(`${name} exited by itself (code ${code}, signal ${signal})`);
      });
      return p;
    };
    const kill = async (p: AdapterProcess, signal: NodeJS.Signals): Promise<void> => {
      p.killedByUs = true;
      const c = p.child;
      if (c.exitCode !== null || c.signalCode !== null) return;
      peak = Math.max(peak, vmHwmBytes(c.pid));
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
    };
    const httpProcess = spawnAdapter('http', 'http');
    const workers = Array.from({ length: o.workers }, (_x, i) => spawnAdapter('worker', `worker${i + 1}`));
    cleanups.push(async () => {
      stopping = true;
      // SIGKILL: a clean stop would wait for jobs and sends that may never finish once the services go.
      await Promise.all([rig.http, ...rig.workers].map((p) => kill(p, 'SIGKILL')));
    });
    const sampler = setInterval(() => {
      for (const p of [rig.http, ...rig.workers]) peak = Math.max(peak, vmHwmBytes(p.child.pid));
    }, 500);
    cleanups.push(async () => clearInterval(sampler));
    const rig: Rig = {
      dir,
      dataDir,
      pg,
      redis,
      dbUrl,
      pool,
      sim,
      http: httpProcess,
      workers,
      unexpectedExits,
      peakRssBytes: () => {
        for (const p of [rig.http, ...rig.workers]) peak = Math.max(peak, vmHwmBytes(p.child.pid));
        return peak;
      },
      async killWorker(i, restartAfterMs) {
        const p = rig.workers[i]!;
        await kill(p, 'SIGKILL');
        if (restartAfterMs > 0) await sleep(restartAfterMs);
        rig.workers[i] = spawnAdapter('worker', p.name);
      },
      async killHttp(restartAfterMs) {
        await kill(rig.http, 'SIGKILL');
        if (restartAfterMs > 0) await sleep(restartAfterMs);
        rig.http = spawnAdapter('http', 'http');
      },
      stop: cleanup,
      keepLogs() {
        const to = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-chaos-logs-'));
        fs.cpSync(logs, to, { recursive: true });
        fs.copyFileSync(path.join(pg.dir, 'postgres.log'), path.join(to, 'postgres.log'));
        return to;
      },
      logTail(lines = 40) {
        const all = fs.existsSync(logs) ? fs.readdirSync(logs).sort() : [];
        return all
          .map((f) => {
            const text = fs.readFileSync(path.join(logs, f), 'utf8').trim().split('\n').slice(-lines).join('\n');
            return text ? `--- ${f}\n${text}` : '';
          })
          .filter(Boolean)
          .join('\n');
      },
    };
    await waitHealthy(port, 30_000);
    return rig;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Waits until the HTTP process answers /health with 200 (PostgreSQL and Redis reachable). */
async function waitHealthy(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    if (Date.now() > until) throw new Error(`the adapter's HTTP process did not become healthy within ${timeoutMs} ms`);
    await sleep(100);
  }
}
