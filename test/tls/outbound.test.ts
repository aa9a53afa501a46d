import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { makeBlobStore, type BlobStore } from '../../src/blob/store';
import { loadConfig, type Config } from '../../src/config';
import { sendDepsOf } from '../../src/outbound/runtime';
import { attemptSend } from '../../src/outbound/send';
import type { XRoadSim } from '../../src/sim/server';
import { addressBookSource, refreshAddressBook, resolveRoute } from '../../src/addressbook/addressbook';
import { closeSecurityServerAgent } from '../../src/xroad/agent';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTestPki, type TestPki } from '../helpers/tls';
import { startSim } from '../sim/helpers';
import { insertTestDocument } from '../outbound/harness';

/**
 * Our calls to the security server over HTTPS with X-Road SSLAUTH: the simulator plays a security server
 * that requires our client certificate. With XROAD_TLS_CERT/KEY/CA the address book is refreshed and a
 * document delivered through it; without them the attempt fails once, with TLS_HANDSHAKE_FAILED.
 */

const KOV = '75000001';
const VAHENDAJA = '10000001';
const ESINDATAV = '75000011';

let pki: TestPki;
let sim: XRoadSim;
let db: TestDatabase;
let dataDir: string;
let store: BlobStore;
const configs: Config[] = [];
const log = pino({ level: 'silent' });

beforeAll(async () => {
  pki = makeTestPki();
  sim = await startSim({ tls: { cert: fs.readFileSync(pki.serverCert, 'utf8'), key: fs.readFileSync(pki.serverKey, 'utf8'), clientCa: fs.readFileSync(pki.caCert, 'utf8') } });
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus' });
  sim.addIntermediary({
    memberCode: VAHENDAJA,
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [{ memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', startDate: new Date('2025-01-01T00:00:00Z') }],
  });
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-tls-out-'));
  store = makeBlobStore(dataDir);
});
afterAll(async () => {
  for (const c of configs) closeSecurityServerAgent(c);
  await sim?.stop();
  await db?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  pki?.remove();
});

function configWith(env: NodeJS.ProcessEnv): Config {
  const c = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, XROAD_SECURITY_SERVER: sim.url, LOG_LEVEL: 'silent', DHX_SEND_RETRY_SCHEDULE: '1,1', ...env });
  configs.push(c);
  return c;
}

const withCert = (): Config => configWith({ XROAD_TLS_CERT: pki.clientCert, XROAD_TLS_KEY: pki.clientKey, XROAD_TLS_CA: pki.caCert });

const queueDocument = (recipient: string): Promise<string> => insertTestDocument(db.pool, store, recipient);

const row = async (id: string): Promise<{ state: string; attempts: number; failure_code: string | null; next_attempt_at: Date | null; fault_message: string | null }> =>
  (await db.pool.query('SELECT state, attempts, failure_code, next_attempt_at, fault_message FROM outbound_documents WHERE id = $1', [id])).rows[0];

test('with XROAD_TLS_* the address book is refreshed over HTTPS: the global configuration and representationList', async () => {
  expect(sim.url).toMatch(/^https:\/\//);
  const r = await refreshAddressBook(db.pool, addressBookSource(withCert()));
  expect(r).toMatchObject({ ok: true, intermediaries: [{ ok: true, representees: 1 }] });
  expect((await resolveRoute(db.pool, KOV, { instance: 'ee-dev' })).kind).toBe('direct');
  expect((await resolveRoute(db.pool, ESINDATAV, { instance: 'ee-dev' })).kind).toBe('intermediary');
});

test('with XROAD_TLS_* a document is delivered through the HTTPS security server', async () => {
  expect(sim.url).toMatch(/^https:\/\//);
  const id = await queueDocument(KOV);
  const deps = sendDepsOf(withCert(), { pool: db.pool, store, log });
  expect(await attemptSend(deps, id)).toMatchObject({ kind: 'sent', attempt: 1 });
  expect(sim.kov(KOV)!.accepted.length).toBe(1);
});

test('without our client certificate the send fails at once with TLS_HANDSHAKE_FAILED: one attempt, no retry, nothing delivered', async () => {
  const held = sim.kov(KOV)!.accepted.length;
  const id = await queueDocument(KOV);
  const deps = sendDepsOf(configWith({ XROAD_TLS_CA: pki.caCert }), { pool: db.pool, store, log });
  const res = await attemptSend(deps, id);
  const r = await row(id);
  expect(res).toMatchObject({ kind: 'failed', attempt: 1, code: 'TLS_HANDSHAKE_FAILED' });
  expect(r).toMatchObject({ state: 'failed', attempts: 1, failure_code: 'TLS_HANDSHAKE_FAILED', next_attempt_at: null });
  expect(r.fault_message).toMatch(/TLS handshake with the security server failed/);
  expect(sim.kov(KOV)!.accepted.length).toBe(held);
});

test('a security server certificate we do not trust (no XROAD_TLS_CA, not a system CA) fails the same way, before anything is sent', async () => {
  const calls = sim.calls.length;
  const id = await queueDocument(KOV);
  const deps = sendDepsOf(configWith({ XROAD_TLS_CERT: pki.clientCert, XROAD_TLS_KEY: pki.clientKey }), { pool: db.pool, store, log });
  expect(await attemptSend(deps, id)).toMatchObject({ kind: 'failed', code: 'TLS_HANDSHAKE_FAILED' });
  expect(sim.calls.length).toBe(calls);
});

test('without our client certificate the refresh fails and the previous address book is kept', async () => {
  const r = await refreshAddressBook(db.pool, addressBookSource(configWith({ XROAD_TLS_CA: pki.caCert })));
  expect(r).toMatchObject({ ok: false });
  expect((await resolveRoute(db.pool, KOV, { instance: 'ee-dev' })).kind).toBe('direct');
  expect((await resolveRoute(db.pool, ESINDATAV, { instance: 'ee-dev' })).kind).toBe('intermediary');
});
