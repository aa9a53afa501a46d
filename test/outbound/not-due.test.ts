import { enqueueSend, sendJobId } from '../../src/outbound/queue';
import { heldBy, KOV, startSendHarness, type SendHarness } from './harness';

/**
 * A send job that wakes before its row is due by PostgreSQL's clock (Redis and PostgreSQL clocks differ a
 * little, or a producer queued it early) is put back to wait until the row is due: the same job, no job
 * of another id (one job-id scheme for the send queue, src/jobs/queues.ts).
 */

let h: SendHarness;

beforeAll(async () => {
  h = await startSendHarness();
  await h.startRuntime();
});
afterAll(() => h.close());

test('a job woken before its row is due waits, under its own id, and sends when the row is due', async () => {
  const id = await h.queueDocument(KOV, { enqueue: false });
  await h.db.pool.query(`UPDATE outbound_documents SET state = 'retrying', attempts = 1, next_attempt_at = now() + interval '1.5 seconds' WHERE id = $1`, [id]);
  const started = Date.now();
  await enqueueSend(h.queue, id, 1);
  const jobId = sendJobId(id, 1);
  let state = '';
  for (const until = Date.now() + 1_000; state !== 'delayed' && Date.now() < until; await new Promise((r) => setTimeout(r, 25))) {
    state = (await (await h.queue.getJob(jobId))?.getState()) ?? 'none';
  }
  expect(state).toBe('delayed');
  const row = await h.waitFor(id, ['sent', 'failed'], 10_000);
  expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  expect((await h.queue.getJobs(['completed', 'delayed', 'waiting', 'active', 'failed'])).map((j) => j.id)).toEqual([jobId]);
});
