import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { openBlob } from '../blob/read';
import type { BlobStore, StoredTemp } from '../blob/store';
import { buildCapsuleToBuffer } from '../capsule/build';
import type { CapsuleLimits } from '../capsule/content';
import { tallinnDate } from '../capsule/dates';
import { readCapsule, type FileStart, type ReadResult } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import type { IntakeConfig } from '../config';
import type { Pool, PoolClient } from '../db/pool';
import { DhxError, FailureCode } from '../errors';
import { InboundState, isCategory, type Category } from './categories';
import { classify, classifyInputOf } from './classify';
import { findReplyCase, loadDocument, loadInbound, transition, type InboundDocument, type InboundRow } from './repo';
import { receiptDraft } from './receipt';
import type { Rules } from './rules';

/**
 * The intake stages (DESIGN.md §3, issue 4): parse → classify → extract → route → receipt → done. Each
 * loads its row, checks the state allows the step, does it and records the new state with its effects in
 * one transaction; run twice, it does nothing the second time. Work outside PostgreSQL (reading the
 * capsule, writing content-addressed blobs) is idempotent by construction.
 */

export interface IntakeDeps {
  pool: Pool;
  store: BlobStore;
  rules: Rules;
  intake: IntakeConfig;
  /** Our member code (SKA) on outgoing documents. */
  memberCode: string;
  limits: CapsuleLimits;
  schema?: CapsuleSchema;
  log: Logger;
}

/**
 * What one run of the pipeline already holds, so that consecutive stages in one process need not read it
 * again: the row as the driver loaded it, the parsed document, and the files read while parsing (in
 * temporary blobs, committed by extraction). Everything here is also in PostgreSQL or re-derivable: a stage
 * given an empty context loads what it needs.
 */
export interface IntakeContext {
  row?: InboundRow;
  /** The state the last stage moved the capsule to (its transaction committed), so the driver need not reload it. */
  moved?: InboundState;
  doc?: InboundDocument;
  extraction?: { result: ReadResult; temps: Map<number, StoredTemp> };
}

/** Reads the capsule once, its files into temporary blobs (not yet committed). */
async function readWithFiles(d: IntakeDeps, sha256: string): Promise<{ result: ReadResult; temps: Map<number, StoredTemp> }> {
  const writes = new Map<number, Promise<StoredTemp>>();
  const result = await readCapsule(await openBlob(d.pool, d.store, sha256), {
    limits: d.limits,
    ...(d.schema ? { schema: d.schema } : {}),
    sink: (f: FileStart) => {
      const pipe = new PassThrough({ highWaterMark: 256 * 1024 });
      const write = d.store.writeTemp(pipe);
      write.catch(() => undefined); // awaited below; a destroyed sink rejects here
      writes.set(f.index, write);
      return pipe;
    },
  });
  const temps = new Map<number, StoredTemp>();
  for (const f of result.files) {
    const w = writes.get(f.index);
    if (!w) continue;
    const temp = await w.catch(() => undefined);
    if (temp && !f.error) temps.set(f.index, temp);
    else if (temp) await d.store.discard(temp);
  }
  return { result, temps };
}

/** Removes temporary blobs a run read but did not commit (e.g. the capsule went to triage). */
export async function discardContext(d: IntakeDeps, ctx: IntakeContext): Promise<void> {
  const ex = ctx.extraction;
  ctx.extraction = undefined;
  if (ex) for (const t of ex.temps.values()) await d.store.discard(t).catch(() => undefined);
}

/**
 * A stage's transaction. Intermediate stages commit without waiting for the WAL flush
 * (`synchronous_commit off`): what they record is derived from the durable capsule, so losing the last
 * few milliseconds in a power cut only means those stages run again. The stage whose result leaves the
 * adapter (the receipt, done) commits synchronously, which flushes every earlier commit with it (the WAL
 * is one sequence): nothing an outsider can see is ever lost.
 */
async function stageTransaction<T>(d: IntakeDeps, durable: boolean, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await d.pool.connect();
  try {
    await client.query(durable ? 'BEGIN' : 'BEGIN; SET LOCAL synchronous_commit TO off');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

/** transition() that tells the context where the capsule went. */
async function moveTo(
  ctx: IntakeContext,
  client: PoolClient,
  id: string,
  from: InboundState,
  to: InboundState,
  detail: Record<string, unknown> = {},
  caseId?: string,
): Promise<boolean> {
  const ok = await transition(client, id, from, to, detail, undefined, caseId);
  if (ok) ctx.moved = to;
  return ok;
}

const stateIs = async (d: IntakeDeps, id: string, ctx: IntakeContext, state: InboundState): Promise<InboundRow | undefined> => {
  const row = ctx.row?.id === id && ctx.row.state === state ? ctx.row : await loadInbound(d.pool, id);
  return row?.state === state ? row : undefined;
};

/** parse: received → parsed. The capsule is read again (the receive path validated it) and its model kept. */
export async function parseStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.received);
  if (!row) return;
  const { result, temps } = await readWithFiles(d, row.blob_sha256);
  ctx.extraction = { result, temps };
  const c = result.capsule;
  if (!result.valid || !c) {
    const first = result.issues[0];
    throw new DhxError(FailureCode.CAPSULE_INVALID, `capsule is not valid: ${first ? `${first.path}: ${first.message}` : 'unknown'}`);
  }
  const org = [c.recordSenderToDec?.organisation, c.recordCreator?.organisation].find(
    (o) => o?.name && (!o.organisationCode || o.organisationCode === c.transport.sender.organisationCode),
  );
  const doc: InboundDocument = {
    capsule_id: id,
    record_guid: c.recordMetadata.recordGuid,
    record_original_identifier: c.recordMetadata.recordOriginalIdentifier,
    record_date_registered: c.recordMetadata.recordDateRegistered.instant,
    title: c.recordMetadata.recordTitle,
    reply_due_date: c.recordMetadata.replyDueDate?.slice(0, 10) ?? null,
    access_restricted: c.access.accessConditionsCode === 'AK',
    sender_code: c.transport.sender.organisationCode,
    sender_name: org?.name ?? c.transport.sender.organisationCode,
    initiator_original_identifier: c.initiator?.recordOriginalIdentifier ?? null,
    recipient_record_guids: c.recipients.map((r) => r.recordGuid).filter((x): x is string => !!x),
    recipient_original_identifiers: c.recipients.map((r) => r.recordOriginalIdentifier).filter((x): x is string => !!x),
    model: c,
  };
  await stageTransaction(d, false, async (client) => {
    if (!(await moveTo(ctx, client, id, InboundState.received, InboundState.parsed))) return;
    ctx.doc = doc;
    await client.query(
      `INSERT INTO inbound_documents (capsule_id, record_guid, record_type, record_original_identifier, record_date_registered,
          title, reply_due_date, access_restricted, sender_code, sender_name, initiator_original_identifier,
          recipient_record_guids, recipient_original_identifiers, model)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (capsule_id) DO NOTHING`,
      [
        id,
        doc.record_guid,
        c.recordMetadata.recordType,
        doc.record_original_identifier,
        doc.record_date_registered,
        doc.title,
        doc.reply_due_date,
        doc.access_restricted,
        doc.sender_code,
        doc.sender_name,
        doc.initiator_original_identifier,
        doc.recipient_record_guids,
        doc.recipient_original_identifiers,
        JSON.stringify(c),
      ],
    );
  });
}

async function saveClassification(
  client: PoolClient,
  id: string,
  v: { category: Category | null; subKind?: string | null; confident: boolean; rule?: string | null; score: number; reasons: unknown; decidedBy: 'rules' | 'reply' | 'operator'; actor?: string },
): Promise<void> {
  await client.query(
    `INSERT INTO classifications (capsule_id, category, sub_kind, confident, rule, score, reasons, decided_by, actor)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (capsule_id) DO UPDATE SET category = EXCLUDED.category, sub_kind = EXCLUDED.sub_kind,
       confident = EXCLUDED.confident, rule = EXCLUDED.rule, score = EXCLUDED.score, reasons = EXCLUDED.reasons,
       decided_by = EXCLUDED.decided_by, actor = EXCLUDED.actor, at = now()`,
    [id, v.category, v.subKind ?? null, v.confident, v.rule ?? null, v.score, JSON.stringify(v.reasons), v.decidedBy, v.actor ?? null],
  );
}

/**
 * classify: parsed → classified, or → triage when no category is confident. A reply to a known case takes
 * its case's category (it is routed there anyway).
 */
export async function classifyStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const doc = ctx.doc?.capsule_id === id ? ctx.doc : await loadDocument(d.pool, id);
  if (!doc) return;
  const reply = await findReplyCase(d.pool, doc);
  await stageTransaction(d, false, async (client) => {
    if (reply) {
      const c = await client.query<{ category: Category; sub_kind: string | null }>('SELECT category, sub_kind FROM cases WHERE id = $1', [reply.caseId]);
      const kase = c.rows[0];
      if (kase) {
        if (!(await moveTo(ctx, client, id, InboundState.parsed, InboundState.classified, { category: kase.category, by: 'reply' }))) return;
        await saveClassification(client, id, {
          category: kase.category,
          subKind: kase.sub_kind,
          confident: true,
          rule: `reply:${reply.via}`,
          score: 0,
          reasons: [{ rule: `reply:${reply.via}`, caseId: reply.caseId }],
          decidedBy: 'reply',
        });
        return;
      }
    }
    const result = classify(classifyInputOf(doc.model), d.rules);
    const to = result.confident ? InboundState.classified : InboundState.triage;
    if (!(await moveTo(ctx, client, id, InboundState.parsed, to, { category: result.category ?? null, best: result.best ?? null, score: result.score }))) return;
    await saveClassification(client, id, {
      category: result.category ?? null,
      subKind: result.subKind ?? null,
      confident: result.confident,
      rule: result.rule ?? null,
      score: result.score,
      reasons: { best: result.best ?? null, scores: result.scores, matches: result.reasons },
      decidedBy: 'rules',
    });
  });
}

/** extract: classified → extracted. Each file goes into the blob store (content-addressed, 0600) with an attachment row. */
export async function extractStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.classified);
  if (!row) return;
  const { result, temps } = ctx.extraction ?? (await readWithFiles(d, row.blob_sha256));
  ctx.extraction = undefined;
  if (!result.valid || !result.capsule) throw new DhxError(FailureCode.CAPSULE_INVALID, 'capsule is not valid on extraction');
  for (const temp of temps.values()) await d.store.commit(temp);
  const metas = result.capsule.files;
  const files = result.files.map((f) => {
    const meta = metas[f.index - 1];
    const temp = temps.get(f.index);
    return {
      index: f.index,
      guid: meta?.fileGuid ?? null,
      name: f.fileName,
      safe: f.safeName,
      declaredMime: meta?.mimeType ?? '',
      mime: f.sniffedMimeType,
      declaredSize: meta?.fileSize ?? null,
      size: f.size,
      sha: f.sha256,
      encoding: f.encoding,
      main: meta?.recordMainComponent ?? (metas.every((m) => m.recordMainComponent === undefined) && f.index === 1),
      errorCode: f.error?.code ?? null,
      errorMessage: f.error?.message ?? null,
      // A stored blob: a file, or (empty content, for which the store writes no file) inline.
      blob: temp ? { inline: temp.path ? null : (temp.bytes ?? Buffer.alloc(0)) } : undefined,
    };
  });
  const stored = files.filter((f) => f.blob);
  await stageTransaction(d, false, async (client) => {
    if (!(await moveTo(ctx, client, id, InboundState.classified, InboundState.extracted, { files: files.length }))) return;
    if (files.length === 0) return;
    // One statement: the blobs index and the attachment rows.
    await client.query(
      `WITH b AS (
         INSERT INTO blobs (sha256, size, content)
         SELECT DISTINCT ON (sha) sha, size, content FROM unnest($15::text[], $16::bigint[], $17::bytea[]) AS t(sha, size, content)
         ON CONFLICT (sha256) DO NOTHING)
       INSERT INTO attachments (capsule_id, file_index, file_guid, file_name, safe_name, declared_mime_type, sniffed_mime_type,
          declared_size, size, sha256, encoding, main_component, error_code, error_message)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[],
                                $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[])
       ON CONFLICT (capsule_id, file_index) DO NOTHING`,
      [
        id,
        files.map((f) => f.index),
        files.map((f) => f.guid),
        files.map((f) => f.name),
        files.map((f) => f.safe),
        files.map((f) => f.declaredMime),
        files.map((f) => f.mime),
        files.map((f) => f.declaredSize),
        files.map((f) => f.size),
        files.map((f) => f.sha),
        files.map((f) => f.encoding),
        files.map((f) => f.main),
        files.map((f) => f.errorCode),
        files.map((f) => f.errorMessage),
        stored.map((f) => f.sha),
        stored.map((f) => f.size),
        stored.map((f) => f.blob!.inline),
      ],
    );
  });
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The due date: `dueDays` after the receipt date (Tallinn calendar) for the category, or the KOV's earlier ReplyDueDate. */
export function dueDateOf(receivedAt: Date, dueDays: number | undefined, replyDueDate: string | null): string | null {
  const ours = dueDays !== undefined ? addDays(tallinnDate(receivedAt), dueDays) : null;
  if (ours && replyDueDate) return replyDueDate < ours ? replyDueDate : ours;
  return ours ?? replyDueDate;
}

/** route: extracted → routed. A reply attaches to its case; anything else opens a new case (status registered). */
export async function routeStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const doc = ctx.doc?.capsule_id === id ? ctx.doc : await loadDocument(d.pool, id);
  if (!doc) return;
  const reply = await findReplyCase(d.pool, doc);
  await stageTransaction(d, false, async (client) => {
    // The row lock first: two runs of this stage wait for each other, the second finds it routed.
    const r = await client.query<{ state: InboundState; received_at: Date; category: string | null; sub_kind: string | null; own_case: string | null }>(
      `SELECT i.state, i.received_at, k.category, k.sub_kind, (SELECT c.id FROM cases c WHERE c.opened_by = i.id) AS own_case
         FROM inbound_capsules i LEFT JOIN classifications k ON k.capsule_id = i.id WHERE i.id = $1 FOR UPDATE OF i`,
      [id],
    );
    const row = r.rows[0];
    if (row?.state !== InboundState.extracted) return;
    const category = row.category;
    if (!isCategory(category)) throw new DhxError(FailureCode.INTERNAL, `capsule ${id} reached routing without a category`);
    let caseId: string;
    let detail: Record<string, unknown>;
    if (row.own_case) {
      // Replayed after a failure past this point: the case it opened is still its case.
      caseId = row.own_case;
      detail = { caseId, opened: true };
    } else if (reply) {
      caseId = reply.caseId;
      detail = { caseId, reply: reply.via };
    } else {
      caseId = randomUUID();
      const due = dueDateOf(row.received_at, d.intake.dueDays[category], doc.reply_due_date);
      const year = tallinnDate(row.received_at).slice(0, 4);
      await client.query(
        `INSERT INTO cases (id, case_number, opened_by, kov_code, kov_name, category, sub_kind, title, received_at,
            kov_reg_number, kov_reg_date, access_restricted, due_date, deadline_status)
         VALUES ($1, 'LHO-' || $2 || '-' || lpad(nextval('case_number_seq')::text, 6, '0'), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          caseId,
          year,
          id,
          doc.sender_code,
          doc.sender_name,
          category,
          row.sub_kind,
          doc.title,
          row.received_at,
          doc.record_original_identifier,
          doc.record_date_registered,
          doc.access_restricted,
          due,
          due ? 'on_track' : 'none',
        ],
      );
      detail = { caseId, opened: true, dueDate: due };
    }
    if (!(await moveTo(ctx, client, id, InboundState.extracted, InboundState.routed, detail, caseId))) {
      throw new DhxError(FailureCode.INTERNAL, 'state changed under a held lock');
    }
  });
}

/**
 * receipt: routed → done. For a request that opened a case in a receipt category, the business receipt
 * is built, stored as a blob and queued as an outbound document (sending is the sending stage's).
 */
export async function receiptStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.routed);
  if (!row) return;
  const k = await d.pool.query<{ id: string; case_number: string; category: string; due_date: string | null; opened_by: string; kov_code: string; kov_name: string }>(
    `SELECT id, case_number, category, to_char(due_date, 'YYYY-MM-DD') AS due_date, opened_by, kov_code, kov_name
       FROM cases WHERE id = (SELECT case_id FROM inbound_capsules WHERE id = $1)`,
    [id],
  );
  const kase = k.rows[0];
  const wanted = kase !== undefined && kase.opened_by === id && d.intake.receiptCategories.includes(kase.category);
  if (!wanted || !kase) {
    await stageTransaction(d, true, (client) => moveTo(ctx, client, id, InboundState.routed, InboundState.done, { receipt: false }));
    return;
  }
  const doc = ctx.doc?.capsule_id === id ? ctx.doc : await loadDocument(d.pool, id);
  if (!doc) throw new DhxError(FailureCode.INTERNAL, `capsule ${id} has no parsed document`);
  const draft = receiptDraft({
    request: doc.model,
    caseNumber: kase.case_number,
    ...(kase.due_date ? { dueDate: kase.due_date } : {}),
    org: { code: d.memberCode, name: d.intake.orgName, unit: d.intake.orgUnit },
  });
  const bytes = await buildCapsuleToBuffer(draft);
  // A receipt is a few KB: kept in PostgreSQL (blobs.content, read with openBlob) in the same commit as its row.
  const temp = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  await stageTransaction(d, true, async (client) => {
    const outId = randomUUID();
    if (!(await moveTo(ctx, client, id, InboundState.routed, InboundState.done, { receipt: outId }))) return;
    // One statement: the blob, the outbound row (one receipt per request: a unique index) and its history row.
    await client.query(
      `WITH b AS (INSERT INTO blobs (sha256, size, content) VALUES ($10, $11, $12) ON CONFLICT (sha256) DO NOTHING),
       o AS (
         INSERT INTO outbound_documents (id, kind, case_id, inbound_id, recipient_code, recipient_name, consignment_id,
            record_guid, record_original_identifier, title, state, blob_sha256, size)
         VALUES ($1, 'receipt', $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10, $11) ON CONFLICT DO NOTHING RETURNING id)
       INSERT INTO outbound_state_history (document_id, state, detail) SELECT id, 'queued', $13 FROM o`,
      [
        outId,
        kase.id,
        id,
        kase.kov_code,
        kase.kov_name,
        randomUUID(),
        draft.recordMetadata.recordGuid,
        kase.case_number,
        draft.recordMetadata.recordTitle,
        temp.sha256,
        temp.size,
        bytes,
        JSON.stringify({ inboundId: id }),
      ],
    );
  });
}
