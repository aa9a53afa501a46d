import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { openBlob } from '../../src/blob/read';
import { makeBlobStore } from '../../src/blob/store';
import { sendDocument, type DhxClientOptions, type SendTarget } from '../../src/xroad/dhx-client';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { FailureCode, failureKind } from '../../src/errors';
import type { XRoadSim } from '../../src/sim/server';
import { refreshAddressBook, resolveRoute } from '../../src/addressbook/addressbook';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { capsuleFor, SKA, startSim } from './helpers';

/** The DHX client (sendDocument as SwA through our security server) against the simulator. */

const KOV = '75000001';
const KOV_SUB = '75000003';
const VAHENDAJA = '10000001';
const ESINDATAV = '75000011';
const OUR_REPRESENTEE = '75000041';

let sim: XRoadSim;
let db: TestDatabase;
let opts: DhxClientOptions;
let n = 0;
const cid = (): string => `client-${++n}-${Date.now()}`;
const direct = (memberCode: string, subsystemCode = 'DHX'): SendTarget => ({
  service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode, subsystemCode },
});
const held = (code: string, consignmentId: string): number => sim.kov(code)!.accepted.filter((d) => d.consignmentId === consignmentId).length;

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus' });
  sim.addKov({ memberCode: KOV_SUB, name: 'Proovi Vallavalitsus', subsystems: ['DHX.delta'] });
  sim.addIntermediary({
    memberCode: VAHENDAJA,
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [{ memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') }],
  });
  // SKA itself as an intermediary in the global configuration (for sending on behalf of a representee).
  sim.addAdapter({ memberCode: SKA.memberCode, name: 'Sotsiaalkindlustusamet', url: 'http://127.0.0.1:9/dhx', intermediary: true });
  opts = { securityServer: sim.url, client: SKA, timeoutMs: 5_000 };
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
});
afterEach(() => {
  for (const code of [KOV, KOV_SUB, VAHENDAJA]) sim.setFault(code, undefined);
});

describe('DHX client: delivered', () => {
  test('a direct addressee gets the capsule byte for byte, from our X-Road client, and we get its receiptId', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    const out = await sendDocument(opts, { target: direct(KOV), consignmentId, capsule: Readable.from([capsule]), resend: false });
    const doc = sim.kov(KOV)!.accepted.find((d) => d.consignmentId === consignmentId)!;
    expect(out).toEqual({ kind: 'delivered', receiptId: doc.receiptId, duplicate: false, xroadId: expect.any(String) });
    expect(doc.client).toEqual(SKA);
    expect(doc.service).toMatchObject({ memberCode: KOV, subsystemCode: 'DHX', serviceCode: 'sendDocument', serviceVersion: 'v1' });
    expect(fs.readFileSync(doc.path).equals(capsule)).toBe(true);
  });

  test('an addressee on a DHX.x subsystem is reached there', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV_SUB });
    const out = await sendDocument(opts, { target: direct(KOV_SUB, 'DHX.delta'), consignmentId: cid(), capsule: Readable.from([capsule]), resend: false });
    expect(out.kind).toBe('delivered');
  });

  test('a representee is reached through its intermediary with recipient and recipientSystem, as the address book resolves it', async () => {
    await refreshAddressBook(db.pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client: opts });
    const route = await resolveRoute(db.pool, ESINDATAV, { instance: 'ee-dev' });
    if (route.kind !== 'intermediary') throw new Error(`expected an intermediary route, got ${route.kind}`);
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: ESINDATAV });
    const consignmentId = cid();
    const out = await sendDocument(opts, {
      target: { service: route.service, recipient: route.recipient, ...(route.recipientSystem ? { recipientSystem: route.recipientSystem } : {}) },
      consignmentId,
      capsule: Readable.from([capsule]),
      resend: false,
    });
    expect(out.kind).toBe('delivered');
    expect(sim.kov(VAHENDAJA)!.accepted.find((d) => d.consignmentId === consignmentId)).toMatchObject({ recipient: ESINDATAV, recipientSystem: 'lasteaed' });
  });

  test('sending on behalf of an organisation we represent carries representedParty, and DecSender is that organisation', async () => {
    const capsule = await capsuleFor({ sender: OUR_REPRESENTEE, recipient: KOV });
    const consignmentId = cid();
    const out = await sendDocument(opts, {
      target: direct(KOV),
      consignmentId,
      capsule: Readable.from([capsule]),
      representedParty: { partyCode: OUR_REPRESENTEE },
      resend: false,
    });
    expect(out.kind).toBe('delivered');
    expect(sim.kov(KOV)!.accepted.find((d) => d.consignmentId === consignmentId)).toMatchObject({ representedParty: { partyCode: OUR_REPRESENTEE }, client: SKA });
  });

  test('a 40 MB capsule is streamed from a blob (openBlob) and arrives whole', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-client-'));
    try {
      const store = makeBlobStore(dataDir);
      const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV, bytes: randomBytes(30 * 1024 * 1024) });
      const temp = await store.writeTemp(Readable.from([capsule]));
      await store.commit(temp);
      await db.pool.query('INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING', [temp.sha256, temp.size]);
      const consignmentId = cid();
      const out = await sendDocument({ ...opts, timeoutMs: 60_000 }, {
        target: direct(KOV),
        consignmentId,
        capsule: await openBlob(db.pool, store, temp.sha256),
        resend: false,
      });
      expect(out.kind).toBe('delivered');
      const doc = sim.kov(KOV)!.accepted.find((d) => d.consignmentId === consignmentId)!;
      expect(doc.sha256).toBe(createHash('sha256').update(capsule).digest('hex'));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('DHX client: classified failures', () => {
  const send = async (code = KOV, o: { resend?: boolean; consignmentId?: string; timeoutMs?: number } = {}) => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: code });
    const consignmentId = o.consignmentId ?? cid();
    const out = await sendDocument({ ...opts, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) }, {
      target: direct(code),
      consignmentId,
      capsule: Readable.from([capsule]),
      resend: o.resend ?? false,
    });
    return { out, consignmentId };
  };

  test('a receiver that is down (security server SOAP Fault) is retryable, and nothing was delivered', async () => {
    sim.setFault(KOV, { kind: 'down' });
    const { out, consignmentId } = await send();
    expect(out).toMatchObject({ kind: 'retry', code: FailureCode.REMOTE_SOAP_FAULT });
    expect(failureKind(FailureCode.REMOTE_SOAP_FAULT)).toBe('retryable');
    expect(held(KOV, consignmentId)).toBe(0);
  });

  test('HTTP 500 without SOAP is retryable (REMOTE_HTTP_ERROR)', async () => {
    sim.setFault(KOV, { kind: 'http500' });
    expect((await send()).out).toMatchObject({ kind: 'retry', code: FailureCode.REMOTE_HTTP_ERROR });
  });

  test("a SOAP Fault is retryable and its text is kept", async () => {
    sim.setFault(KOV, { kind: 'soapFault', message: 'hooldus' });
    expect((await send()).out).toMatchObject({ kind: 'retry', code: FailureCode.REMOTE_SOAP_FAULT, message: expect.stringMatching(/hooldus/) });
  });

  test('our security server refusing the connection is retryable (NETWORK_ERROR): the request never left', async () => {
    const out = await sendDocument({ ...opts, securityServer: 'http://127.0.0.1:9' }, {
      target: direct(KOV),
      consignmentId: cid(),
      capsule: Readable.from([await capsuleFor({ sender: SKA.memberCode, recipient: KOV })]),
      resend: false,
    });
    expect(out).toMatchObject({ kind: 'retry', code: FailureCode.NETWORK_ERROR, message: expect.stringMatching(/ECONNREFUSED/) });
  });

  test("a receiver's business fault is final, with its DHX code kept", async () => {
    sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Validation, faultString: 'Kapsel ei vasta skeemile' });
    const { out } = await send();
    expect(out).toMatchObject({ kind: 'rejected', code: FailureCode.DHX_VALIDATION, faultCode: 'DHX.Validation', faultString: 'Kapsel ei vasta skeemile' });
    expect(failureKind(FailureCode.DHX_VALIDATION)).toBe('permanent');
  });

  test('a DHX fault code outside the spec list is final too (DHX_OTHER_FAULT), its code kept', async () => {
    sim.setFault(KOV, { kind: 'dhxFault', faultCode: 'DHX.Hooldus' as DhxFaultCode });
    expect((await send()).out).toMatchObject({ kind: 'rejected', code: FailureCode.DHX_OTHER_FAULT, faultCode: 'DHX.Hooldus' });
  });

  test('a real receiver check: a capsule for someone else is DHX.InvalidAddressee, final', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV_SUB });
    const out = await sendDocument(opts, { target: direct(KOV), consignmentId: cid(), capsule: Readable.from([capsule]), resend: false });
    expect(out).toMatchObject({ kind: 'rejected', code: FailureCode.DHX_INVALID_ADDRESSEE });
  });

  test('a dropped answer is ambiguous (RESPONSE_LOST); the resend with the same consignmentId is delivered (DHX.Duplicate) and the KOV holds it once', async () => {
    sim.setFault(KOV, { kind: 'dropResponse' }, { times: 1 });
    const first = await send();
    expect(first.out).toMatchObject({ kind: 'ambiguous', code: FailureCode.RESPONSE_LOST });
    expect(failureKind(FailureCode.RESPONSE_LOST)).toBe('ambiguous');
    const again = await send(KOV, { consignmentId: first.consignmentId, resend: true });
    expect(again.out).toMatchObject({ kind: 'delivered', duplicate: true });
    expect(held(KOV, first.consignmentId)).toBe(1);
  });

  test('no answer within the timeout after the request left is ambiguous (RESPONSE_LOST)', async () => {
    sim.setFault(KOV, { kind: 'slow', delayMs: 1_000 }, { times: 1 });
    const { out, consignmentId } = await send(KOV, { timeoutMs: 300 });
    expect(out).toMatchObject({ kind: 'ambiguous', code: FailureCode.RESPONSE_LOST, message: expect.stringMatching(/no answer in time/) });
    expect(held(KOV, consignmentId)).toBe(1);
  });

  test('DHX.Duplicate on a first attempt is not a delivery: final DHX_DUPLICATE', async () => {
    const { consignmentId } = await send();
    const again = await send(KOV, { consignmentId, resend: false });
    expect(again.out).toMatchObject({ kind: 'rejected', code: FailureCode.DHX_DUPLICATE });
  });

  test('a capsule stream that fails is our error (DhxError INTERNAL), not a network outcome', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('blob read failed'));
      },
    });
    await expect(sendDocument(opts, { target: direct(KOV), consignmentId: cid(), capsule: broken, resend: false })).rejects.toMatchObject({
      code: FailureCode.INTERNAL,
    });
  });
});
