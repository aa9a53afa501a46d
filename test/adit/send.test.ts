import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeBlobStore, type BlobStore } from '../../src/blob/store';
import { aditClientOptions, type AditClientOptions } from '../../src/adit/client';
import { followUntilOpened, openedBy, sendToPerson } from '../../src/adit/send';
import { loadConfig } from '../../src/config';
import { FailureCode } from '../../src/errors';
import { personalCodeCheckDigit } from '../../src/log/personal-code';
import type { FakeAdit } from '../../src/sim/adit';
import type { XRoadSim } from '../../src/sim/server';
import { startSim } from '../sim/helpers';

/** Sending to a person through the fake ADIT behind the X-Road simulator: getUserInfo, saveDocument + sendDocument, getSendStatus until opened. Personal codes are fictional. */

const fictional = (first10: string): string => `${first10}${personalCodeCheckDigit(first10)}`;
const JOINED = fictional('4850505999');
const NOT_JOINED = fictional('3900909999');

let sim: XRoadSim;
let adit: FakeAdit;
let dir: string;
let store: BlobStore;
let opts: AditClientOptions;

beforeEach(async () => {
  sim = await startSim();
  adit = await sim.addAdit();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-adit-send-'));
  store = makeBlobStore(dir);
  opts = aditClientOptions(loadConfig({ XROAD_SECURITY_SERVER: sim.url, ADIT_SERVICE: 'ee-dev/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' }));
  adit.join(JOINED);
});
afterEach(async () => {
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const doc = () => ({ guid: 'b7d0f0a4-4a55-4a3f-9d55-0c8b2f0e1a11', title: 'Vastus teie kirjale', documentType: 'letter', files: [{ name: 'vastus.txt', contentType: 'text/plain', data: Buffer.from('Vastus.', 'utf8') }] });

test('a send to a joined person: getUserInfo, saveDocument, sendDocument; getSendStatus followed until opened', async () => {
  const r = await sendToPerson(opts, store, JOINED, doc());
  expect(r).toMatchObject({ kind: 'sent', recipient: `EE${JOINED}` });
  if (r.kind !== 'sent') throw new Error('not sent');
  expect(adit.saved()).toEqual([expect.objectContaining({ id: r.documentId, sentTo: [{ code: `EE${JOINED}` }] })]);
  expect(adit.saved()[0]!.document).toMatchObject({ title: 'Vastus teie kirjale', files: [expect.objectContaining({ name: 'vastus.txt' })] });
  expect(adit.saved()[0]!.document.files[0]!.data.toString('utf8')).toBe('Vastus.');
  expect(adit.requests().map((q) => `${q.serviceCode}/${q.serviceVersion}`)).toEqual(['getUserInfo/v1', 'saveDocument/v1', 'sendDocument/v2']);
  expect(await openedBy(opts, store, r.documentId, r.recipient)).toEqual({ kind: 'not_yet' });
  const at = new Date('2026-12-01T10:00:00Z');
  setTimeout(() => adit.open(r.documentId, JOINED, at), 300);
  expect(await followUntilOpened(opts, store, r.documentId, r.recipient, { intervalMs: 100, timeoutMs: 5000 })).toEqual({ kind: 'opened', openedTime: at.toISOString() });
});

test('a person not joined: refused clearly, nothing saved or sent in ADIT', async () => {
  const r = await sendToPerson(opts, store, NOT_JOINED, doc());
  expect(r).toMatchObject({ kind: 'refused', reason: 'not_joined', error: expect.stringMatching(/not joined ADIT.*nothing was sent/) });
  expect(adit.saved()).toEqual([]);
  expect(adit.requests().map((q) => q.serviceCode)).toEqual(['getUserInfo']);
});

test('an invalid personal code (checksum) is refused before any request', async () => {
  const bad = `${JOINED.slice(0, 10)}${(Number(JOINED[10]) + 1) % 10}`;
  expect(await sendToPerson(opts, store, bad, doc())).toMatchObject({ kind: 'refused', reason: 'invalid_personal_code' });
  expect(adit.requests()).toEqual([]);
});

test('success=false and a SOAP Fault on the way are failures with their codes; nothing is sent half', async () => {
  adit.setFaults({ refuse: { saveDocument: { message: 'Service error', times: 1 } } });
  expect(await sendToPerson(opts, store, JOINED, doc())).toMatchObject({ kind: 'failed', stage: 'saveDocument', code: FailureCode.ADIT_UNAVAILABLE });
  adit.setFaults({ fault: { getUserInfo: { times: 1 } } });
  expect(await sendToPerson(opts, store, JOINED, doc())).toMatchObject({ kind: 'failed', stage: 'getUserInfo', code: FailureCode.REMOTE_SOAP_FAULT });
  expect(adit.saved()).toEqual([]);
});
