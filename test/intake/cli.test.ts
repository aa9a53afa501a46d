import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' };
});
afterAll(() => db.drop());

describe('intake commands: help, exit codes, JSON arrays', () => {
  test.each(['classify', 'cases list', 'cases show', 'stats', 'failed list', 'replay'])('dhx %s --help prints usage and exits 0', async (command) => {
    const r = await dhx([...command.split(' '), '--help'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: dhx/);
  });

  test('bad usage exits 2: a missing argument, an unknown category, a bad date, replay with neither id nor --all-failed', async () => {
    expect((await dhx(['classify'], env)).code).toBe(2);
    expect((await dhx(['classify', '00000000-0000-4000-8000-000000000000', 'opinion'], env)).code).toBe(2);
    expect((await dhx(['classify', '00000000-0000-4000-8000-000000000000', 'mentorlus', '--sub-kind', 'esmane'], env)).code).toBe(2);
    expect((await dhx(['stats', '--from', '1.3.2026'], env)).code).toBe(2);
    expect((await dhx(['replay'], env)).code).toBe(2);
  });

  test('listings print JSON arrays, empty ones too; an unknown case or capsule exits 1', async () => {
    for (const args of [['cases', 'list', '--json'], ['cases', 'list', '--overdue', '--json'], ['failed', 'list', '--json'], ['replay', '--all-failed', '--json']]) {
      const r = await dhx(args, env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual([]);
    }
    expect((await dhx(['cases', 'show', 'LHO-2026-999999'], env)).code).toBe(1);
    expect((await dhx(['classify', '00000000-0000-4000-8000-000000000000', 'muu'], env)).code).toBe(1);
    const s = await dhx(['stats', '--from', '2026-01-01', '--to', '2026-12-31', '--json'], env);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toEqual({ from: '2026-01-01', to: '2026-12-31', requests: [], opinions: { onTime: 0, late: 0, overdueOpen: 0, open: 0 }, triage: 0 });
  });

  test('PostgreSQL unreachable: one clear line, exit 1', async () => {
    const r = await dhx(['cases', 'list'], { DATABASE_URL: 'postgres://root@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot reach PostgreSQL/);
  });
});
