import type { Logger } from 'pino';
import { BlobMissingError, openBlob, readBlob } from '../blob/read';
import type { BlobStore } from '../blob/store';
import { failureCodeOfDb } from '../db/failure';
import { prepared, type Pool } from '../db/pool';
import { sendDocument, type DhxClientOptions, type SendOutcome, type SendTarget } from '../xroad/dhx-client';
import { FailureCode, failureKind } from '../errors';
import { storableMessage } from '../log/privacy';
import { resolveRoute, type Route } from '../addressbook/addressbook';
import { isSendable, OutboundState, SENDABLE } from './states';
import { confidentialOf, outboundTransitionCte } from './repo';
import { markAnsweredStatement } from '../cases/repo';
import { sendDocuments, type DvkClientOptions, type DvkSendOutcome } from '../dvk/client';
import type { AditClientOptions } from '../adit/client';
import type { AditOutgoingDocument } from '../adit/messages';
import { readCapsuleBuffer } from '../capsule/read';
import { Writable } from 'node:stream';
import { sendToPerson, type AditSendOutcome } from '../adit/send';
import type { AditSendCounters } from '../adit/metrics';

/**
 * One send attempt of an outgoing document (docs/sending.md, "Durable sending"): load the row, check its
 * state allows a send and that it is due, claim it (`sending`, attempts + 1) in one transaction, resolve the
 * addressee in the address book (direct capability first), post `sendDocument` with the capsule streamed from
 * its blob, and record the outcome with a history row in one transaction. A failure's FailureCode decides its
 * state by its set in src/errors.ts (`failureKind`, the same verdict intake follows):
 *
 * | outcome | state |
 * |---|---|
 * | receiptId (or DHX.Duplicate on a resend) | `sent`, receiptId kept |
 * | PERMANENT: receiver's DHX business fault, TLS handshake, no DHX route (NO_DHX_CAPABILITY) | `failed` at once, its code kept (no retry) |
 * | RETRYABLE: network, HTTP error, SOAP Fault, PostgreSQL away during the route lookup or blob read | `retrying`, next attempt after DHX_SEND_RETRY_SCHEDULE[n-1]; past the schedule `failed` |
 * | AMBIGUOUS: answer lost after the request left (RESPONSE_LOST); our own unnamed failure, e.g. the capsule cannot be read (INTERNAL) | `ambiguous`, resent on the same schedule with the same consignmentId; past the schedule it stays `ambiguous` without a next attempt (an operator decides) |
 *
 * Every attempt carries the row's consignmentId, so a resend of something that did arrive is refused by the
 * receiver's duplicate check (DHX §8.2) and that refusal tells us it was delivered (DHX §7).
 *
 * With OUTBOUND_TRANSPORT=dvk (`transport: 'dvk'`) the attempt is DVK sendDocuments v4 instead
 * (attemptDvk, docs/dvk.md "Sending"): same claim, same failure rows, and success leaves the row `sending`
 * with DVK's dhl_id for the DVK follow-up (dvk-follow.ts), which records `sent` or `failed` through finish.
 */

export interface SendDeps {
  pool: Pool;
  store: BlobStore;
  dhx: DhxClientOptions;
  /** X-Road instance of the address book. */
  instance: string;
  /** Seconds between attempts (DHX_SEND_RETRY_SCHEDULE): attempt n waits schedule[n-1] after failing. */
  schedule: readonly number[];
  log: Logger;
  /**
   * OUTBOUND_TRANSPORT: `dhx` (default) posts DHX sendDocument to the addressee; `dvk` hands the capsule to
   * DVK by sendDocuments v4 (`dvk` then required) and the follow-up (dvk-follow.ts) records the delivery.
   */
  transport?: 'dhx' | 'dvk';
  dvk?: DvkClientOptions;
  /** ADIT_SERVICE set: rows marked `adit` (an opinion to a person) go by sendToPerson (src/adit/send.ts). */
  adit?: AditClientOptions;
  /** /metrics of the ADIT send side (dhx_adit_send_total), when ADIT_SERVICE is set. */
  aditCounters?: Pick<AditSendCounters, 'send'>;
}

export type AttemptResult =
  | { kind: 'skipped'; state: string | undefined }
  | { kind: 'not-due'; delayMs: number }
  | { kind: 'sent'; attempt: number; receiptId?: string; duplicate: boolean }
  /** DVK took it (sendDocuments answered a dhl_id): still `sending` until getSendStatus says how it ended. */
  | { kind: 'handed'; attempt: number; dhlId: string }
  | { kind: 'failed'; attempt: number; code: FailureCode; faultCode: string }
  | { kind: 'retrying' | 'ambiguous'; attempt: number; code: FailureCode; delayMs?: number };

interface Claim {
  attempt: number;
  resend: boolean;
  row: {
    recipient_code: string;
    recipient_system: string | null;
    consignment_id: string;
    blob_sha256: string;
    transport: string | null;
    recipient_person: string | null;
    title: string;
    adit_document_id: string | null;
  };
}

/**
 * The claim, as one statement (atomic without a held transaction): the row is locked, checked (sendable
 * and due), moved to `sending` with attempts + 1, and the history row written. A second claim of the same
 * row waits for the lock, then sees `sending` and is refused.
 */
async function claim(pool: Pool, id: string): Promise<Claim | Exclude<AttemptResult, { attempt: number }>> {
  const r = await pool.query<{
    old_state: string;
    old_attempts: number;
    may_have_arrived: boolean;
    wait_ms: string | null;
    claimed: boolean;
    recipient_code: string;
    recipient_system: string | null;
    consignment_id: string;
    blob_sha256: string;
    transport: string | null;
    recipient_person: string | null;
    title: string;
    adit_document_id: string | null;
  }>(
    prepared(
      `WITH old AS (
         SELECT id, state, attempts, may_have_arrived, next_attempt_at, recipient_code, recipient_system, consignment_id, blob_sha256,
                transport, recipient_person, title, adit_document_id
           FROM outbound_documents WHERE id = $1 FOR UPDATE),
       ${outboundTransitionCte({
         // A new attempt forgets an earlier DVK hand-over (an operator's resend of a DVK-aborted row): the
         // DVK follow-up looks only at the dhl_id this attempt gets. It keeps an ADIT document id: ADIT
         // holds that document already (saved by an earlier attempt), and this one only sends it; the ADIT
         // follow-up then asks about it as never asked.
         set: `state = 'sending', attempts = old.attempts + 1, last_attempt_at = now(), next_attempt_at = NULL, dhl_id = NULL, dvk_checked_at = NULL, opened_at = NULL, adit_checked_at = NULL`,
         from: 'old',
         where: `o.id = old.id AND old.state = ANY($2::text[]) AND (old.next_attempt_at IS NULL OR old.next_attempt_at <= now())`,
         returning: 'o.attempts',
         historyState: `'sending'`,
         detail: `jsonb_build_object('attempt', upd.attempts, 'from', old.state)`,
       })}
       SELECT old.state AS old_state, old.attempts AS old_attempts, old.may_have_arrived,
              CASE WHEN old.next_attempt_at > now() THEN ceil(extract(epoch FROM old.next_attempt_at - now()) * 1000) END AS wait_ms,
              (SELECT count(*) FROM upd) > 0 AS claimed, old.recipient_code, old.recipient_system, old.consignment_id, old.blob_sha256,
              old.transport, old.recipient_person, old.title, old.adit_document_id
         FROM old`,
      [id, SENDABLE],
    ),
  );
  const row = r.rows[0];
  if (!row || !isSendable(row.old_state)) return { kind: 'skipped', state: row?.old_state };
  if (!row.claimed) return row.wait_ms !== null ? { kind: 'not-due', delayMs: Number(row.wait_ms) } : { kind: 'skipped', state: row.old_state };
  return {
    attempt: row.old_attempts + 1,
    // DHX §7: a DHX.Duplicate means "delivered" only when an earlier attempt may have got through.
    resend: row.old_attempts > 0 || row.may_have_arrived,
    row: {
      recipient_code: row.recipient_code,
      recipient_system: row.recipient_system,
      consignment_id: row.consignment_id,
      blob_sha256: row.blob_sha256,
      transport: row.transport,
      recipient_person: row.recipient_person,
      title: row.title,
      adit_document_id: row.adit_document_id,
    },
  };
}

function describeRoute(route: Exclude<Route, { kind: 'none' }>): string {
  const s = route.service;
  const address = `${s.xRoadInstance}/${s.memberClass}/${s.memberCode}/${s.subsystemCode}`;
  return route.kind === 'direct' ? `direct ${address}` : `via intermediary ${address} for ${route.recipient}${route.recipientSystem ? `/${route.recipientSystem}` : ''}`;
}

function targetOf(route: Exclude<Route, { kind: 'none' }>): SendTarget {
  if (route.kind === 'direct') return { service: route.service };
  return { service: route.service, recipient: route.recipient, ...(route.recipientSystem ? { recipientSystem: route.recipientSystem } : {}) };
}

export type Finish =
  | { to: 'sent'; receiptId?: string; duplicate: boolean; aditDocumentId?: string }
  | { to: 'handed'; dhlId: string }
  | { to: 'failed'; code: FailureCode; faultCode: string; message: string }
  | { to: 'retrying' | 'ambiguous'; code: FailureCode; message: string };

/** A failed attempt's end as its code's set says (src/errors.ts); `faultCode`: the receiver's own, if it gave one. */
export function failureFinish(code: FailureCode, message: string, faultCode: string = code): Finish {
  const kind = failureKind(code);
  switch (kind) {
    case 'retryable':
      return { to: 'retrying', code, message };
    case 'ambiguous':
      return { to: 'ambiguous', code, message };
    case 'permanent':
      return { to: 'failed', code, faultCode, message };
    default:
      return kind satisfies never;
  }
}

/**
 * Records the attempt's end as one statement (the row, its history row and, for a delivered opinion, its
 * case change together), only if the row is still the claim we made (state `sending`, this attempt).
 */
export async function finish(d: Pick<SendDeps, 'pool' | 'schedule' | 'log'>, id: string, attempt: number, given: Finish, route: string | null): Promise<AttemptResult> {
  // A receiver's fault text may quote the document: stored with personal codes masked and, for a
  // restricted case, without its titles (docs/operations.md, "Privacy"). Failures are rare: one more query then.
  const f: Finish = given.to === 'sent' || given.to === 'handed' ? given : { ...given, message: storableMessage(given.message, await confidentialOf(d.pool, id)) };
  let set: string;
  let params: unknown[];
  let result: AttemptResult;
  switch (f.to) {
    case 'sent':
      set = `state = 'sent', receipt_id = $4, adit_document_id = coalesce($5, adit_document_id), delivered_at = now(), adit_checked_at = NULL, fault_code = NULL, fault_message = NULL, failure_code = NULL`;
      params = [f.receiptId ?? null, f.aditDocumentId ?? null];
      result = { kind: 'sent', attempt, duplicate: f.duplicate, ...(f.receiptId ? { receiptId: f.receiptId } : {}) };
      break;
    case 'handed':
      // Still `sending`, now with DVK's dhl_id: the DVK follow-up takes it from here.
      set = `state = 'sending', dhl_id = $4, dvk_checked_at = NULL, fault_code = NULL, fault_message = NULL, failure_code = NULL`;
      params = [f.dhlId];
      result = { kind: 'handed', attempt, dhlId: f.dhlId };
      break;
    case 'failed':
      set = `state = 'failed', fault_code = $4, fault_message = $5, failure_code = $6`;
      params = [f.faultCode, f.message, f.code];
      result = { kind: 'failed', attempt, code: f.code, faultCode: f.faultCode };
      break;
    case 'retrying':
    case 'ambiguous': {
      const wait = d.schedule[attempt - 1];
      // Transient failures are finite: past the schedule they fail. An ambiguous send may have arrived,
      // so it is never called failed by itself: it waits for an operator (dhx outbound resend|delivered).
      const state = wait === undefined && f.to === 'retrying' ? OutboundState.failed : f.to;
      set = `state = $4, fault_code = $5, fault_message = $6, failure_code = $5, may_have_arrived = may_have_arrived OR $7,
             next_attempt_at = CASE WHEN $8::double precision IS NULL THEN NULL ELSE now() + make_interval(secs => $8::double precision) END`;
      // Only a request that left without its answer may have arrived (DHX §7 then reads a DHX.Duplicate as delivered).
      params = [state, f.code, f.message, f.code === FailureCode.RESPONSE_LOST, wait ?? null];
      result =
        state === OutboundState.failed
          ? { kind: 'failed', attempt, code: f.code, faultCode: f.code }
          : { kind: f.to, attempt, code: f.code, ...(wait === undefined ? {} : { delayMs: wait * 1000 }) };
      break;
    }
    default:
      return f satisfies never;
  }
  const detail: Record<string, unknown> = { attempt, ...(route ? { route } : {}) };
  if (f.to === 'sent') Object.assign(detail, { receiptId: f.receiptId ?? null, duplicate: f.duplicate, ...(f.aditDocumentId ? { aditDocumentId: f.aditDocumentId } : {}) });
  else if (f.to === 'handed') Object.assign(detail, { dhlId: f.dhlId, waiting: 'DVK delivery' });
  else Object.assign(detail, { code: f.code, message: f.message, ...(f.to === 'failed' ? { faultCode: f.faultCode } : {}) });
  if ((result.kind === 'retrying' || result.kind === 'ambiguous') && result.delayMs !== undefined) detail.nextInSeconds = result.delayMs / 1000;
  const n = params.length + 4;
  const r = await d.pool.query<{ id: string }>(
    prepared(
      `WITH ${outboundTransitionCte({
         set: `${set}, route = $3`,
         where: `o.id = $1 AND o.state = 'sending' AND o.attempts = $2`,
         returning: 'o.kind, o.case_id',
         historyState: `$${n}`,
         detail: `$${n + 1}::jsonb`,
       })},
       -- A delivered opinion answers its case.
       answered AS (${markAnsweredStatement(`(SELECT case_id FROM upd WHERE kind = 'opinion' AND $${n} = 'sent')`)})
       SELECT id FROM upd`,
      [id, attempt, route, ...params, result.kind === 'handed' ? OutboundState.sending : result.kind, JSON.stringify(detail)],
    ),
  );
  if (!r.rowCount) {
    d.log.warn({ outboundId: id, attempt }, 'the row changed during the send; outcome not recorded');
    return { kind: 'skipped', state: 'changed' };
  }
  return result;
}

/**
 * A send that failed on our side before an answer: the capsule cannot be read (INTERNAL, an operator
 * decides) or PostgreSQL went away while it was read (DB_UNAVAILABLE, retried), by the error's code as
 * intake maps it. The same for every transport.
 */
function ourSideFailure(err: unknown, log: Logger, what: 'capsule' | 'document'): Finish {
  const code = failureCodeOfDb(err);
  const message = err instanceof BlobMissingError ? err.message : `the ${what} could not be sent: ${(err as Error).message}`;
  log.error({ err: (err as Error).message, code }, 'send failed on our side');
  return failureFinish(code, message);
}

function finishOf(out: SendOutcome): Finish {
  switch (out.kind) {
    case 'delivered':
      return { to: 'sent', duplicate: out.duplicate, ...(out.receiptId ? { receiptId: out.receiptId } : {}) };
    case 'rejected':
      return failureFinish(out.code, out.faultString, out.faultCode);
    case 'retry':
    case 'ambiguous':
      return failureFinish(out.code, out.message);
    default:
      return out satisfies never;
  }
}

/** One attempt for document `id`. Safe to call twice at once: the claim lets one through. */
export async function attemptSend(d: SendDeps, id: string): Promise<AttemptResult> {
  const c = await claim(d.pool, id);
  if ('kind' in c) return c;
  const log = d.log.child({ outboundId: id, stage: 'send', attempt: c.attempt });
  // The one place the transport is chosen: the row's own (adit: to a person), else OUTBOUND_TRANSPORT.
  if (c.row.transport === 'adit') return attemptAdit(d, id, c, log);
  if (d.transport === 'dvk') return attemptDvk(d, id, c, log);
  const row = c.row;
  let route: Route;
  try {
    route = await resolveRoute(d.pool, row.recipient_code, { instance: d.instance, ...(row.recipient_system ? { system: row.recipient_system } : {}) });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'address book lookup failed');
    return finish(d, id, c.attempt, failureFinish(failureCodeOfDb(err), (err as Error).message), null);
  }
  if (route.kind === 'none') {
    log.warn({ recipient: row.recipient_code, reason: route.reason }, 'no DHX route');
    return finish(d, id, c.attempt, failureFinish(FailureCode.NO_DHX_CAPABILITY, route.reason), null);
  }
  const via = describeRoute(route);
  let outcome: SendOutcome;
  try {
    const capsule = await openBlob(d.pool, d.store, row.blob_sha256);
    outcome = await sendDocument(d.dhx, { target: targetOf(route), consignmentId: row.consignment_id, capsule, resend: c.resend });
  } catch (err) {
    return finish(d, id, c.attempt, ourSideFailure(err, log, 'capsule'), via);
  }
  const result = await finish(d, id, c.attempt, finishOf(outcome), via);
  log.info({ outcome: result.kind, route: via, xroadId: outcome.xroadId }, 'send attempt');
  return result;
}

const DVK_ROUTE = 'dvk';

function dvkFinish(out: DvkSendOutcome): Finish {
  switch (out.kind) {
    case 'accepted':
      return { to: 'handed', dhlId: out.dhlId };
    case 'rejected':
      return failureFinish(out.code, out.faultString, out.faultCode);
    case 'retry':
    case 'ambiguous':
      return failureFinish(out.code, out.message);
    default:
      return out satisfies never;
  }
}

/**
 * One attempt through DVK (docs/dvk.md, "Sending"): no address-book lookup (DVK routes by the capsule's
 * recipient), the capsule read whole (DVK takes it gzipped) and posted by sendDocuments v4. The outcome goes
 * through the same finish as DHX's: a failure by its FailureCode's set on DHX_SEND_RETRY_SCHEDULE, success
 * as `handed` (state `sending`, dhl_id kept) for the follow-up.
 */
async function attemptDvk(d: SendDeps, id: string, c: Claim, log: Logger): Promise<AttemptResult> {
  if (!d.dvk) return finish(d, id, c.attempt, failureFinish(FailureCode.CONFIG_INVALID, 'OUTBOUND_TRANSPORT is dvk but DVK_URL is not set'), DVK_ROUTE);
  let outcome: DvkSendOutcome;
  try {
    outcome = await sendDocuments(d.dvk, d.store, await readBlob(d.pool, d.store, c.row.blob_sha256));
  } catch (err) {
    return finish(d, id, c.attempt, ourSideFailure(err, log, 'capsule'), DVK_ROUTE);
  }
  const result = await finish(d, id, c.attempt, dvkFinish(outcome), DVK_ROUTE);
  log.info({ outcome: result.kind, route: DVK_ROUTE, xroadId: outcome.xroadId, ...(outcome.kind === 'accepted' ? { dhlId: outcome.dhlId } : {}) }, 'send attempt');
  return result;
}

const ADIT_ROUTE = 'adit';

/** The capsule's own files (the opinion's PDF etc.) as the ADIT document's files; the capsule itself when it has none. */
async function aditFilesOf(capsule: Buffer, title: string): Promise<AditOutgoingDocument['files']> {
  const parts = new Map<number, Buffer[]>();
  const read = await readCapsuleBuffer(capsule, {
    sink: ({ index }) => {
      const chunks: Buffer[] = [];
      parts.set(index, chunks);
      return new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk), cb()) });
    },
  });
  const files = read.files.map((f) => ({ name: f.fileName, contentType: f.sniffedMimeType, description: f.fileName, data: Buffer.concat(parts.get(f.index) ?? []) }));
  return files.length ? files : [{ name: 'arvamus.xml', contentType: 'application/xml', description: title, data: capsule }];
}

function aditFinish(out: AditSendOutcome): Finish {
  switch (out.kind) {
    case 'sent':
      // Delivered to ADIT: `sent` (an opinion's case answered); opened_at comes later from the ADIT follow-up.
      return { to: 'sent', duplicate: false, aditDocumentId: out.documentId };
    case 'refused':
      // Not joined (or a code that slipped past the check): permanent, and nothing was saved in ADIT.
      return failureFinish(FailureCode.ADIT_REFUSED, out.error, out.reason === 'not_joined' ? 'ADIT.NotJoined' : 'ADIT.InvalidPersonalCode');
    case 'failed':
      return failureFinish(out.code, `ADIT ${out.stage}: ${out.error}`);
    default:
      return out satisfies never;
  }
}

/**
 * Keeps ADIT's document id on the row as soon as saveDocument answered (before sendDocument), with a history
 * row, only while the row is still this attempt's claim: a retry after a failed sendDocument then sends that
 * document instead of saving a second copy.
 */
async function keepAditDocumentId(pool: Pool, id: string, attempt: number, documentId: string): Promise<void> {
  const r = await pool.query(
    prepared(
      `WITH ${outboundTransitionCte({
        set: `adit_document_id = $3`,
        where: `o.id = $1 AND o.state = 'sending' AND o.attempts = $2`,
        historyState: `'sending'`,
        detail: `jsonb_build_object('attempt', $2::int, 'aditDocumentId', $3::text, 'step', 'saved in ADIT')`,
      })} SELECT id FROM upd`,
      [id, attempt, documentId],
    ),
  );
  if (!r.rowCount) throw new Error('the row changed during the send; ADIT document id not kept');
}

/**
 * One attempt to a person through ADIT (docs/adit.md, "Sending to a person"): getUserInfo first (not
 * joined: `failed`, ADIT_REFUSED, nothing saved in ADIT), then saveDocument v1 + sendDocument v2 with the
 * opinion's capsule as the document's file. ADIT's document id is kept on the row right after saveDocument, so
 * an attempt after a failed sendDocument goes straight to sendDocument with it (no second copy in ADIT).
 * A successful sendDocument is `sent` with ADIT's document id; failures by their FailureCode's set on
 * DHX_SEND_RETRY_SCHEDULE, as DHX and DVK. The personal code is never logged.
 */
async function attemptAdit(d: SendDeps, id: string, c: Claim, log: Logger): Promise<AttemptResult> {
  if (!d.adit) return finish(d, id, c.attempt, failureFinish(FailureCode.CONFIG_INVALID, 'the document goes through ADIT but ADIT_SERVICE is not set'), ADIT_ROUTE);
  if (!c.row.recipient_person) return finish(d, id, c.attempt, failureFinish(FailureCode.INTERNAL, 'an ADIT document without its recipient person'), ADIT_ROUTE);
  let outcome: AditSendOutcome;
  try {
    const saved = c.row.adit_document_id ?? undefined;
    // Already saved in ADIT by an earlier attempt: only sendDocument, nothing to read or save again.
    const files = saved ? [] : await aditFilesOf(await readBlob(d.pool, d.store, c.row.blob_sha256), c.row.title);
    if (saved) log.info({ aditDocumentId: saved }, 'ADIT already holds the document from an earlier attempt: sending it');
    outcome = await sendToPerson(
      d.adit,
      d.store,
      c.row.recipient_person,
      { guid: c.row.consignment_id, title: c.row.title, documentType: 'letter', files },
      { ...(saved ? { savedDocumentId: saved } : {}), onSaved: (documentId) => keepAditDocumentId(d.pool, id, c.attempt, documentId) },
    );
  } catch (err) {
    return finish(d, id, c.attempt, ourSideFailure(err, log, 'document'), ADIT_ROUTE);
  }
  const result = await finish(d, id, c.attempt, aditFinish(outcome), ADIT_ROUTE);
  if (result.kind !== 'skipped' && result.kind !== 'not-due' && result.kind !== 'handed') {
    d.aditCounters?.send(outcome.kind === 'refused' && outcome.reason === 'not_joined' ? 'not_joined' : result.kind);
  }
  log.info({ outcome: result.kind, route: ADIT_ROUTE, ...(outcome.kind === 'sent' ? { aditDocumentId: outcome.documentId } : {}) }, 'send attempt');
  return result;
}
