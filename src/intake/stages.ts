import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { openBlob } from '../blob/read';
import type { BlobStore, StoredTemp } from '../blob/store';
import { buildCapsuleToBuffer } from '../capsule/build';
import type { CapsuleLimits } from '../capsule/content';
import { readCapsule, readCapsuleBuffer, type FileStart, type ReadOptions, type ReadResult } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import type { IntakeConfig } from '../config';
import { prepared, type Pool } from '../db/pool';
import { DhxError, FailureCode } from '../errors';
import { InboundState, type Category } from './categories';
import { classify, classifyInputOf } from './classify';
import { findReplyCase, loadDocument, loadInbound, replyTriageReason, type InboundDocument, type InboundRow, type ReplyLookup } from './repo';
import { receiptDraft } from './receipt';
import type { Rules } from './rules';

/**
 * The intake stages (DESIGN.md §3): parse → classify → extract → route → receipt → done. Each
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
  /**
   * Extracted files of at most this many bytes are kept in PostgreSQL (`blobs.content`) with their
   * attachment row, as small received capsules are (DHX_INLINE_BLOB_BYTES); larger ones become files in
   * DATA_DIR. Default 0: every file on disk.
   */
  inlineBlobBytes?: number;
  schema?: CapsuleSchema;
  log: Logger;
  /**
   * Hands a queued outbound document (the business receipt) to the sending side once its row is committed.
   * Best effort: the send scheduler finds queued rows anyway (a lost job delays, never loses, a receipt).
   */
  enqueueSend?: (outboundId: string) => Promise<void>;
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
  /** The case routing put the capsule on (saves the receipt stage a query). */
  kase?: CaseForReceipt;
  /** The capsule's bytes, when the driver loaded them with the row (kept in PostgreSQL). */
  capsuleBytes?: Buffer;
}

interface CaseForReceipt {
  id: string;
  case_number: string;
  category: string;
  due_date: string | null;
  opened_by: string;
  kov_code: string;
  kov_name: string;
}

/** Reads the capsule once, its files into temporary blobs (not yet committed). */
async function readWithFiles(d: IntakeDeps, sha256: string, ctx: IntakeContext): Promise<{ result: ReadResult; temps: Map<number, StoredTemp> }> {
  const writes = new Map<number, Promise<StoredTemp>>();
  const held = ctx.capsuleBytes;
  ctx.capsuleBytes = undefined;
  const options: ReadOptions = {
    limits: d.limits,
    ...(d.schema ? { schema: d.schema } : {}),
    sink: (f: FileStart) => {
      const pipe = new PassThrough({ highWaterMark: 256 * 1024 });
      const write = d.store.writeTemp(pipe, { inlineMax: d.inlineBlobBytes ?? 0 });
      write.catch(() => undefined); // awaited below; a destroyed sink rejects here
      writes.set(f.index, write);
      return pipe;
    },
  };
  const result = held ? await readCapsuleBuffer(held, options) : await readCapsule(await openBlob(d.pool, d.store, sha256), options);
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
 * One step of the pipeline as part of a statement: the state it reaches, its history detail and its
 * effects as data-modifying CTEs (text starting with `, name AS (...)`) that read the `moved` CTE, so
 * they only act when the state changed. Effects number their own parameters `@1`, `@2`, ….
 */
interface Step {
  to: InboundState;
  detail: Record<string, unknown>;
  effects?: string;
  params?: unknown[];
}

/**
 * One statement for one stage, or for consecutive stages whose inputs are all at hand (a new request:
 * parse, classify and extract): the conditional state change (`WHERE state = <from>`, which takes the row
 * lock, so of two runs at once the second changes nothing), a history row per step in order and every
 * step's effects. A single statement is its own transaction: no BEGIN/COMMIT round trips, and the steps
 * are recorded together or not at all (docs/intake.md).
 */
async function moveSteps(d: IntakeDeps, ctx: IntakeContext, id: string, from: InboundState, steps: Step[]): Promise<boolean> {
  const params: unknown[] = [id, from, steps[steps.length - 1]!.to, steps.map((s) => s.to), steps.map((s) => JSON.stringify(s.detail))];
  let effects = '';
  for (const step of steps) {
    const base = params.length;
    effects += (step.effects ?? '').replace(/@(\d+)/g, (_m, n: string) => `$${base + Number(n)}`);
    params.push(...(step.params ?? []));
  }
  const r = await d.pool.query<{ moved: number }>(
    prepared(
      `WITH moved AS (
         UPDATE inbound_capsules SET state = $3, updated_at = now(), next_attempt_at = NULL, failure_code = NULL, failure_message = NULL
          WHERE id = $1 AND state = $2 RETURNING id),
       h AS (
         INSERT INTO inbound_state_history (capsule_id, state, detail)
         SELECT m.id, s.state, s.detail FROM moved m, unnest($4::text[], $5::jsonb[]) WITH ORDINALITY AS s(state, detail, n) ORDER BY s.n)${effects}
       SELECT count(*)::int AS moved FROM moved`,
      params,
    ),
  );
  const ok = r.rows[0]?.moved === 1;
  if (ok) ctx.moved = steps[steps.length - 1]!.to;
  return ok;
}

const move = (d: IntakeDeps, ctx: IntakeContext, id: string, from: InboundState, step: Step): Promise<boolean> => moveSteps(d, ctx, id, from, [step]);

const stateIs = async (d: IntakeDeps, id: string, ctx: IntakeContext, state: InboundState): Promise<InboundRow | undefined> => {
  const row = ctx.row?.id === id && ctx.row.state === state ? ctx.row : await loadInbound(d.pool, id);
  return row?.state === state ? row : undefined;
};

/**
 * parse: received → parsed. The capsule is read again (the receive path validated it) and its model kept.
 * A request that names no earlier document (no reply identifiers, so no reply lookup can find a case) is
 * also classified here, and, when the category is confident, extracted: the three steps in one statement,
 * each with its history row. Anything else goes on stage by stage.
 */
export async function parseStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.received);
  if (!row) return;
  const { result, temps } = await readWithFiles(d, row.blob_sha256, ctx);
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
  const steps: Step[] = [
    {
      to: InboundState.parsed,
      detail: {},
      effects: `, doc AS (
       INSERT INTO inbound_documents (capsule_id, record_guid, record_type, record_original_identifier, record_date_registered,
          title, reply_due_date, access_restricted, sender_code, sender_name, initiator_original_identifier,
          recipient_record_guids, recipient_original_identifiers, model)
       SELECT id, @1::text, @2::text, @3::text, @4::timestamptz, @5::text, @6::date, @7::boolean, @8::text, @9::text, @10::text,
              @11::text[], @12::text[], @13::jsonb FROM moved
       ON CONFLICT (capsule_id) DO NOTHING)`,
      params: [
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
    },
  ];
  if (!hasReplyIdentifiers(doc)) {
    const v = byRules(doc, d.rules);
    steps.push(classifyStep(v));
    if (v.confident) {
      await commitFiles(d, temps);
      steps.push(extractStep(result, temps));
    }
  }
  if (!(await moveSteps(d, ctx, id, InboundState.received, steps))) return;
  ctx.doc = doc;
  // Extracted: the files belong to the blob store now, nothing for discardContext to remove.
  if (ctx.moved === InboundState.extracted) ctx.extraction = undefined;
}

interface ClassificationRow {
  category: Category | null;
  subKind: string | null;
  confident: boolean;
  rule: string | null;
  score: number;
  reasons: unknown;
  decidedBy: 'rules' | 'reply';
}

/** True when the document names an earlier one (findReplyCase has something to look up). */
function hasReplyIdentifiers(doc: InboundDocument): boolean {
  return doc.recipient_record_guids.length > 0 || doc.recipient_original_identifiers.length > 0 || !!doc.initiator_original_identifier;
}

function byRules(doc: InboundDocument, rules: Rules): ClassificationRow {
  const result = classify(classifyInputOf(doc.model), rules);
  return {
    category: result.category ?? null,
    subKind: result.subKind ?? null,
    confident: result.confident,
    rule: result.rule ?? null,
    score: result.score,
    reasons: { best: result.best ?? null, scores: result.scores, matches: result.reasons },
    decidedBy: 'rules',
  };
}

/**
 * classify's step: → classified, or → triage when no category is confident; the verdict in `classifications`.
 * With `reply`, what the reply lookup found is kept with the document (routing files by it) and a refused
 * reply's reason goes into the triage history row.
 */
function classifyStep(v: ClassificationRow, reply?: ReplyLookup): Step {
  const triageReason = replyTriageReason(reply);
  const refused = triageReason ? { triageReason } : {};
  return {
    to: v.confident ? InboundState.classified : InboundState.triage,
    detail: { category: v.category, by: v.decidedBy, score: v.score, ...refused },
    effects: `, k AS (
       INSERT INTO classifications (capsule_id, category, sub_kind, confident, rule, score, reasons, decided_by, actor)
       SELECT id, @1::text, @2::text, @3::boolean, @4::text, @5::numeric, @6::jsonb, @7::text, NULL FROM moved
       ON CONFLICT (capsule_id) DO UPDATE SET category = EXCLUDED.category, sub_kind = EXCLUDED.sub_kind,
         confident = EXCLUDED.confident, rule = EXCLUDED.rule, score = EXCLUDED.score, reasons = EXCLUDED.reasons,
         decided_by = EXCLUDED.decided_by, actor = NULL, at = now())${
           reply ? `, r AS (UPDATE inbound_documents SET reply = @8::jsonb WHERE capsule_id = (SELECT id FROM moved))` : ''
         }`,
    params: [v.category, v.subKind, v.confident, v.rule, v.score, JSON.stringify(v.reasons), v.decidedBy, ...(reply ? [JSON.stringify(reply)] : [])],
  };
}

/**
 * classify: parsed → classified, or → triage when no category is confident. A reply to a case of the
 * sender takes its case's category (it is routed there anyway). A reply naming only another
 * organisation's case goes to triage whatever the rules say, with the reason: it is not filed into that
 * case (findReplyCase). The lookup is done here once and kept for routing.
 */
export async function classifyStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const doc = ctx.doc?.capsule_id === id ? ctx.doc : await loadDocument(d.pool, id);
  if (!doc) return;
  const reply = await findReplyCase(d.pool, doc);
  let v: ClassificationRow | undefined;
  if (reply.kind === 'case') {
    v = {
      category: reply.category,
      subKind: reply.subKind,
      confident: true,
      rule: `reply:${reply.via}`,
      score: 0,
      reasons: [{ rule: `reply:${reply.via}`, caseId: reply.caseId }],
      decidedBy: 'reply',
    };
  } else if (reply.kind === 'refused') {
    // The rules' best guess stays visible to whoever decides; nothing is decided.
    const guess = byRules(doc, d.rules);
    v = { ...guess, category: null, subKind: null, confident: false, rule: 'reply:refused', reasons: { refusedReply: reply, rules: guess.reasons } };
  }
  if (await move(d, ctx, id, InboundState.parsed, classifyStep(v ?? byRules(doc, d.rules), reply))) doc.reply = reply;
}

/** Large files (not kept in PostgreSQL) go to their content address before the statement that records them. */
async function commitFiles(d: IntakeDeps, temps: Map<number, StoredTemp>): Promise<void> {
  for (const temp of temps.values()) await d.store.commit(temp);
}

/** extract's step: attachment rows, and the blobs index (content inline for small files, NULL for files on disk). */
function extractStep(result: ReadResult, temps: Map<number, StoredTemp>): Step {
  const metas = result.capsule!.files;
  const files = result.files.map((f) => {
    const meta = metas[f.index - 1];
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
    };
  });
  const stored = [...temps.values()];
  return {
    to: InboundState.extracted,
    detail: { files: files.length },
    effects: `, b AS (
       INSERT INTO blobs (sha256, size, content)
       SELECT DISTINCT ON (sha) sha, size, content FROM unnest(@14::text[], @15::bigint[], @16::bytea[]) AS t(sha, size, content)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (sha256) DO NOTHING),
     a AS (
       INSERT INTO attachments (capsule_id, file_index, file_guid, file_name, safe_name, declared_mime_type, sniffed_mime_type,
          declared_size, size, sha256, encoding, main_component, error_code, error_message)
       SELECT m.id, t.* FROM moved m, unnest(@1::int[], @2::text[], @3::text[], @4::text[], @5::text[], @6::text[], @7::bigint[],
                                            @8::bigint[], @9::text[], @10::text[], @11::boolean[], @12::text[], @13::text[]) AS t
       ON CONFLICT (capsule_id, file_index) DO NOTHING)`,
    params: [
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
      stored.map((t) => t.sha256),
      stored.map((t) => t.size),
      stored.map((t) => (t.path ? null : (t.bytes ?? Buffer.alloc(0)))),
    ],
  };
}

/** extract: classified → extracted. Each file goes into the blob store (content-addressed) with an attachment row. */
export async function extractStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.classified);
  if (!row) return;
  const { result, temps } = ctx.extraction ?? (await readWithFiles(d, row.blob_sha256, ctx));
  ctx.extraction = undefined;
  if (!result.valid || !result.capsule) throw new DhxError(FailureCode.CAPSULE_INVALID, 'capsule is not valid on extraction');
  await commitFiles(d, temps);
  await move(d, ctx, id, InboundState.classified, extractStep(result, temps));
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * route: extracted → routed. A reply attaches to its case; anything else opens a new case (status
 * registered) with its due date (dueDateOf, computed in the statement from the receipt time). A capsule
 * that already opened a case (replayed after a later failure) keeps it. One statement; `cases.opened_by`
 * is unique besides.
 */
export async function routeStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const doc = ctx.doc?.capsule_id === id ? ctx.doc : await loadDocument(d.pool, id);
  if (!doc) return;
  // classify looked already (a request that names nothing was not looked up: there is nothing to find).
  const reply = doc.reply ?? (await findReplyCase(d.pool, doc));
  const replyCase = reply.kind === 'case' ? reply : undefined;
  const r = await d.pool.query<{ moved: number; classified: number; case_id: string; opens: boolean; opened: CaseForReceipt | null }>(
    prepared(
      `WITH k AS (SELECT category, sub_kind FROM classifications WHERE capsule_id = $1 AND category IS NOT NULL),
       own AS (SELECT id FROM cases WHERE opened_by = $1),
       t AS (SELECT coalesce((SELECT id FROM own), $2::uuid, $3::uuid) AS case_id, (SELECT id FROM own) IS NULL AND $2::uuid IS NULL AS opens),
       moved AS (
         UPDATE inbound_capsules SET state = 'routed', updated_at = now(), next_attempt_at = NULL, failure_code = NULL, failure_message = NULL,
                case_id = (SELECT case_id FROM t)
          WHERE id = $1 AND state = 'extracted' AND EXISTS (SELECT 1 FROM k)
          RETURNING id, received_at),
       c AS (
         INSERT INTO cases (id, case_number, opened_by, kov_code, kov_name, category, sub_kind, title, received_at,
            kov_reg_number, kov_reg_date, access_restricted, due_date, deadline_status)
         SELECT t.case_id, 'LHO-' || to_char(m.received_at AT TIME ZONE 'Europe/Tallinn', 'YYYY') || '-' || lpad(nextval('case_number_seq')::text, 6, '0'),
                m.id, $4::text, $5::text, k.category, k.sub_kind, $6::text, m.received_at, $7::text, $8::timestamptz, $9::boolean,
                due.d, CASE WHEN due.d IS NULL THEN 'none' ELSE 'on_track' END
           FROM moved m CROSS JOIN k CROSS JOIN t
           CROSS JOIN LATERAL (SELECT least((m.received_at AT TIME ZONE 'Europe/Tallinn')::date + ($10::jsonb ->> k.category)::int, $11::date) AS d) due
          WHERE t.opens
         RETURNING id, case_number, category, to_char(due_date, 'YYYY-MM-DD') AS due_date, opened_by, kov_code, kov_name),
       h AS (
         INSERT INTO inbound_state_history (capsule_id, state, detail)
         SELECT m.id, 'routed', jsonb_build_object('caseId', t.case_id, 'opened', t.opens, 'reply', $12::text) FROM moved m CROSS JOIN t),
       -- A restricted (AK) document makes the case it joins restricted; nothing ever lifts it.
       r AS (
         UPDATE cases SET access_restricted = true, updated_at = now() FROM moved m, t
          WHERE $9::boolean AND NOT t.opens AND cases.id = t.case_id AND NOT cases.access_restricted)
       SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM k)::int AS classified, t.case_id, t.opens,
              (SELECT row_to_json(c) FROM c) AS opened FROM t`,
      [
        id,
        replyCase?.caseId ?? null,
        randomUUID(),
        doc.sender_code,
        doc.sender_name,
        doc.title,
        doc.record_original_identifier,
        doc.record_date_registered,
        doc.access_restricted,
        JSON.stringify(d.intake.dueDays),
        doc.reply_due_date,
        replyCase?.via ?? null,
      ],
    ),
  );
  const out = r.rows[0];
  if (out?.moved === 1) {
    ctx.moved = InboundState.routed;
    if (out.opened) ctx.kase = out.opened;
    return;
  }
  if (out?.classified === 0 && (await loadInbound(d.pool, id))?.state === InboundState.extracted) {
    throw new DhxError(FailureCode.INTERNAL, `capsule ${id} reached routing without a category`);
  }
}

/**
 * receipt: routed → done. For a request that opened a case in a receipt category, the business receipt
 * is built and, in the same statement as `done`, stored (PostgreSQL: a few KB, read with openBlob) and
 * queued as an outbound document (sending is the sending stage's). One receipt per request (unique index).
 */
export async function receiptStage(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<void> {
  const row = await stateIs(d, id, ctx, InboundState.routed);
  if (!row) return;
  const kase =
    ctx.kase?.opened_by === id
      ? ctx.kase
      : (
          await d.pool.query<CaseForReceipt>(
            `SELECT id, case_number, category, to_char(due_date, 'YYYY-MM-DD') AS due_date, opened_by, kov_code, kov_name
               FROM cases WHERE id = (SELECT case_id FROM inbound_capsules WHERE id = $1)`,
            [id],
          )
        ).rows[0];
  const wanted = kase !== undefined && kase.opened_by === id && d.intake.receiptCategories.includes(kase.category);
  if (!wanted || !kase) {
    await move(d, ctx, id, InboundState.routed, { to: InboundState.done, detail: { receipt: false } });
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
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const outId = randomUUID();
  const queued = await move(d, ctx, id, InboundState.routed, {
    to: InboundState.done,
    detail: { receipt: outId },
    effects: `, b AS (INSERT INTO blobs (sha256, size, content) SELECT @10::text, @11::bigint, @12::bytea WHERE EXISTS (SELECT 1 FROM moved) ON CONFLICT (sha256) DO NOTHING),
     o AS (
       INSERT INTO outbound_documents (id, kind, case_id, inbound_id, recipient_code, recipient_name, consignment_id,
          record_guid, record_original_identifier, title, state, blob_sha256, size)
       SELECT @1::uuid, 'receipt', @2::uuid, m.id, @3::text, @4::text, @5::text, @6::text, @7::text, @8::text, 'queued', @10::text, @11::bigint
         FROM moved m
       ON CONFLICT DO NOTHING RETURNING id),
     oh AS (INSERT INTO outbound_state_history (document_id, state, detail) SELECT id, 'queued', @9::jsonb FROM o)`,
    params: [
      outId,
      kase.id,
      kase.kov_code,
      kase.kov_name,
      randomUUID(),
      draft.recordMetadata.recordGuid,
      kase.case_number,
      draft.recordMetadata.recordTitle,
      JSON.stringify({ inboundId: id }),
      sha256,
      bytes.length,
      bytes,
    ],
  });
  if (queued && d.enqueueSend) {
    await d.enqueueSend(outId).catch((err: unknown) => d.log.warn({ capsuleId: id, outboundId: outId, err: (err as Error).message }, 'receipt not handed to the send queue; the send scheduler will find it'));
  }
}
