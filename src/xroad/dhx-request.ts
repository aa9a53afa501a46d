import { randomUUID } from 'node:crypto';
import { NS, parseXRoadHeader, type RepresentedParty, type XRoadClientId, type XRoadHeader, type XRoadServiceId } from './header';
import { child, childText, children, readXml, type XmlElement } from './xml';
import { DhxFaultCode, soapEnvelope, type DhxFault } from './dhx-soap';

/**
 * The client side of DHX SOAP (spec/dhx/dhx.wsdl): request envelopes built with an XML builder, never by
 * pasting strings, answers read namespace-aware. Used by the DHX client, the address book
 * (representationList) and the simulator's fake document systems.
 */

export function requestHeader(o: {
  client: XRoadClientId;
  service: Omit<XRoadServiceId, 'serviceVersion'> & { serviceVersion?: string };
  representedParty?: RepresentedParty;
  id?: string;
}): XRoadHeader {
  return {
    protocolVersion: '4.0',
    id: o.id ?? randomUUID(),
    client: o.client,
    service: o.service,
    ...(o.representedParty ? { representedParty: o.representedParty } : {}),
  };
}

export function sendDocumentEnvelope(
  header: XRoadHeader,
  o: { consignmentId: string; contentId: string; recipient?: string; recipientSystem?: string },
): string {
  // Element order of dhx.wsdl: recipient?, recipientSystem?, DHXVersion, documentAttachment, consignmentId.
  return soapEnvelope(header, {
    'dhx:sendDocument': {
      ...(o.recipient ? { 'dhx:recipient': o.recipient } : {}),
      ...(o.recipientSystem ? { 'dhx:recipientSystem': o.recipientSystem } : {}),
      'dhx:DHXVersion': '1.0',
      'dhx:documentAttachment': `cid:${o.contentId}`,
      'dhx:consignmentId': o.consignmentId,
    },
  });
}

export function representationListEnvelope(header: XRoadHeader): string {
  return soapEnvelope(header, { 'dhx:representationList': '' });
}

export class DhxResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DhxResponseError';
  }
}

export type SoapAnswer<T> = { kind: 'ok'; value: T; header?: XRoadHeader } | { kind: 'soapFault'; faultCode: string; faultString: string };

function openEnvelope(xml: Buffer | string): { body: XmlElement; header?: XRoadHeader } {
  let root: XmlElement;
  try {
    root = readXml(xml);
  } catch (err) {
    throw new DhxResponseError(`the answer is not XML: ${(err as Error).message}`);
  }
  if (root.uri !== NS.soapEnv || root.local !== 'Envelope') throw new DhxResponseError('the answer is not a SOAP 1.1 Envelope');
  const body = child(root, NS.soapEnv, 'Body');
  if (!body) throw new DhxResponseError('the answer has no SOAP Body');
  let header: XRoadHeader | undefined;
  try {
    header = parseXRoadHeader(child(root, NS.soapEnv, 'Header'));
  } catch {
    header = undefined; // a fault from a security server may come without X-Road headers
  }
  return { body, ...(header ? { header } : {}) };
}

function soapFaultOf(body: XmlElement): { faultCode: string; faultString: string } | undefined {
  const f = child(body, NS.soapEnv, 'Fault');
  if (!f) return undefined;
  // SOAP 1.1: faultcode/faultstring are unqualified.
  return { faultCode: childText(f, '', 'faultcode') ?? '', faultString: childText(f, '', 'faultstring') ?? '' };
}

const DHX_FAULT_CODES = new Set<string>(Object.values(DhxFaultCode));

export type SendDocumentAnswer = { receiptId: string } | { fault: DhxFault | { faultCode: string; faultString: string } };

/** A sendDocument answer: receiptId, a DHX business fault (kept as given), or a SOAP Fault. */
export function parseSendDocumentResponse(xml: Buffer | string): SoapAnswer<SendDocumentAnswer> {
  const { body, header } = openEnvelope(xml);
  const soap = soapFaultOf(body);
  if (soap) return { kind: 'soapFault', ...soap };
  const resp = child(body, NS.dhx, 'sendDocumentResponse');
  if (!resp) throw new DhxResponseError('the answer holds neither sendDocumentResponse nor a SOAP Fault');
  const receiptId = childText(resp, NS.dhx, 'receiptId');
  const fault = child(resp, NS.dhx, 'fault');
  const value: SendDocumentAnswer | undefined = fault
    ? { fault: { faultCode: childText(fault, NS.dhx, 'faultCode') ?? '', faultString: childText(fault, NS.dhx, 'faultString') ?? '' } }
    : receiptId
      ? { receiptId }
      : undefined;
  if (!value) throw new DhxResponseError('sendDocumentResponse holds neither receiptId nor fault');
  return { kind: 'ok', value, ...(header ? { header } : {}) };
}

export function isDhxFaultCode(code: string): code is DhxFaultCode {
  return DHX_FAULT_CODES.has(code);
}

export interface RepresenteeIn {
  memberCode: string;
  name: string;
  system?: string;
  startDate: Date;
  endDate?: Date;
}

function date(el: XmlElement, local: string): Date | undefined {
  const t = childText(el, NS.dhx, local);
  if (!t) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** representationListResponse/representees/representee* (dhx.xsd); entries without code or start are skipped. */
export function parseRepresentationListResponse(xml: Buffer | string): SoapAnswer<RepresenteeIn[]> {
  const { body, header } = openEnvelope(xml);
  const soap = soapFaultOf(body);
  if (soap) return { kind: 'soapFault', ...soap };
  const resp = child(body, NS.dhx, 'representationListResponse');
  if (!resp) throw new DhxResponseError('the answer holds neither representationListResponse nor a SOAP Fault');
  const out: RepresenteeIn[] = [];
  for (const r of children(child(resp, NS.dhx, 'representees'), NS.dhx, 'representee')) {
    const memberCode = childText(r, NS.dhx, 'memberCode');
    const startDate = date(r, 'startDate');
    if (!memberCode || !startDate) continue;
    const system = childText(r, NS.dhx, 'representeeSystem');
    const endDate = date(r, 'endDate');
    out.push({
      memberCode,
      name: childText(r, NS.dhx, 'representeeName') ?? '',
      ...(system ? { system } : {}),
      startDate,
      ...(endDate ? { endDate } : {}),
    });
  }
  return { kind: 'ok', value: out, ...(header ? { header } : {}) };
}
