import fs from 'node:fs';
import path from 'node:path';
import type { XRoadSim } from '../../src/sim/server';
import {
  makeAddressBookRefresher,
  refreshAddressBook,
  resolveRoute,
  showAddressBook,
  type AddressBookSource,
} from '../../src/addressbook/addressbook';
import { checkRepresentation, Representation } from '../../src/addressbook/sender-checks';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { SKA, startSim } from '../sim/helpers';

const KOV = '75000001';
const KOV_SUB = '75000003';
const BOTH = '75000004';
const VAHENDAJA = '10000001';
const TEINE_VAHENDAJA = '10000002';
const ESINDATAV = '75000011';
const ENDED = '75000012';
const FUTURE = '75000013';

let db: TestDatabase;
let sim: XRoadSim;

const source = (over: Partial<AddressBookSource> = {}): AddressBookSource => ({
  globalConf: `${sim.url}/verificationconf`,
  instance: 'ee-dev',
  client: { securityServer: sim.url, client: SKA, timeoutMs: 2_000 },
  ...over,
});

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus', subsystems: ['DHX', 'DHX.dvk'], otherSubsystems: ['generic-consumer', 'DHXsubsystem'] });
  sim.addKov({ memberCode: KOV_SUB, name: 'Proovi Vallavalitsus', subsystems: ['DHX.delta'] });
  sim.addKov({ memberCode: BOTH, name: 'Katse Vallavalitsus', subsystems: ['DHX'] });
  sim.addMember({ memberClass: 'GOV', memberCode: '75000099', name: 'X-tee kasutaja ilma DHX-ita', subsystems: ['generic-consumer'] });
  sim.addIntermediary({
    memberCode: VAHENDAJA,
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [
      { memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') },
      { memberCode: ENDED, name: 'Endine Asutus', startDate: new Date('2024-01-01T00:00:00Z'), endDate: new Date('2025-01-01T00:00:00Z') },
      { memberCode: FUTURE, name: 'Tulevane Asutus', startDate: new Date('2099-01-01T00:00:00Z') },
      { memberCode: BOTH, name: 'Katse Vallavalitsus', startDate: new Date('2025-01-01T00:00:00Z') },
    ],
  });
  sim.addIntermediary({
    memberCode: TEINE_VAHENDAJA,
    memberClass: 'COM',
    name: 'Teine Vahendaja OÜ',
    representees: [{ memberCode: '75000021', name: 'Kauge Vald', startDate: new Date('2025-01-01T00:00:00Z') }],
  });
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
});

describe('address book refresh', () => {
  test('stores members with a DHX or DHX.* subsystem (not DHXsubsystem nor others) and every intermediary representee', async () => {
    const r = await refreshAddressBook(db.pool, source());
    expect(r).toMatchObject({ ok: true, representees: 5 });
    const view = await showAddressBook(db.pool, { instance: 'ee-dev' });
    expect(view.members.map((m) => `${m.memberCode}/${m.subsystem}`)).toEqual([
      `${VAHENDAJA}/DHX`,
      `${TEINE_VAHENDAJA}/DHX`,
      `${KOV}/DHX`,
      `${KOV}/DHX.dvk`,
      `${KOV_SUB}/DHX.delta`,
      `${BOTH}/DHX`,
    ].sort((a, b) => a.localeCompare(b)));
    const inter = view.intermediaries.find((i) => i.id === `ee-dev/COM/${VAHENDAJA}/DHX`)!;
    expect(inter.name).toBe('Vahendaja OÜ');
    expect(inter.representees.find((x) => x.memberCode === ENDED)).toMatchObject({ active: false, endDate: new Date('2025-01-01T00:00:00Z') });
    expect(inter.representees.find((x) => x.memberCode === ESINDATAV)).toMatchObject({ active: true, system: 'lasteaed' });
    expect(view.lastRefresh).toMatchObject({ ok: true, source: `${sim.url}/verificationconf` });
  });

  test('an unreachable intermediary keeps its previous representees; the others are renewed', async () => {
    await refreshAddressBook(db.pool, source());
    sim.setFault(VAHENDAJA, { kind: 'down' });
    try {
      const r = await refreshAddressBook(db.pool, source());
      expect(r.ok).toBe(true);
      expect(r.ok && r.intermediaries.find((i) => i.intermediary === `ee-dev/COM/${VAHENDAJA}/DHX`)).toMatchObject({ ok: false });
      expect(r.ok && r.intermediaries.find((i) => i.intermediary === `ee-dev/COM/${TEINE_VAHENDAJA}/DHX`)).toMatchObject({ ok: true, representees: 1 });
      expect(await resolveRoute(db.pool, ESINDATAV, { instance: 'ee-dev' })).toMatchObject({ kind: 'intermediary', recipient: ESINDATAV });
      const view = await showAddressBook(db.pool, { instance: 'ee-dev' });
      expect(view.intermediaries.find((i) => i.id === `ee-dev/COM/${VAHENDAJA}/DHX`)).toMatchObject({
        lastError: expect.stringMatching(/NetworkError/),
        representees: expect.arrayContaining([expect.objectContaining({ memberCode: ESINDATAV })]),
      });
    } finally {
      sim.setFault(VAHENDAJA, undefined);
    }
  });

  test('global configuration unavailable: the refresh fails and the previous address book stays', async () => {
    await refreshAddressBook(db.pool, source());
    sim.setGlobalConfDown(true);
    try {
      const r = await refreshAddressBook(db.pool, source());
      expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 500/) });
      expect(await resolveRoute(db.pool, KOV, { instance: 'ee-dev' })).toMatchObject({ kind: 'direct' });
      expect((await showAddressBook(db.pool, { instance: 'ee-dev' })).lastRefresh).toMatchObject({ ok: false });
    } finally {
      sim.setGlobalConfDown(false);
    }
  });

  test('a member or intermediary gone from the global configuration is gone after the next refresh', async () => {
    const other = await startSim();
    try {
      other.addKov({ memberCode: '75000031', name: 'Ajutine Vald' });
      other.addIntermediary({ memberCode: '10000031', memberClass: 'COM', name: 'Ajutine Vahendaja', representees: [{ memberCode: '75000032', name: 'Esindatav', startDate: new Date('2025-01-01T00:00:00Z') }] });
      const src = source({ globalConf: `${other.url}/verificationconf`, client: { securityServer: other.url, client: SKA, timeoutMs: 2_000 } });
      const local = await createTestDatabase();
      try {
        await refreshAddressBook(local.pool, src);
        expect((await resolveRoute(local.pool, '75000032', { instance: 'ee-dev' })).kind).toBe('intermediary');
        other.removeMember('75000031');
        other.removeMember('10000031');
        await refreshAddressBook(local.pool, src);
        expect((await resolveRoute(local.pool, '75000031', { instance: 'ee-dev' })).kind).toBe('none');
        expect((await resolveRoute(local.pool, '75000032', { instance: 'ee-dev' })).kind).toBe('none');
      } finally {
        await local.drop();
      }
    } finally {
      await other.stop();
    }
  });

  const SPEC = process.env.DHX_SPEC_DIR ?? path.resolve(__dirname, '../../../shared/spec');
  const official = path.join(SPEC, 'dhx-adapter/global-conf/shared-params_test1.xml');
  (fs.existsSync(official) ? test : test.skip)('XROAD_GLOBAL_CONF may be a plain shared-params.xml file (the official ee-dev sample)', async () => {
    const local = await createTestDatabase();
    try {
      // Its intermediary (COM/30000001) is not behind the simulator: the call fails, the members still load.
      const r = await refreshAddressBook(local.pool, source({ globalConf: official }));
      expect(r).toMatchObject({ ok: true, intermediaries: [{ intermediary: 'ee-dev/COM/30000001/DHX', ok: false }] });
      const view = await showAddressBook(local.pool, { instance: 'ee-dev' });
      const subs = view.members.map((m) => `${m.memberCode}/${m.subsystem}`);
      expect(subs).toEqual(expect.arrayContaining(['70000004/DHX', '70000004/DHX.adit', '30000001/DHX.raamatupidamine', '40000001/DHX']));
      expect(subs).not.toContain('40000001/DHXsubsystem');
    } finally {
      await local.drop();
    }
  });
});

describe('address book resolve', () => {
  beforeAll(async () => {
    await refreshAddressBook(db.pool, source());
  });

  test('a member with a DHX subsystem is reached directly on DHX', async () => {
    expect(await resolveRoute(db.pool, KOV, { instance: 'ee-dev' })).toEqual({
      kind: 'direct',
      code: KOV,
      name: 'Näidisvalla Vallavalitsus',
      service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: KOV, subsystemCode: 'DHX' },
    });
  });

  test('a member with only a DHX.x subsystem is reached there; a chosen system picks that subsystem', async () => {
    expect(await resolveRoute(db.pool, KOV_SUB, { instance: 'ee-dev' })).toMatchObject({ kind: 'direct', service: { subsystemCode: 'DHX.delta' } });
    expect(await resolveRoute(db.pool, KOV, { instance: 'ee-dev', system: 'dvk' })).toMatchObject({ kind: 'direct', service: { subsystemCode: 'DHX.dvk' } });
    expect(await resolveRoute(db.pool, KOV, { instance: 'ee-dev', system: 'DHX.dvk' })).toMatchObject({ kind: 'direct', service: { subsystemCode: 'DHX.dvk' } });
  });

  test('an active representee is reached via its intermediary, with recipient, system and validity', async () => {
    expect(await resolveRoute(db.pool, ESINDATAV, { instance: 'ee-dev' })).toEqual({
      kind: 'intermediary',
      code: ESINDATAV,
      name: 'Näidiskooli Lasteaed',
      service: { xRoadInstance: 'ee-dev', memberClass: 'COM', memberCode: VAHENDAJA, subsystemCode: 'DHX' },
      intermediaryName: 'Vahendaja OÜ',
      recipient: ESINDATAV,
      recipientSystem: 'lasteaed',
      validFrom: new Date('2025-01-01T00:00:00Z'),
    });
  });

  test('direct capability wins over an intermediary that also represents the organisation', async () => {
    expect(await resolveRoute(db.pool, BOTH, { instance: 'ee-dev' })).toMatchObject({ kind: 'direct', service: { memberCode: BOTH } });
  });

  test('an ended or not yet started representation, an X-Road member without DHX, and an unknown code have no route', async () => {
    for (const code of [ENDED, FUTURE, '75000099', '99999999']) {
      expect(await resolveRoute(db.pool, code, { instance: 'ee-dev' })).toMatchObject({ kind: 'none', code });
    }
  });

  test('the representation check knows an intermediary of the global group by its subsystem, and a plain KOV as none', async () => {
    const party = { partyCode: KOV };
    const as = (memberClass: string, memberCode: string, subsystemCode: string) => checkRepresentation(db.pool, { xRoadInstance: 'ee-dev', memberClass, memberCode, subsystemCode }, party);
    expect(await as('COM', VAHENDAJA, 'DHX')).not.toBe(Representation.notIntermediary);
    expect(await as('COM', VAHENDAJA, 'muu')).toBe(Representation.notIntermediary);
    expect(await as('GOV', KOV, 'DHX')).toBe(Representation.notIntermediary);
  });
});

describe('address book schedule', () => {
  test('the refresher refreshes at start and again after its interval; stop() ends it', async () => {
    const local = await createTestDatabase();
    const refresher = makeAddressBookRefresher({ pool: local.pool, source: source(), intervalSeconds: 0.3 });
    try {
      refresher.start();
      const count = async (): Promise<number> => Number((await local.pool.query('SELECT count(*) AS n FROM addressbook_refreshes')).rows[0].n);
      const deadline = Date.now() + 5_000;
      while ((await count()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await count()).toBeGreaterThanOrEqual(2);
      await refresher.stop();
      const after = await count();
      await new Promise((r) => setTimeout(r, 500));
      expect(await count()).toBe(after);
    } finally {
      await refresher.stop();
      await local.drop();
    }
  });
});
