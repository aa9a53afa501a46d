import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { readCapsuleBuffer } from '../../src/capsule/read';
import { FailureCode } from '../../src/errors';
import type { PollReport } from '../../src/dvk/poller';
import { inboundView, intakeSummary, type IntakeSummary } from '../../src/inbound/views';
import { runIntake } from '../../src/intake/pipeline';
import { makeLogger } from '../../src/log/logger';
import { intakeDepsOf } from '../intake/deps';
import { capsuleFixture, startRig, VALID, type DvkRig } from './helpers';
import { setDecId, startIndependentDvk, type IndependentDvk } from './independent-fake';

/**
 * Issue #12: the same scenario against the project's fake DVK server (src/sim/dvk.ts) and an independent one
 * written only from the DVK WSDLs and samples (test/dvk/independent-fake.ts). The adapter's poll must give
 * the same results on both: the same capsules stored byte for byte, the same states, the same dhl_ids marked,
 * the invalid capsule refused the same way, the same intake results (state, category, case), and nothing more on
 * a second poll.
 *
 * One wire detail differs between the two fakes: the project's fake answers receiveDocuments v4 with
 * `keha/dokumendid@href` (as the v2/v3 samples do), the independent one with `keha@href` (as dhl_new_v4.wsdl's
 * base64BinaryType keha and the v4 sample in paringute_kirjeldused.txt do). The adapter reads both.
 */

const INVALID = 'invalid/element-order.xml';
const NAMES = [...VALID, INVALID];

/**
 * The capsules both fakes get: DecMetadata/DecId already set (with a fixed dhl_id per capsule, the one the
 * independent fake assigns in order), so either fake only rewrites the DecId text with the same value and the
 * bytes handed out are the same.
 */
const CAPSULES = NAMES.map((name, i) => ({ name, dhlId: String(i + 1), xml: setDecId(capsuleFixture(name), String(i + 1)) }));
const sha256 = (s: string): string => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

interface Outcome {
  first: PollReport;
  second: PollReport;
  rows: Array<{ dhlId: string; consignmentId: string; recordGuid: string | undefined; sha256: string; sender: string; state: string; failure: string | null; history: string[] }>;
  /** After intake ran on the queued ones (in the order queued), by dhl_id. */
  intake: Array<{ dhlId: string } & IntakeSummary>;
  rowsAfterSecond: number;
  marked: Array<{ dhlId: string; status: string | undefined; fault: boolean }>;
  markedAfterSecond: number;
  faultText: string | undefined;
}

async function outcome(rig: DvkRig, marked: () => Array<{ dhlId: string; status?: string | undefined; fault?: string | undefined }>): Promise<Outcome> {
  const first = await rig.poll();
  const stored = await rig.rows();
  const rows = [];
  for (const r of stored) {
    const v = (await inboundView(rig.db.pool, r.id))!;
    const input = CAPSULES.find((c) => c.dhlId === v.dhl_id);
    const guid = input ? (await readCapsuleBuffer(Buffer.from(input.xml), { decode: false })).capsule?.recordMetadata.recordGuid : undefined;
    rows.push({
      dhlId: v.dhl_id!,
      consignmentId: v.consignment_id,
      recordGuid: guid,
      sha256: v.blob_sha256,
      sender: v.sender,
      state: v.state,
      failure: v.failure_code,
      history: v.history!.map((h) => h.state),
    });
  }
  const marks = marked();
  const deps = await intakeDepsOf(rig.config, rig.db.pool, rig.store, makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }));
  for (const id of rig.enqueued) await runIntake(deps, id);
  const intake = [];
  for (const r of stored) intake.push({ dhlId: r.dhl_id, ...(await intakeSummary(rig.db.pool, r.id))! });
  const second = await rig.poll();
  return {
    first,
    second,
    rows,
    intake,
    rowsAfterSecond: (await rig.rows()).length,
    marked: marks.map((m) => ({ dhlId: m.dhlId, status: m.status, fault: Boolean(m.fault) })),
    markedAfterSecond: marked().length,
    faultText: marks.find((m) => m.fault)?.fault,
  };
}

let project: DvkRig;
let independentRig: DvkRig;
let independent: IndependentDvk;
beforeAll(async () => {
  project = await startRig();
  independent = await startIndependentDvk();
  independentRig = await startRig({ DVK_URL: independent.url });
});
afterAll(async () => {
  await project.close();
  await independentRig.close();
  await independent.close();
});

test('the adapter\'s poll gives the same results against the project\'s fake DVK and an independent one written from the WSDL', async () => {
  for (const c of CAPSULES) expect(project.dvk.enqueue(c.xml, c.dhlId)).toBe(c.dhlId);
  for (const c of CAPSULES) expect(independent.put(c.xml)).toBe(c.dhlId);

  const a = await outcome(project, () =>
    project.dvk.marked().map((m) => ({ dhlId: m.dhlId, status: m.statusId === undefined ? undefined : String(m.statusId), fault: m.fault?.faultString ?? m.fault?.faultCode })),
  );
  const b = await outcome(independentRig, () => independent.markedItems());

  const ids = CAPSULES.map((c) => c.dhlId);
  const bad = CAPSULES.find((c) => c.name === INVALID)!.dhlId;
  for (const o of [a, b]) {
    // every capsule stored once, as put (the container cut out of the answer, under an XML declaration), the valid
    // ones received, the invalid one failed
    expect(o.first).toMatchObject({ kind: 'ok', polled: CAPSULES.length, marked: ids });
    expect(o.rows.map((r) => r.dhlId)).toEqual([...ids].sort());
    for (const r of o.rows) {
      const input = CAPSULES.find((c) => c.dhlId === r.dhlId)!;
      expect(r.sha256).toBe(sha256(`<?xml version="1.0" encoding="UTF-8"?>\n${input.xml.trimEnd()}`));
      expect(r.consignmentId).toBe(input.dhlId);
      if (input.name === INVALID) {
        expect(r).toMatchObject({ state: 'failed', failure: FailureCode.CAPSULE_INVALID, history: ['received', 'failed'] });
      } else {
        expect(r).toMatchObject({ state: 'received', failure: null, history: ['received'] });
        expect(r.recordGuid).toBeTruthy();
      }
    }
    // exactly those marked, once; the invalid one rejected (vastuvotja_staatus_id 5) with a fault
    expect(o.marked).toEqual(ids.map((id) => (id === bad ? { dhlId: id, status: '5', fault: true } : { dhlId: id, status: undefined, fault: false })));
    expect(o.faultText).toMatch(/capsule is invalid/);
    // intake: the valid ones filed into cases (or triage), the invalid one left failed
    expect(o.intake.find((x) => x.dhlId === bad)).toMatchObject({ state: 'failed', case_number: null });
    expect(o.intake.filter((x) => x.dhlId !== bad).every((x) => ['done', 'triage'].includes(x.state))).toBe(true);
    expect(o.intake.filter((x) => x.state === 'done').length).toBeGreaterThanOrEqual(3);
    // the second poll fetches, stores and marks nothing
    expect(o.second).toMatchObject({ kind: 'ok', polled: 0, stored: [], marked: [] });
    expect(o.rowsAfterSecond).toBe(CAPSULES.length);
    expect(o.markedAfterSecond).toBe(CAPSULES.length);
  }
  // and the two runs agree with each other on everything but the generated row ids
  expect(b.rows).toEqual(a.rows);
  expect(b.marked).toEqual(a.marked);
  expect(b.intake).toEqual(a.intake);
  expect(b.faultText).toBe(a.faultText);
  // both servers saw receiveDocuments v4, markDocumentsReceived v3, receiveDocuments v4 (nothing to mark the second time)
  expect(independent.requests).toEqual([
    { operation: 'receiveDocuments', version: 'v4' },
    { operation: 'markDocumentsReceived', version: 'v3' },
    { operation: 'receiveDocuments', version: 'v4' },
  ]);
  expect(project.dvk.requests().map((q) => q.operation)).toEqual(['receiveDocuments', 'markDocumentsReceived', 'receiveDocuments']);
});

test('a poll aborted between storing and marking: on both fakes the next poll gets the same documents again, finds their rows and marks them, with no second row', async () => {
  // the dhl_ids the independent fake assigns, given to the project's fake too (runs alone or after the test above)
  const ids = ['valid/counselling-request.xml', 'valid/mentoring-request.xml'].map((name) => {
    const dhlId = independent.put(capsuleFixture(name));
    expect(project.dvk.enqueue(capsuleFixture(name), dhlId)).toBe(dhlId);
    return dhlId;
  });
  const results = [];
  for (const [rig, marked] of [
    [project, () => project.dvk.marked().map((m) => m.dhlId)],
    [independentRig, () => independent.markedItems().map((m) => m.dhlId)],
  ] as const) {
    const before = marked().length;
    await expect(rig.poll({ afterStore: () => Promise.reject(new Error('killed between store and mark')) })).rejects.toThrow(/killed/);
    const stored = (await rig.rows()).filter((r) => ids.includes(r.dhl_id));
    expect(stored.map((r) => r.dhl_id)).toEqual(ids);
    expect(marked().length).toBe(before);
    const again = await rig.poll();
    expect(again).toMatchObject({ kind: 'ok', polled: 2, marked: ids });
    if (again.kind === 'ok') expect(again.stored.every((s) => !s.inserted)).toBe(true);
    expect((await rig.rows()).filter((r) => ids.includes(r.dhl_id)).map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(marked().slice(before)).toEqual(ids);
    expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 0 });
    results.push(stored.map((r) => ({ dhlId: r.dhl_id, state: r.state })));
  }
  expect(results[1]).toEqual(results[0]);
});
