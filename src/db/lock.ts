import type { Pool } from './pool';

/**
 * One at a time across processes: `fn` runs only while this process holds the session advisory lock `key`,
 * taken with pg_try_advisory_lock on a connection of its own and released after. `busy` when another
 * process holds it; `no_connection` when no connection could be had. What `fn` throws is thrown.
 */
export type LockedRun<T> = { kind: 'ran'; value: T } | { kind: 'busy' } | { kind: 'no_connection'; error: Error };

export async function withTryAdvisoryLock<T>(pool: Pool, key: number, fn: () => Promise<T>): Promise<LockedRun<T>> {
  let lock;
  try {
    lock = await pool.connect();
  } catch (err) {
    return { kind: 'no_connection', error: err as Error };
  }
  let locked = false;
  try {
    locked = (await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0]?.ok === true;
    if (!locked) return { kind: 'busy' };
    return { kind: 'ran', value: await fn() };
  } finally {
    if (locked) await lock.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    lock.release();
  }
}
