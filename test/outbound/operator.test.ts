import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { dhx } from '../cli/run';
import { heldBy, KOV, startSendHarness, type SendHarness } from './harness';

/** An ambiguous send past its schedule waits for a person; `dhx outbound` resends or confirms it. */

let h: SendHarness;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  h = await startSendHarness({ DHX_SEND_RETRY_SCHEDULE: '1' });
  env = { DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, DHX_QUEUE_PREFIX: h.prefix, LOG_LEVEL: 'silent', DHX_ACTOR: 'test-operaator' };
  await h.startRuntime();
});
afterAll(() => h.close());
afterEach(() => h.sim.setFault(KOV, undefined));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ambiguousPastSchedule(): Promise<string> {
  h.sim.setFault(KOV, { kind: 'dropResponse' }, { times: 2 });
  const id = await h.queueDocument(KOV);
  const until = Date.now() + 15_000;
  for (;;) {
    const row = await h.row(id);
    if (row.state === 'ambiguous' && row.attempts === 2) return id;
    if (Date.now() > until) throw new Error(`document is ${row.state} after ${row.attempts} attempts`);
    await sleep(25);
  }
}

test('an ambiguous send past the schedule is never called failed: it stays ambiguous with no next attempt, the KOV holding it once', async () => {
  const id = await ambiguousPastSchedule();
  await sleep(1500);
  const row = await h.row(id);
  expect(row).toMatchObject({ state: 'ambiguous', attempts: 2, next_attempt_at: null, failure_code: 'RESPONSE_LOST' });
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
});

test('dhx outbound resend queues it again with the same consignmentId; the duplicate answer makes it sent, held once', async () => {
  const id = await ambiguousPastSchedule();
  const before = await h.row(id);
  const r = await dhx(['outbound', 'resend', id, '--json'], env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toEqual({ id, state: 'queued', from: 'ambiguous' });
  const row = await h.waitFor(id, ['sent', 'failed']);
  expect(row).toMatchObject({ state: 'sent', consignment_id: before.consignment_id });
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  const audit = await h.db.pool.query(`SELECT actor, action FROM audit_log WHERE subject_type = 'outbound' AND subject_id = $1`, [id]);
  expect(audit.rows).toEqual([{ actor: 'test-operaator', action: 'resend' }]);
});

test('dhx outbound delivered records an ambiguous send the receiver confirmed as sent; a sent one is refused (exit 1)', async () => {
  const id = await ambiguousPastSchedule();
  const r = await dhx(['outbound', 'delivered', id, '--note', 'KOV kinnitas telefonitsi'], env);
  expect(r.code).toBe(0);
  expect((await h.row(id)).state).toBe('sent');
  const again = await dhx(['outbound', 'delivered', id], env);
  expect(again.code).toBe(1);
  expect(again.out).toMatch(/is sent, not ambiguous/);
});

test('a document failed by a business fault is listed by dhx outbound list --state failed, and resent once the cause is mended', async () => {
  h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.InvalidAddressee });
  const id = await h.queueDocument(KOV);
  await h.waitFor(id, ['failed']);
  const list = await dhx(['outbound', 'list', '--state', 'failed', '--json'], env);
  expect(list.code).toBe(0);
  expect(JSON.parse(list.out)).toEqual(expect.arrayContaining([expect.objectContaining({ id, state: 'failed', faultCode: 'DHX.InvalidAddressee', attempts: 1 })]));
  h.sim.setFault(KOV, undefined);
  expect((await dhx(['outbound', 'resend', id], env)).code).toBe(0);
  expect(await h.waitFor(id, ['sent', 'failed'])).toMatchObject({ state: 'sent', attempts: 1 });
});
