/**
 * The benchmarks' own databases: each run creates one on the server of BENCH_ADMIN_DATABASE_URL and
 * drops it afterwards.
 */
import pg from 'pg';

export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** The URL of database `name` on the admin URL's server. */
export function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement (CREATE / DROP DATABASE) on the admin connection. */
export async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
