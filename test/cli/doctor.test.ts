import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordPoll } from '../../src/inbound/polls';
import type { XRoadSim } from '../../src/sim/server';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/db';
import { randomPrefix } from '../helpers/redis';
import { startSim } from '../sim/helpers';
import { dhx, dhxProcess } from './run';

/** `dhx doctor`: one line per check, exit 1 only when a check fails, `--json` as {checks:[{name,status,detail}]}. */

let db: TestDatabase;
let sim: XRoadSim;
let dataDir: string;
let env: NodeJS.ProcessEnv;

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: '75000001', name: 'Näidisvalla Vallavalitsus' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-doctor-'));
  env = { DATABASE_URL: db.url, XROAD_SECURITY_SERVER: sim.url, DATA_DIR: dataDir, DHX_QUEUE_PREFIX: randomPrefix(), LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const doctor = async (e: NodeJS.ProcessEnv): Promise<{ code: number; checks: Check[] }> => {
  const r = await dhx(['doctor', '--json'], e);
  return { code: r.code, checks: (JSON.parse(r.out) as { checks: Check[] }).checks };
};
const byName = (checks: Check[], name: string): Check | undefined => checks.find((c) => c.name === name);

test('everything reachable and current: exit 0, every check named; an empty address book warns until it is refreshed', async () => {
  const first = await doctor(env);
  expect(first.code).toBe(0);
  expect(first.checks.map((c) => c.name)).toEqual([
    'configuration', 'postgresql', 'redis', 'security server', 'global configuration', 'address book', 'pollers', 'stopped documents', 'queue intake', 'queue send', 'disk',
  ]);
  for (const c of first.checks) {
    expect(['ok', 'warn']).toContain(c.status);
    expect(typeof c.detail).toBe('string');
  }
  expect(byName(first.checks, 'postgresql')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/none pending/) });
  expect(byName(first.checks, 'address book')).toMatchObject({ status: 'warn' });
  expect(byName(first.checks, 'global configuration')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/never loaded/) });

  expect((await dhx(['addressbook', 'refresh'], env)).code).toBe(0);
  const after = await doctor(env);
  expect(byName(after.checks, 'address book')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^1 DHX addresses/) });
  expect(byName(after.checks, 'global configuration')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/last loaded \d+ s ago/) });

  const text = await dhx(['doctor'], env);
  expect(text.code).toBe(0);
  expect(text.out.split('\n')).toHaveLength(after.checks.length);
  expect(text.out).toMatch(/^ok +configuration +every setting valid$/m);
});

test('Redis on a closed port fails its check (exit 1) without hanging; the queue checks are left out', async () => {
  const p = await dhxProcess(['doctor', '--json'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
  expect(p.code).toBe(1);
  expect((JSON.parse(p.out) as { checks: Check[] }).checks.find((c) => c.name === 'redis')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/ECONNREFUSED/) });
  const r = await doctor({ ...env, REDIS_URL: 'redis://127.0.0.1:1' });
  expect(r.code).toBe(1);
  expect(byName(r.checks, 'redis')).toMatchObject({ status: 'fail' });
  expect(byName(r.checks, 'queue intake')).toBeUndefined();
  expect(byName(r.checks, 'postgresql')?.status).toBe('ok');
});

test('a database without the migrations, an unreachable security server and an unwritable DATA_DIR fail', async () => {
  const empty = await createEmptyDatabase();
  const file = path.join(dataDir, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  try {
    const r = await doctor({ ...env, DATABASE_URL: empty.url, XROAD_SECURITY_SERVER: 'http://127.0.0.1:1', DATA_DIR: file });
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'postgresql')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/migration\(s\) pending .*0001_foundation\.sql.*run dhx migrate/) });
    expect(byName(r.checks, 'stopped documents')).toBeUndefined(); // not asked of a database without its tables
    expect(byName(r.checks, 'security server')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/127\.0\.0\.1:1 not reachable/) });
    expect(byName(r.checks, 'disk')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not writable/) });
  } finally {
    await empty.drop();
  }
});

test('an unreachable PostgreSQL and an invalid configuration fail with one line each', async () => {
  const pg = await doctor({ ...env, DATABASE_URL: 'postgres://root@127.0.0.1:1/none' });
  expect(pg.code).toBe(1);
  expect(byName(pg.checks, 'postgresql')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/ECONNREFUSED/) });
  expect(byName(pg.checks, 'address book')).toBeUndefined();
  const bad = await doctor({ ...env, PORT: '99999' });
  expect(bad).toEqual({ code: 1, checks: [{ name: 'configuration', status: 'fail', detail: expect.stringMatching(/PORT: must be at most 65535/) }] });
});

test('pollers: a configured DVK poller warns until a poll is recorded, and shows the last failure', async () => {
  const dvk = { ...env, DVK_URL: `${sim.url}/dvk` };
  expect(byName((await doctor(dvk)).checks, 'pollers')).toMatchObject({ status: 'warn', detail: 'dvk: no poll recorded yet' });
  await recordPoll(db.pool, 'dvk', { ok: true, fetched: 3 });
  expect(byName((await doctor(dvk)).checks, 'pollers')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^dvk: ok \(3 fetched\) \d+ s ago$/) });
  await recordPoll(db.pool, 'dvk', { ok: false, fetched: 0, stage: 'receive', error: 'connect ECONNREFUSED' });
  const r = await doctor(dvk);
  expect(r.code).toBe(0); // a warning, not a failure
  expect(byName(r.checks, 'pollers')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/dvk: failed at receive: connect ECONNREFUSED/) });
  expect(byName((await doctor(env)).checks, 'pollers')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/no poller configured/) });
});
