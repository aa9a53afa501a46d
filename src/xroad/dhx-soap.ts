import { XMLBuilder } from 'fast-xml-parser';
import { NS, headerForBuilder, parseXRoadHeader, type XRoadHeader } from './header';
import { child, childText, readXml, type XmlElement } from './xml';

/**
 * DHX SOAP messages (spec/dhx/dhx.wsdl): reading requests, building responses with an XML builder, never by
 * pasting strings.
 */

export const DhxFaultCode = {
  UnsupportedVersion: 'DHX.UnsupportedVersion',
  Duplicate: 'DHX.Duplicate',
  Validation: 'DHX.Validation',
  InvalidAddressee: 'DHX.InvalidAddressee',
  SizeLimitExceeded: 'DHX.SizeLimitExceeded',
  SenderDoesNotMatch: 'DHX.SenderDoesNotMatch',
} as const;
export type DhxFaultCode = (typeof DhxFaultCode)[keyof typeof DhxFaultCode];

export interface DhxFault {
  faultCode: DhxFaultCode;
  faultString: string;
}

export interface SendDocumentRequest {
  kind: 'sendDocument';
  header: XRoadHeader;
  dhxVersion?: string;
  consignmentId?: string;
  recipient?: string;
  recipientSystem?: string;
  documentAttachment?: string;
}

export interface RepresentationListRequest {
  kind: 'representationList';
  header: XRoadHeader;
}

export type DhxRequest = SendDocumentRequest | RepresentationListRequest;

export class SoapFaultError extends Error {
  constructor(
    readonly faultCode: 'Client' | 'Server',
    message: string,
  ) {
    super(message);
    this.name = 'SoapFaultError';
  }
}

function nonEmpty(el: XmlElement | undefined, local: string): string | undefined {
  const v = childText(el, NS.dhx, local);
  return v === undefined || v === '' ? undefined : v;
}

export function parseDhxRequest(envelope: Buffer): DhxRequest {
  let root: XmlElement;
  try {
    root = readXml(envelope);
  } catch (err) {
    throw new SoapFaultError('Client', `the SOAP envelope is not XML: ${(err as Error).message}`);
  }
  if (root.uri !== NS.soapEnv || root.local !== 'Envelope') throw new SoapFaultError('Client', 'not a SOAP 1.1 Envelope');
  let header: XRoadHeader;
  try {
    header = parseXRoadHeader(child(root, NS.soapEnv, 'Header'));
  } catch (err) {
    throw new SoapFaultError('Client', (err as Error).message);
  }
  const body = child(root, NS.soapEnv, 'Body');
  const op = body?.children[0];
  if (!op || op.uri !== NS.dhx) throw new SoapFaultError('Client', 'the SOAP Body holds no DHX operation');
  if (op.local === 'representationList') return { kind: 'representationList', header };
  if (op.local !== 'sendDocument') throw new SoapFaultError('Client', `unknown DHX operation ${op.local}`);
  const fields = {
    dhxVersion: nonEmpty(op, 'DHXVersion'),
    consignmentId: nonEmpty(op, 'consignmentId'),
    recipient: nonEmpty(op, 'recipient'),
    recipientSystem: nonEmpty(op, 'recipientSystem'),
    documentAttachment: nonEmpty(op, 'documentAttachment'),
  };
  return {
    kind: 'sendDocument',
    header,
    ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<typeof fields>),
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });

/**
 * A SOAP 1.1 envelope over X-Road (requests and responses alike): the X-Road header, when given, and `body`.
 * `service` names the service's own namespace prefixes (DHX by default; ADIT and DVK are built here too) and
 * any header elements it adds after the X-Road ones (ADIT's `xrd:userId`, `adit:infosysteem`).
 */
export function soapEnvelope(
  header: XRoadHeader | undefined,
  body: Record<string, unknown>,
  service: { namespaces?: Record<string, string>; header?: Record<string, unknown> } = {},
): string {
  const namespaces = Object.fromEntries(Object.entries(service.namespaces ?? { dhx: NS.dhx }).map(([prefix, uri]) => [`@_xmlns:${prefix}`, uri]));
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    'SOAP-ENV:Envelope': {
      '@_xmlns:SOAP-ENV': NS.soapEnv,
      '@_xmlns:xrd': NS.xroad,
      '@_xmlns:id': NS.id,
      '@_xmlns:repr': NS.repr,
      ...namespaces,
      ...(header ? { 'SOAP-ENV:Header': { ...headerForBuilder(header), ...service.header } } : {}),
      'SOAP-ENV:Body': body,
    },
  }) as string}`;
}

export function receiptResponse(header: XRoadHeader, receiptId: string): string {
  return soapEnvelope(header, { 'dhx:sendDocumentResponse': { 'dhx:receiptId': receiptId } });
}

export function faultResponse(header: XRoadHeader, fault: DhxFault): string {
  return soapEnvelope(header, {
    'dhx:sendDocumentResponse': { 'dhx:fault': { 'dhx:faultCode': fault.faultCode, 'dhx:faultString': fault.faultString } },
  });
}

export interface RepresenteeOut {
  memberCode: string;
  name: string;
  system?: string | null;
  startDate: Date;
  endDate?: Date | null;
}

export function representationListResponse(header: XRoadHeader, list: RepresenteeOut[]): string {
  return soapEnvelope(header, {
    'dhx:representationListResponse': {
      'dhx:representees': {
        'dhx:representee': list.map((r) => ({
          'dhx:memberCode': r.memberCode,
          'dhx:representeeName': r.name,
          ...(r.system ? { 'dhx:representeeSystem': r.system } : {}),
          'dhx:startDate': r.startDate.toISOString(),
          ...(r.endDate ? { 'dhx:endDate': r.endDate.toISOString() } : {}),
        })),
      },
    },
  });
}

/** A technical error (docs/receive.md, "Faults": never a receipt): SOAP 1.1 Fault. */
export function soapFault(code: 'Client' | 'Server', message: string, header?: XRoadHeader): string {
  return soapEnvelope(header, { 'SOAP-ENV:Fault': { faultcode: `SOAP-ENV:${code}`, faultstring: message } });
}
