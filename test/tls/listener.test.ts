import fs from 'node:fs';
import https from 'node:https';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { parseSendDocumentResponse, requestHeader, sendDocumentEnvelope } from '../../src/xroad/dhx-request';
import type { XRoadSim } from '../../src/sim/server';
import { postSoap } from '../../src/xroad/post';
import { swaRequestBody } from '../../src/xroad/swa-body';
import { startAdapter, type Harness } from '../dhx/harness';
import { bodyText, capsuleFor, sendThroughSim, startSim } from '../sim/helpers';
import { httpsGet as get, makeTestPki, type TestPki } from '../helpers/tls';

/**
 * The adapter's HTTPS listener (TLS_CERT, TLS_KEY, TLS_CLIENT_CA): the security server is the only one
 * that may call POST /dhx, and with a client CA configured it has to prove it with its certificate.
 */

const KOV = { objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '75000021', subsystemCode: 'DHX' };

let pki: TestPki;
let adapter: Harness;
let sim: XRoadSim;
let base: string;
let securityServerAgent: https.Agent;

const pem = (file: string): string => fs.readFileSync(file, 'utf8');

beforeAll(async () => {
  pki = makeTestPki();
  adapter = await startAdapter({ TLS_CERT: pki.serverCert, TLS_KEY: pki.serverKey, TLS_CLIENT_CA: pki.caCert });
  base = adapter.url.replace(/^http:/, 'https:');
  // The security server's side: its client certificate, and our CA to trust the adapter's certificate.
  securityServerAgent = new https.Agent({ cert: pem(pki.clientCert), key: pem(pki.clientKey), ca: pem(pki.caCert) });
  sim = await startSim({ forwardAgent: securityServerAgent });
  sim.addAdapter({ memberCode: '70001975', name: 'Sotsiaalkindlustusamet', url: `${base}/dhx` });
  sim.addKov({ memberCode: KOV.memberCode, name: 'Näidisvalla Vallavalitsus' });
});
afterAll(async () => {
  securityServerAgent?.destroy();
  await sim?.stop();
  await adapter?.close();
  pki?.remove();
});

/** A sendDocument posted straight at the adapter's POST /dhx over TLS, as a security server would. */
async function sendDirect(o: https.AgentOptions): Promise<Awaited<ReturnType<typeof postSoap>>> {
  const capsule = await capsuleFor({ sender: KOV.memberCode, recipient: '70001975' });
  const header = requestHeader({
    client: KOV,
    service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX', serviceCode: 'sendDocument', serviceVersion: 'v1' },
  });
  const envelope = sendDocumentEnvelope(header, { consignmentId: `direct-${Date.now()}`, contentId: 'doc' });
  const { contentType, body } = swaRequestBody(envelope, [{ contentId: 'doc', source: Readable.from([capsule]) }]);
  const agent = new https.Agent(o);
  try {
    return await postSoap(`${base}/dhx`, { contentType, body, timeoutMs: 10_000, agent });
  } finally {
    agent.destroy();
  }
}

test('with TLS_CERT and TLS_KEY the port speaks HTTPS: /health answers to a client with the CA-signed certificate', async () => {
  const r = await get(`${base}/health`, { ca: pem(pki.caCert), cert: pem(pki.clientCert), key: pem(pki.clientKey) });
  expect({ status: r.status, body: r.body.toString('utf8') }).toEqual({ status: 200, body: JSON.stringify({ status: 'ok' }) });
});

test('a sendDocument from the security server with its client certificate gets a receipt and is stored', async () => {
  const capsule = await capsuleFor({ sender: KOV.memberCode, recipient: '70001975' });
  const consignmentId = `kov-tls-${Date.now()}`;
  const r = await sendThroughSim(sim, { client: KOV, to: { memberCode: '70001975' }, consignmentId, capsule });
  const answer = parseSendDocumentResponse(bodyText(r));
  expect(answer.kind === 'ok' && 'receiptId' in answer.value).toBe(true);
  const rows = await adapter.db.pool.query('SELECT 1 FROM inbound_capsules WHERE consignment_id = $1', [consignmentId]);
  expect(rows.rowCount).toBe(1);
  expect(sim.calls.at(-1)?.outcome).toBe('forwarded:200');
});

test('a TLS client without a certificate is refused in the handshake and never reaches /dhx', async () => {
  await expect(get(`${base}/health`, { ca: pem(pki.caCert) })).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SSL_/) });
  const r = await sendDirect({ ca: pem(pki.caCert) });
  expect(r).toMatchObject({ kind: 'failed', tls: true });
  const rows = await adapter.db.pool.query("SELECT 1 FROM inbound_capsules WHERE consignment_id LIKE 'direct-%'");
  expect(rows.rowCount).toBe(0);
});

test('a client certificate signed by another CA is refused too: the connection closes before any handler runs', async () => {
  const stranger = { ca: pem(pki.caCert), cert: pem(pki.otherClientCert), key: pem(pki.otherClientKey) };
  expect((await get(`${base}/health`, { ca: pem(pki.caCert), cert: pem(pki.clientCert), key: pem(pki.clientKey) })).status).toBe(200);
  await expect(get(`${base}/health`, stranger)).rejects.toMatchObject({ code: expect.any(String) });
  const before = await adapter.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules');
  expect(await sendDirect(stranger)).toMatchObject({ kind: 'failed' });
  const after = await adapter.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules');
  expect(after.rows).toEqual(before.rows);
});

test('plain HTTP on the HTTPS port gets no DHX answer', async () => {
  expect((await get(`${base}/health`, { ca: pem(pki.caCert), cert: pem(pki.clientCert), key: pem(pki.clientKey) })).status).toBe(200);
  const r = await postSoap(`${adapter.url}/dhx`, { contentType: 'text/xml', body: '<x/>', timeoutMs: 5_000 });
  expect(r.kind === 'answered' && r.status === 200).toBe(false);
});

test('TLS_CERT without TLS_KEY and an unreadable TLS_CLIENT_CA are reported at start, together with the other problems', () => {
  let message = '';
  try {
    loadConfig({ PORT: 'eighty', TLS_CERT: pki.serverCert, TLS_CLIENT_CA: `${pki.dir}/missing.pem`, XROAD_TLS_KEY: pki.clientKey, XROAD_SECURITY_SERVER: 'https://127.0.0.1:1' });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/PORT: /);
  expect(message).toMatch(/TLS_CERT: set without TLS_KEY/);
  expect(message).toMatch(/TLS_CLIENT_CA: cannot read .*missing\.pem/);
  expect(message).toMatch(/XROAD_TLS_KEY: set without XROAD_TLS_CERT/);
});

test('a key that is not the certificate\'s, and client certificates for a plain-HTTP security server, are configuration errors', () => {
  expect(() => loadConfig({ TLS_CERT: pki.serverCert, TLS_KEY: pki.clientKey })).toThrow(/TLS_CERT\/TLS_KEY: .*mismatch/i);
  expect(() => loadConfig({ XROAD_TLS_CERT: pki.clientCert, XROAD_TLS_KEY: pki.clientKey, XROAD_SECURITY_SERVER: 'http://127.0.0.1:8081' })).toThrow(
    /XROAD_SECURITY_SERVER is not an https: URL/,
  );
  const ok = loadConfig({ TLS_CERT: pki.serverCert, TLS_KEY: pki.serverKey, XROAD_TLS_CERT: pki.clientCert, XROAD_TLS_KEY: pki.clientKey, XROAD_TLS_CA: pki.caCert, XROAD_SECURITY_SERVER: 'https://127.0.0.1:8443' });
  expect(ok.tls?.cert).toContain('BEGIN CERTIFICATE');
  expect(ok.xroad.tls.ca).toContain('BEGIN CERTIFICATE');
});
