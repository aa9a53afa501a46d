import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../helpers/ports';

/**
 * Private PostgreSQL and Redis for the chaos run: it restarts, crashes and flushes them, so it must never
 * touch the shared ones other test files use. PostgreSQL is a cluster of its own (initdb into a temporary
 * folder, run as the `postgres` user when we are root, fsync on: no-loss is what is tested), Redis a
 * `redis-server` without persistence; both on free ports, both removed by stop() by their process ids.
 */

const run = promisify(execFile);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The newest installed PostgreSQL server's bin folder, or undefined (then the chaos run cannot start). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const fromEnv = process.env.CHAOS_PG_BIN;
  if (fromEnv) return fs.existsSync(path.join(fromEnv, 'initdb')) ? fromEnv : undefined;
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export function redisServerBin(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, 'redis-server');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

export type StopMode = 'fast' | 'immediate';

export interface PrivatePostgres {
  port: number;
  /** Its folder (data, socket, postgres.log). */
  dir: string;
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  urlFor(db: string): string;
  /** `fast`: a clean shutdown (sessions ended); `immediate`: a crash (recovery from the WAL at start). */
  stop(mode: StopMode): Promise<void>;
  start(): Promise<void>;
  /** Stops it (immediate) and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(root: string): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin: install the postgresql package');
  const dir = fs.mkdtempSync(path.join(root, 'pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  const owner = asRoot ? await run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim()), () => undefined) : undefined;
  if (asRoot && owner === undefined) throw new Error('running as root, but there is no postgres user to run the private PostgreSQL as');
  if (asRoot) {
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    fs.chownSync(dir, owner!, gid);
  }
  const as = (cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  const port = await freePort();
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'root', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=on',
    '-c synchronous_commit=on',
    '-c max_connections=200',
    '-c shared_buffers=32MB',
  ].join(' ');
  let running = false;
  let destroyed = false;
  const pg: PrivatePostgres = {
    port,
    dir,
    adminUrl: `postgres://root@127.0.0.1:${port}/postgres`,
    urlFor: (db) => `postgres://root@127.0.0.1:${port}/${db}`,
    async start() {
      await as('pg_ctl', ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop(mode) {
      await as('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (running || fs.existsSync(path.join(data, 'postmaster.pid'))) {
        await pg.stop('immediate').catch(() => {
          // pg_ctl could not stop it: end the postmaster by the pid it wrote.
          const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
          if (pid > 0) process.kill(pid, 'SIGKILL');
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** FLUSHALL, then the server SIGKILLed and started again on the same port (empty). */
  flushAndRestart(downMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const bin = redisServerBin();
  if (!bin) throw new Error('no redis-server on PATH: install the redis-server package');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const spawnIt = async (): Promise<void> => {
    child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await c.connect();
        if ((await c.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        c.disconnect();
      }
      await sleep(50);
    }
    throw new Error(`private redis-server on ${port} did not answer`);
  };
  const killIt = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await spawnIt();
  return {
    port,
    url,
    async flushAndRestart(downMs = 0) {
      const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await c.connect();
        await c.flushall();
      } finally {
        c.disconnect();
      }
      await killIt();
      if (downMs > 0) await sleep(downMs);
      await spawnIt();
    },
    destroy: killIt,
  };
}
