import fs from 'node:fs';
import { runCli } from '../../src/cli';
import type { CliContext } from '../../src/cli/context';
import { parseGlobalConf } from '../../src/xroad/globalconf';
import { dhx } from '../cli/run';
import { httpsGet, makeTestPki, type TestPki } from '../helpers/tls';

/** `dhx sim --tls-cert --tls-key --tls-client-ca`: the simulator as an HTTPS security server requiring our client certificate. */

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki?.remove());

test('with --tls-cert, --tls-key and --tls-client-ca the simulator serves HTTPS to a client with a certificate only', async () => {
  const out: string[] = [];
  const ctx: CliContext = { env: {}, stdout: (t) => out.push(t), stderr: () => undefined, setExitCode: () => undefined };
  const running = runCli(
    ['sim', '--port', '0', '--for', '2', '--json', '--tls-cert', pki.serverCert, '--tls-key', pki.serverKey, '--tls-client-ca', pki.caCert],
    ctx,
  );
  for (let i = 0; i < 250 && !out[0]; i++) await new Promise((r) => setTimeout(r, 20));
  const { url } = JSON.parse(out[0]!) as { url: string };
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const ca = fs.readFileSync(pki.caCert);
  const { body: zip } = await httpsGet(`${url}/verificationconf`, { ca, cert: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey) });
  expect(parseGlobalConf(zip, 'ee-dev').members.length).toBeGreaterThan(0);
  await expect(httpsGet(`${url}/verificationconf`, { ca })).rejects.toMatchObject({ code: expect.any(String) });
  expect(await running).toBe(0);
});

test('--tls-cert without --tls-key is bad usage (exit 2)', async () => {
  const r = await dhx(['sim', '--port', '0', '--for', '0', '--tls-cert', pki.serverCert]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--tls-cert: set without --tls-key/);
});
