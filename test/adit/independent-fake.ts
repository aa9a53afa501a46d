/**
 * An independent fake ADIT server for tests, written only from RIA's ADIT WSDLs (adit_new_v1/v2/v3.wsdl), adit.xsd,
 * adit-attachments.xsd and ADIT's testMessages — not from src/adit or src/sim/adit.ts (issue #13). X-Road message
 * protocol 4.0, document/literal, the operation chosen by the `xrd:service` header (serviceCode + serviceVersion):
 *
 * - getDocumentList v2: attachment `getDocumentListV2ResponseAttachmentV2/document_list{total, document*}` with the
 *   incoming documents not yet marked viewed (documentV2Type: id, guid, title, folder, has_been_viewed,
 *   document_type, creator_code, created, last_modified, dhx_receipt_id, document_files, files_size_bytes,
 *   sender_receiver), referenced by `keha/documentList/@href`; file data left out.
 * - getDocument v3: `keha/document_id` (or dhx_receipt_id) → `getDocumentResponseAttachmentV3/document` with
 *   `document_files{total_files, total_bytes, document_files/file{id, guid, name, content_type, size_bytes,
 *   data(base64), file_type}}` in `keha/document/@href` (data left out when include_file_contents is false).
 * - markDocumentViewed v1: `keha/document_id`.
 * - getUserInfo v1: `keha/userList/@href` → `getUserInfoRequestAttachmentV1/user_list/code*`; answers
 *   `getUserInfoResponseAttachmentV1/user_list/user{code, name, has_joined, …}` in `keha/userList/@href`.
 * - saveDocument v1: `keha/document/@href` → `saveDocumentRequestAttachmentV1/document{title, document_type,
 *   files/file{name, content_type, data}}`; answers `keha/document_id`.
 * - sendDocument v2: `keha/document_id`, `keha/recipient_list/code*` → `keha/recipient_list/recipient{code,
 *   success, messages}`.
 * - getSendStatus v2: `keha/documendid/@href` → `getSendStatusV2RequestAttachmentV2/dhx_receipt_id*` (here the
 *   ADIT document id); answers `getSendStatusResponseAttachmentV1/dokument{id, guid, title,
 *   dvk_id, sent_to{sent_time, user{code, has_been_viewed, opened_time}}}` (documentV1Type) in `keha/document/@href`.
 * - anything else: a SOAP Fault (HTTP 500). Business errors are `keha/success=false` with
 *   `messages/message[@lang="en"]`, HTTP 200, worded as in ADIT's testMessages: an unknown document is "Document
 *   does not exist. Document ID: 12,345,678", a recipient not joined "User does not exist: <code>", a request
 *   without the infosysteem header "Unable to process request - Application name not defined".
 * Attachments are base64(gzip(xml)) MIME parts; a reference may be an `href="cid:…"` attribute or, as in ADIT's
 * own samples, the element's text `cid:…`. Personal codes are compared without an `EE` prefix.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import sax from 'sax';
import { track } from '../helpers/resources';

const XRD = 'http://x-road.eu/xsd/xroad.xsd';
const XID = 'http://x-road.eu/xsd/identifiers';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
export const ADIT_NS = 'http://producers.ametlikud-dokumendid.xtee.riik.ee/producer/ametlikud-dokumendid';

export interface AditFile { name: string; mime: string; content: Buffer }
export interface SentDocument { to: string; documentId: string; title: string; files: AditFile[] }

export interface IndependentAdit {
  url: string;
  /** Adds an incoming document (sent to us by senderCode); returns its ADIT document id. */
  putIncoming(doc: { title: string; type?: string; senderCode: string; files: AditFile[] }): string;
  /** Document ids marked viewed by us, each once, in the order first marked. */
  viewedIds(): string[];
  /** Personal code (without EE) → joined ADIT or not; codes not here are unknown users (not joined). */
  users: Map<string, { joined: boolean }>;
  /** One entry per (recipient, document) that sendDocument accepted, in order. */
  sent(): SentDocument[];
  /** The recipient opens the document (getSendStatus then reports it viewed). */
  open(documentId: string): void;
  /** Every request, in order; operation/version are '' when the X-Road service header was unreadable. */
  requests: Array<{ operation: string; version: string }>;
  close(): Promise<void>;
}

interface El { local: string; uri: string; attrs: Record<string, { local: string; uri: string; value: string }>; children: El[]; text: string }

function parse(xml: string): El {
  const p = sax.parser(true, { xmlns: true });
  const stack: El[] = [];
  let root: El | undefined;
  p.onopentag = (t) => {
    const tag = t as sax.QualifiedTag;
    const attrs: El['attrs'] = {};
    for (const [k, a] of Object.entries(tag.attributes)) attrs[k] = { local: a.local, uri: a.uri, value: a.value };
    const el: El = { local: tag.local, uri: tag.uri, attrs, children: [], text: '' };
    stack.at(-1)?.children.push(el);
    root ??= el;
    stack.push(el);
  };
  p.onclosetag = () => void stack.pop();
  p.ontext = p.oncdata = (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  p.write(xml.replace(/^\uFEFF/, '')).close();
  if (!root) throw new Error('no root element');
  return root;
}

const child = (el: El | undefined, local: string, uri?: string): El | undefined =>
  el?.children.find((c) => c.local === local && (uri === undefined || c.uri === uri));
const children = (el: El | undefined, local: string): El[] => el?.children.filter((c) => c.local === local) ?? [];
const text = (el: El | undefined): string | undefined => el?.text.trim();
/** An attachment reference: the href attribute, or (as in ADIT's own samples) the element's text `cid:…`. */
const refOf = (el: El | undefined): string | undefined =>
  Object.values(el?.attrs ?? {}).find((a) => a.local === 'href')?.value ?? (/^cid:/i.test(text(el) ?? '') ? text(el) : undefined);
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bareCode = (code: string): string => code.trim().replace(/^EE/i, '');

/** ADIT attachment content: base64(gzip(xml)); raw gzip and plain XML are accepted too. */
export function decodeAttachment(body: Buffer): string {
  const compact = body.toString('latin1').replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+=*$/.test(compact)) {
    try {
      return gunzipSync(Buffer.from(compact, 'base64')).toString('utf8');
    } catch {
      /* not base64 of gzip */
    }
  }
  if (body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

export const encodeAttachment = (xml: string): string => gzipSync(Buffer.from(xml, 'utf8')).toString('base64');

interface Part { headers: Record<string, string>; body: Buffer }

function param(contentType: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function splitMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    let start = at + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    start = body.indexOf('\r\n', start) + 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), start);
    if (next < 0) throw new Error('unterminated multipart body');
    const raw = body.subarray(start, next);
    const sep = raw.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, Math.max(sep, 0)).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, body: sep < 0 ? Buffer.alloc(0) : raw.subarray(sep + 4) });
    at = next + 2;
  }
  return parts;
}

const cidOf = (id: string | undefined): string => (id ?? '').trim().replace(/^cid:/i, '').replace(/^<|>$/g, '');

class SoapFault extends Error {
  constructor(readonly code: 'Client' | 'Server', message: string) {
    super(message);
  }
}

interface Doc {
  id: string; guid: string; title: string; type: string; creator: string; files: AditFile[];
  incoming: boolean; created: string; sentTime?: string; sentTo: Map<string, { openedTime?: string }>;
}


export async function startIndependentAdit(opts: { port?: number } = {}): Promise<IndependentAdit> {
  const docs = new Map<string, Doc>();
  const viewed: string[] = [];
  const sentLog: SentDocument[] = [];
  const users = new Map<string, { joined: boolean }>();
  const requests: IndependentAdit['requests'] = [];
  let nextId = 1001;

  const newDoc = (d: Omit<Doc, 'id' | 'guid' | 'created' | 'sentTo'>): Doc => {
    const doc: Doc = { ...d, id: String(nextId++), guid: randomUUID(), created: new Date().toISOString(), sentTo: new Map() };
    docs.set(doc.id, doc);
    return doc;
  };

  // documentV2Type (adit_new_v3.wsdl) in schema order; files as document_files{total_files, total_bytes,
  // document_files/file*} of fileType {id, guid, name, content_type, size_bytes, data, file_type}
  const filesXml = (d: Doc, withData: boolean): string => {
    const bytes = d.files.reduce((s, f) => s + f.content.length, 0);
    return `<document_files><total_files>${d.files.length}</total_files><total_bytes>${bytes}</total_bytes><document_files>` +
      d.files.map((f, i) => `<file><id>${i + 1}</id><guid>${d.guid}-${i + 1}</guid><name>${esc(f.name)}</name>` +
        `<content_type>${esc(f.mime)}</content_type><size_bytes>${f.content.length}</size_bytes>` +
        `${withData ? `<data>${f.content.toString('base64')}</data>` : ''}<file_type>document_file</file_type></file>`).join('') +
      `</document_files></document_files><files_size_bytes>${bytes}</files_size_bytes>`;
  };
  const docXml = (d: Doc, withData: boolean): string =>
    `<document><id>${d.id}</id><guid>${d.guid}</guid><title>${esc(d.title)}</title><folder>${d.incoming ? 'incoming' : 'local'}</folder>` +
    `<has_been_viewed>${viewed.includes(d.id)}</has_been_viewed><document_type>${esc(d.type)}</document_type>` +
    `<creator_code>${esc(d.creator)}</creator_code><created>${d.created}</created><last_modified>${d.created}</last_modified>` +
    `<dhx_receipt_id>${d.id}</dhx_receipt_id>${filesXml(d, withData)}<sender_receiver>${esc(d.creator)}</sender_receiver></document>`;

  function handle(contentType: string, raw: Buffer): { status: number; contentType: string; body: Buffer } {
    let envelopeText = raw.toString('utf8');
    const attachments = new Map<string, Buffer>();
    if (/^multipart\/related/i.test(contentType)) {
      const parts = splitMultipart(raw, param(contentType, 'boundary') ?? '');
      const start = cidOf(param(contentType, 'start'));
      const rootPart = parts.find((p) => start && cidOf(p.headers['content-id']) === start) ?? parts[0];
      if (!rootPart) throw new SoapFault('Client', 'multipart request without parts');
      envelopeText = rootPart.body.toString('utf8');
      for (const p of parts) if (p !== rootPart) attachments.set(cidOf(p.headers['content-id']), p.body);
    }
    let headerXml = '';
    let extraNs = '';
    let recorded = false;
    const reply = (status: number, body: string, attachment?: { cid: string; xml: string }) => {
      const envelope = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}" ` +
        `xmlns:xrd="${XRD}" xmlns:id="${XID}" xmlns:adit="${ADIT_NS}"${extraNs}>${headerXml}<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
      if (!attachment) return { status, contentType: 'text/xml; charset=UTF-8', body: Buffer.from(envelope, 'utf8') };
      const boundary = `aditfake-${randomUUID()}`;
      const rootCid = `root-${randomUUID()}`;
      const mime = `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n` +
        `Content-ID: <${rootCid}>\r\n\r\n${envelope}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Transfer-Encoding: base64\r\nContent-ID: <${attachment.cid}>\r\n\r\n${encodeAttachment(attachment.xml)}\r\n--${boundary}--\r\n`;
      return { status, body: Buffer.from(mime, 'utf8'),
        contentType: `multipart/related; type="text/xml"; start="<${rootCid}>"; boundary="${boundary}"` };
    };
    const fault = (e: SoapFault) => reply(500, `<SOAP-ENV:Fault><faultcode>SOAP-ENV:${e.code}</faultcode>` +
      `<faultstring>${esc(e.message)}</faultstring></SOAP-ENV:Fault>`);
    try {
      let env: El;
      try {
        env = parse(envelopeText);
      } catch (e) {
        throw new SoapFault('Client', `request is not XML: ${(e as Error).message.split('\n')[0]}`);
      }
      if (env.local !== 'Envelope' || env.uri !== SOAP) throw new SoapFault('Client', 'not a SOAP 1.1 Envelope');
      const header = child(env, 'Header', SOAP);
      const service = child(header, 'service', XRD);
      const operation = text(child(service, 'serviceCode', XID)) ?? '';
      const version = text(child(service, 'serviceVersion', XID)) ?? '';
      requests.push({ operation, version });
      recorded = true;
      // echo the request's Header, as a security server does: its namespace declarations (on Envelope and Header)
      // are carried over, and ADIT's infosysteem gets the adit: prefix our Envelope declares
      const envOpen = /<(?:[\w.-]+:)?Envelope\b[^>]*>/.exec(envelopeText)?.[0] ?? '';
      const hm = /<((?:[\w.-]+:)?)Header(\s[^>]*)?>([\s\S]*?)<\/\1Header>/.exec(envelopeText);
      if (hm && header) {
        extraNs = [...envOpen.matchAll(/\sxmlns:([\w.-]+)\s*=\s*("[^"]*"|'[^']*')/g)]
          .filter((m) => !['SOAP-ENV', 'xrd', 'id', 'adit'].includes(m[1]!)).map((m) => ` xmlns:${m[1]}=${m[2]}`).join('');
        const inner = (hm[3] ?? '').replace(/<(\/?)(?:[\w.-]+:)?infosysteem\b/g, '<$1adit:infosysteem');
        headerXml = `<SOAP-ENV:Header${hm[2] ?? ''}>${inner}</SOAP-ENV:Header>`;
      }
      if (!service) throw new SoapFault('Client', 'X-Road 4.0 header xrd:service is missing');
      const userId = text(child(header, 'userId', XRD));
      if (!userId) throw new SoapFault('Client', 'X-Road 4.0 header xrd:userId is missing');
      const op = child(env, 'Body', SOAP)?.children[0];
      const keha = child(op, 'keha');
      if (!keha) throw new SoapFault('Client', `${operation}: keha is missing`);
      const attachment = (el: El | undefined, what: string): El => {
        const ref = refOf(el);
        if (!ref) throw new SoapFault('Client', `${operation}: ${what} has no attachment reference`);
        const att = attachments.get(cidOf(ref));
        if (!att) throw new SoapFault('Client', `${operation}: attachment ${ref} not found`);
        try {
          return parse(decodeAttachment(att));
        } catch (e) {
          throw new SoapFault('Client', `${operation}: attachment ${ref} is not XML: ${(e as Error).message.split('\n')[0]}`);
        }
      };
      const messages = (msg: string): string => `<messages><message lang="en">${esc(msg)}</message></messages>`;
      const resp = (name: string, inner: string, att?: { cid: string; xml: string }) =>
        reply(200, `<adit:${name}><keha>${inner}</keha></adit:${name}>`, att);
      const fail = (name: string, msg: string) => resp(name, `<success>false</success>${messages(msg)}`);
      const noDoc = (id: string): string => `Document does not exist. Document ID: ${Number(id).toLocaleString('en-US')}`;
      const docId = (): string => {
        const id = text(child(keha, 'document_id')) || text(child(keha, 'dhx_receipt_id'));
        if (!id) throw new SoapFault('Client', `${operation}: document_id is missing`);
        if (!/^\d+$/.test(id)) throw new SoapFault('Client', `${operation}: document_id "${id}" is not an integer`);
        return id;
      };
      const key = `${operation}.${version}`;
      const RESPONSES: Record<string, string> = {
        'getDocumentList.v2': 'getDocumentListV2Response', 'getDocument.v3': 'getDocumentResponse',
        'markDocumentViewed.v1': 'markDocumentViewedResponse', 'getUserInfo.v1': 'getUserInfoResponse',
        'saveDocument.v1': 'saveDocumentResponse', 'sendDocument.v2': 'sendDocumentV2Response', 'getSendStatus.v2': 'getSendStatusV2Response',
      };
      // as ADIT's testMessages (error_unspecified_application): a business error, not a fault
      if (RESPONSES[key] && !text(child(header, 'infosysteem'))) return fail(RESPONSES[key], 'Unable to process request - Application name not defined');
      if (key === 'getDocumentList.v2') {
        const list = [...docs.values()].filter((d) => d.incoming && !viewed.includes(d.id));
        const cid = randomUUID();
        return resp('getDocumentListV2Response', `<success>true</success>${messages(`${list.length} documents`)}<documentList href="cid:${cid}"/>`,
          { cid, xml: `<?xml version="1.0" encoding="UTF-8"?><getDocumentListV2ResponseAttachmentV2><document_list><total>${list.length}</total>` +
            list.map((d) => docXml(d, false)).join('') + `</document_list></getDocumentListV2ResponseAttachmentV2>` });
      }
      if (key === 'getDocument.v3') {
        const id = docId();
        const d = docs.get(id);
        if (!d) return fail('getDocumentResponse', noDoc(id));
        const withData = text(child(keha, 'include_file_contents')) !== 'false';
        const cid = randomUUID();
        return resp('getDocumentResponse', `<success>true</success>${messages('Document found')}<document href="cid:${cid}"/>`,
          { cid, xml: `<?xml version="1.0" encoding="UTF-8"?><getDocumentResponseAttachmentV3>${docXml(d, withData)}</getDocumentResponseAttachmentV3>` });
      }
      if (key === 'markDocumentViewed.v1') {
        const id = docId();
        if (!docs.has(id)) return fail('markDocumentViewedResponse', noDoc(id));
        if (!viewed.includes(id)) viewed.push(id);
        return resp('markDocumentViewedResponse', `<success>true</success>${messages('Document marked as viewed')}`);
      }
      if (key === 'getUserInfo.v1') {
        const codes = children(child(attachment(child(keha, 'userList'), 'userList'), 'user_list'), 'code').map((c) => text(c) ?? '');
        const cid = randomUUID();
        return resp('getUserInfoResponse', `<success>true</success>${messages('User info')}<userList href="cid:${cid}"/>`,
          { cid, xml: `<?xml version="1.0" encoding="UTF-8"?><getUserInfoResponseAttachmentV1><user_list>` + codes.map((c) =>
            `<user><code>${esc(c)}</code><has_joined>${users.get(bareCode(c))?.joined === true}</has_joined><can_read>true</can_read>` +
            `<can_write>true</can_write></user>`).join('') + `</user_list></getUserInfoResponseAttachmentV1>` });
      }
      if (key === 'saveDocument.v1') {
        const doc = child(attachment(child(keha, 'document'), 'document'), 'document');
        if (!doc) throw new SoapFault('Client', 'saveDocument: attachment has no document');
        const title = text(child(doc, 'title'));
        if (!title) return fail('saveDocumentResponse', 'Document title is missing.');
        const files = children(child(doc, 'files'), 'file').map((f) => ({
          name: text(child(f, 'name')) ?? '', mime: text(child(f, 'content_type')) ?? 'application/octet-stream',
          content: Buffer.from((text(child(f, 'data')) ?? '').replace(/\s+/g, ''), 'base64'),
        }));
        const d = newDoc({ title, type: text(child(doc, 'document_type')) ?? 'letter', creator: bareCode(userId), files, incoming: false });
        return resp('saveDocumentResponse', `<success>true</success>${messages('Document saved')}<document_id>${d.id}</document_id>`);
      }
      if (key === 'sendDocument.v2') {
        const id = docId();
        const d = docs.get(id);
        if (!d) return fail('sendDocumentV2Response', noDoc(id));
        const codes = children(child(keha, 'recipient_list'), 'code').map((c) => text(c) ?? '');
        if (codes.length === 0) return fail('sendDocumentV2Response', 'Recipient list is empty.');
        const results = codes.map((c) => {
          const joined = users.get(bareCode(c))?.joined === true;
          if (joined && !d.sentTo.has(bareCode(c))) {
            d.sentTo.set(bareCode(c), {});
            d.sentTime ??= new Date().toISOString();
            sentLog.push({ to: bareCode(c), documentId: d.id, title: d.title, files: d.files.map((f) => ({ ...f })) });
          }
          return `<recipient><code>${esc(c)}</code><success>${joined}</success>` +
            messages(joined ? 'Document sent' : `User does not exist: ${c}`) + `</recipient>`;
        });
        const ok = codes.every((c) => users.get(bareCode(c))?.joined === true);
        return resp('sendDocumentV2Response', `<success>${ok}</success>${messages(ok ? 'Document sent' : 'Document was not sent to all recipients.')}` +
          `<recipient_list>${results.join('')}</recipient_list>`);
      }
      if (key === 'getSendStatus.v2') {
        const att = attachment(child(keha, 'documendid'), 'documendid');
        const ids = [...children(att, 'dhx_receipt_id'), ...children(att, 'document_id')].map((e) => text(e) ?? '');
        const unknown = ids.filter((i) => !docs.has(i));
        if (unknown.length > 0) return fail('getSendStatusV2Response', noDoc(unknown[0]!));
        const cid = randomUUID();
        return resp('getSendStatusV2Response', `<success>true</success>${messages('Send status')}<document href="cid:${cid}"/>`,
          { cid, xml: `<?xml version="1.0" encoding="UTF-8"?><getSendStatusResponseAttachmentV1>` + ids.map((i) => {
            const d = docs.get(i)!;
            return `<dokument><id>${d.id}</id><guid>${d.guid}</guid><title>${esc(d.title)}</title><dvk_id>${d.id}</dvk_id>` +
              `<sent_to>${d.sentTime ? `<sent_time>${d.sentTime}</sent_time>` : ''}` + [...d.sentTo].map(([code, s]) =>
              `<user><code>EE${code}</code><has_been_viewed>${s.openedTime !== undefined}</has_been_viewed>` +
              (s.openedTime ? `<opened_time>${s.openedTime}</opened_time>` : '') + `</user>`).join('') + `</sent_to></dokument>`;
          }).join('') + `</getSendStatusResponseAttachmentV1>` });
      }
      throw new SoapFault('Client', `unknown service ${operation || '?'}.${version || '?'}`);
    } catch (e) {
      if (!recorded) requests.push({ operation: '', version: '' });
      return fault(e instanceof SoapFault ? e : new SoapFault('Server', (e as Error).message));
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let out: { status: number; contentType: string; body: Buffer };
      try {
        out = req.method === 'POST'
          ? handle(req.headers['content-type'] ?? 'text/xml', Buffer.concat(chunks))
          : { status: 405, contentType: 'text/plain', body: Buffer.from('POST only\n') };
      } catch (e) {
        out = { status: 500, contentType: 'text/plain', body: Buffer.from(`${(e as Error).message}\n`) };
      }
      res.writeHead(out.status, { 'content-type': out.contentType, 'content-length': out.body.length });
      res.end(out.body);
    });
  });
  track('independent ADIT fake server', server, (s) => !s.listening);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    putIncoming(doc) {
      return newDoc({ title: doc.title, type: doc.type ?? 'letter', creator: bareCode(doc.senderCode),
        files: doc.files.map((f) => ({ ...f })), incoming: true }).id;
    },
    viewedIds: () => [...viewed],
    users,
    sent: () => sentLog.map((s) => ({ ...s, files: s.files.map((f) => ({ ...f })) })),
    open(documentId) {
      const d = docs.get(documentId);
      if (!d) throw new Error(`no document ${documentId}`);
      for (const s of d.sentTo.values()) s.openedTime ??= new Date().toISOString();
    },
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
