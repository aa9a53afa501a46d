import pg from 'pg';
import { markConnectionLevel } from './failure';

/** The PostgreSQL pool: the system of record (docs/architecture.md). */
export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  databaseUrl: string;
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

export function makePool(opts: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'dhx-adapter',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', markConnectionLevel);
  // A client held by a caller is not watched by the pool, and PostgreSQL ending its connection (a restart,
  // a crash, an administrator's terminate) emits `error` on it: unheard, that would end the process. The
  // statement in flight fails with the same error anyway, and on release the pool discards a client whose
  // connection is gone. The listener is set as the client connects, before anything else is read from
  // the connection (the message ending it may come in the same packet as the one that made it ready).
  // It marks the error as connection-level (src/db/failure.ts): node-postgres emits it here before it
  // rejects the statements in flight with that same error, which carries no code of its own.
  pool.on('connect', (client) => {
    let lost = false;
    client.on('error', (err) => {
      lost = true;
      markConnectionLevel(err);
    });
    markQueriesAfterLoss(client, () => lost);
  });
  markConnectFailures(pool);
  return pool;
}

/**
 * Once a held client's connection is gone, node-postgres fails each later statement on it with an Error of
 * its own ("... is not queryable"), again without a code: marked connection-level as it leaves the client.
 */
function markQueriesAfterLoss(client: pg.PoolClient, lost: () => boolean): void {
  const query = client.query as (...args: unknown[]) => unknown;
  const mark = (err: unknown): void => {
    if (err && lost()) markConnectionLevel(err);
  };
  client.query = function (this: pg.PoolClient, ...args: unknown[]): unknown {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (err: unknown, ...rest: unknown[]): unknown => {
        mark(err);
        return (callback as (...a: unknown[]) => unknown)(err, ...rest);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (!(result instanceof Promise)) return result;
    return result.catch((err: unknown) => {
      mark(err);
      throw err;
    });
  } as typeof client.query;
}

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A failure to get a connection (refused, a connect timeout, the server ending it during startup) is
 * connection-level, whatever its text: marked as it leaves `pool.connect`, which `pool.query` goes through
 * too. A server's refusal with a SQLSTATE (a DatabaseError: a wrong password, say) is left to its code.
 */
function markConnectFailures(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (cb: ConnectCallback) => void;
  const marking =
    (cb: ConnectCallback): ConnectCallback =>
    (err, client, done) => {
      if (err && !pool.ending) markConnectionLevel(err);
      cb(err, client, done);
    };
  function connectMarked(): Promise<pg.PoolClient>;
  function connectMarked(cb: ConnectCallback): void;
  function connectMarked(cb?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (cb) return connect(marking(cb));
    return new Promise<pg.PoolClient>((resolve, reject) => connect(marking((err, client) => (err || !client ? reject(err) : resolve(client)))));
  }
  pool.connect = connectMarked as pg.Pool['connect'];
}

const statementNames = new Map<string, string>();

/**
 * A query config with a statement name derived from its text, so that each connection parses and plans
 * the statement once and then only binds parameters (the intake stages run the same few statements for
 * every capsule; planning them anew was a measured share of PostgreSQL's time, docs/intake.md).
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `dhx-${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}
