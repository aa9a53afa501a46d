import type https from 'node:https';
import { Readable } from 'node:stream';
import type { BlobStore } from '../blob/store';
import type { Config } from '../config';
import { FailureCode } from '../errors';
import { securityServerAgent } from '../xroad/agent';
import { requestHeader } from '../xroad/dhx-request';
import { ourClientId, parseServiceSetting, type XRoadClientId, type XRoadServiceBase } from '../xroad/header';
import { attachmentBytes, exchangeSoap } from '../xroad/exchange';
import { swaRequestBody } from '../xroad/swa-body';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  aditEnvelope,
  decodeAttachment,
  documentIdOf,
  saveDocumentXml,
  sendStatusRequestXml,
  userInfoRequestXml,
  type AditOutgoingDocument,
  type AditRecipientStatus,
  type AditUserInfo,
  getDocumentBody,
  getDocumentListBody,
  markDocumentViewedBody,
  parseAditAnswer,
  parseDocument,
  parseDocumentList,
  parseSendStatus,
  parseUserInfo,
  type AditDocument,
  type AditListItem,
  type AditMessage,
} from './messages';

/**
 * The ADIT client (docs/adit.md): getDocumentList v2, getDocument v3 and markDocumentViewed v1 over X-Road
 * message protocol 4.0 through XROAD_SECURITY_SERVER (`/cgi-bin/consumer_proxy`), with `xrd:userId` and
 * `adit:infosysteem` in the header. Answers (SwA: the list and the document are attachments holding
 * base64(gzip(xml))) are read with the project's SwA reader. Failures are values, never thrown.
 */

export interface AditClientOptions {
  url: string;
  client: XRoadClientId;
  service: XRoadServiceBase;
  userId: string;
  infosystem: string;
  timeoutMs: number;
  maxBytes: number;
  agent?: https.Agent;
}

export function aditClientOptions(config: Pick<Config, 'xroad' | 'adit' | 'dhx'>): AditClientOptions {
  const x = config.xroad;
  return {
    url: `${x.securityServer}/cgi-bin/consumer_proxy`,
    client: ourClientId(x),
    service: parseServiceSetting('ADIT_SERVICE', config.adit.service),
    userId: config.adit.userCode,
    infosystem: config.adit.infosystem,
    timeoutMs: config.dhx.sendTimeoutSeconds * 1000,
    maxBytes: Math.ceil(config.dhx.maxCapsuleBytes * 1.4),
    ...(x.securityServer.startsWith('https:') ? { agent: securityServerAgent(config) } : {}),
  };
}

/**
 * A failed exchange. `code` is the FailureCode it maps to (src/errors.ts): network, HTTP and SOAP Fault are
 * retryable; `success=false` is ADIT_UNAVAILABLE (retryable: ADIT's database or the state portal is down)
 * or ADIT_REFUSED (permanent: no such user or document, not the owner, a wrong request), ADIT's messages kept.
 */
export type AditFailure = {
  kind: 'failed';
  reason: 'network' | 'timeout' | 'http' | 'soap_fault' | 'malformed' | 'refused';
  code: FailureCode;
  error: string;
  messages?: AditMessage[];
};

const UNAVAILABLE = /service error|database|andmebaas|unavailable|kättesaamatu|not available|riigiportaal|timeout|try again/i;

/** A `success=false` answer's FailureCode: ADIT_UNAVAILABLE when its messages say ADIT cannot serve now, else ADIT_REFUSED. */
export function classifyAditMessages(messages: readonly AditMessage[]): FailureCode {
  return messages.some((m) => UNAVAILABLE.test(m.text)) ? FailureCode.ADIT_UNAVAILABLE : FailureCode.ADIT_REFUSED;
}

function fail(reason: AditFailure['reason'], error: string, code?: FailureCode): AditFailure {
  const c = code ?? (reason === 'network' || reason === 'timeout' ? FailureCode.NETWORK_ERROR : reason === 'http' ? FailureCode.REMOTE_HTTP_ERROR : reason === 'soap_fault' ? FailureCode.REMOTE_SOAP_FAULT : FailureCode.RESPONSE_LOST);
  return { kind: 'failed', reason, code: c, error };
}

/**
 * One operation: the request posted (with `attachment`, as SOAP with Attachments holding it gzipped, the
 * body naming it by `cid`), the answer read, success checked, the attachment it names (if `wantAttachment`)
 * decoded, and the document id it names kept.
 */
async function call(
  opts: AditClientOptions,
  store: BlobStore,
  op: { code: string; version: string; body: Record<string, unknown> | ((cid: string) => Record<string, unknown>); attachment?: Buffer; wantAttachment: boolean },
): Promise<{ kind: 'ok'; data?: Buffer; documentId?: string; messages: AditMessage[] } | AditFailure> {
  const header = requestHeader({ client: opts.client, service: { ...opts.service, serviceCode: op.code, serviceVersion: op.version } });
  const envelopeOf = (body: Record<string, unknown>): string => aditEnvelope(header, { userId: opts.userId, infosystem: opts.infosystem }, body);
  let request: { contentType: string; body: string | Readable };
  if (op.attachment) {
    const cid = `adit-${randomUUID()}`;
    const body = typeof op.body === 'function' ? op.body(cid) : op.body;
    request = swaRequestBody(envelopeOf(body), [{ contentId: cid, contentType: 'application/octet-stream', source: Readable.from([gzipSync(op.attachment)]) }]);
  } else {
    request = { contentType: 'text/xml; charset=utf-8', body: envelopeOf(typeof op.body === 'function' ? op.body('') : op.body) };
  }
  const ex = await exchangeSoap(opts.url, request, store, opts);
  if (ex.kind === 'failed') return fail(ex.timedOut ? 'timeout' : 'network', ex.message);
  if (ex.kind === 'unreadable') return fail(ex.status >= 400 ? 'http' : 'malformed', ex.message);
  try {
    const answer = parseAditAnswer(ex.envelope);
    if (answer.kind === 'soapFault') return fail('soap_fault', `SOAP Fault ${answer.faultCode}: ${answer.faultString}`);
    if (ex.status !== 200) return fail('http', `HTTP ${ex.status}`);
    if (!answer.success) {
      const text = answer.messages.map((m) => m.text).join('; ') || 'success=false without a message';
      return { ...fail('refused', `${op.code}: ${text}`, classifyAditMessages(answer.messages)), messages: answer.messages };
    }
    const documentId = documentIdOf(answer.keha);
    if (!op.wantAttachment) return { kind: 'ok', messages: answer.messages, ...(documentId ? { documentId } : {}) };
    if (!answer.href) throw new Error(`${op.code} answered success without an attachment`);
    const part = ex.attachments.get(answer.href);
    if (!part) throw new Error(`the answer refers to attachment ${answer.href}, which it does not carry`);
    return { kind: 'ok', data: decodeAttachment(await attachmentBytes(part), opts.maxBytes * 4), messages: answer.messages };
  } catch (err) {
    return fail('malformed', `HTTP ${ex.status}: ${(err as Error).message}`);
  } finally {
    for (const a of ex.attachments.values()) await store.discard(a);
  }
}

export type ListResult = { kind: 'ok'; documents: AditListItem[] } | AditFailure;
export type DocumentResult = { kind: 'ok'; document: AditDocument } | AditFailure;
export type MarkResult = { kind: 'ok' } | AditFailure;

/** getDocumentList v2: incoming documents not yet viewed. */
export async function getDocumentList(opts: AditClientOptions, store: BlobStore, maxResults = 50): Promise<ListResult> {
  const r = await call(opts, store, { code: 'getDocumentList', version: 'v2', body: getDocumentListBody(maxResults), wantAttachment: true });
  if (r.kind === 'failed') return r;
  try {
    return { kind: 'ok', documents: parseDocumentList(r.data!) };
  } catch (err) {
    return fail('malformed', `getDocumentList: ${(err as Error).message}`);
  }
}

/** getDocument v3 with file contents. */
export async function getDocument(opts: AditClientOptions, store: BlobStore, documentId: string): Promise<DocumentResult> {
  const r = await call(opts, store, { code: 'getDocument', version: 'v3', body: getDocumentBody(documentId), wantAttachment: true });
  if (r.kind === 'failed') return r;
  try {
    const document = parseDocument(r.data!);
    if (document.id && document.id !== documentId) throw new Error(`asked for document ${documentId}, got ${document.id}`);
    return { kind: 'ok', document: { ...document, id: documentId } };
  } catch (err) {
    return fail('malformed', `getDocument: ${(err as Error).message}`);
  }
}

/** markDocumentViewed v1. */
export async function markDocumentViewed(opts: AditClientOptions, store: BlobStore, documentId: string): Promise<MarkResult> {
  const r = await call(opts, store, { code: 'markDocumentViewed', version: 'v1', body: markDocumentViewedBody(documentId), wantAttachment: false });
  return r.kind === 'failed' ? r : { kind: 'ok' };
}

// ---- sending to a person ----


export type UserInfoResult = { kind: 'ok'; users: AditUserInfo[] } | AditFailure;

/** getUserInfo v1: whether these users (personal codes, `EE` prefixed as ADIT writes them) have joined ADIT. */
export async function getUserInfo(opts: AditClientOptions, store: BlobStore, codes: readonly string[]): Promise<UserInfoResult> {
  const r = await call(opts, store, { code: 'getUserInfo', version: 'v1', body: (cid) => ({ 'adit:getUserInfoRequest': { keha: { userList: { '@_href': `cid:${cid}` } } } }), attachment: userInfoRequestXml(codes), wantAttachment: true });
  if (r.kind === 'failed') return r;
  try {
    return { kind: 'ok', users: parseUserInfo(r.data!) };
  } catch (err) {
    return fail('malformed', `getUserInfo: ${(err as Error).message}`);
  }
}

export type SaveResult = { kind: 'ok'; documentId: string } | AditFailure;

/** saveDocument v1: the document created in our ADIT account; ADIT names its id. */
export async function saveDocument(opts: AditClientOptions, store: BlobStore, doc: AditOutgoingDocument): Promise<SaveResult> {
  const r = await call(opts, store, { code: 'saveDocument', version: 'v1', body: (cid) => ({ 'adit:saveDocumentRequest': { keha: { document: { '@_href': `cid:${cid}` } } } }), attachment: saveDocumentXml(doc), wantAttachment: false });
  if (r.kind === 'failed') return r;
  if (!r.documentId) return fail('malformed', 'saveDocument answered success without a document_id');
  return { kind: 'ok', documentId: r.documentId };
}

/** sendDocument v2: the saved document sent to these users. */
export async function sendDocument(opts: AditClientOptions, store: BlobStore, documentId: string, recipients: readonly string[]): Promise<MarkResult> {
  const r = await call(opts, store, { code: 'sendDocument', version: 'v2', body: { 'adit:sendDocumentV2Request': { keha: { document_id: documentId, recipient_list: { code: [...recipients] } } } }, wantAttachment: false });
  return r.kind === 'failed' ? r : { kind: 'ok' };
}

export type SendStatusResult = { kind: 'ok'; recipients: AditRecipientStatus[] } | AditFailure;

/** getSendStatus v2: per recipient of these documents, whether and when they opened it. */
export async function getSendStatus(opts: AditClientOptions, store: BlobStore, documentIds: readonly string[]): Promise<SendStatusResult> {
  const r = await call(opts, store, { code: 'getSendStatus', version: 'v2', body: (cid) => ({ 'adit:getSendStatusV2Request': { keha: { documendid: { '@_href': `cid:${cid}` } } } }), attachment: sendStatusRequestXml(documentIds), wantAttachment: true });
  if (r.kind === 'failed') return r;
  try {
    return { kind: 'ok', recipients: parseSendStatus(r.data!) };
  } catch (err) {
    return fail('malformed', `getSendStatus: ${(err as Error).message}`);
  }
}
