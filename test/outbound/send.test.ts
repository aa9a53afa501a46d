import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { ESINDATAV, heldBy, KOV, KOV_SUB, startSendHarness, UNKNOWN, VAHENDAJA, type SendHarness } from './harness';

/** Durable sending through the X-Road simulator: the send worker and scheduler of `dhx serve --role worker`. */

let h: SendHarness;

beforeAll(async () => {
  h = await startSendHarness();
  await h.startRuntime();
});
afterAll(() => h.close());
afterEach(() => {
  for (const code of [KOV, KOV_SUB, VAHENDAJA]) h.sim.setFault(code, undefined);
});

const states = async (id: string): Promise<string[]> => (await h.history(id)).map((x) => x.state);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sending: delivered', () => {
  test('a direct addressee receives the document once and its receiptId is stored; the row is sent after one attempt', async () => {
    const id = await h.queueDocument(KOV);
    const row = await h.waitFor(id, ['sent', 'failed']);
    const held = h.sim.kov(KOV)!.accepted.filter((d) => d.consignmentId === row.consignment_id);
    expect(held).toHaveLength(1);
    expect(row).toMatchObject({ state: 'sent', attempts: 1, receipt_id: held[0]!.receiptId, route: 'direct ee-dev/GOV/75000001/DHX' });
    expect(held[0]!.service).toMatchObject({ memberCode: KOV, subsystemCode: 'DHX', serviceCode: 'sendDocument' });
    expect(await states(id)).toEqual(['queued', 'sending', 'sent']);
  });

  test('a representee is reached through its intermediary, with recipient and recipientSystem', async () => {
    const id = await h.queueDocument(ESINDATAV);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const doc = h.sim.kov(VAHENDAJA)!.accepted.find((d) => d.consignmentId === row.consignment_id);
    expect(doc).toMatchObject({ recipient: ESINDATAV, recipientSystem: 'lasteaed' });
    expect(row.route).toBe(`via intermediary ee-dev/COM/${VAHENDAJA}/DHX for ${ESINDATAV}/lasteaed`);
  });

  test('an addressee with only a DHX.x subsystem is reached on that subsystem', async () => {
    const id = await h.queueDocument(KOV_SUB);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const doc = h.sim.kov(KOV_SUB)!.accepted.find((d) => d.consignmentId === row.consignment_id)!;
    expect(doc.service.subsystemCode).toBe('DHX.delta');
  });
});

describe('sending: failures', () => {
  test('an addressee unknown to the address book fails at once with NO_DHX_CAPABILITY, and nothing is sent', async () => {
    const calls = h.sim.calls.length;
    const id = await h.queueDocument(UNKNOWN);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, fault_code: 'NO_DHX_CAPABILITY', failure_code: 'NO_DHX_CAPABILITY' });
    expect(h.sim.calls.length).toBe(calls);
    expect(await states(id)).toEqual(['queued', 'sending', 'failed']);
  });

  test('an addressee that stays down is retried on DHX_SEND_RETRY_SCHEDULE (1,1 s) with the same consignmentId, then failed', async () => {
    h.sim.setFault(KOV, { kind: 'down' });
    const id = await h.queueDocument(KOV);
    const row = await h.waitFor(id, ['sent', 'failed'], 20_000);
    expect(row).toMatchObject({ state: 'failed', attempts: 3, failure_code: 'REMOTE_SOAP_FAULT' });
    const hist = await h.history(id);
    expect(hist.map((x) => x.state)).toEqual(['queued', 'sending', 'retrying', 'sending', 'retrying', 'sending', 'failed']);
    expect(hist.filter((x) => x.state === 'retrying').map((x) => x.detail.nextInSeconds)).toEqual([1, 1]);
    expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(0);
  });

  test('an addressee down once is sent on the next attempt after its backoff', async () => {
    h.sim.setFault(KOV, { kind: 'down' }, { times: 1 });
    const id = await h.queueDocument(KOV);
    const retrying = await h.waitFor(id, ['retrying', 'sent', 'failed']);
    expect(retrying.state).toBe('retrying');
    const due = retrying.next_attempt_at!;
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    expect(row.last_attempt_at!.getTime()).toBeGreaterThanOrEqual(due.getTime() - 5);
    expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  });

  test('a business fault (DHX.Validation) fails at once with that code and is never retried', async () => {
    h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Validation, faultString: 'Kapsel ei vasta skeemile' });
    const id = await h.queueDocument(KOV);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, fault_code: 'DHX.Validation', failure_code: 'DHX_VALIDATION' });
    h.sim.setFault(KOV, undefined);
    await sleep(2500); // longer than the whole retry schedule
    expect(await h.row(id)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(await states(id)).toEqual(['queued', 'sending', 'failed']);
  });

  test('DHX.Duplicate on a first attempt is a business fault like any other (failed, not delivered)', async () => {
    h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Duplicate });
    const id = await h.queueDocument(KOV);
    expect(await h.waitFor(id, ['sent', 'failed'])).toMatchObject({ state: 'failed', attempts: 1, fault_code: 'DHX.Duplicate' });
  });
});

describe('sending: ambiguous', () => {
  test('a dropped response makes the send ambiguous; it is resent with the same consignmentId and the fake KOV holds it exactly once', async () => {
    h.sim.setFault(KOV, { kind: 'dropResponse' }, { times: 1 });
    const id = await h.queueDocument(KOV);
    const ambiguous = await h.waitFor(id, ['ambiguous', 'sent', 'failed']);
    expect(ambiguous).toMatchObject({ state: 'ambiguous', attempts: 1, failure_code: 'RESPONSE_LOST' });
    expect(heldBy(h.sim, KOV, ambiguous.consignment_id)).toBe(1);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'sent', attempts: 2, consignment_id: ambiguous.consignment_id });
    expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
    // The receiver refused the resend as a duplicate: that is the proof of delivery (DHX §7).
    expect(h.sim.kov(KOV)!.rejected.filter((r) => r.consignmentId === row.consignment_id).map((r) => r.fault.faultCode)).toEqual([DhxFaultCode.Duplicate]);
    const hist = await h.history(id);
    expect(hist.map((x) => x.state)).toEqual(['queued', 'sending', 'ambiguous', 'sending', 'sent']);
    expect(hist.at(-1)!.detail).toMatchObject({ duplicate: true });
  });

  test('two jobs for the same attempt send once: the claim lets one through', async () => {
    const id = await h.queueDocument(KOV, { enqueue: false });
    await Promise.all([h.queue.add('send', { id }, { jobId: `${id}-x1` }), h.queue.add('send', { id }, { jobId: `${id}-x2` }), h.queue.add('send', { id }, { jobId: `${id}-x3` })]);
    const row = await h.waitFor(id, ['sent', 'failed']);
    await sleep(300);
    expect(await h.row(id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  });
});
