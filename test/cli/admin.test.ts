import { createEmptyDatabase } from '../helpers/db';
import { dhx } from './run';

describe('dhx migrate and dhx config', () => {
  test('migrate --json applies the migrations to DATABASE_URL, then reports nothing to do', async () => {
    const db = await createEmptyDatabase();
    try {
      const first = await dhx(['migrate', '--json'], { DATABASE_URL: db.url });
      expect(first.code).toBe(0);
      expect((JSON.parse(first.out) as { applied: string[] }).applied[0]).toBe('0001_foundation.sql');
      const again = await dhx(['migrate', '--json'], { DATABASE_URL: db.url });
      expect(JSON.parse(again.out)).toEqual({ applied: [] });
    } finally {
      await db.drop();
    }
  });

  test('migrate against an unreachable database prints one clear line and exits 1', async () => {
    const r = await dhx(['migrate'], { DATABASE_URL: 'postgres://root@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dhx migrate: cannot reach PostgreSQL at 127\.0\.0\.1:1\/none/);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  test('config lists every setting with its source; a bad PORT exits 1 naming it', async () => {
    const ok = await dhx(['config', '--json'], { PORT: '9090' });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual(expect.arrayContaining([{ name: 'PORT', value: '9090', source: 'env' }]));
    const bad = await dhx(['config'], { PORT: '99999', LOG_LEVEL: 'chatty' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/PORT: must be at most 65535/);
    expect(bad.err).toMatch(/LOG_LEVEL/);
  });

  test('--help explains the tool and exits 0', async () => {
    const r = await dhx(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/capsule/);
    expect(r.out).toMatch(/migrate/);
  });
});
