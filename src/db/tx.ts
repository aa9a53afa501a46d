import type { Pool, PoolClient } from './pool';

/** Runs `fn` in one transaction on a client the caller holds: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(client: PoolClient, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Runs `fn` on a client taken from the pool, released afterwards (a lost connection is heard by the
 * listener makePool gives every client, and the pool discards such a client on release).
 */
export async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/** Runs `fn` in one transaction on a client from the pool. */
export function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, (client) => inTransaction(client, fn));
}
