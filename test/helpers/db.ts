import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { listMigrations, migrate } from '../../src/db/migrate';
import { makePool, type Pool } from '../../src/db/pool';
import { track } from './resources';

/**
 * A fresh PostgreSQL database per test file, cloned from a migrated template (fast: a CREATE DATABASE
 * ... TEMPLATE copies files). The template's name carries a hash of the migrations, so a changed
 * migration makes a new template.
 *
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(() => db.drop());
 *   test('...', async () => { await db.pool.query('select 1'); });
 */

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const TEMPLATE_LOCK = 70_001_976;

async function ensureTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(m.name).update(m.sql);
  const name = `dhx_template_${hash.digest('hex').slice(0, 12)}`;
  await withAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      await c.query(`CREATE DATABASE ${name}`);
      const pool = makePool({ databaseUrl: urlFor(name), max: 1 });
      try {
        await migrate(pool);
      } catch (err) {
        await pool.end();
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        throw err;
      }
      await pool.end();
      await c.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true`);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `dhx_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = urlFor(name);
  const pool = track('pg pool', makePool({ databaseUrl: url, max: 5 }), (p) => p.ended);
  return {
    name,
    url,
    pool,
    async drop() {
      if (!pool.ended) await pool.end();
      await withAdmin(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      });
    },
  };
}

/** A database that exists but has no tables (for migration tests). */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `dhx_empty_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: urlFor(name),
    drop: () =>
      withAdmin(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}
