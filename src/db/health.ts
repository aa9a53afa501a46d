import type { PoolClient } from './pool';

/** Whether PostgreSQL answers (readiness): resolves when a trivial statement ran, rejects otherwise. */
export async function pingDatabase(q: Pick<PoolClient, 'query'>): Promise<void> {
  await q.query('SELECT 1');
}
