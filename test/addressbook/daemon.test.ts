import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import type { XRoadSim } from '../../src/sim/server';
import { resolveRoute } from '../../src/addressbook/addressbook';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { startSim } from '../sim/helpers';

let db: TestDatabase;
let sim: XRoadSim;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: '75000001', name: 'Näidisvalla Vallavalitsus' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-ab-'));
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the daemon (worker role) refreshes the address book at start and every DHX_ADDRESSBOOK_REFRESH seconds', async () => {
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, XROAD_SECURITY_SERVER: sim.url, DHX_ADDRESSBOOK_REFRESH: '1', LOG_LEVEL: 'warn' });
  const log = makeLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const prefix = randomPrefix();
  const app = await makeApp({ config, log, queuePrefix: prefix, role: 'worker' });
  try {
    const refreshes = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) AS n FROM addressbook_refreshes WHERE ok')).rows[0].n);
    const deadline = Date.now() + 8_000;
    while ((await refreshes()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await refreshes()).toBeGreaterThanOrEqual(2);
    expect(await resolveRoute(db.pool, '75000001', { instance: 'ee-dev' })).toMatchObject({ kind: 'direct' });
  } finally {
    await app.stop();
    const r = testRedis();
    await cleanupPrefix(r, prefix);
    await r.quit();
  }
});

test('DHX_ADDRESSBOOK_REFRESH=0 means no schedule; a negative or non-number value is a config error', () => {
  expect(loadConfig({ DHX_ADDRESSBOOK_REFRESH: '0' }).dhx.addressBookRefreshSeconds).toBe(0);
  expect(loadConfig({}).dhx.addressBookRefreshSeconds).toBe(1200);
  expect(() => loadConfig({ DHX_ADDRESSBOOK_REFRESH: '-5' })).toThrow(/DHX_ADDRESSBOOK_REFRESH/);
  expect(() => loadConfig({ DHX_ADDRESSBOOK_REFRESH: 'hourly' })).toThrow(/DHX_ADDRESSBOOK_REFRESH/);
});
