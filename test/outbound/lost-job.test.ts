import { Worker } from 'bullmq';
import { scanOutbound } from '../../src/outbound/scheduler';
import { SEND_QUEUE, sendJobId } from '../../src/outbound/queue';
import { testRedis } from '../helpers/redis';
import { heldBy, KOV, startSendHarness, type SendHarness } from './harness';

/**
 * A worker killed after it took a send job but before it claimed the row leaves the job `active` in Redis
 * under a lock nobody renews; BullMQ hands it out again only once that lock has expired and a stalled check
 * has run (half a minute or more). The row itself says the job is lost: still `queued` (or due) long after
 * OUTBOUND_STUCK_AFTER_SECONDS, since a claim would have moved it. The chaos run (test/chaos) saw receipts
 * wait that long.
 */

let h: SendHarness;

beforeAll(async () => {
  h = await startSendHarness({ OUTBOUND_STUCK_AFTER_SECONDS: '1' });
});
afterAll(() => h.close());

/** Takes the row's job as a worker that dies at once would: active, locked for 30 s, never finished. */
async function takeAndAbandon(id: string, attempts: number): Promise<void> {
  const connection = testRedis();
  const dead = new Worker(SEND_QUEUE, null, { connection, prefix: h.prefix, autorun: false, lockDuration: 30_000 });
  try {
    const job = await dead.getNextJob('dead-worker');
    expect(job?.id).toBe(sendJobId(id, attempts));
    expect(await job!.getState()).toBe('active');
  } finally {
    await dead.close(true);
    await connection.quit();
  }
}

/** One scheduler pass, with rows overdue after `stuckAfterSeconds`. */
function scanPass(stuckAfterSeconds: number): ReturnType<typeof scanOutbound> {
  return scanOutbound({ pool: h.db.pool, queue: h.queue, schedule: [1, 1], sendTimeoutSeconds: 5, stuckAfterSeconds, log: h.log });
}

/** Runs the daemon until the row is done: it is sent after `attempts` attempts, and the KOV holds it once. */
async function expectSentOnce(id: string, attempts: number): Promise<void> {
  await h.startRuntime();
  const row = await h.waitFor(id, ['sent', 'failed'], 10_000);
  expect(row).toMatchObject({ state: 'sent', attempts });
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  await h.stopRuntime();
}

test('a queued document whose job a dead worker holds is queued again by the scheduler once it is overdue, and sent once', async () => {
  const id = await h.queueDocument(KOV);
  await takeAndAbandon(id, 0);
  await h.db.pool.query(`UPDATE outbound_documents SET updated_at = now() - interval '10 seconds' WHERE id = $1`, [id]);
  expect((await scanPass(1)).enqueued).toBe(1);
  // The next pass finds the second job waiting: it adds no third.
  expect((await scanPass(1)).enqueued).toBe(0);
  await expectSentOnce(id, 1);
});

test('a retry that is due, whose job a dead worker holds, is queued again once it is overdue; a fresh one is left to its job', async () => {
  const id = await h.queueDocument(KOV, { enqueue: false });
  await h.db.pool.query(`UPDATE outbound_documents SET state = 'retrying', attempts = 1, next_attempt_at = now() - interval '10 seconds' WHERE id = $1`, [id]);
  await h.queue.add('send', { id }, { jobId: sendJobId(id, 1) });
  await takeAndAbandon(id, 1);
  // Due only 10 s ago, less than OUTBOUND_STUCK_AFTER_SECONDS (30 here): the job may still be working on it.
  expect((await scanPass(30)).enqueued).toBe(0);
  await h.db.pool.query(`UPDATE outbound_documents SET next_attempt_at = now() - interval '40 seconds' WHERE id = $1`, [id]);
  expect((await scanPass(30)).enqueued).toBe(1);
  await expectSentOnce(id, 2);
});
