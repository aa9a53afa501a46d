import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from './pool';
import { inTransaction, withClient } from './tx';

/**
 * Numbered SQL migrations (`migrations/NNNN_name.sql`, plain SQL; docs/foundation.md, "Database"), each
 * applied once in its own transaction and recorded in `schema_migrations`. An advisory lock makes concurrent
 * migrators (several replicas starting together) safe: one applies, the others wait and then find nothing to
 * do.
 */

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const LOCK_KEY = 7_000_197_5; // any constant shared by every migrator of this schema

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

export async function migrate(pool: Pool, opts: { dir?: string; log?: (line: string) => void } = {}): Promise<string[]> {
  const migrations = listMigrations(opts.dir);
  const applied: string[] = [];
  await withClient(pool, async (client) => {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           name text PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        await inTransaction(client, async (tx) => {
          await tx.query(m.sql);
          await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
        }).catch((err: Error) => {
          throw new Error(`migration ${m.name} failed: ${err.message}`, { cause: err });
        });
        applied.push(m.name);
        opts.log?.(`applied ${m.name}`);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  });
  return applied;
}
