import { loadConfig } from '../../src/config';
import { clientOptionsOf } from '../../src/xroad/dhx-client';
import { sendDepsOf } from '../../src/outbound/runtime';
import { addressBookSource } from '../../src/addressbook/addressbook';
import { closeSecurityServerAgent, securityServerAgent } from '../../src/xroad/agent';
import { isTlsHandshakeFailure } from '../../src/xroad/post';
import { makeTestPki, type TestPki } from '../helpers/tls';

/** One agent for every call to the security server, and what counts as a refused TLS handshake. */

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki?.remove());

test('the address book, the send worker and the DHX client share one keep-alive agent with our client certificate, TLS 1.2 at most', () => {
  const config = loadConfig({ XROAD_SECURITY_SERVER: 'https://127.0.0.1:8443', XROAD_TLS_CERT: pki.clientCert, XROAD_TLS_KEY: pki.clientKey, XROAD_TLS_CA: pki.caCert });
  try {
    const agent = securityServerAgent(config);
    expect(clientOptionsOf(config, 1000).agent).toBe(agent);
    expect(addressBookSource(config).client.agent).toBe(agent);
    expect(sendDepsOf(config, { pool: undefined as never, store: undefined as never, log: undefined as never }).dhx.agent).toBe(agent);
    expect(agent.options).toMatchObject({ keepAlive: true, maxVersion: 'TLSv1.2', cert: expect.stringContaining('BEGIN CERTIFICATE'), key: expect.stringContaining('PRIVATE KEY'), ca: expect.stringContaining('BEGIN CERTIFICATE') });
  } finally {
    closeSecurityServerAgent(config);
  }
});

test('a TLS error while the handshake is under way is a refused handshake; after it only a handshake alert is', () => {
  expect(isTlsHandshakeFailure('EPROTO', false)).toBe(true);
  expect(isTlsHandshakeFailure('SELF_SIGNED_CERT_IN_CHAIN', false)).toBe(true);
  expect(isTlsHandshakeFailure('ERR_TLS_CERT_ALTNAME_INVALID', false)).toBe(true);
  expect(isTlsHandshakeFailure('ECONNRESET', false)).toBe(false);
  expect(isTlsHandshakeFailure('ECONNREFUSED', false)).toBe(false);
  // TLS 1.3: the server judges the client's certificate after the client has finished its handshake.
  expect(isTlsHandshakeFailure('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', true)).toBe(true);
  expect(isTlsHandshakeFailure('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', true)).toBe(true);
  expect(isTlsHandshakeFailure('EPROTO', true)).toBe(false);
  expect(isTlsHandshakeFailure('ECONNRESET', true)).toBe(false);
  expect(isTlsHandshakeFailure(undefined, false)).toBe(false);
});
