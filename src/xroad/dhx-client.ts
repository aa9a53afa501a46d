import { randomUUID } from 'node:crypto';
import type https from 'node:https';
import type { Readable } from 'node:stream';
import type { Config } from '../config';
import { DhxError, FailureCode, failureKind } from '../errors';
import { securityServerAgent } from './agent';
import { ourClientId, type RepresentedParty, type XRoadClientId } from './header';
import { LocalBodyError, postSoap, type PostResult } from './post';
import { swaRequestBody } from './swa-body';
import {
  DhxResponseError,
  parseRepresentationListResponse,
  parseSendDocumentResponse,
  representationListEnvelope,
  requestHeader,
  sendDocumentEnvelope,
  type RepresenteeIn,
} from './dhx-request';
import { DhxFaultCode } from './dhx-soap';

/**
 * The DHX client: calls other organisations' DHX services through our own security server
 * (`POST {XROAD_SECURITY_SERVER}/cgi-bin/consumer_proxy`, docs/sending.md, "DHX client"), as our X-Road client.
 */

export interface DhxClientOptions {
  /** Base URL of our security server. */
  securityServer: string;
  /** Our X-Road client (SUBSYSTEM), e.g. ee-dev/GOV/70001975/DHX. */
  client: XRoadClientId;
  /** Bounds one exchange. */
  timeoutMs: number;
  /** For an https: security server: the shared keep-alive agent with our client certificate (XROAD_TLS_*). */
  agent?: https.Agent;
}

/** Our client options from the configuration: our security server and our DHX subsystem as the caller. */
export function clientOptionsOf(config: Pick<Config, 'xroad'>, timeoutMs: number): DhxClientOptions {
  const x = config.xroad;
  return {
    securityServer: x.securityServer,
    client: ourClientId(x),
    timeoutMs,
    agent: securityServerAgent(config),
  };
}

export function consumerProxyUrl(securityServer: string): string {
  return `${securityServer.replace(/\/+$/, '')}/cgi-bin/consumer_proxy`;
}

export type RepresentationListResult = { kind: 'ok'; representees: RepresenteeIn[] } | { kind: 'failed'; error: string };

/** DHX representationList of an intermediary (its `DHX` subsystem service, v1). Failures are values. */
export async function callRepresentationList(opts: DhxClientOptions, intermediary: XRoadClientId): Promise<RepresentationListResult> {
  const header = requestHeader({
    client: opts.client,
    service: {
      xRoadInstance: intermediary.xRoadInstance,
      memberClass: intermediary.memberClass,
      memberCode: intermediary.memberCode,
      ...(intermediary.subsystemCode ? { subsystemCode: intermediary.subsystemCode } : {}),
      serviceCode: 'representationList',
      serviceVersion: 'v1',
    },
  });
  const r = await postSoap(consumerProxyUrl(opts.securityServer), {
    contentType: 'text/xml; charset=utf-8',
    body: representationListEnvelope(header),
    timeoutMs: opts.timeoutMs,
    ...(opts.agent ? { agent: opts.agent } : {}),
  });
  if (r.kind === 'failed') return { kind: 'failed', error: `${r.timedOut ? 'timed out' : r.tls ? 'TLS handshake failed' : 'network error'}: ${r.message}` };
  try {
    const a = parseRepresentationListResponse(r.body);
    if (a.kind === 'soapFault') return { kind: 'failed', error: `SOAP Fault ${a.faultCode}: ${a.faultString}` };
    if (r.status !== 200) return { kind: 'failed', error: `HTTP ${r.status}` };
    return { kind: 'ok', representees: a.value };
  } catch (err) {
    if (err instanceof DhxResponseError) return { kind: 'failed', error: `HTTP ${r.status}: ${err.message}` };
    throw err;
  }
}

/** Where a document goes: an addressee's DHX service, or an intermediary's with the representee named. */
export interface SendTarget {
  service: { xRoadInstance: string; memberClass: string; memberCode: string; subsystemCode: string };
  /** Addressing a representee through an intermediary (DHX §4: sendDocument `recipient`). */
  recipient?: string;
  recipientSystem?: string;
}

export interface SendDocumentInput {
  target: SendTarget;
  /** Fixed per outgoing document across every attempt: the receiver's duplicate check keys on it. */
  consignmentId: string;
  /** The capsule, read once as it is sent (e.g. `openBlob`); never held whole in memory. */
  capsule: Readable;
  /** When we send on behalf of an organisation we represent (we are its intermediary). */
  representedParty?: RepresentedParty;
  /** Whether an earlier attempt with this consignmentId may have reached the receiver. */
  resend: boolean;
}

/**
 * How one attempt ended, returned as a value (not thrown). The client only names what happened as a
 * FailureCode; whether that is final, transient or unknown is the code's set in src/errors.ts
 * (`failureKind`), and the outcome's kind is that verdict (`undelivered`):
 * - delivered: a receiptId; or, on a resend, DHX.Duplicate — the earlier attempt got through (DHX §7);
 * - rejected (PERMANENT): the receiver's business fault (its own code kept as given in `faultCode`), or the
 *   TLS handshake with our security server failed (TLS_HANDSHAKE_FAILED: certificates to mend);
 * - retry (RETRYABLE): nothing can have been delivered (connection refused: NETWORK_ERROR; HTTP error:
 *   REMOTE_HTTP_ERROR; SOAP Fault: REMOTE_SOAP_FAULT);
 * - ambiguous (AMBIGUOUS): the request left and no answer came back (timeout, dropped connection, a 2xx
 *   that is not a DHX answer): RESPONSE_LOST.
 */
export type SendOutcome =
  | { kind: 'delivered'; receiptId?: string; duplicate: boolean; xroadId: string }
  | { kind: 'rejected'; code: FailureCode; faultCode: string; faultString: string; xroadId: string }
  | { kind: 'retry'; code: FailureCode; message: string; xroadId: string }
  | { kind: 'ambiguous'; code: FailureCode; message: string; xroadId: string };

const BUSINESS_FAULTS: Record<DhxFaultCode, FailureCode> = {
  [DhxFaultCode.UnsupportedVersion]: FailureCode.DHX_UNSUPPORTED_VERSION,
  [DhxFaultCode.Duplicate]: FailureCode.DHX_DUPLICATE,
  [DhxFaultCode.Validation]: FailureCode.DHX_VALIDATION,
  [DhxFaultCode.InvalidAddressee]: FailureCode.DHX_INVALID_ADDRESSEE,
  [DhxFaultCode.SizeLimitExceeded]: FailureCode.DHX_SIZE_LIMIT_EXCEEDED,
  [DhxFaultCode.SenderDoesNotMatch]: FailureCode.DHX_SENDER_DOES_NOT_MATCH,
};

/**
 * An attempt that did not deliver, as the outcome its code's set says (src/errors.ts decides, not this
 * client). `faultCode` is the receiver's own fault code where it gave one, else the FailureCode.
 */
export function undelivered(code: FailureCode, text: string, xroadId: string, faultCode: string = code): Exclude<SendOutcome, { kind: 'delivered' }> {
  const kind = failureKind(code);
  switch (kind) {
    case 'retryable':
      return { kind: 'retry', code, message: text, xroadId };
    case 'ambiguous':
      return { kind: 'ambiguous', code, message: text, xroadId };
    case 'permanent':
      return { kind: 'rejected', code, faultCode, faultString: text, xroadId };
    default:
      return kind satisfies never;
  }
}

export function classifySendAnswer(r: PostResult, resend: boolean, xroadId: string): SendOutcome {
  if (r.kind === 'failed') {
    if (r.tls) {
      // Nothing reached the security server's consumer proxy; retrying with the same keys fails the same way.
      return undelivered(FailureCode.TLS_HANDSHAKE_FAILED, `TLS handshake with the security server failed: ${r.errno ? `${r.errno}: ` : ''}${r.message.split('\n')[0]}`, xroadId);
    }
    if (r.sent) {
      return undelivered(FailureCode.RESPONSE_LOST, `${r.timedOut ? 'no answer in time' : 'the connection broke'} after the request was sent: ${r.message}`, xroadId);
    }
    return undelivered(FailureCode.NETWORK_ERROR, `${r.errno ? `${r.errno}: ` : ''}${r.message}`, xroadId);
  }
  let answer: ReturnType<typeof parseSendDocumentResponse>;
  try {
    answer = parseSendDocumentResponse(r.body);
  } catch (err) {
    if (!(err instanceof DhxResponseError)) throw err;
    if (r.status >= 400) return undelivered(FailureCode.REMOTE_HTTP_ERROR, `HTTP ${r.status}: ${err.message}`, xroadId);
    // HTTP 2xx/3xx that is not a DHX answer: the receiver may have taken the document.
    return undelivered(FailureCode.RESPONSE_LOST, `HTTP ${r.status} without a DHX answer: ${err.message}`, xroadId);
  }
  if (answer.kind === 'soapFault') {
    return undelivered(FailureCode.REMOTE_SOAP_FAULT, `SOAP Fault ${answer.faultCode}: ${answer.faultString}`, xroadId);
  }
  const value = answer.value;
  if ('receiptId' in value) return { kind: 'delivered', receiptId: value.receiptId, duplicate: false, xroadId };
  const { faultCode, faultString } = value.fault;
  // DHX §7: DHX.Duplicate after a lost answer means the earlier attempt was delivered.
  if (faultCode === DhxFaultCode.Duplicate && resend) return { kind: 'delivered', duplicate: true, xroadId };
  const code = (BUSINESS_FAULTS as Record<string, FailureCode | undefined>)[faultCode] ?? FailureCode.DHX_OTHER_FAULT;
  return undelivered(code, faultString, xroadId, faultCode);
}

/**
 * DHX sendDocument v1 through our security server: SwA, the capsule as a base64 part streamed from `capsule`.
 * One attempt; the caller keeps the consignmentId and decides about the next (docs/sending.md, "Durable
 * sending"). A capsule that cannot be read is ours to fix: DhxError INTERNAL.
 */
export async function sendDocument(opts: DhxClientOptions, input: SendDocumentInput): Promise<SendOutcome> {
  const header = requestHeader({
    client: opts.client,
    service: { ...input.target.service, serviceCode: 'sendDocument', serviceVersion: 'v1' },
    ...(input.representedParty ? { representedParty: input.representedParty } : {}),
  });
  const contentId = `capsule-${randomUUID()}`;
  const envelope = sendDocumentEnvelope(header, {
    consignmentId: input.consignmentId,
    contentId,
    ...(input.target.recipient ? { recipient: input.target.recipient } : {}),
    ...(input.target.recipientSystem ? { recipientSystem: input.target.recipientSystem } : {}),
  });
  const { contentType, body } = swaRequestBody(envelope, [{ contentId, contentType: 'application/xml', source: input.capsule }]);
  let r: PostResult;
  try {
    r = await postSoap(consumerProxyUrl(opts.securityServer), { contentType, body, timeoutMs: opts.timeoutMs, ...(opts.agent ? { agent: opts.agent } : {}) });
  } catch (err) {
    if (err instanceof LocalBodyError) throw new DhxError(FailureCode.INTERNAL, err.message, { cause: err });
    throw err;
  } finally {
    input.capsule.destroy();
  }
  return classifySendAnswer(r, input.resend, header.id);
}
