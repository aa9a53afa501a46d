import { createHash, randomUUID } from 'node:crypto';
import { answerOfCase, countCases, deadlineStatusCounts, findCase, firstCaseOfCategory, markAnswered } from '../../src/cases/repo';
import { withTransaction } from '../../src/db/tx';
import { insertOutbound, transitionOutbound } from '../../src/outbound/repo';
import { OutboundKind, OutboundState } from '../../src/outbound/states';
import { outboundCountsByState, outboundDocument, outboundStatus } from '../../src/outbound/views';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { insertInbound } from '../intake/seed';

/**
 * The owners' functions the operator commands, the send scheduler, the CLI and the demo go through: an
 * outgoing document's state change with its history row (src/outbound/repo.ts), and the cases table's
 * lookup by id or number and its "answered" mark (src/cases/repo.ts).
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function newDocument(): Promise<string> {
  const bytes = Buffer.from(`capsule ${randomUUID()}`);
  const blob = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes };
  const created = await withTransaction(db.pool, (client) =>
    insertOutbound(client, {
      kind: OutboundKind.receipt,
      recipientCode: '75000001',
      recipientName: 'Näidisvalla Vallavalitsus',
      recordGuid: randomUUID(),
      recordOriginalIdentifier: '1-2/3',
      title: 'Arvamus',
      blob,
    }),
  );
  return created.id;
}

interface Row {
  state: string;
  attempts: number;
  may_have_arrived: boolean;
  delivered_at: Date | null;
  next_attempt_at: Date | null;
  failure_code: string | null;
  fault_code: string | null;
  fault_message: string | null;
  /** Set by the transition, with its statement's now(). */
  updated_at: Date;
}

const row = async (id: string): Promise<Row> =>
  (
    await db.pool.query<Row>(
      'SELECT state, attempts, may_have_arrived, delivered_at, next_attempt_at, failure_code, fault_code, fault_message, updated_at FROM outbound_documents WHERE id = $1',
      [id],
    )
  ).rows[0]!;

const history = async (id: string): Promise<Array<{ state: string; detail: Record<string, unknown> }>> =>
  (await db.pool.query<{ state: string; detail: Record<string, unknown> }>('SELECT state, detail FROM outbound_state_history WHERE document_id = $1 ORDER BY id', [id])).rows;

async function newCase(o: { number: string; category?: string; dueDate?: string | null }): Promise<string> {
  const inbound = await insertInbound(db.pool, Buffer.from(`request ${o.number}`), '75000001');
  const id = randomUUID();
  await db.pool.query(
    `INSERT INTO cases (id, case_number, opened_by, kov_code, kov_name, category, title, received_at, kov_reg_number, kov_reg_date, access_restricted, due_date)
     VALUES ($1, $2, $3, '75000001', 'Näidisvalla Vallavalitsus', $4, 'Taotlus', now(), '7-1/1', now(), false, $5)`,
    [id, o.number, inbound, o.category ?? 'klat_arvamus', o.dueDate === undefined ? '2999-12-31' : o.dueDate],
  );
  return id;
}

describe('transitionOutbound', () => {
  test('moves the row and writes its history row; only the changes given are made', async () => {
    const id = await newDocument();
    await db.pool.query(`UPDATE outbound_documents SET attempts = 3, next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [id]);
    expect(await transitionOutbound(db.pool, id, OutboundState.ambiguous, { by: 'test' }, { mayHaveArrived: true })).toBe(true);
    const r = await row(id);
    expect(r).toMatchObject({ state: 'ambiguous', attempts: 3, may_have_arrived: true, delivered_at: null, failure_code: null });
    expect(r.next_attempt_at!.getTime()).toBeGreaterThan(r.updated_at.getTime());
    expect(await history(id)).toEqual([
      { state: 'queued', detail: { kind: 'receipt' } },
      { state: 'ambiguous', detail: { by: 'test' } },
    ]);
  });

  test('a resend: attempts from 0, no next attempt, may_have_arrived kept once set', async () => {
    const id = await newDocument();
    await transitionOutbound(db.pool, id, OutboundState.ambiguous, {}, { mayHaveArrived: true, attempts: 2, nextAttemptInSeconds: 60 });
    await transitionOutbound(db.pool, id, OutboundState.queued, { resend: true }, { attempts: 0, nextAttemptInSeconds: null, mayHaveArrived: false });
    expect(await row(id)).toMatchObject({ state: 'queued', attempts: 0, next_attempt_at: null, may_have_arrived: true });
  });

  test('a failure, a next attempt due now, a delivery', async () => {
    const id = await newDocument();
    await transitionOutbound(db.pool, id, OutboundState.ambiguous, {}, { failure: { code: 'RESPONSE_LOST', faultCode: 'RESPONSE_LOST', message: 'lost' }, nextAttemptInSeconds: 0 });
    const a = await row(id);
    expect(a).toMatchObject({ failure_code: 'RESPONSE_LOST', fault_code: 'RESPONSE_LOST', fault_message: 'lost' });
    expect(a.next_attempt_at!.getTime()).toBe(a.updated_at.getTime());
    await transitionOutbound(db.pool, id, OutboundState.sent, { confirmed: true }, { delivered: true, nextAttemptInSeconds: null });
    const s = await row(id);
    expect(s).toMatchObject({ state: 'sent', next_attempt_at: null });
    expect(s.delivered_at).toEqual(expect.any(Date));
    expect(await outboundStatus(db.pool, id)).toEqual({ state: 'sent', receipt_id: null });
    expect((await outboundDocument(db.pool, id))?.history).toHaveLength(3);
  });

  test('no such document: false, and no history row', async () => {
    const id = randomUUID();
    expect(await transitionOutbound(db.pool, id, OutboundState.sent, {})).toBe(false);
    expect(await history(id)).toEqual([]);
  });

  test('counts by state', async () => {
    const counts = await outboundCountsByState(db.pool, 'receipt');
    expect(counts.reduce((a, c) => a + c.n, 0)).toBe(3);
    expect(await outboundCountsByState(db.pool, 'no-such-kind')).toEqual([]);
  });
});

describe('cases', () => {
  test('findCase: by id and by case number, undefined for neither', async () => {
    const id = await newCase({ number: 'SKA-2026-000001' });
    expect(await findCase(db.pool, id)).toMatchObject({ id, case_number: 'SKA-2026-000001', kov_code: '75000001', due_date: '2999-12-31', answered_at: null });
    expect((await findCase(db.pool, 'SKA-2026-000001'))?.id).toBe(id);
    expect(await findCase(db.pool, 'SKA-2026-999999')).toBeUndefined();
    expect(await findCase(db.pool, randomUUID())).toBeUndefined();
    expect((await firstCaseOfCategory(db.pool, 'klat_arvamus'))?.id).toBe(id);
    expect(await firstCaseOfCategory(db.pool, 'mentorlus')).toBeUndefined();
  });

  test('markAnswered: answered on time, the first answer kept; without a due date the deadline status stays', async () => {
    const id = await newCase({ number: 'SKA-2026-000002' });
    expect(await answerOfCase(db.pool, id)).toEqual({ answered: false, onTime: null });
    await markAnswered(db.pool, id);
    const first = (await findCase(db.pool, id))!;
    expect(first).toMatchObject({ deadline_status: 'answered', answered_at: expect.any(Date) });
    expect(await answerOfCase(db.pool, id)).toEqual({ answered: true, onTime: true });
    await markAnswered(db.pool, id);
    expect((await findCase(db.pool, id))!.answered_at).toEqual(first.answered_at);

    const undated = await newCase({ number: 'SKA-2026-000003', dueDate: null });
    await markAnswered(db.pool, undated);
    expect(await findCase(db.pool, undated)).toMatchObject({ deadline_status: 'none', answered_at: expect.any(Date) });
    expect(await answerOfCase(db.pool, undated)).toEqual({ answered: true, onTime: null });
  });

  test('counts', async () => {
    expect(await countCases(db.pool)).toBe(3);
    expect(await deadlineStatusCounts(db.pool)).toEqual({ dueSoon: 0, overdue: 0 });
  });
});
