import type { XRoadClientId } from '../xroad/header';
import { postSoap } from '../xroad/post';
import { DhxResponseError, parseRepresentationListResponse, representationListEnvelope, requestHeader, type RepresenteeIn } from './request';

/**
 * The DHX client: calls other organisations' DHX services through our own security server
 * (`POST {XROAD_SECURITY_SERVER}/cgi-bin/consumer_proxy`, DESIGN.md §1), as our X-Road client.
 */

export interface DhxClientOptions {
  /** Base URL of our security server. */
  securityServer: string;
  /** Our X-Road client (SUBSYSTEM), e.g. ee-dev/GOV/70001975/DHX. */
  client: XRoadClientId;
  /** Bounds one exchange. */
  timeoutMs: number;
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
  });
  if (r.kind === 'failed') return { kind: 'failed', error: `${r.timedOut ? 'timed out' : 'network error'}: ${r.message}` };
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
