import { gunzipSync } from 'node:zlib';
import { NS, type XRoadHeader } from '../xroad/header';
import { soapEnvelope } from '../xroad/dhx-soap';
import { normaliseContentId } from '../xroad/swa';
import { readXml, type XmlElement } from '../xroad/xml';

/**
 * The DVK interface's SOAP messages (spec/dvk: dhl_new_v4.wsdl receiveDocuments v4, dhl_new_v3.wsdl
 * markDocumentsReceived v3), built with the project's XML builder and read namespace-tolerantly: answers are
 * matched by local name whatever their prefix or namespace (DVK has answered unqualified and under
 * `http://producers.dhl.xtee.riik.ee/producer/dhl` as well as the X-Road 6 namespace), yet what the schema
 * refuses is refused — a receiveDocumentsResponse without `keha`, an href naming no part, an attachment that
 * is neither gzip nor XML, a mark item without dhl_id.
 */

/** The DVK producer namespace of the X-Road 6 WSDLs. */
export const DVK_NS = 'http://producers.dhl.xrd.riik.ee/producer/dhl';

/** vastuvotja_staatus_id (spec/dvk/vastuvotja_staatus_id.txt): the receiver statuses we send. */
export const ReceiverStatus = {
  /** 5 "Tagasi lükatud": the document was refused (a capsule failing validation). */
  rejected: 5,
  /** 7 "Töötlemisel": taken into processing (a stored capsule goes to intake). */
  processing: 7,
} as const;

export class DvkResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DvkResponseError';
  }
}

export function receiveDocumentsEnvelope(header: XRoadHeader, arv: number): string {
  return soapEnvelope(header, { 'dhl:receiveDocuments': { '@_xmlns:dhl': DVK_NS, keha: { arv } } });
}

/** One markDocumentsReceived v3 item (tagasisideType): dhl_id, and for a refused document its status and fault. */
export interface MarkItem {
  dhlId: string;
  statusId?: number;
  fault?: { faultCode: string; faultActor?: string; faultString: string; faultDetail?: string };
}

export function markDocumentsReceivedEnvelope(header: XRoadHeader, items: readonly MarkItem[]): string {
  return soapEnvelope(header, {
    'dhl:markDocumentsReceived': {
      '@_xmlns:dhl': DVK_NS,
      keha: {
        dokumendid: {
          item: items.map((i) => ({
            dhl_id: i.dhlId,
            ...(i.statusId !== undefined ? { vastuvotja_staatus_id: i.statusId } : {}),
            ...(i.fault
              ? {
                  fault: {
                    faultcode: i.fault.faultCode,
                    ...(i.fault.faultActor ? { faultactor: i.fault.faultActor } : {}),
                    faultstring: i.fault.faultString,
                    ...(i.fault.faultDetail ? { faultdetail: i.fault.faultDetail } : {}),
                  },
                }
              : {}),
            staatuse_muutmise_aeg: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          })),
        },
      },
    },
  });
}

// ---- reading, by local name -------------------------------------------------------------------------

const byLocal = (el: XmlElement | undefined, local: string): XmlElement | undefined => el?.children.find((c) => c.local === local);
const allByLocal = (el: XmlElement | undefined, local: string): XmlElement[] => (el ? el.children.filter((c) => c.local === local) : []);
const textOf = (el: XmlElement | undefined, local: string): string | undefined => byLocal(el, local)?.text.trim();

export type DvkAnswer<T> = { kind: 'ok'; value: T } | { kind: 'soapFault'; faultCode: string; faultString: string };

/** Reads a SOAP 1.1 envelope; its Body's first element, or the SOAP Fault. */
export function openDvkEnvelope(xml: Buffer | string): { kind: 'ok'; root: XmlElement; body: XmlElement; payload: XmlElement | undefined } | { kind: 'soapFault'; faultCode: string; faultString: string } {
  let root: XmlElement;
  try {
    root = readXml(xml);
  } catch (err) {
    throw new DvkResponseError(`the answer is not XML: ${(err as Error).message}`);
  }
  if (root.uri !== NS.soapEnv || root.local !== 'Envelope') throw new DvkResponseError('the answer is not a SOAP 1.1 Envelope');
  const body = root.children.find((c) => c.uri === NS.soapEnv && c.local === 'Body');
  if (!body) throw new DvkResponseError('the answer has no SOAP Body');
  const fault = body.children.find((c) => c.uri === NS.soapEnv && c.local === 'Fault');
  if (fault) return { kind: 'soapFault', faultCode: textOf(fault, 'faultcode') ?? '', faultString: textOf(fault, 'faultstring') ?? '' };
  return { kind: 'ok', root, body, payload: body.children[0] };
}

/** Where a receiveDocuments answer's documents are: an attachment (href) or inline base64 text. */
export type DocumentsRef = { kind: 'attachment'; contentId: string } | { kind: 'inline'; base64: string } | { kind: 'none' };

/** receiveDocumentsResponse/keha (v4: base64BinaryType with an href, or `keha/dokumendid@href` as DVK answers). */
export function parseReceiveDocumentsResponse(xml: Buffer | string): DvkAnswer<DocumentsRef> {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault') return opened;
  const resp = opened.payload;
  if (!resp || resp.local !== 'receiveDocumentsResponse') throw new DvkResponseError('the answer holds neither receiveDocumentsResponse nor a SOAP Fault');
  const keha = byLocal(resp, 'keha');
  if (!keha) throw new DvkResponseError('receiveDocumentsResponse has no keha');
  const holders = [keha, ...allByLocal(keha, 'dokumendid')];
  for (const h of holders) {
    const href = Object.entries(h.attributes).find(([k]) => k === 'href' || k.endsWith('}href'))?.[1];
    if (href !== undefined) {
      if (!/^cid:/i.test(href.trim()) || normaliseContentId(href) === '') throw new DvkResponseError(`keha refers to ${href}, not to an attachment (cid:)`);
      return { kind: 'ok', value: { kind: 'attachment', contentId: normaliseContentId(href) } };
    }
  }
  for (const h of holders) {
    const t = h.text.replace(/\s+/g, '');
    if (t && h.children.length === 0) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new DvkResponseError('keha holds text that is not base64');
      return { kind: 'ok', value: { kind: 'inline', base64: t } };
    }
  }
  return { kind: 'ok', value: { kind: 'none' } };
}

/** markDocumentsReceivedResponse/keha: `OK`, or what DVK said instead. */
export function parseMarkDocumentsReceivedResponse(xml: Buffer | string): DvkAnswer<string> {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault') return opened;
  const resp = opened.payload;
  if (!resp || resp.local !== 'markDocumentsReceivedResponse') throw new DvkResponseError('the answer holds neither markDocumentsReceivedResponse nor a SOAP Fault');
  const keha = textOf(resp, 'keha');
  if (keha === undefined) throw new DvkResponseError('markDocumentsReceivedResponse has no keha');
  return { kind: 'ok', value: keha };
}

/** A request as the fake DVK server (and the conformance test) reads it: the operation, `arv`, the mark items. */
export interface DvkRequest {
  operation: string;
  arv?: number;
  items: MarkItem[];
}

export function parseDvkRequest(xml: Buffer | string): DvkRequest {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault' || !opened.payload) throw new DvkResponseError('the request has no operation element');
  const op = opened.payload;
  const keha = byLocal(op, 'keha');
  const arvText = textOf(keha, 'arv');
  const items: MarkItem[] = [];
  for (const item of allByLocal(byLocal(keha, 'dokumendid'), 'item')) {
    const dhlId = textOf(item, 'dhl_id');
    if (!dhlId) throw new DvkResponseError('a markDocumentsReceived item has no dhl_id');
    const status = textOf(item, 'vastuvotja_staatus_id');
    const f = byLocal(item, 'fault');
    const faultCode = textOf(f, 'faultcode');
    const faultActor = textOf(f, 'faultactor');
    const faultDetail = textOf(f, 'faultdetail');
    items.push({
      dhlId,
      ...(status ? { statusId: Number(status) } : {}),
      ...(f ? { fault: { faultCode: faultCode ?? '', faultString: textOf(f, 'faultstring') ?? '', ...(faultActor ? { faultActor } : {}), ...(faultDetail ? { faultDetail } : {}) } } : {}),
    });
  }
  return { operation: op.local, ...(arvText ? { arv: Number(arvText) } : {}), items };
}

// ---- the attachment -------------------------------------------------------------------------------

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * The documents of a receiveDocuments attachment: gzip(xml), or base64(gzip(xml)) when the part was sent
 * as base64 text without a transfer encoding; plain XML is taken too. `maxBytes` bounds the unzipped size.
 */
export function decodeDocuments(raw: Buffer, maxBytes: number): Buffer {
  let bytes = raw;
  if (!isGzip(bytes)) {
    const text = bytes.toString('latin1').replace(/\s+/g, '');
    if (text && /^[A-Za-z0-9+/]+={0,2}$/.test(text)) bytes = Buffer.from(text, 'base64');
  }
  if (isGzip(bytes)) {
    try {
      return gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new DvkResponseError(`the documents attachment is not valid gzip: ${(err as Error).message}`);
    }
  }
  const head = bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return bytes;
  throw new DvkResponseError('the documents attachment is neither gzip nor XML');
}

const XMLNS = /\sxmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g;

/**
 * Cuts the DecContainers out of the unzipped documents: one or several, bare one after another or inside a
 * wrapper element (`dokumendid`). Each comes out as a document of its own, carrying the wrapper's namespace
 * declarations it uses; file contents are not parsed here (the capsule reader does that, one capsule at a time).
 */
export function splitContainers(xml: Buffer): Buffer[] {
  const text = xml.toString('utf8').replace(/^\uFEFF/, '');
  const open = /<([\w.-]+:)?DecContainer(?=[\s/>])/g;
  const out: Buffer[] = [];
  let m: RegExpExecArray | null;
  // Namespace declarations of the elements before the first container (a wrapper): inherited by each container.
  const first = open.exec(text);
  if (!first) {
    // Nothing but a wrapper (or nothing at all) is zero documents; anything else is not what DVK sends.
    const stripped = text.replace(/<\?xml[^>]*\?>/g, '').trim();
    if (stripped === '' || /^<([\w.-]+:)?(dokumendid|keha)(\s[^>]*)?(\/>|>\s*<\/([\w.-]+:)?(dokumendid|keha)>)$/.test(stripped)) return [];
    throw new DvkResponseError('the documents attachment holds no DecContainer');
  }
  const inherited = [...text.slice(0, first.index).matchAll(XMLNS)].map((x) => x[0]);
  open.lastIndex = first.index;
  while ((m = open.exec(text))) {
    const prefix = m[1] ?? '';
    const close = `</${prefix}DecContainer>`;
    const startEnd = text.indexOf('>', m.index);
    const selfClosing = startEnd > 0 && text[startEnd - 1] === '/';
    const end = selfClosing ? startEnd + 1 - close.length : text.indexOf(close, m.index);
    if (startEnd < 0 || end < 0) throw new DvkResponseError('a DecContainer in the documents attachment is not closed');
    let piece = text.slice(m.index, end + close.length);
    const tagEnd = piece.indexOf('>');
    const own = new Set([...piece.slice(0, tagEnd).matchAll(XMLNS)].map((x) => x[0].trim().split('=')[0]!.trim()));
    const extra = inherited.filter((d) => !own.has(d.trim().split('=')[0]!.trim()));
    if (extra.length) piece = `${piece.slice(0, m[0].length)}${extra.join('')}${piece.slice(m[0].length)}`;
    out.push(Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${piece}`, 'utf8'));
    open.lastIndex = end + close.length;
  }
  return out;
}

/** DecMetadata/DecId of a capsule's bytes, without reading the capsule (for one that fails validation). */
export function decIdOf(capsule: Buffer): string | undefined {
  const m = /<([\w.-]+:)?DecMetadata[\s>][\s\S]*?<([\w.-]+:)?DecId\s*>\s*([^<\s]+)\s*</.exec(capsule.toString('utf8'));
  return m?.[3];
}

