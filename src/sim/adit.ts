import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { XMLBuilder } from 'fast-xml-parser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADIT_NS, decodeAttachment, parseAditRequest, parseDocument, byLocal, allByLocal, type AditDocument } from '../adit/messages';
import { makeBlobStore } from '../blob/store';
import { readXml } from '../xroad/xml';
import { readSoapRequest } from '../xroad/swa';
import { swaRequestBody } from '../xroad/swa-body';

/**
 * A fake ADIT (docs/adit.md, "The fake ADIT"): an HTTP server of its own (any path), normally behind the
 * X-Road simulator (src/sim/server.ts, addAdit), which passes GOV/70006317/adit requests on to it; a test may
 * also use its URL as the security server directly. It answers getDocumentList v2, getDocument v3 and markDocumentViewed v1
 * like ADIT's samples: `keha/success`, `messages/message[@lang]`, the list and the document as SwA
 * attachments holding gzip(xml) referenced by `href="cid:…"`. The send side too: getUserInfo v1 (joined
 * persons by `join`), saveDocument v1, sendDocument v2 (refused for a person not joined), getSendStatus v2
 * (opened once `open` is called). Business errors (`success=false`) and SOAP
 * Faults on demand, per operation.
 */

export interface FakeAditFile {
  name: string;
  contentType: string;
  data: Buffer;
}
export interface FakeAditDocument {
  id: string;
  title: string;
  documentType?: string;
  creatorCode: string;
  creatorName?: string;
  files: FakeAditFile[];
}
export type FakeAditOperation = 'getDocumentList' | 'getDocument' | 'markDocumentViewed' | 'getUserInfo' | 'saveDocument' | 'sendDocument' | 'getSendStatus';
export interface FakeAditFaults {
  /** Operation name → what to answer instead, once per listed count (Infinity: always). */
  refuse?: Partial<Record<FakeAditOperation, { message: string; times?: number }>>;
  fault?: Partial<Record<FakeAditOperation, { times?: number }>>;
  /** markDocumentViewed answers only after this many ms (a worker can be killed while waiting for it). */
  slowMarkMs?: number;
}

export interface FakeAdit {
  url: string;
  add(doc: Omit<FakeAditDocument, 'id'> & { id?: string }): string;
  /** Ids not yet marked viewed. */
  unviewed(): string[];
  /** Every markDocumentViewed, in order (a repeated mark shows twice). */
  marks(): string[];
  requests(): Array<ReturnType<typeof parseAditRequest>>;
  /** The document ids each getSendStatus asked about, in order (a refused or faulted one too). */
  statusAsked(): string[][];
  setFaults(f: FakeAditFaults): void;
  /** Persons (personal codes, without `EE`) who have joined ADIT: getUserInfo says has_joined for them. */
  join(code: string): void;
  /** Documents we saved (saveDocument) by id, with the recipients they were sent to and when each opened them. */
  saved(): Array<{ id: string; document: AditDocument; sentTo: Array<{ code: string; openedTime?: string }> }>;
  /** The person opens the document (getSendStatus then says has_been_viewed with opened_time). */
  open(documentId: string, code: string, at?: Date): void;
  close(): Promise<void>;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';

function envelope(body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ 'SOAP-ENV:Envelope': { '@_xmlns:SOAP-ENV': SOAP, '@_xmlns:adit': ADIT_NS, 'SOAP-ENV:Body': body } }) as string}`;
}

function kehaOf(success: boolean, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { success, 'adit:messages': { 'adit:message': { '@_lang': 'en', '#text': message } }, ...extra };
}

export async function startFakeAdit(opts: { port?: number } = {}): Promise<FakeAdit> {
  const docs = new Map<string, FakeAditDocument & { viewed: boolean }>();
  const marks: string[] = [];
  const seen: Array<ReturnType<typeof parseAditRequest>> = [];
  const statusAsked: string[][] = [];
  let faults: FakeAditFaults = {};
  let next = 5000;
  const joined = new Set<string>();
  const saved = new Map<string, { id: string; document: AditDocument; sentTo: Array<{ code: string; openedTime?: string }> }>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-adit-'));
  const store = makeBlobStore(tmp);
  const bare = (c: string) => c.trim().replace(/^EE/i, '');
  const timers = new Set<NodeJS.Timeout>();

  const take = (kind: 'refuse' | 'fault', op: string): { message?: string } | undefined => {
    const table = faults[kind] as Record<string, { message?: string; times?: number }> | undefined;
    const f = table?.[op];
    if (!f) return undefined;
    const times = f.times ?? Infinity;
    if (times <= 0) return undefined;
    f.times = times - 1;
    return f;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer().catch(() => res.destroy()));
    const answer = async (): Promise<void> => {
      const xml = (s: number, body: string) => {
        res.writeHead(s, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(body);
      };
      let r;
      let attachment: Buffer | undefined;
      let requestEnvelope: Buffer | undefined;
      try {
        const read = await readSoapRequest(Readable.from([Buffer.concat(chunks)]), { 'content-type': req.headers['content-type'] ?? 'text/xml' }, store, { maxEnvelopeBytes: 4 << 20, maxAttachmentBytes: 64 << 20, inlineMax: 64 << 20, idleMs: 5000 });
        const first = [...read.attachments.values()][0];
        if (first) attachment = decodeAttachment(first.bytes ?? fs.readFileSync(first.path!), 256 << 20);
        for (const a of read.attachments.values()) await store.discard(a);
        requestEnvelope = read.envelope;
        r = parseAditRequest(read.envelope);
      } catch (err) {
        return xml(500, envelope({ 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: (err as Error).message } }));
      }
      seen.push(r);
      const op = r.serviceCode ?? r.operation.replace(/(V\d)?(Request)$/, '');
      const askedIds = op === 'getSendStatus' ? allByLocal(readXml(attachment ?? '<x/>'), 'dhx_receipt_id').map((e) => e.text.trim()) : [];
      if (op === 'getSendStatus') statusAsked.push(askedIds);
      const respName = `adit:${op}Response`;
      if (take('fault', op)) return xml(500, envelope({ 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Server', faultstring: `fake ADIT: ${op} is failing on demand` } }));
      const refused = take('refuse', op);
      if (refused) return xml(200, envelope({ [respName]: { keha: kehaOf(false, refused.message ?? 'refused') } }));
      const withAttachment = (name: string, content: string) => {
        const cid = `adit-${next++}`;
        const swa = swaRequestBody(envelope({ [respName]: { keha: kehaOf(true, 'OK', { [name]: { '@_href': `cid:${cid}` } }) } }), [
          { contentId: cid, contentType: 'application/octet-stream', source: Readable.from([gzipSync(Buffer.from(content, 'utf8'))]) },
        ]);
        res.writeHead(200, { 'content-type': swa.contentType });
        swa.body.pipe(res);
      };
      if (op === 'getDocumentList') {
        const list = [...docs.values()].filter((d) => !d.viewed);
        return withAttachment(
          'documentList',
          `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ getDocumentListResponseAttachmentV1: { document_list: { total: list.length, document: list.map((d) => ({ id: d.id, title: d.title, has_been_viewed: false })) } } }) as string}`,
        );
      }
      if (op === 'getUserInfo') {
        const codes = allByLocal(byLocal(readXml(attachment ?? '<x/>'), 'user_list'), 'code').map((c) => c.text.trim());
        return withAttachment(
          'userList',
          `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ getUserInfoResponseAttachmentV1: { user_list: { user: codes.map((c) => ({ code: c, has_joined: joined.has(bare(c)), free_space_bytes: joined.has(bare(c)) ? 104857600 : 0 })) } } }) as string}`,
        );
      }
      if (op === 'saveDocument') {
        const doc = parseDocument(attachment ?? '<x/>');
        const id = String(next++);
        saved.set(id, { id, document: { ...doc, id }, sentTo: [] });
        return xml(200, envelope({ [respName]: { keha: { ...kehaOf(true, 'Document was successfully saved.'), document_id: id } } }));
      }
      if (op === 'sendDocument') {
        const env = readXml(requestEnvelope!);
        const keha = byLocal(byLocal(env, 'Body')?.children[0], 'keha');
        const s = r.documentId ? saved.get(r.documentId) : undefined;
        if (!s) return xml(200, envelope({ [respName]: { keha: kehaOf(false, `Document does not exist. Document ID: ${r.documentId ?? ''}`) } }));
        const to = allByLocal(byLocal(keha, 'recipient_list'), 'code').map((c) => c.text.trim());
        const notJoined = to.filter((c) => !joined.has(bare(c)));
        if (notJoined.length) return xml(200, envelope({ [respName]: { keha: kehaOf(false, `User has not joined ADIT: ${notJoined.join(', ')}`) } }));
        for (const c of to) s.sentTo.push({ code: c });
        return xml(200, envelope({ [respName]: { keha: kehaOf(true, 'Document was successfully sent') } }));
      }
      if (op === 'getSendStatus') {
        const found = askedIds.map((i) => saved.get(i)).filter((x) => x !== undefined);
        return withAttachment(
          'document',
          `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
            getSendStatusResponseAttachmentV1: {
              document: found.map((s) => ({ id: s.id, sent_to: { user: s.sentTo.map((u) => ({ code: u.code, has_been_viewed: u.openedTime !== undefined, ...(u.openedTime ? { opened_time: u.openedTime } : {}) })) } })),
            },
          }) as string}`,
        );
      }
      const d = r.documentId ? docs.get(r.documentId) : undefined;
      if (!d) return xml(200, envelope({ [respName]: { keha: kehaOf(false, `Document does not exist. Document ID: ${r.documentId ?? ''}`) } }));
      if (op === 'getDocument') {
        return withAttachment(
          'document',
          `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
            getDocumentResponseAttachmentV3: {
              document: {
                id: d.id,
                title: d.title,
                document_type: d.documentType ?? 'letter',
                creator_code: d.creatorCode,
                ...(d.creatorName ? { creator_name: d.creatorName } : {}),
                has_been_viewed: d.viewed,
                document_files: { file: d.files.map((f, i) => ({ id: i + 1, name: f.name, content_type: f.contentType, size_bytes: f.data.length, data: f.data.toString('base64') })) },
              },
            },
          }) as string}`,
        );
      }
      if (op === 'markDocumentViewed') {
        const mark = () => {
          if (res.destroyed) return;
          d.viewed = true;
          marks.push(d.id);
          xml(200, envelope({ [respName]: { keha: kehaOf(true, 'Document marked as viewed') } }));
        };
        if (faults.slowMarkMs) {
          const t = setTimeout(mark, faults.slowMarkMs);
          timers.add(t);
          res.on('close', () => clearTimeout(t));
          return;
        }
        return mark();
      }
      return xml(500, envelope({ 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: `fake ADIT does not answer ${op}` } }));
    };
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    add(doc) {
      const id = doc.id ?? String(next++);
      docs.set(id, { ...doc, id, viewed: false });
      return id;
    },
    unviewed: () => [...docs.values()].filter((d) => !d.viewed).map((d) => d.id),
    marks: () => [...marks],
    requests: () => [...seen],
    statusAsked: () => statusAsked.map((ids) => [...ids]),
    setFaults(f) {
      faults = f;
    },
    join: (code) => void joined.add(bare(code)),
    saved: () => [...saved.values()],
    open(documentId, code, at = new Date()) {
      const u = saved.get(documentId)?.sentTo.find((x) => bare(x.code) === bare(code));
      if (!u) throw new Error(`document ${documentId} was not sent to that person`);
      u.openedTime = at.toISOString();
    },
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      fs.rmSync(tmp, { recursive: true, force: true });
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
