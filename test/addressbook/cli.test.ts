import type { XRoadSim } from '../../src/sim/server';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { dhx } from '../cli/run';
import { startSim } from '../sim/helpers';

let db: TestDatabase;
let sim: XRoadSim;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: '75000001', name: 'Näidisvalla Vallavalitsus' });
  sim.addIntermediary({
    memberCode: '10000001',
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [{ memberCode: '75000011', name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') }],
  });
  env = { DATABASE_URL: db.url, XROAD_SECURITY_SERVER: sim.url };
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
});

describe('dhx addressbook', () => {
  test('refresh reads {XROAD_SECURITY_SERVER}/verificationconf and the intermediaries; show lists the result', async () => {
    const r = await dhx(['addressbook', 'refresh'], env);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/2 DHX addresses, 1 intermediaries, 1 representees/);
    const shown = await dhx(['addressbook', 'show', '--json'], env);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.out) as { members: Array<{ memberCode: string }>; intermediaries: Array<{ id: string; representees: Array<{ memberCode: string }> }> };
    expect(view.members.map((m) => m.memberCode)).toEqual(['10000001', '75000001']);
    expect(view.intermediaries).toEqual([expect.objectContaining({ id: 'ee-dev/COM/10000001/DHX', representees: [expect.objectContaining({ memberCode: '75000011' })] })]);
    const text = await dhx(['addressbook', 'show'], env);
    expect(text.out).toMatch(/75000011\tNäidiskooli Lasteaed\tlasteaed/);
  });

  test('resolve explains the route: direct, via intermediary X, or none (exit 1)', async () => {
    await dhx(['addressbook', 'refresh'], env);
    const direct = await dhx(['addressbook', 'resolve', '75000001'], env);
    expect(direct).toMatchObject({ code: 0, out: '75000001 Näidisvalla Vallavalitsus: direct → ee-dev/GOV/75000001/DHX' });
    const via = await dhx(['addressbook', 'resolve', '75000011'], env);
    expect(via.code).toBe(0);
    expect(via.out).toMatch(/via intermediary Vahendaja OÜ → ee-dev\/COM\/10000001\/DHX \(recipient 75000011, recipientSystem lasteaed/);
    const json = await dhx(['addressbook', 'resolve', '75000011', '--json'], env);
    expect(JSON.parse(json.out)).toMatchObject({ kind: 'intermediary', recipient: '75000011', recipientSystem: 'lasteaed' });
    const none = await dhx(['addressbook', 'resolve', '12345678'], env);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/^12345678: none — /);
  });

  test('refresh with the global configuration unreachable exits 1 and says the previous book is kept', async () => {
    sim.setGlobalConfDown(true);
    try {
      const r = await dhx(['addressbook', 'refresh'], env);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/previous address book is kept/);
    } finally {
      sim.setGlobalConfDown(false);
    }
  });

  test('XROAD_GLOBAL_CONF overrides the security server as the source', async () => {
    const r = await dhx(['addressbook', 'refresh', '--json'], { ...env, XROAD_GLOBAL_CONF: '/nonexistent/shared-params.xml' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: expect.stringMatching(/nonexistent/) });
  });

  test('--help lists refresh, show and resolve', async () => {
    const r = await dhx(['addressbook', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/refresh/);
    expect(r.out).toMatch(/resolve/);
  });
});
