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
  return { kind: 'ok', value: refOf([keha, ...allByLocal(keha, 'dokumendid')], 'keha') };
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


// ---- sending: sendDocuments v4, getSendStatus v2 ---------------------------------------------------

/**
 * sendDocuments v4 (dhl_new_v4.wsdl, soapxml/sendDocuments_v4.xml): `keha/dokumendid` refers by swaRef to
 * the attachment holding base64(gzip(DecContainer)); `kaust` is left empty as in the sample.
 */
export function sendDocumentsEnvelope(header: XRoadHeader, contentId: string): string {
  return soapEnvelope(header, { 'dhl:sendDocuments': { '@_xmlns:dhl': DVK_NS, keha: { dokumendid: { '@_href': `cid:${contentId}` }, kaust: '' } } });
}

/**
 * getSendStatus v2 (dhl_new_v2.wsdl, soapxml/getSendStatus_v2.xml): `keha/dokumendid` refers to an
 * attachment holding base64(gzip(`<item><dhl_id>…</dhl_id></item>`…)), as getSendStatus_manus shows;
 * `staatuse_ajalugu` true asks for the per-recipient status history (where DVK's fault text is).
 */
export function getSendStatusEnvelope(header: XRoadHeader, contentId: string): string {
  return soapEnvelope(header, { 'dhl:getSendStatus': { '@_xmlns:dhl': DVK_NS, keha: { dokumendid: { '@_href': `cid:${contentId}` }, staatuse_ajalugu: true } } });
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The getSendStatus v2 attachment's XML (before gzip): one `item/dhl_id` per document. */
export function sendStatusItemsXml(dhlIds: readonly string[]): string {
  return dhlIds.map((id) => `<item>\n\t<dhl_id>${escapeXml(id)}</dhl_id>\n</item>`).join('\n');
}

/** Where an answer's (or a request's) `keha`/`dokumendid` data is: see {@link DocumentsRef}. */
function refOf(holders: XmlElement[], what: string): DocumentsRef {
  for (const h of holders) {
    const href = Object.entries(h.attributes).find(([k]) => k === 'href' || k.endsWith('}href'))?.[1];
    if (href !== undefined) {
      if (!/^cid:/i.test(href.trim()) || normaliseContentId(href) === '') throw new DvkResponseError(`${what} refers to ${href}, not to an attachment (cid:)`);
      return { kind: 'attachment', contentId: normaliseContentId(href) };
    }
  }
  for (const h of holders) {
    const t = h.text.replace(/\s+/g, '');
    if (t && h.children.length === 0) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new DvkResponseError(`${what} holds text that is not base64`);
      return { kind: 'inline', base64: t };
    }
  }
  return { kind: 'none' };
}

/**
 * sendDocumentsResponse/keha (v4: base64BinaryType, an attachment of base64(gzip(`<dhl_id>`…))), or
 * `keha/dhl_id` unencoded (sendDocumentsV4ResponseTypeUnencoded): where the dhl_ids are.
 */
export function parseSendDocumentsResponse(xml: Buffer | string): DvkAnswer<{ ref: DocumentsRef; inlineIds: string[] }> {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault') return opened;
  const resp = opened.payload;
  if (!resp || resp.local !== 'sendDocumentsResponse') throw new DvkResponseError('the answer holds neither sendDocumentsResponse nor a SOAP Fault');
  const keha = byLocal(resp, 'keha');
  if (!keha) throw new DvkResponseError('sendDocumentsResponse has no keha');
  const inlineIds = allByLocal(keha, 'dhl_id').map((e) => e.text.trim()).filter(Boolean);
  if (inlineIds.length) return { kind: 'ok', value: { ref: { kind: 'none' }, inlineIds } };
  return { kind: 'ok', value: { ref: refOf([keha, ...allByLocal(keha, 'dokumendid')], 'sendDocumentsResponse keha'), inlineIds: [] } };
}

/** getSendStatusResponse/keha: where the status items are. */
export function parseGetSendStatusResponse(xml: Buffer | string): DvkAnswer<DocumentsRef> {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault') return opened;
  const resp = opened.payload;
  if (!resp || resp.local !== 'getSendStatusResponse') throw new DvkResponseError('the answer holds neither getSendStatusResponse nor a SOAP Fault');
  const keha = byLocal(resp, 'keha');
  if (!keha) throw new DvkResponseError('getSendStatusResponse has no keha');
  if (allByLocal(keha, 'item').length) return { kind: 'ok', value: { kind: 'inline', base64: Buffer.from(`<keha>${keha.children.length ? serialiseItems(keha) : ''}</keha>`).toString('base64') } };
  return { kind: 'ok', value: refOf([keha, ...allByLocal(keha, 'dokumendid')], 'getSendStatusResponse keha') };
}

/** Unencoded items, written back as XML to be read by {@link parseSendStatusItems} (one reader for both forms). */
function serialiseItems(keha: XmlElement): string {
  const write = (e: XmlElement): string => `<${e.local}>${e.children.length ? e.children.map(write).join('') : escapeXml(e.text)}</${e.local}>`;
  return allByLocal(keha, 'item').map(write).join('');
}

/** dhl_ids of the decoded sendDocuments answer: `<dhl_id>` elements wherever they are (bare or wrapped). */
export function parseDhlIds(xml: Buffer): string[] {
  const text = xml.toString('utf8');
  const ids = [...text.matchAll(/<([\w.-]+:)?dhl_id(?:\s[^>]*)?>\s*([^<\s]+)\s*</g)].map((m) => m[2]!);
  if (!ids.length) throw new DvkResponseError('the sendDocuments answer names no dhl_id');
  return ids;
}

/** One status history entry of getSendStatus v2 (statusHistoryType/status). */
export interface SendStatusEntry {
  staatus?: string;
  receiverStatusId?: number;
  fault?: { faultCode: string; faultString: string };
}

/** One document's send status (getSendStatusV2ResponseTypeUnencoded/item). */
export interface SendStatusItem {
  dhlId: string;
  /** `olek`: the document's overall state (saatmisel | saadetud | katkestatud; DVK also answers ootel). */
  olek?: string;
  history: SendStatusEntry[];
}

/** Reads the decoded status items (bare `item`s, or inside a wrapper), by local name. */
export function parseSendStatusItems(xml: Buffer): SendStatusItem[] {
  const text = xml.toString('utf8').replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '');
  let root: XmlElement;
  try {
    root = readXml(`<wrap>${text}</wrap>`);
  } catch (err) {
    throw new DvkResponseError(`the status answer is not XML: ${(err as Error).message}`);
  }
  const items: XmlElement[] = [];
  const collect = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.local === 'item') items.push(c);
      else collect(c);
    }
  };
  collect(root);
  return items.map((item) => {
    const dhlId = textOf(item, 'dhl_id');
    if (!dhlId) throw new DvkResponseError('a getSendStatus item has no dhl_id');
    const olek = textOf(item, 'olek');
    const history = allByLocal(byLocal(item, 'staatuse_ajalugu'), 'status').map((s): SendStatusEntry => {
      const staatus = textOf(s, 'staatus');
      const rs = textOf(s, 'vastuvotja_staatus_id');
      const f = byLocal(s, 'fault');
      return {
        ...(staatus ? { staatus } : {}),
        ...(rs && /^\d+$/.test(rs) ? { receiverStatusId: Number(rs) } : {}),
        ...(f ? { fault: { faultCode: textOf(f, 'faultcode') ?? '', faultString: textOf(f, 'faultstring') ?? '' } } : {}),
      };
    });
    return { dhlId, ...(olek ? { olek } : {}), history };
  });
}

/** vastuvotja_staatus_id names (spec/dvk/vastuvotja_staatus_id.txt). */
export const RECEIVER_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'Dokumente on puudu (Pooleli)', 2: 'Järjekorras', 3: 'Ootel', 4: 'Lõpetatud', 5: 'Tagasi lükatud', 6: 'Teha', 7: 'Töötlemisel',
  8: 'Aktsepteeritud (Võetud töösse)', 9: 'Salvestatud', 10: 'Arhiveeritud', 11: 'Saadetud',
};

/** The request's `keha/dokumendid` reference (for the fake DVK and the conformance test): sendDocuments, getSendStatus. */
export function requestDocumentsRef(xml: Buffer | string): DocumentsRef {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault' || !opened.payload) throw new DvkResponseError('the request has no operation element');
  const keha = byLocal(opened.payload, 'keha');
  return refOf(allByLocal(keha, 'dokumendid'), 'the request');
}
