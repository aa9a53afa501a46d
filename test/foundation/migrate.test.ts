import { migrate, listMigrations } from '../../src/db/migrate';
import { makePool } from '../../src/db/pool';
import { createEmptyDatabase, createTestDatabase } from '../helpers/db';
import { track } from '../helpers/resources';

describe('migrations', () => {
  test('a fresh database gets every migration once; a second run applies nothing', async () => {
    const db = await createEmptyDatabase();
    const pool = track('pool', makePool({ databaseUrl: db.url }), (p) => p.ended);
    try {
      const first = await migrate(pool);
      expect(first).toEqual(listMigrations().map((m) => m.name));
      expect(await migrate(pool)).toEqual([]);
      const tables = await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['schema_migrations', 'audit_log', 'blobs']));
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  test('concurrent migrators are safe: each migration is applied by exactly one', async () => {
    const db = await createEmptyDatabase();
    const pools = [1, 2, 3].map(() => track('pool', makePool({ databaseUrl: db.url, max: 2 }), (p) => p.ended));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p)));
      expect(results.flat().sort()).toEqual(listMigrations().map((m) => m.name).sort());
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  });

  test('a test database comes migrated from the template', async () => {
    const db = await createTestDatabase();
    try {
      const r = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(r.rows[0].n).toBe(listMigrations().length);
    } finally {
      await db.drop();
    }
  });
});
