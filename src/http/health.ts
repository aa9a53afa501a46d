/**
 * `GET /health` answered from one shared check at most `maxAgeMs` old: callers arriving together wait for
 * the same check, and a flood of them costs one PostgreSQL and one Redis round trip a second. PostgreSQL
 * is asked on a connection of its own (src/app.ts), never one the receipts need.
 */

export interface HealthVerdict {
  failed: string[];
}

export interface HealthCheck {
  check(): Promise<HealthVerdict>;
}

const PING_TIMEOUT_MS = 2000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export function makeHealthCheck(o: { pingPostgres: () => Promise<unknown>; pingRedis: () => Promise<unknown>; maxAgeMs?: number; now?: () => number }): HealthCheck {
  const maxAge = o.maxAgeMs ?? 1000;
  const now = o.now ?? Date.now;
  let last: { at: number; verdict: HealthVerdict } | undefined;
  let running: Promise<HealthVerdict> | undefined;
  const run = async (): Promise<HealthVerdict> => {
    const failed: string[] = [];
    const [pg, redis] = await Promise.allSettled([within(o.pingPostgres(), PING_TIMEOUT_MS), within(o.pingRedis(), PING_TIMEOUT_MS)]);
    if (pg.status === 'rejected') failed.push('postgres');
    if (redis.status === 'rejected') failed.push('redis');
    return { failed };
  };
  return {
    check() {
      if (last && now() - last.at <= maxAge) return Promise.resolve(last.verdict);
      running ??= run()
        .then((verdict) => {
          last = { at: now(), verdict };
          return verdict;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
  };
}
