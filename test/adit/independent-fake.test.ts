import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import sax from 'sax';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { startIndependentAdit, type IndependentAdit } from './independent-fake';

/*
 * Requests are ADIT's official testMessages (X-Road v5 `xtee:` headers) turned into the X-Road 4.0 `xrd:` header
 * the adit_new_v*.wsdl bindings declare, when the official folder is there; and inline-built requests otherwise.
 * Every personal code in the official samples is replaced by a fictional one with a valid checksum.
 */
const ROOT = path.resolve(__dirname, '../..');
const SPEC_DIR = path.resolve(ROOT, process.env.DHX_SPEC_DIR ?? '../shared/spec');
const MSG_DIR = path.join(SPEC_DIR, 'adit', 'testMessages');
const HAVE_SPEC = fs.existsSync(MSG_DIR);
if (!HAVE_SPEC) console.warn(`ADIT testMessages not found at ${MSG_DIR}: the official-sample tests are skipped (set DHX_SPEC_DIR)`);

const ADIT = 'http://producers.ametlikud-dokumendid.xtee.riik.ee/producer/ametlikud-dokumendid';
const US = makeTestPersonalCode(11, '800101', 3); // the user making the requests
const JOINED = makeTestPersonalCode(12, '900202', 4);
const NOT_JOINED = makeTestPersonalCode(13, '010303', 5);
const UNKNOWN = makeTestPersonalCode(14, '020404', 6);

const xrdHeader = (serviceCode: string, serviceVersion: string, userId = `EE${US}`, infosysteem = 'KOV'): string =>
  `<xrd:protocolVersion>4.0</xrd:protocolVersion><xrd:id>adit-fake-test-1</xrd:id><xrd:userId>${userId}</xrd:userId>` +
  `<xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>ee-test</id:xRoadInstance><id:memberClass>GOV</id:memberClass>` +
  `<id:memberCode>70001975</id:memberCode><id:subsystemCode>DHX</id:subsystemCode></xrd:client>` +
  `<xrd:service id:objectType="SERVICE"><id:xRoadInstance>ee-test</id:xRoadInstance><id:memberClass>GOV</id:memberClass>` +
  `<id:memberCode>70006317</id:memberCode><id:subsystemCode>adit</id:subsystemCode>` +
  `<id:serviceCode>${serviceCode}</id:serviceCode><id:serviceVersion>${serviceVersion}</id:serviceVersion></xrd:service>` +
  `<adit:infosysteem>${infosysteem}</adit:infosysteem>`;

const NS = `xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" ` +
  `xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:adit="${ADIT}"`;
const envelope = (serviceCode: string, serviceVersion: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope ${NS}><SOAP-ENV:Header>${xrdHeader(serviceCode, serviceVersion)}` +
  `</SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

const encode = (xml: string): string => gzipSync(Buffer.from(xml, 'utf8')).toString('base64');
const decode = (b64: string): string => gunzipSync(Buffer.from(b64.replace(/\s+/g, ''), 'base64')).toString('utf8');

/** Official sample → X-Road 4.0: the xtee: header replaced (service from xtee:nimi, version overridable). */
const codeMap = new Map<string, string>();
function fictional(text: string): string {
  return text.replace(/(?<![\d])(EE)?([1-6]\d{10})(?!\d)/g, (_m, ee: string | undefined, code: string) => {
    if (!codeMap.has(code)) codeMap.set(code, makeTestPersonalCode(100 + codeMap.size, '750505', 3));
    return `${ee ?? ''}${codeMap.get(code)!}`;
  });
}
function official(rel: string, version?: string): { xml: string; operation: string; version: string } {
  const src = fictional(fs.readFileSync(path.join(MSG_DIR, rel), 'utf8'));
  const nimi = /<xtee:nimi>([^<]*)<\/xtee:nimi>/.exec(src)![1]!.split('.').filter(Boolean);
  const operation = nimi.at(-2)!;
  const v = version ?? nimi.at(-1)!;
  const user = /<xtee:isikukood>([^<]*)</.exec(src)?.[1] ?? `EE${US}`;
  const info = /<adit:infosysteem>([^<]*)</.exec(src)?.[1] ?? 'KOV';
  const xml = src
    .replace(/<(\w+):Envelope\b/, `<$1:Envelope xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers"`)
    .replace(/(<(\w+):Header>)[\s\S]*?(<\/\2:Header>)/, (_m, open: string, _p: string, close: string) =>
      `${open}${xrdHeader(operation, v, user, info)}${close}`)
    .replace(/xmlns:adit="[^"]*"/, `xmlns:adit="${ADIT}"`);
  return { xml, operation, version: v };
}

interface Reply { status: number; envelope: string; attachments: Map<string, string> }

async function post(url: string, body: string, attachments: Record<string, string> = {}): Promise<Reply> {
  let contentType = 'text/xml; charset=UTF-8';
  let payload = body;
  if (Object.keys(attachments).length > 0) {
    const b = 'adit-test-boundary';
    contentType = `multipart/related; type="text/xml"; start="<env>"; boundary=${b}`;
    payload = `--${b}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <env>\r\n\r\n${body}\r\n` +
      Object.entries(attachments).map(([cid, c]) => `--${b}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Transfer-Encoding: base64\r\nContent-ID: <${cid}>\r\n\r\n${c}\r\n`).join('') + `--${b}--\r\n`;
  }
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, soapaction: '""' }, body: payload });
  const text = await res.text();
  const ct = res.headers.get('content-type') ?? '';
  const parts = new Map<string, string>();
  if (!ct.startsWith('multipart/related')) return { status: res.status, envelope: text, attachments: parts };
  const boundary = /boundary="?([^";]+)"?/.exec(ct)![1]!;
  const start = /start="?<([^>"]+)>"?/.exec(ct)![1]!;
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '').split('\r\n\r\n');
    parts.set(/content-id:\s*<([^>]+)>/i.exec(head!)![1]!, rest.join('\r\n\r\n'));
  }
  const env = parts.get(start)!;
  parts.delete(start);
  return { status: res.status, envelope: env, attachments: parts };
}

/** A tiny element tree, for reading answers. */
interface Node { name: string; attrs: Record<string, string>; children: Node[]; text: string }
function tree(xml: string): Node {
  const p = sax.parser(true, {});
  const stack: Node[] = [];
  let root: Node | undefined;
  p.onopentag = (t) => {
    const n: Node = { name: t.name.replace(/^.*:/, ''), attrs: t.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)?.children.push(n);
    root ??= n;
    stack.push(n);
  };
  p.onclosetag = () => void stack.pop();
  p.ontext = (t) => { if (stack.at(-1)) stack.at(-1)!.text += t; };
  p.write(xml).close();
  return root!;
}
const find = (n: Node | undefined, ...names: string[]): Node | undefined =>
  names.reduce<Node | undefined>((at, name) => at?.children.find((c) => c.name === name), n);
const all = (n: Node | undefined, name: string): Node[] => n?.children.filter((c) => c.name === name) ?? [];
const val = (n: Node | undefined): string => n?.text.trim() ?? '';

/** The answer's keha, and the decoded attachment an href in it points to (if any). */
function answer(r: Reply, responseElement: string, hrefElement?: string): { keha: Node; att?: Node } {
  expect(r.status).toBe(200);
  const env = tree(r.envelope);
  expect(val(find(env, 'Header', 'service', 'serviceCode'))).not.toBe('');
  const body = find(env, 'Body')!;
  expect(body.children[0]!.name).toBe(responseElement);
  expect(r.envelope).toContain(`xmlns:adit="${ADIT}"`);
  const keha = find(body.children[0], 'keha')!;
  if (!hrefElement) return { keha };
  const href = find(keha, hrefElement)?.attrs.href ?? '';
  expect(href).toMatch(/^cid:/);
  const raw = r.attachments.get(href.slice(4));
  expect(raw).toBeDefined();
  return { keha, att: tree(decode(raw!)) };
}
const faultOf = (r: Reply): string => {
  expect(r.status).toBe(500);
  return val(find(tree(r.envelope), 'Body', 'Fault', 'faultstring'));
};
const messagesOf = (keha: Node): string => all(find(keha, 'messages'), 'message').map(val).join(' | ');

const getDocumentList = (): string =>
  envelope('getDocumentList', 'v2', `<adit:getDocumentListV2Request><keha><folder>incoming</folder><has_been_viewed>false</has_been_viewed>` +
    `<max_results>50</max_results></keha></adit:getDocumentListV2Request>`);
const getDocument = (id: string): string =>
  envelope('getDocument', 'v3', `<adit:getDocumentRequest><keha><document_id>${id}</document_id>` +
    `<include_file_contents>true</include_file_contents></keha></adit:getDocumentRequest>`);
const markViewed = (id: string): string =>
  envelope('markDocumentViewed', 'v1', `<adit:markDocumentViewedRequest><keha><document_id>${id}</document_id></keha></adit:markDocumentViewedRequest>`);
const sendDocument = (id: string, codes: string[]): string =>
  envelope('sendDocument', 'v2', `<adit:sendDocumentV2Request><keha><document_id>${id}</document_id><recipient_list>` +
    codes.map((c) => `<code>${c}</code>`).join('') + `</recipient_list></keha></adit:sendDocumentV2Request>`);
const getSendStatus = (ids: string[]): [string, Record<string, string>] => [
  envelope('getSendStatus', 'v2', `<adit:getSendStatusV2Request><keha><documendid href="cid:ss1"/></keha></adit:getSendStatusV2Request>`),
  { ss1: encode(`<getSendStatusV2RequestAttachmentV2>${ids.map((i) => `<dhx_receipt_id>${i}</dhx_receipt_id>`).join('')}</getSendStatusV2RequestAttachmentV2>`) },
];
const saveDocument = (title: string, files: Array<{ name: string; mime: string; content: Buffer }>): [string, Record<string, string>] => [
  envelope('saveDocument', 'v1', `<adit:saveDocumentRequest><keha><document href="cid:doc1"/></keha></adit:saveDocumentRequest>`),
  { doc1: encode(`<?xml version="1.0" encoding="UTF-8"?><saveDocumentRequestAttachmentV1><document><title>${title}</title>` +
    `<document_type>letter</document_type><files>${files.map((f) => `<file><name>${f.name}</name><content_type>${f.mime}</content_type>` +
    `<size_bytes>${f.content.length}</size_bytes><data>${f.content.toString('base64')}</data></file>`).join('')}</files></document>` +
    `</saveDocumentRequestAttachmentV1>`) },
];

describe('independent ADIT fake', () => {
  let adit: IndependentAdit;
  beforeEach(async () => {
    adit = await startIndependentAdit();
    adit.users.set(JOINED, { joined: true });
    adit.users.set(NOT_JOINED, { joined: false });
  });
  afterEach(async () => adit.close());

  test('incoming: getDocumentList v2 lists unviewed documents, getDocument v3 gives the files, markDocumentViewed v1 drops it', async () => {
    const pdf = Buffer.from('%PDF-1.4 fictional\n');
    const id = adit.putIncoming({ title: 'Taotlus & lisa <1>', senderCode: JOINED, files: [{ name: 'taotlus.pdf', mime: 'application/pdf', content: pdf }] });
    const id2 = adit.putIncoming({ title: 'Teine', type: 'application', senderCode: '70000001', files: [] });

    let list = answer(await post(adit.url, getDocumentList()), 'getDocumentListV2Response', 'documentList');
    expect(val(find(list.keha, 'success'))).toBe('true');
    expect(list.att!.name).toBe('getDocumentListV2ResponseAttachmentV2');
    expect(val(find(list.att, 'document_list', 'total'))).toBe('2');
    const docs = all(find(list.att, 'document_list'), 'document');
    expect(docs.map((d) => val(find(d, 'id')))).toEqual([id, id2]);
    expect(val(find(docs[0], 'title'))).toBe('Taotlus & lisa <1>');
    expect(val(find(docs[0], 'creator_code'))).toBe(JOINED);
    expect(val(find(docs[1], 'document_type'))).toBe('application');
    expect(val(find(docs[0], 'document_files', 'total_files'))).toBe('1');
    expect(find(docs[0], 'document_files', 'document_files', 'file', 'data')).toBeUndefined();

    const got = answer(await post(adit.url, getDocument(id)), 'getDocumentResponse', 'document');
    expect(got.att!.name).toBe('getDocumentResponseAttachmentV3');
    const file = find(got.att, 'document', 'document_files', 'document_files', 'file')!;
    expect(val(find(file, 'name'))).toBe('taotlus.pdf');
    expect(val(find(file, 'content_type'))).toBe('application/pdf');
    expect(Buffer.from(val(find(file, 'data')), 'base64')).toEqual(pdf);

    const marked = answer(await post(adit.url, markViewed(id)), 'markDocumentViewedResponse');
    expect(val(find(marked.keha, 'success'))).toBe('true');
    await post(adit.url, markViewed(id));
    expect(adit.viewedIds()).toEqual([id]);
    list = answer(await post(adit.url, getDocumentList()), 'getDocumentListV2Response', 'documentList');
    expect(all(find(list.att, 'document_list'), 'document').map((d) => val(find(d, 'id')))).toEqual([id2]);
    expect(adit.requests).toEqual([
      { operation: 'getDocumentList', version: 'v2' }, { operation: 'getDocument', version: 'v3' },
      { operation: 'markDocumentViewed', version: 'v1' }, { operation: 'markDocumentViewed', version: 'v1' },
      { operation: 'getDocumentList', version: 'v2' },
    ]);
  });

  test('unknown document ids are success=false with a message, not a SOAP Fault', async () => {
    for (const [req, el] of [[getDocument('999999'), 'getDocumentResponse'], [markViewed('999999'), 'markDocumentViewedResponse'],
      [sendDocument('999999', [JOINED]), 'sendDocumentV2Response']] as const) {
      const { keha } = answer(await post(adit.url, req), el);
      expect(val(find(keha, 'success'))).toBe('false');
      expect(messagesOf(keha)).toBe('Document does not exist. Document ID: 999,999');
    }
    const [ss, att] = getSendStatus(['999999']);
    const { keha } = answer(await post(adit.url, ss, att), 'getSendStatusV2Response');
    expect(val(find(keha, 'success'))).toBe('false');
    expect(adit.viewedIds()).toEqual([]);
  });

  test('outgoing: getUserInfo v1, saveDocument v1, sendDocument v2 (joined or not), getSendStatus v2 before and after open', async () => {
    const info = answer(await post(adit.url, envelope('getUserInfo', 'v1',
      `<adit:getUserInfoRequest><keha><userList href="cid:u1"/></keha></adit:getUserInfoRequest>`),
    { u1: encode(`<getUserInfoRequestAttachmentV1><user_list><code>EE${JOINED}</code><code>${NOT_JOINED}</code>` +
      `<code>EE${UNKNOWN}</code></user_list></getUserInfoRequestAttachmentV1>`) }), 'getUserInfoResponse', 'userList');
    expect(info.att!.name).toBe('getUserInfoResponseAttachmentV1');
    expect(all(find(info.att, 'user_list'), 'user').map((u) => [val(find(u, 'code')), val(find(u, 'has_joined'))]))
      .toEqual([[`EE${JOINED}`, 'true'], [NOT_JOINED, 'false'], [`EE${UNKNOWN}`, 'false']]);

    const files = [{ name: 'otsus.txt', mime: 'text/plain', content: Buffer.from('Otsus\n') }];
    const saved = answer(await post(adit.url, ...saveDocument('Otsus', files)), 'saveDocumentResponse');
    expect(val(find(saved.keha, 'success'))).toBe('true');
    const id = val(find(saved.keha, 'document_id'));
    expect(id).toMatch(/^\d+$/);

    const sent = answer(await post(adit.url, sendDocument(id, [`EE${JOINED}`, `EE${NOT_JOINED}`])), 'sendDocumentV2Response');
    expect(val(find(sent.keha, 'success'))).toBe('false');
    const rec = all(find(sent.keha, 'recipient_list'), 'recipient');
    expect(rec.map((r) => [val(find(r, 'code')), val(find(r, 'success'))])).toEqual([[`EE${JOINED}`, 'true'], [`EE${NOT_JOINED}`, 'false']]);
    expect(messagesOf(rec[1]!)).toBe(`User does not exist: EE${NOT_JOINED}`);
    expect(adit.sent()).toEqual([{ to: JOINED, documentId: id, title: 'Otsus', files }]);

    const status = async (): Promise<string[][]> => {
      const { att } = answer(await post(adit.url, ...getSendStatus([id])), 'getSendStatusV2Response', 'document');
      expect(val(find(att, 'dokument', 'id'))).toBe(id);
      return all(find(att, 'dokument', 'sent_to'), 'user').map((u) => [val(find(u, 'code')), val(find(u, 'has_been_viewed'))]);
    };
    expect(await status()).toEqual([[`EE${JOINED}`, 'false']]);
    adit.open(id);
    expect(await status()).toEqual([[`EE${JOINED}`, 'true']]);
  });

  test('a request without the infosysteem header is success=false, as ADIT answers', async () => {
    const req = getDocumentList().replace(/<adit:infosysteem>[^<]*<\/adit:infosysteem>/, '');
    const { keha } = answer(await post(adit.url, req), 'getDocumentListV2Response');
    expect(val(find(keha, 'success'))).toBe('false');
    expect(messagesOf(keha)).toBe('Unable to process request - Application name not defined');
  });

  test('other operations, versions and malformed requests are SOAP Faults', async () => {
    expect(faultOf(await post(adit.url, envelope('getDocumentList', 'v1', '<adit:getDocumentListRequest><keha/></adit:getDocumentListRequest>')))).toMatch(/unknown service getDocumentList\.v1/);
    expect(faultOf(await post(adit.url, envelope('shareDocument', 'v1', '<adit:shareDocumentRequest><keha/></adit:shareDocumentRequest>')))).toMatch(/shareDocument/);
    expect(faultOf(await post(adit.url, envelope('getDocument', 'v3', '<adit:getDocumentRequest><keha/></adit:getDocumentRequest>')))).toMatch(/document_id/);
    expect(faultOf(await post(adit.url, envelope('saveDocument', 'v1', '<adit:saveDocumentRequest><keha><document href="cid:none"/></keha></adit:saveDocumentRequest>')))).toMatch(/attachment/);
    expect(faultOf(await post(adit.url, 'not xml'))).toMatch(/not XML|SOAP/);
    expect(adit.requests.at(-1)).toEqual({ operation: '', version: '' });
  });

  (HAVE_SPEC ? describe : describe.skip)('with ADIT\'s official testMessages (X-Road 4.0 headers)', () => {
    const cid = (xml: string): string => /cid:([^"<\s]+)/.exec(xml)![1]!;

    test('getUserInfo.v1 with its base64(gzip) attachment (userList given as text cid:…)', async () => {
      const req = official('getUserInfo.v1/getUserInfo.v1.xml');
      const b64 = encode(fictional(decode(fs.readFileSync(path.join(MSG_DIR, 'getUserInfo.v1/base64.txt'), 'utf8'))));
      const codes = [...decode(b64).matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]!);
      adit.users.set(codes[0]!.replace(/^EE/, ''), { joined: true });
      const { att } = answer(await post(adit.url, req.xml, { [cid(req.xml)]: b64 }), 'getUserInfoResponse', 'userList');
      const users = all(find(att, 'user_list'), 'user');
      expect(users.map((u) => val(find(u, 'code')))).toEqual(codes);
      expect(users.map((u) => val(find(u, 'has_joined')))).toEqual(codes.map((_c, i) => String(i === 0)));
      expect(adit.requests).toEqual([{ operation: 'getUserInfo', version: 'v1' }]);
    });

    test('saveDocument.v1 (official attachment, and the 3-file container), then sendDocument.v1 body as v2, getDocument v3', async () => {
      const req = official('saveDocument.v1/saveDocument.v1.xml');
      const b64 = fs.readFileSync(path.join(MSG_DIR, 'saveDocument.v1/base64.txt'), 'utf8');
      const title = /<title>([^<]*)<\/title>/.exec(decode(b64))![1]!;
      const saved = answer(await post(adit.url, req.xml, { [cid(req.xml)]: b64 }), 'saveDocumentResponse');
      expect(val(find(saved.keha, 'success'))).toBe('true');
      const id = val(find(saved.keha, 'document_id'));

      const three = fs.readFileSync(path.join(SPEC_DIR, 'adit', 'saveDocument_attachment_3files.xml'), 'utf8');
      const saved3 = answer(await post(adit.url, req.xml, { [cid(req.xml)]: encode(three) }), 'saveDocumentResponse');
      const id3 = val(find(saved3.keha, 'document_id'));
      const got = answer(await post(adit.url, getDocument(id3)), 'getDocumentResponse', 'document');
      const want = all(find(tree(three), 'document', 'files'), 'file');
      const have = all(find(got.att, 'document', 'document_files', 'document_files'), 'file');
      expect(have.map((f) => val(find(f, 'name')))).toEqual(want.map((f) => val(find(f, 'name'))));
      expect(have.map((f) => val(find(f, 'data')))).toEqual(want.map((f) => Buffer.from(val(find(f, 'data')).replace(/\s+/g, ''), 'base64').toString('base64')));

      const send = official('sendDocument.v1/sendDocument.v1.xml', 'v2');
      const to = /<adit:code>EE(\d+)<\/adit:code>/.exec(send.xml)![1]!;
      adit.users.set(to, { joined: true });
      const sent = answer(await post(adit.url, send.xml.replace(/<adit:document_id>\d+</, `<adit:document_id>${id}<`)), 'sendDocumentV2Response');
      expect(val(find(sent.keha, 'success'))).toBe('true');
      expect(adit.sent().map((s) => [s.to, s.documentId, s.title])).toEqual([[to, id, title]]);
      expect(adit.requests.map((r) => `${r.operation}.${r.version}`))
        .toEqual(['saveDocument.v1', 'saveDocument.v1', 'getDocument.v3', 'sendDocument.v2']);
    });

    test('operations the fake does not serve (getDocumentFile.v1, join.v1, getDocument.v1) are SOAP Faults', async () => {
      for (const rel of ['getDocumentFile.v1/success_case.xml', 'join.v1/add_person.xml', 'getDocument.v1.xml']) {
        const req = official(rel);
        expect(faultOf(await post(adit.url, req.xml))).toMatch(/unknown service/);
      }
      expect(adit.requests.map((r) => r.operation)).toEqual(['getDocumentFile', 'join', 'getDocument']);
    });
  });
});
