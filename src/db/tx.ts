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
 * Runs `fn` on a client taken from the pool, released afterwards. While a client is held the pool no
 * longer listens for its errors, and a connection that PostgreSQL ends (a restart, a crash, an
 * administrator's terminate) emits an `error` event on it: unheard, that event would end the whole
 * process. The statement in flight fails with the same error anyway, so it is only noted here, and the
 * broken client is released with it so that the pool discards it instead of handing it out again.
 */
export async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  let lost: Error | undefined;
  const onError = (err: Error): void => {
    lost = err;
  };
  // The callback form, so that the listener is in place before anything else is read from the
  // connection: the message ending it may come in the same packet as the one that made it ready.
  const client = await new Promise<PoolClient>((resolve, reject) =>
    pool.connect((err, c) => {
      if (err || !c) return reject(err ?? new Error('the pool gave no client'));
      c.on('error', onError);
      resolve(c);
    }),
  );
  try {
    return await fn(client);
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/** Runs `fn` in one transaction on a client from the pool. */
export function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, (client) => inTransaction(client, fn));
}
