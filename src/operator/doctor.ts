import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { showAddressBook } from '../addressbook/addressbook';
import { ConfigError, loadConfigWithSources, type Config } from '../config';
import { listMigrations } from '../db/migrate';
import { makePool, type Pool } from '../db/pool';
import { lastPolls } from '../inbound/polls';
import { listFailed } from '../intake/reports';
import { makeQueue, QueueName } from '../jobs/queues';
import { maskText } from '../log/privacy';

/**
 * `dhx doctor` and the dashboard's health panel (docs/operations.md, "dhx doctor"): one verdict per check,
 * `ok`, `warn` (works, but look) or `fail` (something an operator must mend). Every check has its own
 * short timeout, so a dead service makes its check fail instead of the whole run hang.
 */

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorDeps {
  /** Where the settings come from (default: process.env). Ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  /** Settings already loaded (the daemon, the dashboard). */
  config?: Config;
  /** Whether XROAD_SECURITY_SERVER was set (rather than its default); with `config` assumed set. */
  securityServerSet?: boolean;
  /** A pool to use (the dashboard's); else one of its own is opened and closed. */
  pool?: Pool;
  /** Per check (default 3000 ms). */
  timeoutMs?: number;
  now?: Date;
}

class Timeout extends Error {}

async function within<T>(ms: number, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([what, new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Timeout(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (err: unknown): string => maskText((err as Error).message || String(err));

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'redis:' || u.protocol === 'rediss:' ? '6379' : u.protocol === 'postgres:' || u.protocol === 'postgresql:' ? '5432' : '80')}`;
  } catch {
    return '?';
  }
}

const age = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : ms < 172_800_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 86_400_000)} days`);

export async function runDoctor(deps: DoctorDeps = {}): Promise<Check[]> {
  const checks: Check[] = [];
  const timeoutMs = deps.timeoutMs ?? 3000;
  const now = deps.now ?? new Date();
  let config = deps.config;
  let securityServerSet = deps.securityServerSet ?? true;
  if (!config) {
    try {
      const loaded = loadConfigWithSources(deps.env ?? process.env);
      config = loaded.config;
      securityServerSet = loaded.sources.XROAD_SECURITY_SERVER?.source !== 'default';
    } catch (err) {
      checks.push({ name: 'configuration', status: 'fail', detail: err instanceof ConfigError ? err.problems.join('; ') : message(err) });
      return checks;
    }
  }
  checks.push({ name: 'configuration', status: 'ok', detail: 'every setting valid' });
  const cfg = config;

  const pool = deps.pool ?? makePool({ databaseUrl: cfg.databaseUrl, max: 2, applicationName: 'dhx doctor' });
  const redis = new Redis(cfg.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  let redisError: (Error & { code?: string }) | undefined;
  redis.on('error', (err: Error) => void (redisError = err));
  try {
    const pgOk = await check(checks, 'postgresql', timeoutMs, async () => {
      await pool.query('SELECT 1');
      const known = listMigrations().map((m) => m.name);
      const applied = new Set(
        (await pool.query<{ name: string }>(`SELECT name FROM schema_migrations`).catch((err: { code?: string }) => {
          if (err.code === '42P01') return { rows: [] };
          throw err;
        })).rows.map((r) => r.name),
      );
      const pending = known.filter((n) => !applied.has(n));
      const unknown = [...applied].filter((n) => !known.includes(n));
      if (pending.length) return { status: 'fail', detail: `reachable at ${hostOf(cfg.databaseUrl)}; ${pending.length} migration(s) pending (${pending.join(', ')}): run dhx migrate` };
      if (unknown.length) return { status: 'warn', detail: `reachable; the database has migrations this version does not know (${unknown.join(', ')})` };
      return { status: 'ok', detail: `reachable at ${hostOf(cfg.databaseUrl)}; ${known.length} migrations applied, none pending` };
    });

    const redisOk = await check(checks, 'redis', timeoutMs, async () => {
      try {
        await redis.connect();
        await redis.ping();
      } catch (err) {
        const why = redisError?.code ?? redisError?.message ?? (err as Error).message;
        return { status: 'fail', detail: `not reachable at ${hostOf(cfg.redisUrl)} (${maskText(why)})` };
      }
      const info = await redis.info('memory');
      const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
      if (policy !== 'noeviction') return { status: 'warn', detail: `reachable at ${hostOf(cfg.redisUrl)}; maxmemory-policy is ${policy ?? 'unknown'}, BullMQ needs noeviction (jobs may be evicted)` };
      return { status: 'ok', detail: `reachable at ${hostOf(cfg.redisUrl)}; maxmemory-policy noeviction` };
    });

    await check(checks, 'security server', timeoutMs, async () => {
      const target = hostOf(cfg.xroad.securityServer);
      try {
        await tcpReachable(cfg.xroad.securityServer, timeoutMs);
        return { status: 'ok', detail: `${target} reachable` };
      } catch (err) {
        // Unset, it is the default address: a machine without X-Road yet is told, not failed.
        return { status: securityServerSet ? 'fail' : 'warn', detail: `${target} not reachable (${message(err)})${securityServerSet ? '' : '; XROAD_SECURITY_SERVER is not set'}` };
      }
    });

    // The checks that read the database need it reachable and migrated; otherwise its own check says why.
    if (pgOk) {
      await check(checks, 'global configuration', timeoutMs, async () => {
        const book = await showAddressBook(pool, { instance: cfg.xroad.instance, now });
        const maxAgeMs = cfg.dhx.addressBookRefreshSeconds > 0 ? Math.max(3 * cfg.dhx.addressBookRefreshSeconds * 1000, 3_600_000) : 86_400_000;
        const last = book.lastRefresh;
        const failing = last && !last.ok ? `; the last refresh failed: ${maskText(last.error ?? 'unknown error')}` : '';
        if (!book.lastSuccess) return { status: 'warn', detail: `never loaded (run dhx addressbook refresh)${failing}` };
        const ms = now.getTime() - book.lastSuccess.getTime();
        if (ms > maxAgeMs) return { status: 'warn', detail: `last loaded ${age(ms)} ago (older than ${age(maxAgeMs)})${failing}` };
        return { status: failing ? 'warn' : 'ok', detail: `last loaded ${age(ms)} ago${failing}` };
      });
      await check(checks, 'address book', timeoutMs, async () => {
        const book = await showAddressBook(pool, { instance: cfg.xroad.instance, now });
        const n = book.members.length;
        if (n === 0) return { status: 'warn', detail: `no DHX addresses for ${cfg.xroad.instance}: nothing can be sent` };
        return { status: 'ok', detail: `${n} DHX addresses, ${book.intermediaries.length} intermediaries` };
      });
      await check(checks, 'pollers', timeoutMs, async () => {
        const polls = await lastPolls(pool);
        const on: Array<{ name: 'dvk' | 'adit'; seconds: number }> = [
          ...(cfg.dvk.url ? [{ name: 'dvk' as const, seconds: cfg.dvk.pollSeconds }] : []),
          ...(cfg.adit.service ? [{ name: 'adit' as const, seconds: cfg.adit.pollSeconds }] : []),
        ];
        if (!on.length) return { status: 'ok', detail: 'no poller configured (DVK_URL, ADIT_SERVICE empty)' };
        let status: CheckStatus = 'ok';
        const parts: string[] = [];
        for (const p of on) {
          const last = polls.find((x) => x.poller === p.name);
          if (!last) {
            status = 'warn';
            parts.push(`${p.name}: no poll recorded yet`);
            continue;
          }
          const ms = now.getTime() - last.at.getTime();
          const stale = ms > 3 * p.seconds * 1000 + 60_000;
          if (!last.ok || stale) status = 'warn';
          parts.push(`${p.name}: ${last.ok ? `ok (${last.fetched} fetched)` : `failed at ${last.stage ?? '?'}: ${maskText(last.error ?? '')}`} ${age(ms)} ago${stale ? ' (stale: is a worker running?)' : ''}`);
        }
        return { status, detail: parts.join('; ') };
      });
      await check(checks, 'stopped documents', timeoutMs, async () => {
        const rows = await listFailed(pool);
        const count = (d: string, s: string): number => rows.filter((r) => r.direction === d && r.state === s).length;
        const detail = `inbound ${count('inbound', 'failed')} failed, ${count('inbound', 'parked')} parked; outbound ${count('outbound', 'failed')} failed, ${count('outbound', 'ambiguous')} ambiguous`;
        return { status: rows.length ? 'warn' : 'ok', detail: rows.length ? `${detail} (dhx failed list, dhx replay)` : detail };
      });
    }

    if (redisOk) {
      for (const name of [QueueName.intake, QueueName.send]) {
        await check(checks, `queue ${name}`, timeoutMs, async () => {
          const q = makeQueue(name, redis, cfg.queuePrefix);
          try {
            const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
            const detail = `${c.waiting ?? 0} waiting, ${c.active ?? 0} active, ${c.delayed ?? 0} delayed, ${c.failed ?? 0} failed`;
            return { status: (c.failed ?? 0) > 0 ? 'warn' : 'ok', detail };
          } finally {
            await q.close().catch(() => undefined);
          }
        });
      }
    }

    await check(checks, 'disk', timeoutMs, async () => {
      const dir = path.resolve(cfg.dataDir);
      let writable = true;
      let why = '';
      try {
        fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true, mode: 0o700 });
        const probe = path.join(dir, 'tmp', `doctor-${process.pid}-${Date.now()}`);
        await fs.promises.writeFile(probe, 'ok', { mode: 0o600, flag: 'wx' });
        await fs.promises.rm(probe, { force: true });
      } catch (err) {
        writable = false;
        why = message(err);
      }
      if (!writable) return { status: 'fail', detail: `DATA_DIR ${dir} is not writable (${why})` };
      const st = await fs.promises.statfs(dir);
      const free = st.blocks > 0 ? st.bavail / st.blocks : 0;
      const pct = `${(free * 100).toFixed(1)} % free (${Math.round((st.bavail * st.bsize) / 1024 / 1024)} MiB)`;
      if (free < 0.02) return { status: 'fail', detail: `DATA_DIR ${dir}: ${pct}` };
      if (free < 0.1) return { status: 'warn', detail: `DATA_DIR ${dir}: ${pct}` };
      return { status: 'ok', detail: `DATA_DIR ${dir}: ${pct}` };
    });
  } finally {
    redis.disconnect();
    if (!deps.pool) await pool.end().catch(() => undefined);
  }
  return checks;
}

/** Runs one check within the timeout; an error or a timeout is its `fail`. True when it did not fail. */
async function check(checks: Check[], name: string, timeoutMs: number, fn: () => Promise<{ status: CheckStatus; detail: string }>): Promise<boolean> {
  try {
    const r = await within(timeoutMs, fn());
    checks.push({ name, ...r });
    return r.status !== 'fail';
  } catch (err) {
    checks.push({ name, status: 'fail', detail: message(err) });
    return false;
  }
}

/** A TCP connection to the URL's host and port within `timeoutMs` (the socket is closed either way, so nothing keeps the process). */
function tcpReachable(url: string, timeoutMs: number): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port });
    s.setTimeout(Math.max(1, timeoutMs - 100), () => {
      s.destroy();
      reject(new Error(`no connection within ${timeoutMs} ms`));
    });
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('error', (err) => {
      s.destroy();
      reject(err);
    });
  });
}
