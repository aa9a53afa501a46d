/**
 * `GET /health` answered from one shared check at most `maxAgeMs` old: callers arriving together wait for
 * the same check, and a flood of them costs one PostgreSQL and one Redis round trip a second. PostgreSQL
 * is asked on a connection of its own (src/app.ts), never one the receipts need. A service that starts
 * failing is logged once with its reason, and once again when it answers: the 503 itself says only which.
 */

export interface HealthVerdict {
  failed: string[];
}

/** Where a change of a service's answer is told (the daemon's logger). */
export interface HealthLog {
  warn(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
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

export function makeHealthCheck(o: {
  pingPostgres: () => Promise<unknown>;
  pingRedis: () => Promise<unknown>;
  maxAgeMs?: number;
  now?: () => number;
  log?: HealthLog;
}): HealthCheck {
  const maxAge = o.maxAgeMs ?? 1000;
  const now = o.now ?? Date.now;
  let last: { at: number; verdict: HealthVerdict } | undefined;
  let running: Promise<HealthVerdict> | undefined;
  const failing = new Set<string>();
  const note = (service: string, outcome: PromiseSettledResult<unknown>): void => {
    if (outcome.status === 'rejected') {
      if (failing.has(service)) return;
      failing.add(service);
      const reason: unknown = outcome.reason;
      o.log?.warn({ service, err: reason instanceof Error ? reason.message : String(reason) }, 'health check: service not answering');
    } else if (failing.delete(service)) {
      o.log?.info({ service }, 'health check: service answers again');
    }
  };
  const run = async (): Promise<HealthVerdict> => {
    const failed: string[] = [];
    const [pg, redis] = await Promise.allSettled([within(o.pingPostgres(), PING_TIMEOUT_MS), within(o.pingRedis(), PING_TIMEOUT_MS)]);
    note('postgres', pg);
    note('redis', redis);
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
