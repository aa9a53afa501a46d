import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import sax from 'sax';
import { startIndependentDvk, type IndependentDvk } from './independent-fake';
import { personalCode } from '../fixtures-gen/personal-code';

/** The X-Road userId of the requests: a fictional person. */
const USER_CODE = personalCode('M', '1988-06-19', 29);

/*
 * Requests are the official DVK samples (soapxml/receiveDocuments_v4.xml, markDocumentsReceived_3.xml), with the
 * X-Road v5 `xtee:` header turned into the X-Road 4.0 `xrd:` header the dhl_new_v*.wsdl bindings declare. They are
 * written inline so the test runs without ../shared; when the official folder is there, its X-Road 4.0 examples
 * (DHX adapter internal-interface guide) are sent as well.
 */
const SPEC_DIR = process.env.DHX_SPEC_DIR ?? path.resolve(__dirname, '../../../shared/spec');
const HAVE_SPEC = fs.existsSync(path.join(SPEC_DIR, 'dhx-adapter', 'docs-examples'));
const CAPSULES = path.resolve(__dirname, '../../fixtures/capsules/valid');
const capsule = (name: string): string => fs.readFileSync(path.join(CAPSULES, name), 'utf8');

const header = (serviceCode: string, serviceVersion: string, id = 'b0c9e1aa-4a3f-4a55-9c0e-000000000001'): string =>
  `<SOAP-ENV:Header>` +
  `<xrd:protocolVersion>4.0</xrd:protocolVersion><xrd:id>${id}</xrd:id><xrd:userId>EE${USER_CODE}</xrd:userId>` +
  `<xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>` +
  `<id:memberCode>70001975</id:memberCode><id:subsystemCode>DHX</id:subsystemCode></xrd:client>` +
  `<xrd:service id:objectType="SERVICE"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>` +
  `<id:memberCode>70006317</id:memberCode><id:subsystemCode>dhl</id:subsystemCode>` +
  `<id:serviceCode>${serviceCode}</id:serviceCode><id:serviceVersion>${serviceVersion}</id:serviceVersion></xrd:service>` +
  `</SOAP-ENV:Header>`;

const envelope = (hdr: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" ` +
  `xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" ` +
  `xmlns:dhl="http://producers.dhl.xrd.riik.ee/producer/dhl">${hdr}<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

const receiveV4 = (arv: number, id?: string): string =>
  envelope(header('receiveDocuments', 'v4', id),
    `<dhl:receiveDocuments><keha><arv>${arv}</arv><allyksuse_lyhinimetus>RMTP</allyksuse_lyhinimetus>` +
    `<ametikoha_lyhinimetus>RAAMATUPIDAJA</ametikoha_lyhinimetus><kaust/><edastus_id>12345678_1234</edastus_id>` +
    `<fragment_nr>-1</fragment_nr><fragmendi_suurus_baitides>0</fragmendi_suurus_baitides></keha></dhl:receiveDocuments>`);

const itemsXml = (a: string, b: string): string =>
  `<item><dhl_id>${a}</dhl_id><vastuvotja_staatus_id>10</vastuvotja_staatus_id><fault><faultcode>100</faultcode>` +
  `<faultactor>CLIENT</faultactor><faultstring>Veateade</faultstring><faultdetail>vea kirjeldus</faultdetail></fault>` +
  `<metaxml><andmed_1>väärtus 1</andmed_1></metaxml><staatuse_muutmise_aeg>2005-09-01T12:35:11</staatuse_muutmise_aeg></item>` +
  `<item><dhl_id>${b}</dhl_id><vastuvotja_staatus_id>7</vastuvotja_staatus_id>` +
  `<staatuse_muutmise_aeg>2005-09-02T14:15:00</staatuse_muutmise_aeg></item><item><dhl_id>${a}</dhl_id></item>`;

const markV3 = (items: string): string =>
  envelope(header('markDocumentsReceived', 'v3'),
    `<dhl:markDocumentsReceived><keha><dokumendid>${items}</dokumendid><kaust/></keha></dhl:markDocumentsReceived>`);

interface Reply { status: number; contentType: string; envelope: string; parts: Map<string, string> }

async function post(url: string, body: string, attachments: Record<string, string> = {}): Promise<Reply> {
  let contentType = 'text/xml; charset=UTF-8';
  let payload = body;
  if (Object.keys(attachments).length > 0) {
    const b = 'test-boundary-7d1';
    contentType = `multipart/related; type="text/xml"; start="<env>"; boundary=${b}`;
    payload = `--${b}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <env>\r\n\r\n${body}\r\n` +
      Object.entries(attachments).map(([cid, c]) => `--${b}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-ID: <${cid}>\r\n\r\n${c}\r\n`).join('') + `--${b}--\r\n`;
  }
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, soapaction: '""' }, body: payload });
  const text = await res.text();
  const ct = res.headers.get('content-type') ?? '';
  const parts = new Map<string, string>();
  if (!ct.startsWith('multipart/related')) return { status: res.status, contentType: ct, envelope: text, parts };
  const boundary = /boundary="?([^";]+)"?/.exec(ct)![1]!;
  const start = /start="?<([^>"]+)>"?/.exec(ct)![1]!;
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '').split('\r\n\r\n');
    parts.set(/content-id:\s*<([^>]+)>/i.exec(head!)![1]!, rest.join('\r\n\r\n'));
  }
  return { status: res.status, contentType: ct, envelope: parts.get(start)!, parts };
}

/** The capsules inside a receiveDocuments reply: keha/@href → attachment → base64 → gunzip → split. */
function received(r: Reply): string[] {
  expect(r.status).toBe(200);
  expect(r.contentType).toMatch(/^multipart\/related/);
  expect(r.envelope).toMatch(/<dhl:receiveDocumentsResponse xmlns:dhl="http:\/\/producers\.dhl\.xrd\.riik\.ee\/producer\/dhl"[^>]*>/);
  const cid = /<keha href="cid:([^"]+)"\/>/.exec(r.envelope)![1]!;
  const xml = gunzipSync(Buffer.from(r.parts.get(cid)!, 'base64')).toString('utf8');
  return xml.match(/<(\w+:)?DecContainer[\s>][\s\S]*?<\/(\w+:)?DecContainer>/g) ?? [];
}

const decId = (xml: string): string | undefined => /<(?:\w+:)?DecId>([^<]*)</.exec(xml)?.[1];
const withoutDecl = (xml: string): string => xml.replace(/^<\?xml[^>]*\?>\s*/, '').trimEnd();

describe('independent fake DVK (from the official WSDL)', () => {
  let dvk: IndependentDvk;
  beforeEach(async () => {
    dvk = await startIndependentDvk();
  });
  afterEach(() => dvk.close());

  it('receiveDocuments v4 returns the queued capsules as one base64(gzip) swaRef attachment, DecId set, header echoed', async () => {
    const plain = capsule('counselling-request.xml');
    const prefixed = capsule('prefixed-namespace.xml');
    const withMeta = capsule('zoneless-and-zoned-dates.xml');
    const ids = [dvk.put(plain), dvk.put(prefixed), dvk.put(withMeta)];
    expect(new Set(ids).size).toBe(3);
    const r = await post(dvk.url, receiveV4(10, 'echo-me-123'));
    const docs = received(r);
    expect(docs.map(decId)).toEqual(ids);
    // Original XML except the inserted DecMetadata (capsules had none) or the replaced DecId value.
    expect(docs[0]!.replace(/<DecMetadata>[\s\S]*<\/DecMetadata>/, '')).toBe(withoutDecl(plain));
    expect(docs[0]).toMatch(/<DecMetadata><DecId>\d+<\/DecId><DecFolder>\/<\/DecFolder><DecReceiptDate>[^<]+<\/DecReceiptDate><\/DecMetadata><\/DecContainer>$/);
    expect(docs[1]!.replace(/<k:DecMetadata>[\s\S]*<\/k:DecMetadata>/, '')).toBe(withoutDecl(prefixed));
    expect(docs[2]).toBe(withoutDecl(withMeta).replace('<DecId>42</DecId>', `<DecId>${ids[2]}</DecId>`));
    expect(r.envelope).toContain('<xrd:id>echo-me-123</xrd:id>');
    expect(r.envelope).toContain('<id:serviceCode>receiveDocuments</id:serviceCode><id:serviceVersion>v4</id:serviceVersion>');
    expect(dvk.requests).toEqual([{ operation: 'receiveDocuments', version: 'v4' }]);
  });

  it('receiveDocuments v4 honours arv and answers an empty attachment when nothing is queued', async () => {
    expect(received(await post(dvk.url, receiveV4(10)))).toEqual([]);
    const ids = [1, 2, 3].map(() => dvk.put(capsule('mentoring-request.xml')));
    expect(received(await post(dvk.url, receiveV4(2))).map(decId)).toEqual(ids.slice(0, 2));
  });

  it('markDocumentsReceived v3 records the items inline, answers OK, and a marked document is not returned again', async () => {
    const a = dvk.put(capsule('counselling-request.xml'));
    const b = dvk.put(capsule('klat-opinion-request.xml'));
    const c = dvk.put(capsule('mentoring-request.xml'));
    const r = await post(dvk.url, markV3(itemsXml(a, b)));
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^text\/xml/);
    expect(r.envelope).toMatch(/<dhl:markDocumentsReceivedResponse[^>]*><keha>OK<\/keha><\/dhl:markDocumentsReceivedResponse>/);
    expect(dvk.markedIds()).toEqual([a, b]);
    expect(dvk.markedItems()).toEqual([{ dhlId: a, status: '10', fault: 'Veateade' }, { dhlId: b, status: '7' }, { dhlId: a }]);
    expect(received(await post(dvk.url, receiveV4(10))).map(decId)).toEqual([c]);
  });

  it('markDocumentsReceived v3 also comes as multipart/related (as its binding says), items inline or by href', async () => {
    const a = dvk.put(capsule('counselling-request.xml'));
    const b = dvk.put(capsule('klat-opinion-request.xml'));
    const inline = await post(dvk.url, markV3(`<item><dhl_id>${a}</dhl_id></item>`), { unrelated: 'aGVsbG8=' });
    expect(inline.envelope).toContain('<keha>OK</keha>');
    const byRef = envelope(header('markDocumentsReceived', 'v3'),
      '<dhl:markDocumentsReceived><keha><dokumendid href="cid:items"/></keha></dhl:markDocumentsReceived>');
    const att = gzipSync(Buffer.from(`<item><dhl_id>${b}</dhl_id><vastuvotja_staatus_id>4</vastuvotja_staatus_id></item>`)).toString('base64');
    expect((await post(dvk.url, byRef, { items: att })).envelope).toContain('<keha>OK</keha>');
    expect(dvk.markedItems()).toEqual([{ dhlId: a }, { dhlId: b, status: '4' }]);
    expect(received(await post(dvk.url, receiveV4(10)))).toEqual([]);
  });

  it('echoes an Envelope whose SOAP namespace is the default one, keeping keha unqualified', async () => {
    dvk.put(capsule('counselling-request.xml'));
    const req = receiveV4(5)
      .replace('<SOAP-ENV:Envelope xmlns:SOAP-ENV=', '<Envelope xmlns=')
      .replace(/SOAP-ENV:(Header|Body)>/g, '$1>').replace('</SOAP-ENV:Envelope>', '</Envelope>');
    const r = await post(dvk.url, req);
    expect(received(r)).toHaveLength(1);
    const seen: string[] = [];
    const p = sax.parser(true, { xmlns: true });
    p.onopentag = (t) => seen.push(`{${(t as sax.QualifiedTag).uri}}${(t as sax.QualifiedTag).local}`);
    p.write(r.envelope).close();
    expect(seen).toEqual(expect.arrayContaining([
      '{http://schemas.xmlsoap.org/soap/envelope/}Envelope', '{http://schemas.xmlsoap.org/soap/envelope/}Header',
      '{http://x-road.eu/xsd/xroad.xsd}service', '{http://schemas.xmlsoap.org/soap/envelope/}Body',
      '{http://producers.dhl.xrd.riik.ee/producer/dhl}receiveDocumentsResponse', '{}keha',
    ]));
  });

  it.each([
    ['an unknown operation', envelope(header('getSendStatus', 'v2'), '<dhl:getSendStatus><keha href="cid:x"/></dhl:getSendStatus>')],
    ['an unsupported version', envelope(header('receiveDocuments', 'v3'), '<dhl:receiveDocuments><keha><arv>1</arv></keha></dhl:receiveDocuments>')],
    ['no X-Road 4.0 header', envelope('', '<dhl:receiveDocuments><keha><arv>1</arv></keha></dhl:receiveDocuments>')],
    ['markDocumentsReceived without items', markV3('')],
    ['not XML', 'Test fail.'],
    ['a root other than a SOAP Envelope', '<receiveDocuments><keha><arv>1</arv></keha></receiveDocuments>'],
  ])('answers a SOAP Fault to %s', async (_name, body) => {
    const r = await post(dvk.url, body);
    expect(r.status).toBe(500);
    expect(r.envelope).toMatch(/<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client<\/faultcode><faultstring>[^<]+<\/faultstring><\/SOAP-ENV:Fault>/);
    expect(dvk.markedIds()).toEqual([]);
    expect(dvk.requests).toHaveLength(1);
  });

  (HAVE_SPEC ? describe : describe.skip)('with the official X-Road 4.0 examples (DHX adapter guide)', () => {
    const spec = (p: string): string => fs.readFileSync(path.join(SPEC_DIR, p), 'utf8');

    it('receiveDocuments_v4_request and markDocumentsReceived_v3_request drive the fake; the official capsule comes back with our DecId', async () => {
      const official = spec('dhx-adapter/docs-examples/receiveDocuments_v4_response_attachment_decoded.xml');
      const id = dvk.put(official);
      const docs = received(await post(dvk.url, spec('dhx-adapter/docs-examples/receiveDocuments_v4_request.xml')));
      expect(docs).toEqual([withoutDecl(official).replace('<DecId>65</DecId>', `<DecId>${id}</DecId>`)]);
      const mark = spec('dhx-adapter/docs-examples/markDocumentsReceived_v3_request.xml').replace('<dhl_id>65</dhl_id>', `<dhl_id>${id}</dhl_id>`);
      expect((await post(dvk.url, mark)).envelope).toContain('<keha>OK</keha>');
      expect(dvk.markedIds()).toEqual([id]);
      expect(dvk.requests).toEqual([{ operation: 'receiveDocuments', version: 'v4' }, { operation: 'markDocumentsReceived', version: 'v3' }]);
    });

    it('the official DVK attachment encoding (base64 of gzip) is what the fake sends', async () => {
      const xml = gunzipSync(Buffer.from(spec('dhx-adapter/capsules/kapsel_21_gzip_base64.txt').trim(), 'base64')).toString('utf8');
      const id = dvk.put(xml);
      expect(received(await post(dvk.url, receiveV4(1))).map(decId)).toEqual([id]);
    });
  });
});
