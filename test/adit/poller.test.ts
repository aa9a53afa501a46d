import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { makeBlobStore, type BlobStore } from '../../src/blob/store';
import { loadCapsuleSchema, type CapsuleSchema } from '../../src/capsule/schema';
import { loadConfig, type Config } from '../../src/config';
import { FailureCode } from '../../src/errors';
import { makeAditCounters, pollAdit, type AditPollDeps } from '../../src/adit/poller';
import { personalCodeCheckDigit } from '../../src/log/personal-code';
import { makeLogger } from '../../src/log/logger';
import type { FakeAdit } from '../../src/sim/adit';
import type { XRoadSim } from '../../src/sim/server';
import { startSim } from '../sim/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/**
 * The ADIT poller against the fake ADIT (src/sim/adit.ts) behind the X-Road simulator (XROAD_SECURITY_SERVER =
 * the simulator, which passes GOV/70006317/adit requests on to the fake) and real PostgreSQL. Personal codes are fictional.
 */

const fictional = (first10: string): string => `${first10}${personalCodeCheckDigit(first10)}`;
const PARENT = fictional('4800101999');

let db: TestDatabase;
let sim: XRoadSim;
let adit: FakeAdit;
let store: BlobStore;
let schema: CapsuleSchema;
let config: Config;
let dataDir: string;
let logLines: string[];
let enqueued: string[];
let registry: Registry;
let deps: AditPollDeps;

beforeEach(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  adit = await sim.addAdit();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-adit-'));
  config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, XROAD_SECURITY_SERVER: sim.url, ADIT_SERVICE: '{XROAD_INSTANCE}/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' });
  store = makeBlobStore(dataDir);
  schema = await loadCapsuleSchema();
  logLines = [];
  enqueued = [];
  registry = new Registry();
  const log = makeLogger({ level: 'debug', destination: new Writable({ write: (c: Buffer, _e, cb) => (logLines.push(c.toString()), cb()) }) });
  deps = { pool: db.pool, store, schema, config, limits: config.capsule, log, counters: makeAditCounters(registry), enqueue: async (ids) => void enqueued.push(...ids) };
});
afterEach(async () => {
  await sim.stop();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const letter = () => ({ title: 'Kiri lastekaitsele', creatorCode: `EE${PARENT}`, creatorName: 'Mari Maasikas', files: [{ name: 'kiri.txt', contentType: 'text/plain', data: Buffer.from('Palun abi.', 'utf8') }] });
const rows = async () => (await db.pool.query('SELECT id, transport, adit_document_id, dhl_id, state, sender FROM inbound_capsules ORDER BY adit_document_id')).rows;

test('list → get → stored (transport adit, ADIT id kept, a valid capsule) → queued → viewed exactly once', async () => {
  const id = adit.add(letter());
  const r = await pollAdit(deps);
  expect(r).toMatchObject({ kind: 'ok', listed: 1, marked: [id] });
  const rs = await rows();
  expect(rs).toEqual([expect.objectContaining({ transport: 'adit', adit_document_id: id, dhl_id: null, state: 'received', sender: '70006317' })]);
  expect(enqueued).toEqual([rs[0].id]);
  expect(adit.marks()).toEqual([id]);
  expect(await pollAdit(deps)).toMatchObject({ kind: 'ok', listed: 0 });
  expect(adit.marks()).toEqual([id]);
  const req = adit.requests()[0]!;
  expect(req).toMatchObject({ serviceCode: 'getDocumentList', serviceVersion: 'v2', userId: 'EE70001975', infosystem: 'DHX' });
  // the personal code never in the logs unmasked
  expect(logLines.join('')).not.toContain(PARENT);
});

test('a poll aborted between store and mark marks on the next poll without a second row', async () => {
  const id = adit.add(letter());
  await expect(pollAdit({ ...deps, afterStore: async () => { throw new Error('crash'); } })).rejects.toThrow('crash');
  expect(adit.marks()).toEqual([]);
  expect((await rows()).length).toBe(1);
  expect(await pollAdit(deps)).toMatchObject({ kind: 'ok', marked: [id], stored: [expect.objectContaining({ inserted: false })] });
  expect((await rows()).length).toBe(1);
  expect(adit.marks()).toEqual([id]);
});

test('success=false and a SOAP Fault lose nothing and are retried', async () => {
  const id = adit.add(letter());
  adit.setFaults({ refuse: { getDocumentList: { message: 'Database is not available', times: 1 } } });
  expect(await pollAdit(deps)).toMatchObject({ kind: 'failed', stage: 'list', code: FailureCode.ADIT_UNAVAILABLE, error: expect.stringContaining('Database is not available') });
  adit.setFaults({ refuse: { getDocument: { message: 'User is not the owner of the document', times: 1 } } });
  expect(await pollAdit(deps)).toMatchObject({ kind: 'failed', stage: 'get', code: FailureCode.ADIT_REFUSED });
  adit.setFaults({ fault: { markDocumentViewed: { times: 1 } } });
  expect(await pollAdit(deps)).toMatchObject({ kind: 'failed', stage: 'mark', code: FailureCode.REMOTE_SOAP_FAULT });
  expect(adit.marks()).toEqual([]);
  expect(await pollAdit(deps)).toMatchObject({ kind: 'ok', marked: [id] });
  expect((await rows()).length).toBe(1);
});

test('two concurrent polls: one stores and marks, the other is busy or finds nothing; one row, one mark', async () => {
  const ids = [adit.add(letter()), adit.add(letter())];
  const [a, b] = await Promise.all([pollAdit(deps), pollAdit(deps)]);
  expect([a.kind, b.kind].sort()).toEqual(expect.arrayContaining(['ok']));
  expect((await rows()).map((r) => r.adit_document_id).sort()).toEqual([...ids].sort());
  expect(adit.marks().sort()).toEqual([...ids].sort());
});
