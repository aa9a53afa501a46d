import fs from 'node:fs';
import type https from 'node:https';
import { Readable } from 'node:stream';
import type { BlobStore, StoredTemp } from '../blob/store';
import type { Config } from '../config';
import { securityServerAgent } from '../xroad/agent';
import { requestHeader } from '../xroad/dhx-request';
import type { XRoadClientId, XRoadServiceId } from '../xroad/header';
import { postSoap } from '../xroad/post';
import { readSoapRequest } from '../xroad/swa';
import {
  decodeDocuments,
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
  service: Omit<XRoadServiceId, 'serviceCode' | 'serviceVersion'>;
  timeoutMs: number;
  /** Bounds the answer and the unzipped documents. */
  maxBytes: number;
  agent?: https.Agent;
}

/** DVK_SERVICE (`INSTANCE/CLASS/CODE/SUBSYSTEM`) as a service id. */
export function parseDvkService(s: string): Omit<XRoadServiceId, 'serviceCode' | 'serviceVersion'> {
  const [xRoadInstance, memberClass, memberCode, subsystemCode] = s.split('/');
  if (!xRoadInstance || !memberClass || !memberCode || !subsystemCode) throw new Error(`DVK_SERVICE ${s} is not INSTANCE/CLASS/CODE/SUBSYSTEM`);
  return { xRoadInstance, memberClass, memberCode, subsystemCode };
}

export function dvkClientOptions(config: Pick<Config, 'xroad' | 'dvk' | 'dhx'>): DvkClientOptions {
  const x = config.xroad;
  return {
    url: config.dvk.url,
    client: { objectType: 'SUBSYSTEM', xRoadInstance: x.instance, memberClass: x.memberClass, memberCode: x.memberCode, subsystemCode: x.subsystem },
    service: parseDvkService(config.dvk.service),
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

async function exchange(
  opts: DvkClientOptions,
  envelope: string,
  store: BlobStore,
): Promise<{ kind: 'ok'; status: number; envelope: Buffer; attachments: Map<string, StoredTemp> } | DvkFailure> {
  const r = await postSoap(opts.url, {
    contentType: 'text/xml; charset=utf-8',
    body: envelope,
    timeoutMs: opts.timeoutMs,
    maxResponseBytes: opts.maxBytes + 1024 * 1024,
    ...(opts.agent ? { agent: opts.agent } : {}),
  });
  if (r.kind === 'failed') return { kind: 'failed', reason: r.timedOut ? 'timeout' : 'network', error: r.message };
  try {
    const read = await readSoapRequest(Readable.from([r.body]), { 'content-type': r.contentType }, store, {
      maxEnvelopeBytes: 4 * 1024 * 1024,
      maxAttachmentBytes: opts.maxBytes,
      inlineMax: opts.maxBytes,
      idleMs: opts.timeoutMs,
    });
    return { kind: 'ok', status: r.status, envelope: read.envelope, attachments: read.attachments };
  } catch (err) {
    return { kind: 'failed', reason: 'malformed', error: `HTTP ${r.status}: the answer cannot be read: ${(err as Error).message}` };
  }
}

async function bytesOf(temp: StoredTemp): Promise<Buffer> {
  return temp.bytes ?? (await fs.promises.readFile(temp.path!));
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
      raw = await bytesOf(part);
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
