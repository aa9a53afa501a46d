import { loadConfig, type Config } from '../config';
import { isConnectionLevel } from '../db/failure';
import { makePool, type Pool } from '../db/pool';
import type { CliContext } from './context';

/** One clear line for an error a user can act on, instead of a stack trace. */
export function describeDbError(err: unknown, databaseUrl: string): string {
  const e = err as { code?: string; message?: string };
  let where = databaseUrl;
  try {
    const u = new URL(databaseUrl);
    u.password = '';
    where = `${u.host}${u.pathname}`;
  } catch {
    // keep as given
  }
  // A connect timeout has no code: the pool marks it connection-level (src/db/failure.ts).
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || isConnectionLevel(err)) {
    return `cannot reach PostgreSQL at ${where} (${e.code ?? e.message}); is it running? See docs/operations.md "Services".`;
  }
  if (e.code === '3D000') return `database ${where} does not exist (create it, or set DATABASE_URL)`;
  if (e.code === '28P01' || e.code === '28000') return `PostgreSQL refused the login for ${where} (${e.message})`;
  return e.message ?? String(err);
}

/**
 * A command that needs a service this installation has not configured (`dhx dvk poll` without DVK_URL, `dhx
 * adit poll` without ADIT_SERVICE): a configuration failure, not bad usage. One line on stderr naming the
 * setting to give (environment or the `DHX_CONFIG` file) and exit 1, as any other failure.
 */
export function notConfigured(ctx: CliContext, command: string, service: string, setting: string, doc: string): void {
  ctx.stderr(`dhx ${command}: ${service} is not configured: set ${setting} (environment or DHX_CONFIG file; ${doc})`);
  ctx.setExitCode(1);
}

/**
 * Runs a database command (`command`: `cases list`, `outbound resend`, …) with a one-connection pool: a
 * failure is one line on stderr (`dhx <command>: …`) and exit 1; the pool is always closed.
 */
export async function withPool(ctx: CliContext, command: string, fn: (pool: Pool, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig(ctx.env);
  const pool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: `dhx ${command}` });
  try {
    await fn(pool, config);
  } catch (err) {
    ctx.stderr(`dhx ${command}: ${describeDbError(err, config.databaseUrl)}`);
    ctx.setExitCode(1);
  } finally {
    await pool.end();
  }
}
