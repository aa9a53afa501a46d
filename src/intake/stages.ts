import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { openBlob } from '../blob/read';
import type { BlobStore, StoredTemp } from '../blob/store';
import { buildCapsuleToBuffer } from '../capsule/build';
import type { CapsuleLimits } from '../capsule/content';
import { readCapsule, readCapsuleBuffer, type FileStart, type ReadOptions, type ReadResult } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import { findReplyCase, replyTriageReason, type ReplyLookup } from '../cases/reply';
import { caseChoice, openCase, restrictJoinedCase, type CaseForReceipt } from '../cases/statements';
import type { IntakeConfig } from '../config';
import type { TextLimits } from '../content/text';
import { prepared, type Pool } from '../db/pool';
import { fragment, withCtes, type Fragment } from '../db/statement';
import { DhxError, FailureCode } from '../errors';
import { inboundTransport, loadInbound, type InboundDocument } from '../inbound/repo';
import {
  attachmentsInsert,
  classificationOf,
  classificationWrite,
  documentInsert,
  routedMove,
  signaturesInsert,
  stateMove,
  textsInsert,
  type AttachmentRecord,
  type ClassificationRecord,
  type StepRecord,
  type TextRecord,
} from '../inbound/steps';
import { queueReceipt } from '../outbound/receipt';
import { InboundState } from '../inbound/states';
import { classify as classifyByRules, classifyInputOf } from './classify';
import { contentOf, NOTHING_UNPACKED, readTextsOfReading, unpackContainers, type StoredFile, type Unpacked } from './content';
import { receiptDraft } from './receipt';
import type { Rules } from './rules';

/**
 * The intake steps (docs/intake.md, "Steps"): parse → classify → extract → route → receipt → done. The driver
 * (pipeline.ts) chooses the step by the capsule's state and hands each what it needs; a step does what
 * its name says and returns what it produced, and each `store…` function records a step's state with
 * its history and effects in one statement, guarded by the state it starts from: run twice, it changes
 * nothing the second time. Work outside PostgreSQL (reading the capsule, writing content-addressed
 * blobs) is idempotent by construction.
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
  /** The caps on reading a file's text (TEXT_*; src/content/text.ts defaults when absent). */
  text?: Partial<TextLimits>;
  /**
   * Hands a capsule whose files are stored to the text step (src/intake/text-step.ts), which reads their text
   * for search off the intake path. Absent: nothing reads it (tools that run intake alone).
   */
  afterFilesStored?: (capsuleId: string, files?: readonly StoredFile[]) => void;
}

/** What extraction stored that the text step still reads: `files` except those whose text it stored too. */
function unreadFiles(reading: Reading, files: readonly AttachmentRecord[], texts: readonly TextRecord[]): StoredFile[] {
  const read = new Set(texts.map((t) => t.fileIndex));
  const bytes = new Map<string, Buffer>();
  for (const t of reading.temps.values()) if (t.bytes) bytes.set(t.sha256, t.bytes);
  return files
    .filter((f) => !read.has(f.index))
    .map((f) => {
      const b = bytes.get(f.sha);
      return { index: f.index, name: f.name, mime: f.mime, declaredMime: f.declaredMime, size: f.size, sha256: f.sha, ...(b ? { bytes: b } : {}) };
    });
}

/** A step's new state (undefined when it moved nothing) and, when it extracted, the files the text step reads. */
export interface Stored {
  to: InboundState | undefined;
  unread: StoredFile[];
}

/** The capsule as read: its model and files, the files in temporary blobs (committed by extraction). */
export interface Reading {
  result: ReadResult;
  /** The temporary blobs by file index: the capsule's files, then the data files unpacked from its containers. */
  temps: Map<number, StoredTemp>;
  /** What the capsule's signed containers held (src/intake/content.ts). */
  unpacked: Unpacked;
}

/** Reads the capsule once (from `bytes` when the driver has them, else from its blob), its files into temporary blobs. */
export async function readCapsuleFiles(d: IntakeDeps, sha256: string, bytes?: Buffer): Promise<Reading> {
  const writes = new Map<number, Promise<StoredTemp>>();
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
  const result = bytes ? await readCapsuleBuffer(bytes, options) : await readCapsule(await openBlob(d.pool, d.store, sha256), options);
  const temps = new Map<number, StoredTemp>();
  for (const f of result.files) {
    const w = writes.get(f.index);
    if (!w) continue;
    const temp = await w.catch(() => undefined);
    if (temp && !f.error) temps.set(f.index, temp);
    else if (temp) await d.store.discard(temp);
  }
  const reading: Reading = { result, temps, unpacked: NOTHING_UNPACKED };
  if (result.valid && result.capsule) {
    try {
      reading.unpacked = await unpackContainers(d, reading);
    } finally {
      // Unpacked data files are the reading's temporary blobs too: committed by extraction, else discarded.
      for (const u of reading.unpacked.files) temps.set(u.record.index, u.temp);
    }
  }
  return reading;
}

/** Removes temporary blobs a run read but did not commit (e.g. the capsule went to triage). */
export async function discardReading(d: IntakeDeps, reading: Reading): Promise<void> {
  for (const t of reading.temps.values()) await d.store.discard(t).catch(() => undefined);
}

/** What parse makes of a capsule: the document as intake keeps it, and its record type. */
export interface Parsed {
  doc: InboundDocument;
  recordType: string;
}

/** parse: the document of a capsule read valid; an invalid capsule is a permanent failure. */
export function parse(id: string, result: ReadResult): Parsed {
  const c = result.capsule;
  if (!result.valid || !c) {
    const first = result.issues[0];
    throw new DhxError(FailureCode.CAPSULE_INVALID, `capsule is not valid: ${first ? `${first.path}: ${first.message}` : 'unknown'}`);
  }
  const org = [c.recordSenderToDec?.organisation, c.recordCreator?.organisation].find(
    (o) => o?.name && (!o.organisationCode || o.organisationCode === c.transport.sender.organisationCode),
  );
  return {
    recordType: c.recordMetadata.recordType,
    doc: {
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
    },
  };
}

function byRules(doc: InboundDocument, rules: Rules, text?: string): ClassificationRecord {
  const result = classifyByRules(classifyInputOf(doc.model), rules, text);
  return {
    category: result.category ?? null,
    subKind: result.subKind ?? null,
    confident: result.confident,
    rule: result.rule ?? null,
    score: result.score,
    reasons: { best: result.best ?? null, scores: result.scores, matches: result.reasons },
    decidedBy: 'rules',
    ...(result.readContent ? { readContent: result.readContent } : {}),
  };
}

/**
 * classify: the verdict. A reply to a case of the sender takes its case's category (it is routed there
 * anyway). A reply naming only another organisation's case is decided by no one: it goes to triage
 * whatever the rules say (the rules' best guess stays visible to whoever decides). Anything else: the rules,
 * over the metadata and, when given, the text extracted from the files (read only when the metadata is weak).
 */
export function classify(doc: InboundDocument, rules: Rules, reply?: ReplyLookup, text?: string): ClassificationRecord {
  if (reply?.kind === 'case') {
    return {
      category: reply.category,
      subKind: reply.subKind,
      confident: true,
      rule: `reply:${reply.via}`,
      score: 0,
      reasons: [{ rule: `reply:${reply.via}`, caseId: reply.caseId }],
      decidedBy: 'reply',
    };
  }
  const guess = byRules(doc, rules, text);
  if (reply?.kind === 'refused') {
    return { ...guess, category: null, subKind: null, confident: false, rule: 'reply:refused', reasons: { refusedReply: reply, rules: guess.reasons } };
  }
  return guess;
}

/**
 * extract: the attachment row of every file read (declared against computed size and MIME type, encoding, main
 * component, decode error), then of every data file unpacked from a signed container (`fromContainer`); a
 * container's problem is recorded on its own row.
 */
export function extract(result: ReadResult, unpacked: Unpacked = NOTHING_UNPACKED): AttachmentRecord[] {
  const metas = result.capsule?.files ?? [];
  const own = result.files.map((f): AttachmentRecord => {
    const meta = metas[f.index - 1];
    const problem = unpacked.problems.get(f.index);
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
      errorCode: f.error?.code ?? problem?.code ?? null,
      errorMessage: f.error?.message ?? problem?.message ?? null,
      fromContainer: null,
      containerIndex: null,
      digest: null,
    };
  });
  return [...own, ...unpacked.files.map((u) => u.record)];
}

/**
 * Moves capsule `id` from `from` through `steps` (a history row each, in order) with `effects`, in one
 * statement (its own transaction: no BEGIN/COMMIT round trips); the state reached, or undefined when the
 * capsule was no longer in `from` (another run did the step) and nothing was written.
 */
async function storeSteps(d: IntakeDeps, id: string, from: InboundState, steps: StepRecord[], effects: Fragment[] = []): Promise<InboundState | undefined> {
  const s = withCtes([...stateMove(id, from, steps), ...effects], fragment('SELECT count(*)::int AS moved FROM moved'));
  const r = await d.pool.query<{ moved: number }>(prepared(s.text, s.values));
  return r.rows[0]?.moved === 1 ? steps[steps.length - 1]!.to : undefined;
}

/** The classify step's state and history: classified, or triage with a refused reply's reason. */
function classifiedStep(v: ClassificationRecord, reply?: ReplyLookup): StepRecord {
  const triageReason = replyTriageReason(reply);
  return {
    to: v.confident ? InboundState.classified : InboundState.triage,
    detail: { category: v.category, by: v.decidedBy, score: v.score, ...(triageReason ? { triageReason } : {}) },
  };
}

/** Large files (not kept in PostgreSQL) go to their content address before the statement that records them. */
async function commitFiles(d: IntakeDeps, temps: Map<number, StoredTemp>): Promise<void> {
  for (const temp of temps.values()) await d.store.commit(temp);
}

/**
 * The extract step's effects: its files (and the data files of its containers) committed to the blob store,
 * then their rows, the containers' signatures and the texts already read (when classification needed them).
 */
async function extraction(d: IntakeDeps, reading: Reading, texts: readonly TextRecord[] = []): Promise<{ step: StepRecord; effects: Fragment[]; unread: StoredFile[] }> {
  await commitFiles(d, reading.temps);
  const files = extract(reading.result, reading.unpacked);
  const stored = [...reading.temps.values()].map((t) => ({ sha256: t.sha256, size: t.size, content: t.path ? null : (t.bytes ?? Buffer.alloc(0)) }));
  const detail: Record<string, unknown> = { files: files.length };
  if (reading.unpacked.files.length > 0) detail.unpacked = reading.unpacked.files.length;
  return {
    step: { to: InboundState.extracted, detail },
    effects: [...attachmentsInsert(files, stored), ...signaturesInsert(reading.unpacked.signatures), ...textsInsert(texts)],
    unread: unreadFiles(reading, files, texts),
  };
}

/**
 * Classification that reads the files when the metadata is weak (docs/intake.md, "Content"): when the rules are
 * confident on the metadata (or a reply decides), nothing is read and no text is returned (the text step reads
 * it later, off the intake path); otherwise the text of every file (the containers' data files included) is
 * read with the caps, and the rules decide with the content field. The texts read are returned to be stored.
 */
export async function classifyWithContent(
  d: IntakeDeps,
  doc: InboundDocument,
  reading: () => Promise<Reading>,
  reply?: ReplyLookup,
): Promise<{ verdict: ClassificationRecord; texts: TextRecord[] }> {
  const first = classify(doc, d.rules, reply);
  if ((first.confident && !first.readContent) || first.decidedBy === 'reply' || reply?.kind === 'refused' || !d.rules.content) return { verdict: first, texts: [] };
  const r = await reading();
  if (!r.result.valid) return { verdict: first, texts: [] };
  const texts = await readTextsOfReading(d, r, r.unpacked);
  const content = contentOf(texts);
  if (!content.trim()) return { verdict: first, texts };
  return { verdict: classify(doc, d.rules, reply, content), texts };
}

/** received → parsed: the document stored. */
export function storeParsed(d: IntakeDeps, id: string, parsed: Parsed): Promise<InboundState | undefined> {
  return storeSteps(d, id, InboundState.received, [{ to: InboundState.parsed, detail: {} }], documentInsert({ ...parsed.doc, record_type: parsed.recordType }));
}

/**
 * The fast path for a new request (a document that names no earlier one, so no reply lookup can find a
 * case): parse, classify and — when the category is confident — extract, stored in one statement with a
 * history row per step: received → parsed → classified → extracted, or received → parsed → triage. The files
 * the text step still reads come back with the state.
 */
export async function storeNewRequestAtOnce(d: IntakeDeps, id: string, parsed: Parsed, reading: Reading): Promise<Stored> {
  const { verdict: v, texts } = await classifyWithContent(d, parsed.doc, () => Promise.resolve(reading));
  const steps: StepRecord[] = [{ to: InboundState.parsed, detail: {} }, classifiedStep(v)];
  const effects = [...documentInsert({ ...parsed.doc, record_type: parsed.recordType }), ...classificationWrite(v)];
  let unread: StoredFile[] = [];
  if (v.confident) {
    const x = await extraction(d, reading, texts);
    steps.push(x.step);
    effects.push(...x.effects);
    unread = x.unread;
  }
  const to = await storeSteps(d, id, InboundState.received, steps, effects);
  return { to, unread: to === InboundState.extracted ? unread : [] };
}

/**
 * parsed → classified, or → triage when no category is confident: the verdict in `classifications`,
 * and what the reply lookup found kept with the document (routing files by it); a refused reply's
 * reason goes into the triage history row.
 */
export function storeClassification(d: IntakeDeps, id: string, v: ClassificationRecord, reply: ReplyLookup): Promise<InboundState | undefined> {
  return storeSteps(d, id, InboundState.parsed, [classifiedStep(v, reply)], classificationWrite(v, reply));
}

/** classified → extracted: each file in the blob store (content-addressed) with an attachment row; the files the text step still reads come back with the state. */
export async function storeExtraction(d: IntakeDeps, id: string, reading: Reading, texts: readonly TextRecord[] = []): Promise<Stored> {
  if (!reading.result.valid || !reading.result.capsule) throw new DhxError(FailureCode.CAPSULE_INVALID, 'capsule is not valid on extraction');
  const x = await extraction(d, reading, texts);
  const to = await storeSteps(d, id, InboundState.classified, [x.step], x.effects);
  return { to, unread: to === InboundState.extracted ? x.unread : [] };
}

/** The reply lookup (src/cases/reply.ts): the one query that asks which case a document answers. */
export function lookUpReply(d: IntakeDeps, doc: InboundDocument): Promise<ReplyLookup> {
  return findReplyCase(d.pool, doc);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * What routing did: nothing (`moved` false), or routed the capsule onto a case. `kase` is the case it
 * opened; null when it joined a case it did not open (a reply: no receipt); undefined when it kept the
 * case it had opened on an earlier run (the receipt step looks the case up).
 */
export interface Routed {
  moved: boolean;
  /** Routed and done at once: a category that gets no receipt (routedMove). */
  done?: boolean;
  kase?: CaseForReceipt | null;
}

/**
 * route: extracted → routed. A reply attaches to its case (by classify's stored lookup); anything else
 * opens a new case (status registered) with its due date (computed in the statement from the receipt
 * time). A capsule that already opened a case (replayed after a later failure) keeps it. One statement;
 * `cases.opened_by` is unique besides. A category that gets no receipt (INTAKE_RECEIPT_CATEGORIES) is done in
 * the same statement (`done`).
 */
export async function route(d: IntakeDeps, id: string, doc: InboundDocument): Promise<Routed> {
  // classify stored its lookup. A document stored without one went by the fast path and names nothing (the
  // lookup answers without a query), or was classified before the lookup was stored (migration 0008).
  const reply = doc.reply ?? (await findReplyCase(d.pool, doc));
  const replyCase = reply.kind === 'case' ? reply : undefined;
  const s = withCtes(
    [
      ...classificationOf(id),
      ...caseChoice(id, replyCase?.caseId ?? null, randomUUID()),
      ...routedMove(id, replyCase?.via ?? null, d.intake.receiptCategories, DONE_WITHOUT_RECEIPT.detail),
      ...openCase({
        kovCode: doc.sender_code,
        kovName: doc.sender_name,
        title: doc.title,
        kovRegNumber: doc.record_original_identifier,
        kovRegDate: doc.record_date_registered,
        accessRestricted: doc.access_restricted,
        dueDays: d.intake.dueDays,
        replyDueDate: doc.reply_due_date,
      }),
      ...restrictJoinedCase(doc.access_restricted),
    ],
    fragment(
      `SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT state FROM moved) AS state, (SELECT count(*) FROM k)::int AS classified, t.case_id, t.opens, t.kept,
              (SELECT row_to_json(c) FROM c) AS opened FROM t`,
    ),
  );
  const r = await d.pool.query<{ moved: number; state: string | null; classified: number; case_id: string; opens: boolean; kept: boolean; opened: CaseForReceipt | null }>(
    prepared(s.text, s.values),
  );
  const out = r.rows[0];
  if (out?.moved === 1) return { moved: true, ...(out.state === InboundState.done ? { done: true } : {}), kase: out.opened ?? (out.kept ? undefined : null) };
  if (out?.classified === 0 && (await loadInbound(d.pool, id))?.state === InboundState.extracted) {
    throw new DhxError(FailureCode.INTERNAL, `capsule ${id} reached routing without a category`);
  }
  return { moved: false };
}

/** Whether a capsule on case `kase` gets a business receipt: it opened the case, in a receipt category. */
export function receiptWanted(d: IntakeDeps, id: string, kase: CaseForReceipt | null | undefined): kase is CaseForReceipt {
  return !!kase && kase.opened_by === id && d.intake.receiptCategories.includes(kase.category);
}

/** The done step without a receipt (storeDone, and routing when the category gets none). */
const DONE_WITHOUT_RECEIPT: StepRecord = { to: InboundState.done, detail: { receipt: false } };

/** routed → done without a receipt. */
export function storeDone(d: IntakeDeps, id: string): Promise<InboundState | undefined> {
  return storeSteps(d, id, InboundState.routed, [DONE_WITHOUT_RECEIPT]);
}

/**
 * receipt: routed → done with the business receipt for the request that opened `kase`: built, and in the
 * same statement as `done`, stored (PostgreSQL: a few KB, read with openBlob) and queued as an outbound
 * document (outbound's definition, src/outbound/receipt.ts; sending is the sending side's). Once
 * committed, the document is handed to the send queue.
 */
export async function receipt(d: IntakeDeps, id: string, kase: CaseForReceipt, doc: InboundDocument): Promise<InboundState | undefined> {
  const draft = receiptDraft({
    request: doc.model,
    caseNumber: kase.case_number,
    ...(kase.due_date ? { dueDate: kase.due_date } : {}),
    org: { code: d.memberCode, name: d.intake.orgName, unit: d.intake.orgUnit },
  });
  const bytes = await buildCapsuleToBuffer(draft);
  // A letter from a person through ADIT is answered to the person through ADIT (docs/adit.md, "The business
  // receipt to a person"): the capsule's sender organisation is then ADIT itself, which takes no DHX documents.
  const personalCode = doc.model.transport.sender.personalIdCode;
  const person = personalCode && (await inboundTransport(d.pool, id)) === 'adit' ? personalCode : undefined;
  const queued = queueReceipt({
    ...(person ? { transport: 'adit' as const, recipientPerson: person } : {}),
    caseId: kase.id,
    inboundId: id,
    recipientCode: kase.kov_code,
    recipientName: kase.kov_name,
    recordGuid: draft.recordMetadata.recordGuid,
    recordOriginalIdentifier: kase.case_number,
    title: draft.recordMetadata.recordTitle,
    blob: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes },
  });
  const to = await storeSteps(d, id, InboundState.routed, [{ to: InboundState.done, detail: { receipt: queued.id } }], queued.ctes);
  if (to && d.enqueueSend) {
    await d.enqueueSend(queued.id).catch((err: unknown) =>
      d.log.warn({ capsuleId: id, outboundId: queued.id, err: (err as Error).message }, 'receipt not handed to the send queue; the send scheduler will find it'),
    );
  }
  return to;
}
