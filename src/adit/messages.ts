import { gunzipSync } from 'node:zlib';
import { XMLBuilder } from 'fast-xml-parser';
import { soapEnvelope } from '../xroad/dhx-soap';
import type { XRoadHeader } from '../xroad/header';
import { readXml, type XmlElement } from '../xroad/xml';

/**
 * ADIT's SOAP (spec/adit/adit_new_v1/v2/v3.wsdl, adit.xsd; docs/adit.md): request envelopes built with an
 * XML builder, answers read tolerantly by local name (ADIT's own samples use X-Road v5 `xtee:` headers and
 * unqualified `keha`/`success`; the 4.0 WSDLs qualify them). Business errors come as `keha/success=false`
 * with `messages/message[@lang]`, not as SOAP Faults. Lists and documents travel as attachments holding
 * base64(gzip(xml)) referenced by `href="cid:…"`.
 */

export const ADIT_NS = 'http://producers.ametlikud-dokumendid.xtee.riik.ee/producer/ametlikud-dokumendid';

export class AditResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AditResponseError';
  }
}

/** The request envelope: the X-Road 4.0 header plus `xrd:userId` (our ADIT user) and `adit:infosysteem`. */
export function aditEnvelope(header: XRoadHeader, o: { userId: string; infosystem: string }, body: Record<string, unknown>): string {
  return soapEnvelope(header, body, { namespaces: { adit: ADIT_NS }, header: { 'xrd:userId': o.userId, 'adit:infosysteem': o.infosystem } });
}

/** getDocumentList v2: incoming (folder `incoming`), not yet viewed, oldest first. */
export function getDocumentListBody(maxResults: number): Record<string, unknown> {
  return {
    'adit:getDocumentListV2Request': {
      keha: { folder: 'incoming', has_been_viewed: false, max_results: maxResults, start_index: 1, sort_by: 'id', sort_order: 'asc' },
    },
  };
}

/** getDocument v3 with file contents. */
export function getDocumentBody(documentId: string): Record<string, unknown> {
  return { 'adit:getDocumentRequest': { keha: { document_id: documentId, include_file_contents: true } } };
}

export function markDocumentViewedBody(documentId: string): Record<string, unknown> {
  return { 'adit:markDocumentViewedRequest': { keha: { document_id: documentId } } };
}

// ---- reading ----

export function byLocal(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local);
}
export function allByLocal(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local) : [];
}
export function textOf(el: XmlElement | undefined, local: string): string | undefined {
  const c = byLocal(el, local);
  return c === undefined ? undefined : deepText(c).trim();
}
function deepText(el: XmlElement): string {
  return el.text + el.children.map(deepText).join('');
}

export interface AditMessage {
  lang?: string;
  text: string;
}

/** An ADIT answer: a SOAP Fault, or the operation's keha (success, messages, the attachment it names). */
export type AditAnswer =
  | { kind: 'soapFault'; faultCode: string; faultString: string }
  | { kind: 'ok'; operation: string; success: boolean; messages: AditMessage[]; href?: string; keha: XmlElement };

export function parseAditAnswer(xml: Buffer | string): AditAnswer {
  const env = readXml(xml);
  if (env.local !== 'Envelope') throw new AditResponseError(`the answer is not a SOAP envelope (${env.local})`);
  const body = byLocal(env, 'Body');
  const payload = body?.children[0];
  if (!payload) throw new AditResponseError('the answer has an empty SOAP Body');
  if (payload.local === 'Fault') {
    return { kind: 'soapFault', faultCode: textOf(payload, 'faultcode') ?? '', faultString: textOf(payload, 'faultstring') ?? '' };
  }
  // keha/success…; in ADIT's samples the answer's keha may hold a nested keha with the href.
  // keha as the WSDLs write it; older answers (saveDocument's sample) nest a response element holding success instead.
  const keha = byLocal(payload, 'keha') ?? payload.children.find((c) => c.local !== 'paring' && byLocal(c, 'success') !== undefined);
  if (!keha) throw new AditResponseError(`${payload.local} has no keha`);
  const successText = textOf(keha, 'success');
  if (successText === undefined) throw new AditResponseError(`${payload.local}/keha has no success`);
  const messages = allByLocal(byLocal(keha, 'messages'), 'message').map((m) => ({ ...(m.attributes.lang ? { lang: m.attributes.lang } : {}), text: deepText(m).trim() }));
  const href = findHref(keha);
  return { kind: 'ok', operation: payload.local, success: /^(true|1)$/i.test(successText), messages, ...(href ? { href } : {}), keha };
}

function findHref(el: XmlElement): string | undefined {
  for (const c of el.children) {
    const h = c.attributes.href;
    if (h !== undefined) return h.trim().replace(/^cid:/i, '').replace(/^<|>$/g, '');
    const deeper = findHref(c);
    if (deeper) return deeper;
  }
  return undefined;
}

/** An attachment's bytes as ADIT sends them: base64(gzip(xml)), gzip(xml) or plain xml. */
export function decodeAttachment(raw: Buffer, maxBytes: number): Buffer {
  let b = raw;
  if (!(b[0] === 0x1f && b[1] === 0x8b) && !b.subarray(0, 64).toString('latin1').trimStart().startsWith('<')) {
    const t = b.toString('latin1').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(t)) b = Buffer.from(t, 'base64');
  }
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b, { maxOutputLength: maxBytes });
  return b;
}

export interface AditListItem {
  id: string;
  title?: string;
}

/** getDocumentListResponseAttachmentV1: document_list/document{id, title, …}. */
export function parseDocumentList(xml: Buffer | string): AditListItem[] {
  const root = readXml(xml, 64 * 1024 * 1024);
  const list = root.local === 'document_list' ? root : byLocal(root, 'document_list');
  if (!list) throw new AditResponseError(`the document list attachment has no document_list (${root.local})`);
  return allByLocal(list, 'document').map((d) => {
    const id = textOf(d, 'id');
    if (!id) throw new AditResponseError('a document_list/document without id');
    const title = textOf(d, 'title');
    return { id, ...(title ? { title } : {}) };
  });
}

export interface AditFile {
  id?: string;
  name: string;
  contentType: string;
  sizeBytes?: number;
  data: Buffer;
}

export interface AditDocument {
  id: string;
  guid?: string;
  title: string;
  documentType?: string;
  /** The sender: a person's personal code (maybe prefixed `EE`) or an institution's registry code. */
  creatorCode?: string;
  creatorName?: string;
  creatorUserCode?: string;
  creatorUserName?: string;
  created?: string;
  content?: string;
  files: AditFile[];
}

/** getDocumentResponseAttachmentV3 (documentV2Type); also reads saveDocumentRequestAttachmentV1's document. */
export function parseDocument(xml: Buffer | string): AditDocument {
  const root = readXml(xml, 256 * 1024 * 1024);
  const d = root.local === 'document' ? root : byLocal(root, 'document');
  if (!d) throw new AditResponseError(`the document attachment has no document (${root.local})`);
  const id = textOf(d, 'id') ?? '';
  // documentFilesType (adit_new_v3.wsdl): document_files{total_files, total_bytes, document_files/file*}; the
  // flatter document_files/file* (and saveDocument's files/file*) read too
  const outer = byLocal(d, 'document_files') ?? byLocal(d, 'files');
  const fileParent = byLocal(outer, 'document_files') ?? outer;
  const files = allByLocal(fileParent, 'file').map((f): AditFile => {
    const size = textOf(f, 'size_bytes');
    const fid = textOf(f, 'id');
    return {
      ...(fid ? { id: fid } : {}),
      name: textOf(f, 'name') ?? 'file',
      contentType: textOf(f, 'content_type') || 'application/octet-stream',
      ...(size && /^\d+$/.test(size) ? { sizeBytes: Number(size) } : {}),
      data: Buffer.from((textOf(f, 'data') ?? '').replace(/\s+/g, ''), 'base64'),
    };
  });
  const opt = (k: string, local: string) => {
    const v = textOf(d, local);
    return v ? { [k]: v } : {};
  };
  return {
    id,
    title: textOf(d, 'title') ?? '',
    ...opt('guid', 'guid'),
    ...opt('documentType', 'document_type'),
    ...opt('creatorCode', 'creator_code'),
    ...opt('creatorName', 'creator_name'),
    ...opt('creatorUserCode', 'creator_user_code'),
    ...opt('creatorUserName', 'creator_user_name'),
    ...opt('created', 'created'),
    ...opt('content', 'content'),
    files,
  };
}

/** A request as the fake ADIT reads it: the operation element's local name, keha's document_id, the header's userId. */
export function parseAditRequest(xml: Buffer | string): { operation: string; documentId?: string; userId?: string; infosystem?: string; serviceCode?: string; serviceVersion?: string } {
  const env = readXml(xml);
  const header = byLocal(env, 'Header');
  const op = byLocal(env, 'Body')?.children[0];
  if (!op) throw new AditResponseError('the request has no operation element');
  const service = byLocal(header, 'service');
  const documentId = textOf(byLocal(op, 'keha'), 'document_id');
  const userId = textOf(header, 'userId');
  const infosystem = textOf(header, 'infosysteem');
  const serviceCode = textOf(service, 'serviceCode');
  const serviceVersion = textOf(service, 'serviceVersion');
  return {
    operation: op.local,
    ...(documentId ? { documentId } : {}),
    ...(userId ? { userId } : {}),
    ...(infosystem ? { infosystem } : {}),
    ...(serviceCode ? { serviceCode } : {}),
    ...(serviceVersion ? { serviceVersion } : {}),
  };
}

// ---- sending to a person (getUserInfo v1, saveDocument v1, sendDocument v2, getSendStatus v2) ----

const attachmentBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });
const xmlDoc = (o: Record<string, unknown>): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${attachmentBuilder.build(o) as string}`, 'utf8');

/** getUserInfoRequestAttachmentV1: user_list/code. */
export function userInfoRequestXml(codes: readonly string[]): Buffer {
  return xmlDoc({ getUserInfoRequestAttachmentV1: { user_list: { code: [...codes] } } });
}

export interface AditUserInfo {
  code: string;
  hasJoined: boolean;
}

/** getUserInfoResponseAttachmentV1: user_list/user{code, has_joined, …}. */
export function parseUserInfo(xml: Buffer | string): AditUserInfo[] {
  const root = readXml(xml);
  const list = root.local === 'user_list' ? root : byLocal(root, 'user_list');
  if (!list) throw new AditResponseError(`the user info attachment has no user_list (${root.local})`);
  return allByLocal(list, 'user').map((u) => ({ code: textOf(u, 'code') ?? '', hasJoined: /^(true|1)$/i.test(textOf(u, 'has_joined') ?? '') }));
}

export interface AditOutgoingDocument {
  guid: string;
  title: string;
  documentType: string;
  content?: string;
  files: Array<{ name: string; contentType: string; description?: string; data: Buffer }>;
}

/** saveDocumentRequestAttachmentV1 (as spec/adit/saveDocument_attachment_3files.xml). */
export function saveDocumentXml(d: AditOutgoingDocument): Buffer {
  return xmlDoc({
    saveDocumentRequestAttachmentV1: {
      document: {
        id: '',
        guid: d.guid,
        title: d.title,
        document_type: d.documentType,
        previous_document_id: '',
        ...(d.content ? { content: d.content } : {}),
        files: {
          file: d.files.map((f) => ({ id: '', name: f.name, content_type: f.contentType, description: f.description ?? f.name, size_bytes: f.data.length, data: f.data.toString('base64') })),
        },
      },
    },
  });
}

/** getSendStatusV2RequestAttachmentV2: the ids asked about (`dhx_receipt_id`, as the v2 WSDL names it). */
export function sendStatusRequestXml(documentIds: readonly string[]): Buffer {
  return xmlDoc({ getSendStatusV2RequestAttachmentV2: { dhx_receipt_id: [...documentIds] } });
}

export interface AditRecipientStatus {
  documentId: string;
  code: string;
  hasBeenViewed: boolean;
  openedTime?: string;
}

/** getSendStatusResponseAttachmentV1: document(s) with sent_to/user{code, has_been_viewed, opened_time}. */
export function parseSendStatus(xml: Buffer | string): AditRecipientStatus[] {
  const root = readXml(xml, 16 * 1024 * 1024);
  const docs = root.local === 'document' || root.local === 'dokument' ? [root] : [...allByLocal(root, 'document'), ...allByLocal(root, 'dokument')];
  return docs.flatMap((d) => {
    const documentId = textOf(d, 'id') ?? '';
    return allByLocal(byLocal(d, 'sent_to'), 'user').map((u) => {
      const opened = textOf(u, 'opened_time');
      return { documentId, code: textOf(u, 'code') ?? '', hasBeenViewed: /^(true|1)$/i.test(textOf(u, 'has_been_viewed') ?? ''), ...(opened ? { openedTime: opened } : {}) };
    });
  });
}

/** The document_id an answer's keha names (saveDocument). */
export function documentIdOf(keha: XmlElement): string | undefined {
  return textOf(keha, 'document_id') || undefined;
}
