import { FailureCode } from '../../src/errors';
import { scanOutbound } from '../../src/outbound/scheduler';
import { heldBy, KOV, startSendHarness, type SendHarness } from './harness';

/** The retry schedule lives in PostgreSQL: a restarted adapter (even with an empty Redis) resumes it. */

let h: SendHarness;

beforeAll(async () => {
  h = await startSendHarness({ DHX_SEND_RETRY_SCHEDULE: '3,1' });
});
afterAll(() => h.close());

test('an adapter restarted during backoff, with its queued jobs lost, resumes the send on schedule (not before next_attempt_at)', async () => {
  await h.startRuntime();
  h.sim.setFault(KOV, { kind: 'down' }, { times: 1 });
  const id = await h.queueDocument(KOV);
  const retrying = await h.waitFor(id, ['retrying', 'sent', 'failed']);
  expect(retrying).toMatchObject({ state: 'retrying', attempts: 1 });
  const due = retrying.next_attempt_at!;
  // The adapter stops during the backoff; its delayed job goes with the old Redis prefix.
  await h.stopRuntime();
  await h.startRuntime({ freshPrefix: true });
  const row = await h.waitFor(id, ['sent', 'failed'], 15_000);
  expect(row).toMatchObject({ state: 'sent', attempts: 2, consignment_id: retrying.consignment_id });
  expect(row.last_attempt_at!.getTime()).toBeGreaterThanOrEqual(due.getTime() - 5);
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  await h.stopRuntime();
});

test('a row left in sending by a stopped worker becomes ambiguous and is resent with the same consignmentId (delivered once)', async () => {
  const id = await h.queueDocument(KOV, { enqueue: false });
  // As a worker killed mid-send leaves it: claimed, attempt 1, untouched since.
  await h.db.pool.query(
    `UPDATE outbound_documents SET state = 'sending', attempts = 1, updated_at = now() - interval '1 hour' WHERE id = $1`,
    [id],
  );
  const r = await scanOutbound({ pool: h.db.pool, queue: h.queue, schedule: [3, 1], sendTimeoutSeconds: 5, stuckAfterSeconds: 60, log: h.log });
  expect(r.stuck).toBe(1);
  expect(await h.row(id)).toMatchObject({ state: 'ambiguous', failure_code: FailureCode.RESPONSE_LOST });
  await h.startRuntime();
  const row = await h.waitFor(id, ['sent', 'failed']);
  expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  await h.stopRuntime();
});

test('a queued row without a job (intake inserts receipts so; Redis lost) is sent once the scheduler finds it', async () => {
  const id = await h.queueDocument(KOV, { enqueue: false });
  await h.db.pool.query(`UPDATE outbound_documents SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [id]);
  await h.startRuntime();
  const row = await h.waitFor(id, ['sent', 'failed']);
  expect(row).toMatchObject({ state: 'sent', attempts: 1 });
  await h.stopRuntime();
});
