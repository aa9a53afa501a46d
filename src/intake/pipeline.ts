import type { Logger } from 'pino';
import type { ReadResult } from '../capsule/read';
import { failureCodeOfDb } from '../db/failure';
import { caseOfCapsule, type CaseForReceipt } from '../cases/statements';
import { namesEarlierDocument } from '../cases/reply';
import { DhxError, FailureCode, failureKind } from '../errors';
import { loadDocument, loadInbound, loadInboundForRun, recordRetryableFailure, stopWithFailure, type InboundDocument, type InboundRow } from '../inbound/repo';
import { InboundState } from '../inbound/states';
import type { TextRecord } from '../inbound/steps';
import { storableFailure } from './failures';
import {
  classifyWithContent,
  discardReading,
  lookUpReply,
  parse,
  readCapsuleFiles,
  receipt,
  receiptWanted,
  route,
  storeClassification,
  storeDone,
  storeExtraction,
  storeNewRequestAtOnce,
  storeParsed,
  type IntakeDeps,
  type Reading,
} from './stages';
import type { StoredFile } from './content';

/**
 * What one run of the pipeline holds, owned by the driver (runIntake): the steps read what they are
 * handed and return what they produced; only the driver writes here. Everything in it is also in
 * PostgreSQL or re-derivable, so a run that starts at any state loads what it lacks, once.
 */
export interface IntakeContext {
  /** The capsule's row as last known (its state updated by each step that moved it). */
  row?: InboundRow;
  /** The capsule's bytes, when loaded with the row (kept in PostgreSQL); given to the one read of the capsule. */
  capsuleBytes?: Buffer;
  /** The capsule as read, its files in temporary blobs until extraction commits them. */
  reading?: Reading;
  /** What this run read of the capsule, kept for a failure message (before parse stored it, its only record). */
  read?: ReadResult;
  /** The parsed document (with classify's reply lookup), loaded or made once per run. */
  doc?: InboundDocument;
  /** The texts classification read (weak metadata), stored by extraction with the files. */
  texts?: TextRecord[];
  /** The files extraction stored and whose text is not read yet (handed to the text step). */
  storedFiles?: StoredFile[];
  /** The case routing put the capsule on, when it knows it (saves the receipt step a query): see Routed. */
  kase?: CaseForReceipt | null;
}

/**
 * Runs a capsule's steps until it reaches a terminal state (done, triage, parked, failed). Safe to run
 * for the same id any number of times, at once or one after another: each step's statement is guarded
 * by the state it starts from.
 */
export async function runIntake(d: IntakeDeps, id: string, ctx: IntakeContext = {}): Promise<InboundState | undefined> {
  try {
    let moved: InboundState | undefined;
    for (let step = 0; step < 20; step++) {
      // After a committed step the new state is known; otherwise (another run did it, or nothing to do) reload.
      let row: InboundRow | undefined;
      if (moved && ctx.row) row = { ...ctx.row, state: moved };
      else {
        const loaded = await loadInboundForRun(d.pool, id);
        if (loaded) {
          const { content, ...rest } = loaded;
          row = rest;
          ctx.capsuleBytes = content ?? undefined;
        }
      }
      if (!row) return undefined;
      ctx.row = row;
      const state = row.state;
      switch (state) {
        case InboundState.received:
        case InboundState.parsed:
        case InboundState.classified:
        case InboundState.extracted:
        case InboundState.routed:
          moved = await nextStep(d, row, state, ctx);
          break;
        case InboundState.done:
        case InboundState.triage:
        case InboundState.parked:
        case InboundState.failed:
          return state;
        default:
          return state satisfies never;
      }
    }
    return (await loadInbound(d.pool, id))?.state;
  } finally {
    const reading = ctx.reading;
    ctx.reading = undefined;
    if (reading) {
      ctx.read = reading.result;
      await discardReading(d, reading);
    }
  }
}

type PendingState = typeof InboundState.received | typeof InboundState.parsed | typeof InboundState.classified | typeof InboundState.extracted | typeof InboundState.routed;

/** The capsule read once per run, from the bytes loaded with its row when there are any. */
async function readingOf(d: IntakeDeps, row: InboundRow, ctx: IntakeContext): Promise<Reading> {
  if (ctx.reading) return ctx.reading;
  const bytes = ctx.capsuleBytes;
  ctx.capsuleBytes = undefined;
  ctx.reading = await readCapsuleFiles(d, row.blob_sha256, bytes);
  return ctx.reading;
}

/** The parsed document, loaded at most once per run. */
async function documentOf(d: IntakeDeps, id: string, ctx: IntakeContext): Promise<InboundDocument | undefined> {
  if (ctx.doc?.capsule_id === id) return ctx.doc;
  const doc = await loadDocument(d.pool, id);
  if (doc) ctx.doc = doc;
  return doc;
}

/** The step for a pending state; the state it moved the capsule to, or undefined when it moved nothing. */
async function nextStep(d: IntakeDeps, row: InboundRow, state: PendingState, ctx: IntakeContext): Promise<InboundState | undefined> {
  const id = row.id;
  switch (state) {
    case InboundState.received: {
      const reading = await readingOf(d, row, ctx);
      const parsed = parse(id, reading.result);
      // The one place the fast path is chosen: a request that names no earlier document has no reply to look up.
      const { to, unread } = namesEarlierDocument(parsed.doc) ? { to: await storeParsed(d, id, parsed), unread: [] } : await storeNewRequestAtOnce(d, id, parsed, reading);
      if (to) ctx.doc = parsed.doc;
      // Extracted: the files belong to the blob store now, nothing to discard.
      if (to === InboundState.extracted) {
        ctx.storedFiles = unread;
        ctx.reading = undefined;
      }
      return to;
    }
    case InboundState.parsed: {
      const doc = await documentOf(d, id, ctx);
      if (!doc) return undefined;
      const reply = await lookUpReply(d, doc);
      const { verdict, texts } = await classifyWithContent(d, doc, () => readingOf(d, row, ctx), reply);
      const to = await storeClassification(d, id, verdict, reply);
      if (to) {
        ctx.doc = { ...doc, reply };
        ctx.texts = texts;
      }
      return to;
    }
    case InboundState.classified: {
      const reading = await readingOf(d, row, ctx);
      ctx.reading = undefined;
      const texts = ctx.texts ?? [];
      ctx.texts = undefined;
      const { to, unread } = await storeExtraction(d, id, reading, texts);
      if (to === InboundState.extracted) ctx.storedFiles = unread;
      return to;
    }
    case InboundState.extracted: {
      const doc = await documentOf(d, id, ctx);
      if (!doc) return undefined;
      const routed = await route(d, id, doc);
      if (!routed.moved) return undefined;
      if (routed.done) return InboundState.done;
      ctx.kase = routed.kase;
      return InboundState.routed;
    }
    case InboundState.routed: {
      const kase = ctx.kase !== undefined ? ctx.kase : await caseOfCapsule(d.pool, id);
      if (!receiptWanted(d, id, kase)) return storeDone(d, id);
      const doc = await documentOf(d, id, ctx);
      if (!doc) throw new DhxError(FailureCode.INTERNAL, `capsule ${id} has no parsed document`);
      return receipt(d, id, kase, doc);
    }
    default:
      return state satisfies never;
  }
}

export type IntakeOutcome =
  | { kind: 'finished'; state: InboundState | undefined }
  | { kind: 'retry'; code: FailureCode; delayMs: number; attempt: number }
  | { kind: 'waiting'; code: FailureCode }
  | { kind: 'stopped'; code: FailureCode; state: 'failed' | 'parked' };

/**
 * One attempt with the failure policy (docs/intake.md, "Failures"; the code's set in src/errors.ts decides,
 * the thrown error mapped by failureCodeOfDb, src/db/failure.ts): a RETRYABLE code backs off exponentially
 * (`backoffMs · 2^(n-1)`) for `attempts` tries, then waits for the reconciler; PERMANENT → `failed` with code
 * and message; AMBIGUOUS → `parked` for an operator (dhx failed list / dhx replay).
 * `stored` is handed the files extraction stored in this attempt (and whose text it did not read), for the text step.
 */
export async function attemptIntake(d: IntakeDeps, id: string, log: Logger, stored?: (files: StoredFile[]) => void): Promise<IntakeOutcome> {
  const ctx: IntakeContext = {};
  try {
    const state = await runIntake(d, id, ctx);
    if (ctx.storedFiles) stored?.(ctx.storedFiles);
    return { kind: 'finished', state };
  } catch (err) {
    const code = failureCodeOfDb(err);
    // Logged and stored alike: personal codes masked, a restricted document's names left out.
    const message = await storableFailure(d.pool, id, err, ctx.read);
    const kind = failureKind(code);
    log.warn({ capsuleId: id, code, kind, err: message }, 'intake stage failed');
    switch (kind) {
      case 'retryable': {
        try {
          const attempt = (await recordRetryableFailure(d.pool, id, { code, message }, d.intake.backoffMs)) ?? 1;
          if (attempt >= d.intake.attempts) return { kind: 'waiting', code };
          return { kind: 'retry', code, attempt, delayMs: d.intake.backoffMs * 2 ** (attempt - 1) };
        } catch {
          // The database itself is away: the row stays as it was and the reconciler takes it up later.
          return { kind: 'waiting', code };
        }
      }
      case 'permanent':
      case 'ambiguous': {
        const to = kind === 'permanent' ? InboundState.failed : InboundState.parked;
        await stopWithFailure(d.pool, id, to, { code, message });
        return { kind: 'stopped', code, state: to };
      }
      default:
        return kind satisfies never;
    }
  }
}
