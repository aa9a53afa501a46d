import type https from 'node:https';
import { Readable } from 'node:stream';
import type { BlobStore } from '../blob/store';
import type { Config } from '../config';
import { securityServerAgent } from '../xroad/agent';
import { requestHeader } from '../xroad/dhx-request';
import { ourClientId, parseServiceSetting, type XRoadClientId, type XRoadServiceBase } from '../xroad/header';
import { attachmentBytes, exchangeSoap, type SoapExchange } from '../xroad/exchange';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { FailureCode } from '../errors';
import { undelivered, type SendOutcome } from '../xroad/dhx-client';
import { swaRequestBody } from '../xroad/swa-body';
import {
  decodeDocuments,
  getSendStatusEnvelope,
  parseDhlIds,
  parseGetSendStatusResponse,
  parseSendDocumentsResponse,
  parseSendStatusItems,
  sendDocumentsEnvelope,
  sendStatusItemsXml,
  type DocumentsRef,
  type SendStatusItem,
  DvkResponseError,
  markDocumentsReceivedEnvelope,
  parseMarkDocumentsReceivedResponse,
  parseReceiveDocumentsResponse,
  receiveDocumentsEnvelope,
  splitContainers,
  type MarkItem,
} from './messages';

/**
 * The DVK client (docs/dvk.md): receiveDocuments v4 and markDocumentsReceived v3 over X-Road message
 * protocol 4.0, as our X-Road client, to DVK_URL. Answers are SOAP with Attachments (the documents are a
 * multipart/related part holding gzip(xml)), read with the project's own SwA reader (src/xroad/swa.ts):
 * the `soap` package reads no attachments. Failures are values, never thrown.
 */

export interface DvkClientOptions {
  url: string;
  client: XRoadClientId;
  /** The DVK service without operation and version: `{instance}/GOV/70006317/dhl`. */
  service: XRoadServiceBase;
  timeoutMs: number;
  /** Bounds the answer and the unzipped documents. */
  maxBytes: number;
  agent?: https.Agent;
}

export function dvkClientOptions(config: Pick<Config, 'xroad' | 'dvk' | 'dhx'>): DvkClientOptions {
  const x = config.xroad;
  return {
    url: config.dvk.url,
    client: ourClientId(x),
    service: parseServiceSetting('DVK_SERVICE', config.dvk.service),
    timeoutMs: config.dvk.timeoutSeconds * 1000,
    maxBytes: Math.ceil(config.dhx.maxCapsuleBytes * 1.4) * Math.max(1, config.dvk.batch),
    ...(config.dvk.url.startsWith('https:') ? { agent: securityServerAgent(config) } : {}),
  };
}

export type DvkFailure = { kind: 'failed'; reason: 'network' | 'timeout' | 'http' | 'soap_fault' | 'malformed'; error: string };
export type ReceiveResult = { kind: 'ok'; containers: Buffer[] } | DvkFailure;
export type MarkResult = { kind: 'ok'; answer: string } | DvkFailure;

function header(opts: DvkClientOptions, serviceCode: string, serviceVersion: string) {
  return requestHeader({ client: opts.client, service: { ...opts.service, serviceCode, serviceVersion } });
}

type Exchanged = Extract<SoapExchange, { kind: 'answered' }>;

/** The request as SwA: the envelope and one attachment holding base64(gzip(`xml`)), as DVK expects (soapxml/*_manus). */
function withAttachment(envelopeOf: (contentId: string) => string, xml: Buffer): { contentType: string; body: Readable } {
  const contentId = `dvk-${randomUUID()}`;
  return swaRequestBody(envelopeOf(contentId), [{ contentId, contentType: 'application/octet-stream', source: Readable.from([gzipSync(xml)]) }]);
}

async function exchange(opts: DvkClientOptions, envelope: string | { contentType: string; body: Readable }, store: BlobStore): Promise<Exchanged | DvkFailure> {
  const request = typeof envelope === 'string' ? { contentType: 'text/xml; charset=utf-8', body: envelope } : envelope;
  const r = await exchangeSoap(opts.url, request, store, opts);
  if (r.kind === 'failed') return { kind: 'failed', reason: r.timedOut ? 'timeout' : 'network', error: r.message };
  if (r.kind === 'unreadable') return { kind: 'failed', reason: 'malformed', error: r.message };
  return r;
}

/** receiveDocuments v4: up to `arv` documents, each a capsule's bytes (one DecContainer). */
export async function receiveDocuments(opts: DvkClientOptions, store: BlobStore, arv: number): Promise<ReceiveResult> {
  const ex = await exchange(opts, receiveDocumentsEnvelope(header(opts, 'receiveDocuments', 'v4'), arv), store);
  if (ex.kind === 'failed') return ex;
  try {
    const answer = parseReceiveDocumentsResponse(ex.envelope);
    if (answer.kind === 'soapFault') return { kind: 'failed', reason: 'soap_fault', error: `SOAP Fault ${answer.faultCode}: ${answer.faultString}` };
    if (ex.status !== 200) return { kind: 'failed', reason: 'http', error: `HTTP ${ex.status}` };
    const ref = answer.value;
    let raw: Buffer;
    if (ref.kind === 'none') return { kind: 'ok', containers: [] };
    if (ref.kind === 'inline') raw = Buffer.from(ref.base64, 'base64');
    else {
      const part = ex.attachments.get(ref.contentId);
      if (!part) throw new DvkResponseError(`the answer refers to attachment ${ref.contentId}, which it does not carry`);
      raw = await attachmentBytes(part);
    }
    return { kind: 'ok', containers: splitContainers(decodeDocuments(raw, opts.maxBytes)) };
  } catch (err) {
    return { kind: 'failed', reason: 'malformed', error: `HTTP ${ex.status}: ${(err as Error).message}` };
  } finally {
    for (const a of ex.attachments.values()) await store.discard(a);
  }
}

/** markDocumentsReceived v3 for these items. */
export async function markDocumentsReceived(opts: DvkClientOptions, store: BlobStore, items: readonly MarkItem[]): Promise<MarkResult> {
  const ex = await exchange(opts, markDocumentsReceivedEnvelope(header(opts, 'markDocumentsReceived', 'v3'), items), store);
  if (ex.kind === 'failed') return ex;
  try {
    const answer = parseMarkDocumentsReceivedResponse(ex.envelope);
    if (answer.kind === 'soapFault') return { kind: 'failed', reason: 'soap_fault', error: `SOAP Fault ${answer.faultCode}: ${answer.faultString}` };
    if (ex.status !== 200) return { kind: 'failed', reason: 'http', error: `HTTP ${ex.status}` };
    if (answer.value.toUpperCase() !== 'OK') return { kind: 'failed', reason: 'malformed', error: `markDocumentsReceived answered ${answer.value}` };
    return { kind: 'ok', answer: answer.value };
  } catch (err) {
    return { kind: 'failed', reason: 'malformed', error: `HTTP ${ex.status}: ${(err as Error).message}` };
  } finally {
    for (const a of ex.attachments.values()) await store.discard(a);
  }
}

/** The bytes a reference names: the attachment's or the inline base64's, decoded (base64 / gzip) and bounded. */
async function dataOf(ref: DocumentsRef, ex: Exchanged, maxBytes: number): Promise<Buffer | undefined> {
  if (ref.kind === 'none') return undefined;
  let raw: Buffer;
  if (ref.kind === 'inline') raw = Buffer.from(ref.base64, 'base64');
  else {
    const part = ex.attachments.get(ref.contentId);
    if (!part) throw new DvkResponseError(`the answer refers to attachment ${ref.contentId}, which it does not carry`);
    raw = await attachmentBytes(part);
  }
  return decodeDocuments(raw, maxBytes);
}

/** A sendDocuments attempt: DVK took the capsule and named its dhl_id, or the attempt's outcome as DHX sending names it. */
export type DvkSendOutcome = { kind: 'accepted'; dhlId: string; xroadId: string } | Exclude<SendOutcome, { kind: 'delivered' }>;

/**
 * sendDocuments v4: the capsule as base64(gzip(xml)) swaRef attachment. Failures are classified as a DHX
 * sendDocument's are (src/xroad/dhx-client.ts classifySendAnswer), so the durable retry schedule applies:
 * refused connection NETWORK_ERROR, HTTP error REMOTE_HTTP_ERROR, SOAP Fault REMOTE_SOAP_FAULT (retrying);
 * no answer after the request left, or a 2xx that is not a sendDocuments answer, RESPONSE_LOST (ambiguous);
 * a failed TLS handshake TLS_HANDSHAKE_FAILED (failed).
 */
export async function sendDocuments(opts: DvkClientOptions, store: BlobStore, capsule: Buffer): Promise<DvkSendOutcome> {
  const head = header(opts, 'sendDocuments', 'v4');
  const ex = await exchangeSoap(opts.url, withAttachment((cid) => sendDocumentsEnvelope(head, cid), capsule), store, opts);
  const xroadId = head.id;
  if (ex.kind === 'failed') {
    if (ex.tls) return undelivered(FailureCode.TLS_HANDSHAKE_FAILED, `TLS handshake with the security server failed: ${ex.message.split('\n')[0]}`, xroadId);
    if (ex.sent) return undelivered(FailureCode.RESPONSE_LOST, `${ex.timedOut ? 'no answer in time' : 'the connection broke'} after sendDocuments was sent: ${ex.message}`, xroadId);
    return undelivered(FailureCode.NETWORK_ERROR, `${ex.errno ? `${ex.errno}: ` : ''}${ex.message}`, xroadId);
  }
  const lost = (why: string) =>
    ex.status >= 400 ? undelivered(FailureCode.REMOTE_HTTP_ERROR, `HTTP ${ex.status}: ${why}`, xroadId) : undelivered(FailureCode.RESPONSE_LOST, `HTTP ${ex.status} without a sendDocuments answer: ${why}`, xroadId);
  if (ex.kind === 'unreadable') return lost(ex.message);
  try {
    const answer = parseSendDocumentsResponse(ex.envelope);
    if (answer.kind === 'soapFault') return undelivered(FailureCode.REMOTE_SOAP_FAULT, `SOAP Fault ${answer.faultCode}: ${answer.faultString}`, xroadId);
    if (ex.status !== 200) return undelivered(FailureCode.REMOTE_HTTP_ERROR, `HTTP ${ex.status}`, xroadId);
    const ids = answer.value.inlineIds.length ? answer.value.inlineIds : parseDhlIds((await dataOf(answer.value.ref, ex, opts.maxBytes)) ?? Buffer.alloc(0));
    return { kind: 'accepted', dhlId: ids[0]!, xroadId };
  } catch (err) {
    return lost((err as Error).message);
  } finally {
    for (const a of ex.attachments.values()) await store.discard(a);
  }
}

export type SendStatusResult = { kind: 'ok'; items: SendStatusItem[] } | DvkFailure;

/** getSendStatus v2 for these dhl_ids (attachment `item/dhl_id`, staatuse_ajalugu true). */
export async function getSendStatus(opts: DvkClientOptions, store: BlobStore, dhlIds: readonly string[]): Promise<SendStatusResult> {
  const head = header(opts, 'getSendStatus', 'v2');
  const ex = await exchange(opts, withAttachment((cid) => getSendStatusEnvelope(head, cid), Buffer.from(sendStatusItemsXml(dhlIds), 'utf8')), store);
  if (ex.kind === 'failed') return ex;
  try {
    const answer = parseGetSendStatusResponse(ex.envelope);
    if (answer.kind === 'soapFault') return { kind: 'failed', reason: 'soap_fault', error: `SOAP Fault ${answer.faultCode}: ${answer.faultString}` };
    if (ex.status !== 200) return { kind: 'failed', reason: 'http', error: `HTTP ${ex.status}` };
    const data = await dataOf(answer.value, ex, opts.maxBytes);
    return { kind: 'ok', items: data ? parseSendStatusItems(data) : [] };
  } catch (err) {
    return { kind: 'failed', reason: 'malformed', error: `HTTP ${ex.status}: ${(err as Error).message}` };
  } finally {
    for (const a of ex.attachments.values()) await store.discard(a);
  }
}
