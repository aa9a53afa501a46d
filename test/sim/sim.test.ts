import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseRepresentationListResponse, parseSendDocumentResponse } from '../../src/xroad/dhx-request';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import type { XRoadSim } from '../../src/sim/server';
import { DHX_INTERMEDIARY_GROUP, parseGlobalConf } from '../../src/xroad/globalconf';
import { bodyText, capsuleFor, representationListThroughSim, sendThroughSim, startSim, SKA } from './helpers';

const KOV = '75000001';
const KOV2 = '75000002';
const VAHENDAJA = '10000001';
const ESINDATAV = '75000011';
const ENDED = '75000012';

let sim: XRoadSim;
let n = 0;
const cid = (): string => `sim-test-${++n}-${Date.now()}`;

function outcomeOf(r: Awaited<ReturnType<typeof sendThroughSim>>): string {
  const a = parseSendDocumentResponse(bodyText(r));
  if (a.kind === 'soapFault') return `soapFault:${a.faultString}`;
  return 'receiptId' in a.value ? 'receipt' : a.value.fault.faultCode;
}

beforeAll(async () => {
  sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus', subsystems: ['DHX', 'DHX.dvk'], otherSubsystems: ['generic-consumer'] });
  sim.addKov({ memberCode: KOV2, name: 'Testlinna Linnavalitsus', subsystems: ['DHX.delta'] });
  sim.addIntermediary({
    memberCode: VAHENDAJA,
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [
      { memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') },
      { memberCode: ENDED, name: 'Endine Asutus', startDate: new Date('2024-01-01T00:00:00Z'), endDate: new Date('2025-01-01T00:00:00Z') },
    ],
  });
});
afterAll(() => sim.stop());
afterEach(() => {
  for (const code of [KOV, KOV2, VAHENDAJA]) sim.setFault(code, undefined);
});

describe('X-Road simulator: global configuration', () => {
  test('GET /verificationconf is a zip with shared-params.xml listing members, DHX subsystems and DHX vahendajad', async () => {
    const res = await fetch(`${sim.url}/verificationconf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const conf = parseGlobalConf(Buffer.from(await res.arrayBuffer()), 'ee-dev');
    expect(conf.instance).toBe('ee-dev');
    expect(conf.members.find((m) => m.memberCode === KOV)).toEqual({
      memberClass: 'GOV',
      memberCode: KOV,
      name: 'Näidisvalla Vallavalitsus',
      subsystems: ['DHX', 'DHX.dvk', 'generic-consumer'],
    });
    expect(conf.groups.find((g) => g.code === DHX_INTERMEDIARY_GROUP)?.members).toEqual([
      { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'COM', memberCode: VAHENDAJA, subsystemCode: 'DHX' },
    ]);
  });

  test('the global configuration can be made unavailable (HTTP 500) and back', async () => {
    sim.setGlobalConfDown(true);
    expect((await fetch(`${sim.url}/verificationconf`)).status).toBe(500);
    sim.setGlobalConfDown(false);
    expect((await fetch(`${sim.url}/verificationconf`)).status).toBe(200);
  });
});

describe('X-Road simulator: fake KOV document systems', () => {
  test('a valid capsule to a KOV gets a receiptId, and the KOV holds exactly what was sent', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    const r = await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule });
    expect(r.kind === 'answered' && r.status).toBe(200);
    const a = parseSendDocumentResponse(bodyText(r));
    expect(a.kind === 'ok' && 'receiptId' in a.value).toBe(true);
    const doc = sim.kov(KOV)!.accepted.find((d) => d.consignmentId === consignmentId)!;
    expect(a.kind === 'ok' && 'receiptId' in a.value && a.value.receiptId).toBe(doc.receiptId);
    expect(doc.client).toEqual(SKA);
    expect(doc.capsule.transport.sender.organisationCode).toBe(SKA.memberCode);
    expect(fs.readFileSync(doc.path).equals(capsule)).toBe(true);
  });

  test('the same consignment sent again gets DHX.Duplicate and is held once', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule }))).toBe('receipt');
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule }))).toBe(DhxFaultCode.Duplicate);
    expect(sim.kov(KOV)!.accepted.filter((d) => d.consignmentId === consignmentId)).toHaveLength(1);
  });

  test('a capsule addressed to someone else gets DHX.InvalidAddressee', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV2 });
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId: cid(), capsule }))).toBe(DhxFaultCode.InvalidAddressee);
  });

  test('a capsule whose DecSender is not the X-Road client gets DHX.SenderDoesNotMatch', async () => {
    const capsule = await capsuleFor({ sender: '70000004', recipient: KOV });
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId: cid(), capsule }))).toBe(DhxFaultCode.SenderDoesNotMatch);
  });

  test('a document that is not a Capsule 2.1 gets DHX.Validation', async () => {
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId: cid(), capsule: Buffer.from('Test fail.') }))).toBe(
      DhxFaultCode.Validation,
    );
  });

  test('a KOV on a DHX.x subsystem takes documents there', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV2 });
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV2, subsystemCode: 'DHX.delta' }, consignmentId: cid(), capsule }))).toBe('receipt');
  });

  test('a service nobody provides is a SOAP Fault with HTTP 500 (unknown service)', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV2 });
    const r = await sendThroughSim(sim, { to: { memberCode: KOV2, subsystemCode: 'DHX' }, consignmentId: cid(), capsule });
    expect(r.kind === 'answered' && r.status).toBe(500);
    expect(outcomeOf(r)).toMatch(/^soapFault:Server.ClientProxy.UnknownService/);
  });

  test('a 20 MB capsule is streamed through and stored whole', async () => {
    const bytes = randomBytes(20 * 1024 * 1024);
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV, bytes });
    const consignmentId = cid();
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule, timeoutMs: 60_000 }))).toBe('receipt');
    const doc = sim.kov(KOV)!.accepted.find((d) => d.consignmentId === consignmentId)!;
    expect(doc.size).toBe(capsule.length);
    expect(fs.statSync(doc.path).size).toBe(capsule.length);
  });
});

describe('X-Road simulator: intermediaries', () => {
  test('an intermediary answers representationList with its representees and their dates', async () => {
    const r = await representationListThroughSim(sim, { memberClass: 'COM', memberCode: VAHENDAJA });
    const a = parseRepresentationListResponse(bodyText(r));
    expect(a.kind).toBe('ok');
    expect(a.kind === 'ok' && a.value).toEqual([
      { memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') },
      { memberCode: ENDED, name: 'Endine Asutus', startDate: new Date('2024-01-01T00:00:00Z'), endDate: new Date('2025-01-01T00:00:00Z') },
    ]);
  });

  test('a document for an active representee via the intermediary is accepted, with recipient and system kept', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: ESINDATAV });
    const consignmentId = cid();
    const r = await sendThroughSim(sim, {
      to: { memberClass: 'COM', memberCode: VAHENDAJA },
      consignmentId,
      capsule,
      recipient: ESINDATAV,
      recipientSystem: 'lasteaed',
    });
    expect(outcomeOf(r)).toBe('receipt');
    const doc = sim.kov(VAHENDAJA)!.accepted.find((d) => d.consignmentId === consignmentId)!;
    expect(doc).toMatchObject({ recipient: ESINDATAV, recipientSystem: 'lasteaed' });
  });

  test('a representee whose representation has ended gets DHX.InvalidAddressee', async () => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: ENDED });
    const r = await sendThroughSim(sim, { to: { memberClass: 'COM', memberCode: VAHENDAJA }, consignmentId: cid(), capsule, recipient: ENDED });
    expect(outcomeOf(r)).toBe(DhxFaultCode.InvalidAddressee);
  });

  test('a representedParty is believed from an intermediary, refused from anyone else', async () => {
    const capsule = await capsuleFor({ sender: ESINDATAV, recipient: KOV });
    const viaIntermediary = await sendThroughSim(sim, {
      client: { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'COM', memberCode: VAHENDAJA, subsystemCode: 'DHX' },
      representedParty: { partyCode: ESINDATAV },
      to: { memberCode: KOV },
      consignmentId: cid(),
      capsule,
    });
    expect(outcomeOf(viaIntermediary)).toBe('receipt');
    const fromKov = await sendThroughSim(sim, {
      client: { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: KOV2, subsystemCode: 'DHX.delta' },
      representedParty: { partyCode: ESINDATAV },
      to: { memberCode: KOV },
      consignmentId: cid(),
      capsule,
    });
    expect(outcomeOf(fromKov)).toBe(DhxFaultCode.SenderDoesNotMatch);
  });
});

describe('X-Road simulator: fault injection', () => {
  const send = async (): Promise<{ r: Awaited<ReturnType<typeof sendThroughSim>>; consignmentId: string }> => {
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    return { r: await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule, timeoutMs: 5_000 }), consignmentId };
  };
  const held = (consignmentId: string): number => sim.kov(KOV)!.accepted.filter((d) => d.consignmentId === consignmentId).length;

  test('down: the security server answers a SOAP Fault (HTTP 500) and the KOV holds nothing', async () => {
    sim.setFault(KOV, { kind: 'down' });
    const { r, consignmentId } = await send();
    expect(r.kind === 'answered' && r.status).toBe(500);
    expect(outcomeOf(r)).toMatch(/^soapFault:Server.ClientProxy.NetworkError/);
    expect(held(consignmentId)).toBe(0);
  });

  test('http500: a plain HTTP 500, not SOAP', async () => {
    sim.setFault(KOV, { kind: 'http500' });
    const { r, consignmentId } = await send();
    expect(r.kind === 'answered' && [r.status, r.contentType]).toEqual([500, 'text/plain']);
    expect(held(consignmentId)).toBe(0);
  });

  test('soapFault: a SOAP Fault with the given message', async () => {
    sim.setFault(KOV, { kind: 'soapFault', message: 'document system is being updated' });
    const { r } = await send();
    expect(outcomeOf(r)).toBe('soapFault:document system is being updated');
  });

  test('dhxFault: the chosen business fault, HTTP 200, nothing held', async () => {
    sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Validation });
    const { r, consignmentId } = await send();
    expect(r.kind === 'answered' && r.status).toBe(200);
    expect(outcomeOf(r)).toBe(DhxFaultCode.Validation);
    expect(held(consignmentId)).toBe(0);
  });

  test('slow: the answer comes after the delay (and a client that gives up first gets none)', async () => {
    sim.setFault(KOV, { kind: 'slow', delayMs: 400 });
    const t0 = Date.now();
    const { r } = await send();
    expect(outcomeOf(r)).toBe('receipt');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    const late = await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule, timeoutMs: 150 });
    expect(late).toMatchObject({ kind: 'failed', sent: true, timedOut: true });
    expect(held(consignmentId)).toBe(1);
  });

  test('dropResponse: the KOV stores the document, the client gets no answer; a resend is DHX.Duplicate', async () => {
    sim.setFault(KOV, { kind: 'dropResponse' }, { times: 1 });
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const consignmentId = cid();
    const r = await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule });
    expect(r).toMatchObject({ kind: 'failed', sent: true, timedOut: false });
    expect(held(consignmentId)).toBe(1);
    expect(outcomeOf(await sendThroughSim(sim, { to: { memberCode: KOV }, consignmentId, capsule }))).toBe(DhxFaultCode.Duplicate);
    expect(held(consignmentId)).toBe(1);
  });

  test('a fault limited to `times` requests clears after them', async () => {
    sim.setFault(KOV, { kind: 'http500' }, { times: 2 });
    expect((await send()).r).toMatchObject({ status: 500 });
    expect((await send()).r).toMatchObject({ status: 500 });
    expect(outcomeOf((await send()).r)).toBe('receipt');
  });

  test('every routed request is logged with its outcome', () => {
    const outcomes = sim.calls.map((c) => c.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['receipt', 'down', 'http500', 'soapFault', DhxFaultCode.Validation, 'dropped:receipt']));
  });
});

describe('X-Road simulator: stopped', () => {
  test('a stopped simulator refuses connections (the request never left)', async () => {
    const other = await startSim();
    const url = other.url;
    await other.stop();
    const capsule = await capsuleFor({ sender: SKA.memberCode, recipient: KOV });
    const r = await sendThroughSim({ url }, { to: { memberCode: KOV }, consignmentId: cid(), capsule });
    expect(r).toMatchObject({ kind: 'failed', sent: false, errno: 'ECONNREFUSED' });
  });
});
