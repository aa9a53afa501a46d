import pg from 'pg';
import { FailureCode, failureCodeOf } from '../errors';

/**
 * What was thrown on a path whose peer is PostgreSQL (intake's stages; outbound's route lookup and blob
 * read), as a FailureCode: the one mapping intake and outbound share. Read by codes, never by message text:
 *
 * - our own codes by value (`failureCodeOf`, src/errors.ts);
 * - a `pg.DatabaseError` by its SQLSTATE: class 08 (connection exception) and the codes below mean the
 *   server cannot serve now (DB_UNAVAILABLE, retried); any other SQLSTATE is a statement of ours that
 *   fails (INTERNAL: a person looks at it);
 * - node-postgres reports a lost connection as a plain `Error` without a code ("Connection terminated
 *   unexpectedly", a connect timeout): such errors are known by where they arise, marked by the pool
 *   itself (makePool: its clients' `error` events, and failures to get a connection) — DB_UNAVAILABLE;
 * - a socket errno (ECONNREFUSED, ECONNRESET, ...): on these paths the socket is PostgreSQL's — DB_UNAVAILABLE;
 * - anything else: INTERNAL.
 */
export function failureCodeOfDb(err: unknown): FailureCode {
  const own = failureCodeOf(err);
  if (own !== FailureCode.INTERNAL) return own;
  if (err instanceof pg.DatabaseError) return sqlstateUnavailable(err.code) ? FailureCode.DB_UNAVAILABLE : FailureCode.INTERNAL;
  if (isConnectionLevel(err)) return FailureCode.DB_UNAVAILABLE;
  const errno = codeOf(err);
  if (errno !== undefined && CONNECTION_ERRNOS.has(errno)) return FailureCode.DB_UNAVAILABLE;
  return FailureCode.INTERNAL;
}

/** SQLSTATE classes whose every code means "not now" (PostgreSQL appendix A). */
const UNAVAILABLE_CLASSES: ReadonlySet<string> = new Set(['08']);

/** Single codes of other classes that mean "not now": the same statement later can succeed. */
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

function sqlstateUnavailable(sqlstate: string | undefined): boolean {
  return sqlstate !== undefined && (UNAVAILABLE_CLASSES.has(sqlstate.slice(0, 2)) || UNAVAILABLE_SQLSTATES.has(sqlstate));
}

/** Socket errnos of a connection that could not be made or broke. */
const CONNECTION_ERRNOS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function codeOf(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object' || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

const connectionLevel = new WeakSet<object>();

/**
 * Marks `err` as a connection-level failure (the connection is lost or could not be made). Called where
 * such errors arise: the pool's listeners (pool.ts); a test that stands in for the pool calls it too.
 * A server's own error (a DatabaseError) is not marked: its SQLSTATE says what it is.
 */
export function markConnectionLevel<E>(err: E): E {
  if (err !== null && typeof err === 'object' && !(err instanceof pg.DatabaseError)) connectionLevel.add(err);
  return err;
}

export function isConnectionLevel(err: unknown): boolean {
  return err !== null && typeof err === 'object' && connectionLevel.has(err);
}
