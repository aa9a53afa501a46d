import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DVK_NS, openDvkEnvelope } from '../dvk/messages';
import { memoryBlobStore, readUnencoded, sendingOptionsAnswerXml, type Institution } from '../dvk/options';
import { soapEnvelope } from '../xroad/dhx-soap';
import { NS, parseXRoadHeader, type XRoadHeader } from '../xroad/header';
import { normaliseContentId, readSoapRequest } from '../xroad/swa';

/**
 * The fake DVK server's getSendingOptions v3 (src/sim/dvk.ts hands the operation here): answers with the
 * institutions a test set (`sendingOptions.set`), those of the asked codes that it knows (all, without codes),
 * as `getSendingOptionsResponse/keha href="cid:…"` with a base64(gzip) attachment of
 * `<keha><asutused><asutus><regnr/><nimi/><saatmine><saatmisviis/>…` (dhl_new_v3.wsdl); or in an inline form, or
 * as a SOAP Fault or malformed XML when told to.
 */

export type FakeSendingOptionsForm = 'attachment' | 'inline' | 'inlineBase64';

export interface FakeSendingOptions {
  /** The institutions DVK knows from now on. */
  set(institutions: Institution[]): void;
  /** How the next answers come: an attachment (default), inline elements in keha, inline base64(gzip) in keha. */
  setForm(form: FakeSendingOptionsForm): void;
  setFault(fault: 'soapFault' | 'malformed' | undefined): void;
  /** The codes each getSendingOptions asked about, in order ([] for all). */
  requests(): string[][];
}

export interface FakeSendingOptionsHandler extends FakeSendingOptions {
  /** Whether a request body is a getSendingOptions (the root part's operation). */
  handles(body: Buffer): boolean;
  answer(headers: http.IncomingHttpHeaders, body: Buffer, res: http.ServerResponse): Promise<{ operation: string; header?: XRoadHeader }>;
}

/** The SOAP Body's first element is getSendingOptions (not a capsule that happens to hold the word). */
const OPERATION = /<([\w.-]+:)?Body(\s[^>]*)?>\s*<([\w.-]+:)?getSendingOptions[\s/>]/;

export function fakeSendingOptions(initial: Institution[] = []): FakeSendingOptionsHandler {
  let known = [...initial];
  let form: FakeSendingOptionsForm = 'attachment';
  let fault: 'soapFault' | 'malformed' | undefined;
  const asked: string[][] = [];

  const answerXml = (res: http.ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(text);
  };

  return {
    set: (list) => void (known = [...list]),
    setForm: (f) => void (form = f),
    setFault: (f) => void (fault = f),
    requests: () => asked.map((a) => [...a]),
    handles: (body) => OPERATION.test(body.subarray(0, 64 * 1024).toString('utf8')),
    async answer(headers, body, res) {
      try {
        return await respond(headers, body, res);
      } catch (err) {
        // Never a rejected promise in the server's request handler: answer a Fault, or drop the connection.
        if (!res.headersSent) answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Server', faultstring: (err as Error).message } }));
        else res.destroy();
        return { operation: 'getSendingOptions' };
      }
    },
  };

  async function respond(headers: http.IncomingHttpHeaders, body: Buffer, res: http.ServerResponse): Promise<{ operation: string; header?: XRoadHeader }> {
    let header: XRoadHeader | undefined;
    let codes: string[];
    try {
      const store = memoryBlobStore();
      const read = await readSoapRequest(Readable.from([body]), headers, store, { maxEnvelopeBytes: 4 * 1024 * 1024, maxAttachmentBytes: 4 * 1024 * 1024, inlineMax: 4 * 1024 * 1024 });
      const opened = openDvkEnvelope(read.envelope);
      if (opened.kind !== 'ok' || opened.payload?.local !== 'getSendingOptions') throw new Error('not a getSendingOptions request');
      try {
        header = parseXRoadHeader(opened.root.children.find((c) => c.uri === NS.soapEnv && c.local === 'Header'));
      } catch {
        header = undefined;
      }
      const keha = opened.payload.children.find((c) => c.local === 'keha');
      if (!keha) throw new Error('getSendingOptions has no keha');
      const href = Object.entries(keha.attributes).find(([k]) => k === 'href' || k.endsWith('}href'))?.[1];
      let content = keha;
      if (href !== undefined) {
        const part = read.attachments.get(normaliseContentId(href));
        if (!part?.bytes) throw new Error(`keha refers to ${href}, which the request does not carry`);
        content = readUnencoded(part.bytes);
      }
      const asutused = content.children.find((c) => c.local === 'keha') ?? content;
      const list = (asutused.children.find((c) => c.local === 'asutused') ?? asutused).children.filter((c) => c.local === 'asutus');
      codes = list.map((c) => c.text.trim()).filter((c) => c !== '');
    } catch (err) {
      answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: (err as Error).message } }));
      return { operation: 'getSendingOptions' };
    }
    asked.push(codes);
    const seen = { operation: 'getSendingOptions', ...(header ? { header } : {}) };
    if (fault === 'soapFault') {
      answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Server', faultstring: 'DVK is not available (simulated)' } }));
      return seen;
    }
    if (fault === 'malformed') {
      answerXml(res, 200, '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><getSendingOptionsResponse>');
      return seen;
    }
    const chosen = codes.length ? known.filter((i) => codes.includes(i.code)) : known;
    const asutus = chosen.map((i) => ({
      regnr: i.code,
      nimi: i.name,
      saatmine: { saatmisviis: i.transports },
      ...(i.parent ? { ks_asutuse_regnr: i.parent } : {}),
    }));
    if (form === 'inline') {
      answerXml(res, 200, soapEnvelope(header, { 'dhl:getSendingOptionsResponse': { '@_xmlns:dhl': DVK_NS, keha: { asutus } } }));
      return seen;
    }
    const b64 = gzipSync(Buffer.from(sendingOptionsAnswerXml(chosen), 'utf8')).toString('base64').replace(/.{76}/g, '$&\r\n');
    if (form === 'inlineBase64') {
      answerXml(res, 200, soapEnvelope(header, { 'dhl:getSendingOptionsResponse': { '@_xmlns:dhl': DVK_NS, keha: b64 } }));
      return seen;
    }
    const cid = randomUUID().replace(/-/g, '').toUpperCase();
    const envelope = soapEnvelope(header, { 'dhl:getSendingOptionsResponse': { '@_xmlns:dhl': DVK_NS, keha: { '@_href': `cid:${cid}` } } });
    const boundary = `----=_Part_${randomUUID()}`;
    res.writeHead(200, { 'content-type': `multipart/related; type="text/xml"; start="<soap-envelope>"; boundary="${boundary}"` });
    res.end(
      `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <soap-envelope>\r\n\r\n${envelope}\r\n` +
        `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <${cid}>\r\n\r\n${b64}\r\n` +
        `--${boundary}--\r\n`,
    );
    return seen;
  }
}
