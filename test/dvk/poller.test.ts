import { FailureCode } from '../../src/errors';
import { ReceiverStatus } from '../../src/dvk/messages';
import { inboundView } from '../../src/inbound/views';
import { capsuleFixture, metricValue, startRig, VALID, type DvkRig } from './helpers';

/**
 * The DVK poller against the fake DVK server (src/sim/dvk.ts) and real PostgreSQL: receiveDocuments →
 * stored as inbound capsules (transport dvk, dhl_id) and queued → markDocumentsReceived for exactly those.
 */

let rig: DvkRig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

test('every capsule of one answer is stored as an inbound capsule (transport dvk, dhl_id), queued for intake, and exactly those dhl_ids are marked', async () => {
  const ids = VALID.map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  const r = await rig.poll();
  expect(r).toMatchObject({ kind: 'ok', polled: 4, marked: ids });
  const rows = await rig.rows();
  expect(rows.map((x) => x.dhl_id).sort()).toEqual([...ids].sort());
  expect(rows.every((x) => x.transport === 'dvk' && x.state === 'received')).toBe(true);
  expect(rig.enqueued.sort()).toEqual(rows.map((x) => x.id).sort());
  expect(rig.dvk.marked()).toEqual(ids.map((dhlId) => ({ dhlId })));
  expect(rig.dvk.queued()).toEqual([]);
  // the row, its blob and its first history row, as the receive path writes them
  const view = await inboundView(rig.db.pool, rows[0]!.id);
  expect(view).toMatchObject({ transport: 'dvk', dhl_id: rows[0]!.dhl_id, recipient: '70001975', client: 'ee-dev/GOV/70006317/dhl' });
  expect(view!.history!.map((h) => h.state)).toEqual(['received']);
  const blob = await rig.db.pool.query('SELECT size FROM blobs WHERE sha256 = $1', [view!.blob_sha256]);
  expect(blob.rowCount).toBe(1);
  // the requests named the DVK service with operation and version, and us as the client
  const [recv, mark] = rig.dvk.requests();
  expect(recv).toMatchObject({ operation: 'receiveDocuments', arv: 10, header: { service: { memberCode: '70006317', subsystemCode: 'dhl', serviceCode: 'receiveDocuments', serviceVersion: 'v4' }, client: { memberCode: '70001975', subsystemCode: 'DHX' } } });
  expect(mark).toMatchObject({ operation: 'markDocumentsReceived', header: { service: { serviceCode: 'markDocumentsReceived', serviceVersion: 'v3' } } });
  // nothing left: the next poll stores and marks nothing
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 0, marked: [] });
  expect(await metricValue(rig.registry, 'dhx_dvk_documents_total', 'step="stored"')).toBe(4);
  expect(await metricValue(rig.registry, 'dhx_dvk_documents_total', 'step="marked"')).toBe(4);
  expect(await metricValue(rig.registry, 'dhx_dvk_documents_total', 'step="polled"')).toBe(4);
});

test('containers wrapped in a <dokumendid> element are read the same; DVK_POLL_BATCH is the arv asked for', async () => {
  await rig.close();
  rig = await startRig({ DVK_POLL_BATCH: '2' });
  rig.dvk.setFaults({ wrap: true });
  for (const f of VALID) rig.dvk.enqueue(capsuleFixture(f));
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 2 });
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 2 });
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 0 });
  expect((await rig.rows()).length).toBe(4);
  expect(rig.dvk.requests().filter((q) => q.operation === 'receiveDocuments').every((q) => q.arv === 2)).toBe(true);
});

test('documents inline in keha (base64(gzip), no attachment) are read the same', async () => {
  rig.dvk.setFaults({ inline: true });
  const ids = VALID.slice(0, 2).map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 2, marked: ids });
  expect((await rig.rows()).map((r) => r.state)).toEqual(['received', 'received']);
});

test('a capsule larger than DHX_MAX_CAPSULE_BYTES is stored failed (DHX_SIZE_LIMIT_EXCEEDED) and marked rejected; the others of the answer are not held up', async () => {
  await rig.close();
  rig = await startRig({ DHX_MAX_CAPSULE_BYTES: '3700' });
  const small = rig.dvk.enqueue(capsuleFixture('valid/counselling-request.xml'));
  const big = rig.dvk.enqueue(capsuleFixture('valid/two-files-pdf-docx.xml'));
  expect(await rig.poll()).toMatchObject({ kind: 'ok', marked: [small, big] });
  const rows = await rig.rows();
  expect(rows.find((r) => r.dhl_id === big)).toMatchObject({ state: 'failed', failure_code: FailureCode.DHX_SIZE_LIMIT_EXCEEDED });
  expect(rows.find((r) => r.dhl_id === small)).toMatchObject({ state: 'received' });
  expect(rig.dvk.marked()[1]).toMatchObject({ dhlId: big, statusId: 5, fault: { faultCode: FailureCode.DHX_SIZE_LIMIT_EXCEEDED } });
});

test('a capsule failing validation is stored failed (CAPSULE_INVALID), not queued, and marked rejected (vastuvotja_staatus_id 5) with a fault', async () => {
  const good = rig.dvk.enqueue(capsuleFixture(VALID[0]!));
  const bad = rig.dvk.enqueue(capsuleFixture('invalid/element-order.xml'));
  const r = await rig.poll();
  expect(r).toMatchObject({ kind: 'ok', polled: 2, marked: [good, bad] });
  const rows = await rig.rows();
  const badRow = rows.find((x) => x.dhl_id === bad)!;
  expect(badRow).toMatchObject({ state: 'failed', failure_code: FailureCode.CAPSULE_INVALID });
  expect(rig.enqueued).toEqual([rows.find((x) => x.dhl_id === good)!.id]);
  const view = await inboundView(rig.db.pool, badRow.id);
  expect(view!.history!.map((h) => h.state)).toEqual(['received', 'failed']);
  expect(view!.failure_message).toMatch(/capsule is invalid/);
  const marks = rig.dvk.marked();
  expect(marks[0]).toEqual({ dhlId: good });
  expect(marks[1]).toMatchObject({ dhlId: bad, statusId: ReceiverStatus.rejected, fault: { faultCode: FailureCode.CAPSULE_INVALID, faultString: expect.stringMatching(/capsule is invalid/) } });
});

test('the fake server\'s invalidCapsule fault (Transport removed) ends failed too', async () => {
  rig.dvk.setFaults({ invalidCapsule: true });
  const id = rig.dvk.enqueue(capsuleFixture(VALID[1]!));
  expect(await rig.poll()).toMatchObject({ kind: 'ok', marked: [id] });
  expect((await rig.rows())[0]).toMatchObject({ state: 'failed', failure_code: FailureCode.CAPSULE_INVALID });
  expect(rig.dvk.marked()[0]).toMatchObject({ statusId: 5 });
});

test('a poll aborted between storing and marking leads to a mark on the next poll, never to a second inbound document', async () => {
  const ids = VALID.slice(0, 3).map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  await expect(rig.poll({ afterStore: () => Promise.reject(new Error('killed between store and mark')) })).rejects.toThrow(/killed/);
  const stored = await rig.rows();
  expect(stored.length).toBe(3);
  expect(rig.dvk.marked()).toEqual([]);
  expect(rig.dvk.queued()).toEqual(ids);
  // DVK offers them again: the rows are found by dhl_id, the marks repeated
  const r = await rig.poll();
  expect(r).toMatchObject({ kind: 'ok', polled: 3, marked: ids });
  if (r.kind === 'ok') expect(r.stored.every((s) => !s.inserted)).toBe(true);
  const after = await rig.rows();
  expect(after.map((x) => x.id)).toEqual(stored.map((x) => x.id));
  expect(rig.dvk.marked().map((m) => m.dhlId)).toEqual(ids);
  expect(rig.dvk.queued()).toEqual([]);
  expect(await metricValue(rig.registry, 'dhx_dvk_documents_total', 'step="stored"')).toBe(3);
});

test('a failed markDocumentsReceived loses nothing: the next poll marks the same documents again, with no second row', async () => {
  const ids = VALID.slice(0, 2).map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  rig.dvk.setFaults({ mark: 'soapFault' });
  expect(await rig.poll()).toMatchObject({ kind: 'failed', stage: 'mark' });
  expect((await rig.rows()).length).toBe(2);
  rig.dvk.setFaults({});
  expect(await rig.poll()).toMatchObject({ kind: 'ok', marked: ids });
  expect((await rig.rows()).length).toBe(2);
  expect(await metricValue(rig.registry, 'dhx_dvk_poll_failures_total', 'stage="mark"')).toBe(1);
});

test.each([
  ['soapFault', /SOAP Fault/],
  ['malformed', /not XML|not well-formed|cannot be read/],
  ['slow', /no answer within/],
] as const)('receiveDocuments answered with %s: nothing stored or lost, counted, logged; the next poll gets the documents', async (fault, message) => {
  const ids = VALID.slice(0, 2).map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  rig.dvk.setFaults({ receive: fault, slowMs: 3000 });
  const started = Date.now();
  const r = await rig.poll();
  expect(r).toMatchObject({ kind: 'failed', stage: 'receive', error: expect.stringMatching(message) });
  expect(Date.now() - started).toBeLessThan(2900);
  expect(await rig.rows()).toEqual([]);
  expect(await metricValue(rig.registry, 'dhx_dvk_poll_failures_total', 'stage="receive"')).toBe(1);
  expect(rig.logLines.some((l) => l.includes('receiveDocuments failed'))).toBe(true);
  rig.dvk.setFaults({});
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 2, marked: ids });
});

test('one poller at a time: of two concurrent polls one runs and the other finds the advisory lock held', async () => {
  VALID.forEach((f) => rig.dvk.enqueue(capsuleFixture(f)));
  rig.dvk.setFaults({ receive: 'slow', slowMs: 400 });
  const [a, b] = await Promise.all([rig.poll(), rig.poll()]);
  expect([a.kind, b.kind].sort()).toEqual(['busy', 'ok']);
  expect((await rig.rows()).length).toBe(4);
  expect(rig.dvk.requests().filter((q) => q.operation === 'receiveDocuments').length).toBe(1);
  // the lock is released afterwards
  rig.dvk.setFaults({});
  expect(await rig.poll()).toMatchObject({ kind: 'ok', polled: 0 });
});

test('DVK unreachable (connection refused): a failed poll, counted, nothing thrown', async () => {
  await rig.dvk.close();
  const r = await rig.poll();
  expect(r).toMatchObject({ kind: 'failed', stage: 'receive' });
  expect(await metricValue(rig.registry, 'dhx_dvk_poll_failures_total', 'stage="receive"')).toBe(1);
});

test('the intake queue unavailable (Redis away): the documents are still stored received and marked; the intake reconciler queues them later', async () => {
  const ids = VALID.slice(0, 2).map((f) => rig.dvk.enqueue(capsuleFixture(f)));
  const r = await rig.poll({ enqueue: () => Promise.reject(new Error('Connection is closed.')) });
  expect(r).toMatchObject({ kind: 'ok', marked: ids });
  expect((await rig.rows()).map((x) => x.state)).toEqual(['received', 'received']);
  expect(rig.logLines.some((l) => l.includes('intake queue unavailable'))).toBe(true);
});
