import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { dvkClientOptions, receiveDocuments, type DvkClientOptions } from '../../src/dvk/client';
import { DvkResponseError } from '../../src/dvk/messages';
import {
  getSendingOptions,
  getSendingOptionsEnvelope,
  memoryBlobStore,
  parseSendingOptionsResponse,
  readInstitutions,
  readUnencoded,
  sendingOptionsAnswerXml,
  sendingOptionsRequestXml,
  type Institution,
} from '../../src/dvk/options';
import { startFakeDvk, type FakeDvk } from '../../src/sim/dvk';
import { requestHeader } from '../../src/xroad/dhx-request';
import { readSoapRequest } from '../../src/xroad/swa';
import { readXml } from '../../src/xroad/xml';
import { dhx } from '../cli/run';
import { SPEC_DIR } from '../conformance/spec';
import { track } from '../helpers/resources';

/**
 * getSendingOptions v3 (issue #12, docs/dvk.md "Is DVK there?"): the client against the project's fake DVK
 * server (institutions set by the test; the request's swaRef attachment of gzip(asutused) read back by the
 * fake), the answer's forms (attachment, inline elements, inline base64(gzip), any prefix), a SOAP Fault,
 * malformed XML and an unreachable DVK as failed values, `dhx dvk options` (exit codes, text, JSON), and the
 * official v2 response sample of paringute_kirjeldused.txt read by the same reader.
 */

const KNOWN: Institution[] = [
  { code: '70006317', name: 'Riigi Infosüsteemi Amet', transports: ['dhl', 'dhx'] },
  { code: '70001975', name: 'Sotsiaalkindlustusamet', transports: ['dhx'] },
  { code: '75001234', name: 'Näidise Vallavalitsus & Co <test>', transports: ['dhl_otse'], parent: '70006317' },
];

let fake: FakeDvk;
let closed = false;
let env: NodeJS.ProcessEnv;
let client: DvkClientOptions;

beforeEach(async () => {
  closed = false;
  fake = track('fake dvk', await startFakeDvk(), () => closed);
  fake.sendingOptions.set(KNOWN);
  env = { DVK_URL: fake.url, DVK_TIMEOUT_SECONDS: '2', LOG_LEVEL: 'error' };
  client = dvkClientOptions(loadConfig(env));
});
afterEach(async () => {
  if (!closed) {
    closed = true;
    await fake.close();
  }
});

describe('getSendingOptions against the fake DVK', () => {
  test('without codes: every institution DVK knows, with name, transports and parent; the request is v3 with the X-Road header', async () => {
    const r = await getSendingOptions(client);
    expect(r).toEqual({ kind: 'ok', institutions: KNOWN });
    expect(fake.sendingOptions.requests()).toEqual([[]]);
    const [req] = fake.requests();
    expect(req).toMatchObject({ operation: 'getSendingOptions', header: { service: { serviceCode: 'getSendingOptions', serviceVersion: 'v3', memberCode: '70006317' } } });
  });

  test('with codes: the codes travel in the request attachment; DVK answers the ones it knows', async () => {
    const r = await getSendingOptions(client, undefined, { codes: ['70001975', '99999999'] });
    expect(r).toEqual({ kind: 'ok', institutions: [KNOWN[1]] });
    expect(fake.sendingOptions.requests()).toEqual([['70001975', '99999999']]);
  });

  test('none known: ok with an empty list', async () => {
    fake.sendingOptions.set([]);
    expect(await getSendingOptions(client)).toEqual({ kind: 'ok', institutions: [] });
  });

  test.each(['attachment', 'inline', 'inlineBase64'] as const)('answer form %s: the same institutions', async (form) => {
    fake.sendingOptions.setForm(form);
    expect(await getSendingOptions(client, undefined, { codes: ['70006317', '75001234'] })).toEqual({ kind: 'ok', institutions: [KNOWN[0], KNOWN[2]] });
  });

  test('a SOAP Fault and malformed XML are failed values; an unreachable DVK too', async () => {
    fake.sendingOptions.setFault('soapFault');
    expect(await getSendingOptions(client)).toEqual({ kind: 'failed', reason: 'soap_fault', error: expect.stringMatching(/SOAP Fault .*Server: DVK is not available/) });
    fake.sendingOptions.setFault('malformed');
    expect(await getSendingOptions(client)).toEqual({ kind: 'failed', reason: 'malformed', error: expect.stringMatching(/not XML/) });
    fake.sendingOptions.setFault(undefined);
    expect((await getSendingOptions(client)).kind).toBe('ok');
    closed = true;
    await fake.close();
    expect(await getSendingOptions(client)).toMatchObject({ kind: 'failed', reason: 'network' });
  });

  test('the other operations are untouched by the hook: receiveDocuments still answers', async () => {
    fake.enqueue('<DecContainer xmlns="http://www.riik.ee/schemas/deccontainer/vers_2_1/"><Transport/></DecContainer>', '7');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-dvkopt-'));
    try {
      const r = await receiveDocuments(client, makeBlobStore(dir), 10);
      expect(r.kind).toBe('ok');
      expect(r.kind === 'ok' && r.containers.length).toBe(1);
      expect(fake.requests().map((q) => q.operation)).toEqual(['receiveDocuments']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A one-answer HTTP server: every request gets `status`, `contentType`, `body`. */
async function answering(status: number, contentType: string, body: string | Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the answer reader', () => {
  const ENV = 'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"';

  test('keha@href under any prefix and namespace: the attachment by cid', () => {
    const xml = `<soapenv:Envelope ${ENV}><soapenv:Body><ns5:getSendingOptionsResponse xmlns:ns5="http://producers.dhl.xtee.riik.ee/producer/dhl"><keha href="cid:&lt;AB12&gt;"/></ns5:getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`;
    expect(parseSendingOptionsResponse(xml)).toEqual({ kind: 'ok', value: { kind: 'attachment', contentId: 'AB12' } });
  });

  test('inline elements (v2 form keha/asutus, and v3 keha/asutused/asutus), unqualified or qualified', () => {
    const v2 = `<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse><keha><asutus><regnr>1</regnr><nimi>A</nimi><saatmine><saatmisviis>dhl</saatmisviis><saatmisviis>dhx</saatmisviis></saatmine></asutus></keha></getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`;
    const a = parseSendingOptionsResponse(v2);
    expect(a.kind === 'ok' && a.value.kind === 'inline' && readInstitutions(a.value.keha)).toEqual([{ code: '1', name: 'A', transports: ['dhl', 'dhx'] }]);
    const v3 = `<soapenv:Envelope ${ENV}><soapenv:Body><d:getSendingOptionsResponse xmlns:d="http://x"><d:keha><d:asutused><d:asutus><d:regnr>2</d:regnr><d:nimi>B</d:nimi><d:saatmine><d:saatmisviis>dhx</d:saatmisviis></d:saatmine><d:ks_asutuse_regnr>1</d:ks_asutuse_regnr></d:asutus></d:asutused></d:keha></d:getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`;
    const b = parseSendingOptionsResponse(v3);
    expect(b.kind === 'ok' && b.value.kind === 'inline' && readInstitutions(b.value.keha)).toEqual([{ code: '2', name: 'B', transports: ['dhx'], parent: '1' }]);
  });

  test('the Unencoded content: gzip, base64(gzip), plain; one root or several top-level elements', () => {
    const xml = sendingOptionsAnswerXml(KNOWN);
    expect(readInstitutions(readUnencoded(gzipSync(Buffer.from(xml))))).toEqual(KNOWN);
    expect(readInstitutions(readUnencoded(Buffer.from(gzipSync(Buffer.from(xml)).toString('base64'))))).toEqual(KNOWN);
    const bare = '<asutused><asutus><regnr>3</regnr><nimi>C</nimi><saatmine><saatmisviis>dhl</saatmisviis></saatmine></asutus></asutused><allyksused/><ametikohad/>';
    expect(readInstitutions(readUnencoded(Buffer.from(bare)))).toEqual([{ code: '3', name: 'C', transports: ['dhl'] }]);
    expect(() => readUnencoded(Buffer.from('not xml at all'))).toThrow(DvkResponseError);
    expect(() => readUnencoded(Buffer.from('<keha><asutused><asutus><regnr>1</regnr><nimi>A <b</nimi></asutus></asutused></keha>'))).toThrow(DvkResponseError);
    // As RIA's DVK server writes it: no declaration, names unescaped.
    const raw = '<keha><asutused><asutus><regnr>4</regnr><nimi>Tartu Ülikool & Co &amp; Kõik</nimi><saatmine><saatmisviis>dhl</saatmisviis><saatmisviis>dhl_otse</saatmisviis></saatmine></asutus></asutused><allyksused></allyksused><ametikohad></ametikohad></keha>';
    expect(readInstitutions(readUnencoded(gzipSync(Buffer.from(raw))))).toEqual([{ code: '4', name: 'Tartu Ülikool & Co & Kõik', transports: ['dhl', 'dhl_otse'] }]);
  });

  test('what is not a getSendingOptions answer is refused', () => {
    expect(() => parseSendingOptionsResponse('<x/>')).toThrow(DvkResponseError);
    expect(() => parseSendingOptionsResponse(`<soapenv:Envelope ${ENV}><soapenv:Body><receiveDocumentsResponse/></soapenv:Body></soapenv:Envelope>`)).toThrow(/neither getSendingOptionsResponse/);
    expect(() => parseSendingOptionsResponse(`<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse/></soapenv:Body></soapenv:Envelope>`)).toThrow(/no keha/);
    expect(() => parseSendingOptionsResponse(`<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse><keha href="http://x"/></getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`)).toThrow(/not to an attachment/);
    expect(parseSendingOptionsResponse(`<soapenv:Envelope ${ENV}><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>x</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)).toEqual({ kind: 'soapFault', faultCode: 'soapenv:Server', faultString: 'x' });
  });

  test('an answer naming an attachment it does not carry, or an HTTP error without a Fault, is failed', async () => {
    const missing = await answering(200, 'text/xml', `<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse><keha href="cid:nope"/></getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`);
    const http500 = await answering(502, 'text/xml', `<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse><keha/></getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`);
    try {
      expect(await getSendingOptions({ ...client, url: missing.url })).toEqual({ kind: 'failed', reason: 'malformed', error: expect.stringMatching(/attachment nope/) });
      expect(await getSendingOptions({ ...client, url: http500.url })).toEqual({ kind: 'failed', reason: 'http', error: 'HTTP 502' });
    } finally {
      await missing.close();
      await http500.close();
    }
  });

  test('on the wire: multipart/related, the envelope first, keha@href naming a base64 part holding gzip of the request XML', async () => {
    let seen: { contentType: string; body: Buffer } | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) };
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(`<soapenv:Envelope ${ENV}><soapenv:Body><getSendingOptionsResponse><keha/></getSendingOptionsResponse></soapenv:Body></soapenv:Envelope>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await getSendingOptions({ ...client, url }, undefined, { codes: ['70006317'] })).toEqual({ kind: 'ok', institutions: [] });
      expect(seen!.contentType).toMatch(/^multipart\/related; type="text\/xml"; start="<soap-envelope>"/);
      const read = await readSoapRequest(Readable.from([seen!.body]), { 'content-type': seen!.contentType }, memoryBlobStore(), { maxEnvelopeBytes: 1 << 20, maxAttachmentBytes: 1 << 20, inlineMax: 1 << 20 });
      const keha = readXml(read.envelope).children.find((c) => c.local === 'Body')!.children[0]!.children[0]!;
      const cid = keha.attributes.href!.replace(/^cid:/, '');
      const part = read.attachments.get(cid)!;
      expect(gunzipSync(part.bytes!).toString('utf8')).toBe(sendingOptionsRequestXml(['70006317']));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('an answer shaped as RIA\'s DHX adapter server writes it: href " cid:UUID" (a leading space), a bare Content-ID, binary transfer encoding, an odd Content-Type, a namespaced keha root', async () => {
    const cid = '0b6e3c1e-4f7a-4a53-9d38-0c1f3f0a9b21';
    const content = '<ns2:keha xmlns:ns2="http://www.riik.ee/schemas/dhl"><ns2:asutused><ns2:asutus><ns2:regnr>70006317</ns2:regnr><ns2:nimi>RIA</ns2:nimi><ns2:saatmine><ns2:saatmisviis>dhl</ns2:saatmisviis></ns2:saatmine></ns2:asutus></ns2:asutused></ns2:keha>';
    const envelope = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns5:getSendingOptionsResponse xmlns:ns5="http://producers.dhl.xrd.riik.ee/producer/dhl"><ns2:keha xmlns:ns2="http://www.riik.ee/schemas/dhl" href=" cid:${cid}"/></ns5:getSendingOptionsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    for (const payload of [gzipSync(Buffer.from(content)), Buffer.from(gzipSync(Buffer.from(content)).toString('base64'))]) {
      const body = Buffer.concat([
        Buffer.from(`--B\r\nContent-Type: text/xml; charset=utf-8\r\n\r\n${envelope}\r\n--B\r\nContent-Type: {http://www.w3.org/2001/XMLSchema}base64Binary\r\nContent-Encoding: gzip\r\nContent-Transfer-Encoding: binary\r\nContent-Id: ${cid}\r\n\r\n`),
        payload,
        Buffer.from('\r\n--B--\r\n'),
      ]);
      const server = await answering(200, 'multipart/related; type="text/xml"; boundary=B', body);
      try {
        expect(await getSendingOptions({ ...client, url: server.url })).toEqual({ kind: 'ok', institutions: [{ code: '70006317', name: 'RIA', transports: ['dhl'] }] });
      } finally {
        await server.close();
      }
    }
  });

  test('the request: keha@href to a gzip attachment of keha/asutused/asutus (none for all)', () => {
    const header = requestHeader({ client: client.client, service: { ...client.service, serviceCode: 'getSendingOptions', serviceVersion: 'v3' } });
    const env = readXml(getSendingOptionsEnvelope(header, 'C1'));
    const body = env.children.find((c) => c.local === 'Body')!;
    const op = body.children[0]!;
    expect(op.local).toBe('getSendingOptions');
    expect(op.children[0]!.attributes.href).toBe('cid:C1');
    const withCodes = readXml(gunzipSync(gzipSync(Buffer.from(sendingOptionsRequestXml(['a&b', '2'])))));
    expect(withCodes.local).toBe('keha');
    expect(withCodes.children[0]!.children.map((c) => [c.local, c.text])).toEqual([['asutus', 'a&b'], ['asutus', '2']]);
    expect(readXml(sendingOptionsRequestXml()).children).toEqual([]);
    // No declaration: RIA's DVK server unzips it into `<?xml …?><root>…</root>` of its own.
    expect(sendingOptionsRequestXml(['1'])).toBe('<keha><asutused><asutus>1</asutus></asutused></keha>');
    expect(sendingOptionsRequestXml()).toBe('<keha/>');
    expect(readXml(`<?xml version="1.0" encoding="utf-8"?><root>${sendingOptionsRequestXml(['1'])}</root>`).children[0]!.local).toBe('keha');
  });
});

describe('dhx dvk options', () => {
  test('text: the institutions and the codes DVK does not know; exit 0', async () => {
    const r = await dhx(['dvk', 'options', '70001975', '12345678'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^DVK answered: 1 institution\n/);
    expect(r.out).toMatch(/70001975 {2}Sotsiaalkindlustusamet {2}dhx/);
    expect(r.out).toMatch(/12345678 {2}not known to DVK/);
  });

  test('--json: the result and the unknown codes; all without codes', async () => {
    const r = await dhx(['dvk', 'options', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ kind: 'ok', institutions: KNOWN, unknown: [] });
    const some = await dhx(['dvk', 'options', '--json', '70006317', 'x'], env);
    expect(JSON.parse(some.out)).toEqual({ kind: 'ok', institutions: [KNOWN[0]], unknown: ['x'] });
  });

  test('DVK not answering: exit 1 with the reason (text and JSON)', async () => {
    fake.sendingOptions.setFault('soapFault');
    const r = await dhx(['dvk', 'options'], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/DVK did not answer getSendingOptions \(soap_fault\): SOAP Fault/);
    const j = await dhx(['dvk', 'options', '--json'], env);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ kind: 'failed', reason: 'soap_fault' });
    fake.sendingOptions.setFault('malformed');
    expect(await dhx(['dvk', 'options'], env)).toMatchObject({ code: 1, err: expect.stringMatching(/\(malformed\)/) });
  });

  test('DVK_URL unset: exit 1 (not configured), naming the setting; an unknown option exit 2; --help exits 0', async () => {
    expect(await dhx(['dvk', 'options'], { ...env, DVK_URL: '' })).toEqual({ code: 1, out: '', err: 'dhx dvk options: DVK is not configured: set DVK_URL (environment or DHX_CONFIG file; docs/dvk.md)' });
    expect(await dhx(['dvk', 'options', '--json'], { ...env, DVK_URL: '' })).toMatchObject({ code: 1, out: '' });
    expect((await dhx(['dvk', 'options', '--bogus'], env)).code).toBe(2);
    const help = await dhx(['dvk', 'options', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/getSendingOptions v3/);
    expect(fake.sendingOptions.requests()).toEqual([]);
  });
});

const DVK = path.join(SPEC_DIR, 'dvk');
const HAVE = fs.existsSync(path.join(DVK, 'paringute_kirjeldused.txt'));
if (!HAVE) console.warn(`NOTICE: getSendingOptions sample: skipped, the official DVK samples are absent in ${DVK} (set DHX_SPEC_DIR).`);

(HAVE ? describe : describe.skip)('the official getSendingOptions.v2 response sample', () => {
  test('its keha/asutus list parses with the reader', () => {
    const text = fs.readFileSync(path.join(DVK, 'paringute_kirjeldused.txt'), 'utf8');
    const at = text.indexOf('2.getSendingOptions.v2');
    const start = text.indexOf('<soapenv:Envelope', text.indexOf('Päringu vastus', at));
    const end = text.indexOf('</soapenv:Envelope>', start) + '</soapenv:Envelope>'.length;
    const answer = parseSendingOptionsResponse(text.slice(start, end));
    expect(answer.kind === 'ok' && answer.value.kind).toBe('inline');
    if (answer.kind !== 'ok' || answer.value.kind !== 'inline') return;
    expect(readInstitutions(answer.value.keha)).toEqual([
      { code: '70006317', name: 'RIA', transports: ['dhl'] },
      { code: '10839212', name: 'Webware', transports: ['dhl'] },
      { code: 'adit', name: 'ADIT', transports: ['dhl'] },
    ]);
  });
});
