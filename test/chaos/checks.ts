import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueName } from '../../src/jobs/queues';
import { SEND_QUEUE, sendJobId } from '../../src/outbound/queue';
import { PREFIX, type Rig } from './rig';
import type { Sent } from './traffic';

/**
 * What must hold once the chaos has stopped and the adapter has recovered. Each check returns the
 * problems it found as sentences (empty: it holds), so that one run reports every broken promise.
 */

const INBOUND_TERMINAL = ['done', 'triage', 'failed'];
const OUTBOUND_OPEN = ['queued', 'sending', 'retrying', 'ambiguous'];

async function rows<T extends object>(rig: Rig, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await rig.pool.query<T & Record<string, unknown>>(sql, params)).rows;
}

/** Whether everything reached a resting state: capsules terminal, outgoing documents sent or failed. */
export async function settled(rig: Rig, sent: Sent[]): Promise<boolean> {
  const [r] = await rows<{ open_in: number; open_out: number; stored: number }>(
    rig,
    `SELECT (SELECT count(*)::int FROM inbound_capsules WHERE state <> ALL($1::text[])) AS open_in,
            (SELECT count(*)::int FROM outbound_documents WHERE state = ANY($2::text[])) AS open_out,
            (SELECT count(*)::int FROM inbound_capsules WHERE consignment_id = ANY($3::text[])) AS stored`,
    [INBOUND_TERMINAL, OUTBOUND_OPEN, sent.map((s) => s.consignmentId)],
  );
  return r!.open_in === 0 && r!.open_out === 0 && r!.stored >= sent.length;
}

/** Every request the KOVs sent: receipted (or known delivered), stored once, its receipt names it. */
export async function checkInbound(rig: Rig, sent: Sent[]): Promise<string[]> {
  const problems: string[] = [];
  const stored = await rows<{ id: string; consignment_id: string; client: string; state: string; failure_code: string | null; failure_message: string | null }>(
    rig,
    'SELECT id, consignment_id, client, state, failure_code, failure_message FROM inbound_capsules',
  );
  const byConsignment = new Map<string, typeof stored>();
  for (const r of stored) byConsignment.set(r.consignment_id, [...(byConsignment.get(r.consignment_id) ?? []), r]);
  const byId = new Map(stored.map((r) => [r.id, r]));
  for (const s of sent) {
    const copies = byConsignment.get(s.consignmentId) ?? [];
    if (!s.receiptId && !s.byDuplicate) problems.push(`request ${s.index} (${s.consignmentId}) never got an answer saying it was stored (${s.failures.join(', ')})`);
    if (s.receiptId) {
      const row = byId.get(s.receiptId);
      if (!row) problems.push(`request ${s.index}: receipt ${s.receiptId} names no stored capsule (a receipt without storage)`);
      else if (row.consignment_id !== s.consignmentId) problems.push(`request ${s.index}: receipt ${s.receiptId} names consignment ${row.consignment_id}, not ${s.consignmentId}`);
    }
    if (copies.length === 0 && (s.receiptId || s.byDuplicate)) problems.push(`request ${s.index} (${s.consignmentId}) was receipted but is not stored`);
    if (copies.length > 1) problems.push(`request ${s.index} (${s.consignmentId}) is stored ${copies.length} times`);
    for (const c of copies) {
      if (!INBOUND_TERMINAL.includes(c.state)) problems.push(`capsule ${c.id} (request ${s.index}) is stuck in ${c.state}`);
      if (c.state === 'failed' && !c.failure_code) problems.push(`capsule ${c.id} (request ${s.index}) failed without a reason`);
      if (c.state === 'failed') problems.push(`capsule ${c.id} (request ${s.index}), a valid request, failed: ${c.failure_code} ${c.failure_message ?? ''}`);
    }
  }
  const extra = stored.filter((r) => !sent.some((s) => s.consignmentId === r.consignment_id));
  if (extra.length) problems.push(`${extra.length} stored capsule(s) no KOV sent`);
  return problems;
}

/** One set of effects per capsule: one case, one history row per state, files once, one receipt. */
export async function checkEffects(rig: Rig): Promise<string[]> {
  const problems: string[] = [];
  const dupCases = await rows<{ opened_by: string; n: number }>(rig, 'SELECT opened_by, count(*)::int AS n FROM cases GROUP BY 1 HAVING count(*) > 1');
  for (const d of dupCases) problems.push(`capsule ${d.opened_by} opened ${d.n} cases`);
  const noCase = await rows<{ id: string }>(rig, `SELECT id FROM inbound_capsules WHERE state = 'done' AND case_id IS NULL`);
  for (const d of noCase) problems.push(`capsule ${d.id} is done without a case`);
  const history = await rows<{ capsule_id: string; state: string; n: number }>(
    rig,
    'SELECT capsule_id, state, count(*)::int AS n FROM inbound_state_history GROUP BY 1, 2 HAVING count(*) > 1',
  );
  for (const d of history) problems.push(`capsule ${d.capsule_id} entered ${d.state} ${d.n} times`);
  const files = await rows<{ capsule_id: string; file_index: number; n: number }>(
    rig,
    'SELECT capsule_id, file_index, count(*)::int AS n FROM attachments GROUP BY 1, 2 HAVING count(*) > 1',
  );
  for (const d of files) problems.push(`capsule ${d.capsule_id} has file ${d.file_index} ${d.n} times`);
  const receipts = await rows<{ inbound_id: string; n: number }>(
    rig,
    `SELECT inbound_id, count(*)::int AS n FROM outbound_documents WHERE kind = 'receipt' GROUP BY 1 HAVING count(*) > 1`,
  );
  for (const d of receipts) problems.push(`capsule ${d.inbound_id} has ${d.n} business receipts`);
  const missing = await rows<{ id: string }>(
    rig,
    `SELECT i.id FROM inbound_capsules i JOIN cases c ON c.opened_by = i.id
      WHERE c.category IN ('klat_arvamus', 'noustamine')
        AND NOT EXISTS (SELECT 1 FROM outbound_documents d WHERE d.inbound_id = i.id AND d.kind = 'receipt')`,
  );
  for (const d of missing) problems.push(`capsule ${d.id} opened a KLAT or counselling case but has no business receipt`);
  return problems;
}

/**
 * Every outgoing document sent (the fake KOVs answer correctly), held by its KOV exactly once: one copy
 * per consignment, and one document per request answered (a second consignment with the same answer is
 * a document delivered twice). Opinions: at most one per case.
 */
export async function checkOutbound(rig: Rig, opinionCases: Set<string>): Promise<string[]> {
  const problems: string[] = [];
  const out = await rows<{ id: string; kind: string; state: string; consignment_id: string; recipient_code: string; case_id: string | null; fault_code: string | null; failure_code: string | null }>(
    rig,
    'SELECT id, kind, state, consignment_id, recipient_code, case_id, fault_code, failure_code FROM outbound_documents',
  );
  for (const o of out.filter((x) => x.state !== 'sent')) problems.push(`outgoing ${o.kind} ${o.id} is ${o.state} (${o.failure_code ?? ''} ${o.fault_code ?? ''})`);
  const opinions = out.filter((o) => o.kind === 'opinion');
  const perCase = new Map<string, number>();
  for (const o of opinions) perCase.set(o.case_id!, (perCase.get(o.case_id!) ?? 0) + 1);
  for (const [c, n] of perCase) if (n > 1) problems.push(`case ${c} has ${n} opinions`);
  for (const c of opinionCases) if (!perCase.has(c)) problems.push(`the opinion queued for case ${c} is not stored`);
  const byConsignment = new Map(out.map((o) => [o.consignment_id, o]));
  const held = new Map<string, number>();
  for (const kov of rig.sim.globalConf().members.map((m) => rig.sim.kov(m.memberCode)).filter((k) => k !== undefined)) {
    const answers = new Map<string, number>();
    for (const doc of kov.accepted) {
      held.set(doc.consignmentId, (held.get(doc.consignmentId) ?? 0) + 1);
      if (!byConsignment.has(doc.consignmentId)) problems.push(`KOV ${kov.memberCode} holds consignment ${doc.consignmentId} that the adapter never queued`);
      const key = `${doc.capsule.recordMetadata.recordType}|${doc.capsule.initiator?.recordOriginalIdentifier ?? doc.consignmentId}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
    for (const [key, n] of answers) if (n > 1) problems.push(`KOV ${kov.memberCode} holds ${n} copies of ${key}`);
  }
  for (const [c, n] of held) if (n > 1) problems.push(`consignment ${c} is held ${n} times`);
  for (const o of out.filter((x) => x.state === 'sent')) {
    if (!held.has(o.consignment_id)) problems.push(`outgoing ${o.kind} ${o.id} is sent but KOV ${o.recipient_code} does not hold it`);
  }
  return problems;
}

/**
 * The deadline watch goes on after the flushes (it runs on an in-process timer, holding nothing in Redis):
 * within DEADLINE_WATCH_SECONDS no open case's deadline_status is stale by today's date in Tallinn.
 */
export async function checkDeadlineWatch(rig: Rig, waitMs = 10_000): Promise<string[]> {
  const staleSql = `SELECT count(*) AS n FROM cases c, (SELECT (now() AT TIME ZONE 'Europe/Tallinn')::date AS today) t
     WHERE c.status <> 'closed' AND c.deadline_status <> CASE
       WHEN c.answered_at IS NOT NULL THEN 'answered' WHEN c.due_date IS NULL THEN 'none'
       WHEN c.due_date < t.today THEN 'overdue' WHEN c.due_date - t.today <= $1 THEN 'due_soon' ELSE 'on_track' END`;
  let stale = 0;
  for (const until = Date.now() + waitMs; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    stale = Number((await rows<{ n: string }>(rig, staleSql, [5 /* DEADLINE_DUE_SOON_DAYS: the default, which the rig keeps */]))[0]!.n);
    if (stale === 0) return [];
  }
  return [`${stale} open cases have a stale deadline_status ${waitMs} ms after the chaos settled`];
}

/** For a failed run: what PostgreSQL and Redis say about each row left open (history, the job's state). */
export async function describeOpen(rig: Rig): Promise<string[]> {
  const lines: string[] = [];
  const connection = new Redis(rig.redis.url, { maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  const send = new Queue(SEND_QUEUE, { connection, prefix: PREFIX });
  const intake = new Queue(QueueName.intake, { connection, prefix: PREFIX });
  try {
    const job = async (q: Queue, id: string): Promise<string> => {
      const j = await q.getJob(id);
      if (!j) return `job ${id}: none`;
      return `job ${id}: ${await j.getState()} (attemptsMade ${j.attemptsMade}, processedOn ${j.processedOn ?? '-'}, finishedOn ${j.finishedOn ?? '-'}, failedReason ${j.failedReason ?? '-'})`;
    };
    const history = async (table: string, key: string, id: string): Promise<string> =>
      (await rows<{ state: string; at: Date }>(rig, `SELECT state, at FROM ${table} WHERE ${key} = $1 ORDER BY id`, [id])).map((h) => `${h.state}@${h.at.toISOString()}`).join(' ');
    for (const o of await rows<{ id: string; state: string; attempts: number; updated_at: Date }>(rig, `SELECT id, state, attempts, updated_at FROM outbound_documents WHERE state <> 'sent'`)) {
      lines.push(`outgoing ${o.id} ${o.state} attempts ${o.attempts} updated ${o.updated_at.toISOString()}; history ${await history('outbound_state_history', 'document_id', o.id)}; ${await job(send, sendJobId(o.id, o.attempts))}`);
    }
    for (const c of await rows<{ id: string; state: string; updated_at: Date }>(rig, `SELECT id, state, updated_at FROM inbound_capsules WHERE state NOT IN ('done', 'triage')`)) {
      lines.push(`capsule ${c.id} ${c.state} updated ${c.updated_at.toISOString()}; history ${await history('inbound_state_history', 'capsule_id', c.id)}; ${await job(intake, c.id)}`);
    }
    lines.push(`checked at ${new Date().toISOString()}`);
  } catch (err) {
    lines.push(`could not describe the open rows: ${(err as Error).message}`);
  } finally {
    await send.close().catch(() => undefined);
    await intake.close().catch(() => undefined);
    connection.disconnect();
  }
  return lines;
}
