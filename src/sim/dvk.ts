import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DVK_NS, openDvkEnvelope, parseDvkRequest, parseSendStatusItems, requestDocumentsRef, type MarkItem } from '../dvk/messages';
import { soapEnvelope } from '../xroad/dhx-soap';
import { NS, parseXRoadHeader, type XRoadHeader } from '../xroad/header';
import { fakeSendingOptions, type FakeSendingOptions } from './dvk-options';

/**
 * A fake DVK server (RIA's DHX adapter server's DVK interface) for tests and the demo: receiveDocuments v4
 * answers with the queued capsules not yet marked, as one base64(gzip) attachment (as the official samples
 * show: `keha/dokumendid href="cid:…"`); markDocumentsReceived v3 records the items and takes them off the
 * queue; sendDocuments v4 records the decoded capsule and answers a new dhl_id; getSendStatus v2 answers each
 * asked dhl_id's status as the test set it (setSendStatus; default `saatmisel`). Faults can be injected per operation: a SOAP Fault, malformed XML, a slow answer; and capsules can
 * be made invalid on the way out.
 */

export type DvkFaultKind = 'soapFault' | 'malformed' | 'slow';

/** getSendStatus `olek` values the fake answers (dhl_new_v2.wsdl statusType, and `ootel` as DVK answers). */
export type DvkSendStatus = 'saadetud' | 'katkestatud' | 'ootel' | 'saatmisel';

export interface FakeDvkFaults {
  receive?: DvkFaultKind;
  mark?: DvkFaultKind;
  send?: DvkFaultKind;
  status?: DvkFaultKind;
  /** How long a `slow` answer waits (default 5000 ms). */
  slowMs?: number;
  /** Every capsule handed out has its Transport element removed (schema-invalid; DecId kept). */
  invalidCapsule?: boolean;
  /** Wrap the DecContainers of an answer in a `<dokumendid>` element (default: bare, one after another). */
  wrap?: boolean;
  /** Answer receiveDocuments with the base64(gzip) documents inline in `keha`, as a plain text/xml answer (no attachment). */
  inline?: boolean;
}

export interface FakeDvk {
  url: string;
  /** Queues a capsule; its DecMetadata/DecId is set to `dhlId` (default: the next number). Returns the dhl_id. */
  enqueue(capsuleXml: string | Buffer, dhlId?: string): string;
  /** Every markDocumentsReceived item received, in order. */
  marked(): MarkItem[];
  /** dhl_ids still queued (handed out by receiveDocuments until marked). */
  queued(): string[];
  /** Operations received, in order (receiveDocuments, markDocumentsReceived, …). */
  requests(): Array<{ operation: string; header?: XRoadHeader; arv?: number }>;
  setFaults(faults: FakeDvkFaults): void;
  /** Documents received by sendDocuments v4, in order: the dhl_id answered and the decoded capsule. */
  sent(): Array<{ dhlId: string; capsule: Buffer }>;
  /** What getSendStatus v2 answers for `dhlId` from now on (default `saatmisel`); `reason` becomes the status entry's fault. */
  setSendStatus(dhlId: string, status: DvkSendStatus, reason?: string): void;
  /** dhl_ids asked about by each getSendStatus, in order. */
  statusAsked(): string[][];
  /** getSendingOptions v3: the institutions it knows, its answer form and faults (src/sim/dvk-options.ts). */
  sendingOptions: FakeSendingOptions;
  close(): Promise<void>;
}

/** Splits a multipart/related body (a request with attachments): the parts' headers (lower-cased) and bodies. */
function multipartParts(body: Buffer, contentType: string): Array<{ headers: Record<string, string>; body: Buffer }> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('multipart without boundary');
  const text = body.toString('latin1');
  const out: Array<{ headers: Record<string, string>; body: Buffer }> = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const sep = chunk.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const headers: Record<string, string> = {};
    for (const line of chunk.slice(0, sep).split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    let raw = Buffer.from(chunk.slice(sep + 4).replace(/\r\n$/, ''), 'latin1');
    if ((headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64') raw = Buffer.from(raw.toString('latin1').replace(/\s+/g, ''), 'base64');
    out.push({ headers, body: raw });
  }
  return out;
}

/** The request's envelope and its attachments by Content-ID (without <>). */
function splitRequest(body: Buffer, contentType: string): { envelope: Buffer; attachments: Map<string, Buffer> } {
  if (!/^multipart\//i.test(contentType)) return { envelope: body, attachments: new Map() };
  const parts = multipartParts(body, contentType);
  const attachments = new Map<string, Buffer>();
  for (const p of parts.slice(1)) attachments.set((p.headers['content-id'] ?? '').replace(/^<|>$/g, ''), p.body);
  return { envelope: parts[0]?.body ?? Buffer.alloc(0), attachments };
}

/** The data a request's keha/dokumendid names, unzipped (base64(gzip(xml)) as DVK expects it, or plain). */
function requestData(envelope: Buffer, attachments: Map<string, Buffer>): Buffer {
  const ref = requestDocumentsRef(envelope);
  let raw: Buffer;
  if (ref.kind === 'attachment') {
    const a = attachments.get(ref.contentId);
    if (!a) throw new Error(`the request refers to attachment ${ref.contentId}, which it does not carry`);
    raw = a;
  } else if (ref.kind === 'inline') raw = Buffer.from(ref.base64, 'base64');
  else throw new Error('the request carries no dokumendid');
  if (!(raw[0] === 0x1f && raw[1] === 0x8b)) {
    const t = raw.toString('latin1').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(t)) raw = Buffer.from(t, 'base64');
  }
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const DEC_META = /<([\w.-]+:)?DecMetadata[\s>][\s\S]*?<\/([\w.-]+:)?DecMetadata>/;

/** `xml` with its DecMetadata/DecId set to `dhlId` (DecMetadata added as the last child when absent). */
export function withDecId(xml: string, dhlId: string): string {
  if (DEC_META.test(xml)) return xml.replace(DEC_META, (block) => block.replace(/(<([\w.-]+:)?DecId\s*>)[^<]*(<)/, `$1${dhlId}$3`));
  const close = /<\/([\w.-]+:)?DecContainer>\s*$/.exec(xml);
  if (!close) throw new Error('not a DecContainer');
  const p = close[1] ?? '';
  const meta = `<${p}DecMetadata><${p}DecId>${dhlId}</${p}DecId><${p}DecFolder>/</${p}DecFolder><${p}DecReceiptDate>${new Date().toISOString()}</${p}DecReceiptDate></${p}DecMetadata>`;
  return `${xml.slice(0, close.index)}${meta}${xml.slice(close.index)}`;
}

function breakCapsule(xml: string): string {
  return xml.replace(/<([\w.-]+:)?Transport[\s>][\s\S]*?<\/([\w.-]+:)?Transport>/, '');
}

export async function startFakeDvk(opts: { port?: number; faults?: FakeDvkFaults } = {}): Promise<FakeDvk> {
  let faults: FakeDvkFaults = { ...opts.faults };
  const queue: Array<{ dhlId: string; xml: string }> = [];
  const marks: MarkItem[] = [];
  const sentDocs: Array<{ dhlId: string; capsule: Buffer }> = [];
  const sendStatuses = new Map<string, { status: DvkSendStatus; reason?: string }>();
  const asked: string[][] = [];
  const seen: Array<{ operation: string; header?: XRoadHeader; arv?: number }> = [];
  let next = 1000;
  const timers = new Set<NodeJS.Timeout>();
  const sendingOptions = fakeSendingOptions();

  const answerXml = (res: http.ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(body);
  };
  const fault = (res: http.ServerResponse, kind: DvkFaultKind, respond: () => void): void => {
    if (kind === 'soapFault') {
      answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Server', faultstring: 'DVK is not available (simulated)' } }));
    } else if (kind === 'malformed') {
      answerXml(res, 200, '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><receiveDocumentsResponse>');
    } else {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) respond();
      }, faults.slowMs ?? 5000);
      timers.add(t);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      let attachments: Map<string, Buffer>;
      if (sendingOptions.handles(body)) return void sendingOptions.answer(req.headers, body, res).then((r) => seen.push(r));
      let header: XRoadHeader | undefined;
      let request;
      try {
        ({ envelope: body, attachments } = splitRequest(body, req.headers['content-type'] ?? ''));
        const opened = openDvkEnvelope(body);
        if (opened.kind === 'ok') {
          try {
            header = parseXRoadHeader(opened.root.children.find((c) => c.uri === NS.soapEnv && c.local === 'Header'));
          } catch {
            header = undefined;
          }
        }
        request = parseDvkRequest(body);
      } catch (err) {
        answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: (err as Error).message } }));
        return;
      }
      seen.push({ operation: request.operation, ...(header ? { header } : {}), ...(request.arv !== undefined ? { arv: request.arv } : {}) });
      const echo = header ?? undefined;
      if (request.operation === 'receiveDocuments') {
        const respond = (): void => {
          const arv = request.arv ?? 10;
          const docs = queue.slice(0, arv).map((d) => (faults.invalidCapsule ? breakCapsule(d.xml) : d.xml).replace(/<\?xml[^>]*\?>\s*/, ''));
          const joined = docs.join('\n');
          const xml = faults.wrap ? `<dokumendid xmlns="http://www.riik.ee/schemas/dhl">${joined}</dokumendid>` : joined;
          const cid = `${randomUUID().replace(/-/g, '').toUpperCase()}`;
          const envelope = soapEnvelope(echo, {
            'dhl:receiveDocumentsResponse': {
              '@_xmlns:dhl': DVK_NS,
              paring: { arv },
              keha: { dokumendid: { '@_href': `cid:${cid}` } },
            },
          });
          const b64 = gzipSync(Buffer.from(xml, 'utf8')).toString('base64').replace(/.{76}/g, '$&\r\n');
          if (faults.inline) {
            answerXml(res, 200, soapEnvelope(echo, { 'dhl:receiveDocumentsResponse': { '@_xmlns:dhl': DVK_NS, paring: { arv }, keha: b64 } }));
            return;
          }
          const boundary = `----=_Part_${randomUUID()}`;
          const multipart =
            `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <soap-envelope>\r\n\r\n${envelope}\r\n` +
            `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <${cid}>\r\n\r\n${b64}\r\n` +
            `--${boundary}--\r\n`;
          res.writeHead(200, { 'content-type': `multipart/related; type="text/xml"; start="<soap-envelope>"; boundary="${boundary}"` });
          res.end(multipart);
        };
        if (faults.receive) fault(res, faults.receive, respond);
        else respond();
        return;
      }
      if (request.operation === 'markDocumentsReceived') {
        const respond = (): void => {
          for (const item of request.items) {
            marks.push(item);
            const i = queue.findIndex((d) => d.dhlId === item.dhlId);
            if (i >= 0) queue.splice(i, 1);
          }
          answerXml(res, 200, soapEnvelope(echo, { 'dhl:markDocumentsReceivedResponse': { '@_xmlns:dhl': DVK_NS, keha: 'OK' } }));
        };
        if (faults.mark) fault(res, faults.mark, respond);
        else respond();
        return;
      }
      // Answers carrying data: an attachment of base64(gzip(xml)) named by keha@href, as the receiveDocuments answer.
      const withData = (payload: string, xml: string): void => {
        const cid = `${randomUUID().replace(/-/g, '').toUpperCase()}`;
        const envelope = soapEnvelope(echo, { [`dhl:${payload}`]: { '@_xmlns:dhl': DVK_NS, keha: { '@_href': `cid:${cid}` } } });
        const b64 = gzipSync(Buffer.from(xml, 'utf8')).toString('base64').replace(/.{76}/g, '$&\r\n');
        const boundary = `----=_Part_${randomUUID()}`;
        res.writeHead(200, { 'content-type': `multipart/related; type="text/xml"; start="<soap-envelope>"; boundary="${boundary}"` });
        res.end(
          `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <soap-envelope>\r\n\r\n${envelope}\r\n` +
            `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <${cid}>\r\n\r\n${b64}\r\n--${boundary}--\r\n`,
        );
      };
      const refuse = (err: unknown): void =>
        answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: (err as Error).message } }));
      if (request.operation === 'sendDocuments') {
        let capsule: Buffer;
        try {
          capsule = requestData(body, attachments);
        } catch (err) {
          refuse(err);
          return;
        }
        const respond = (): void => {
          const dhlId = String(next++);
          sentDocs.push({ dhlId, capsule });
          withData('sendDocumentsResponse', `<dhl_id>${dhlId}</dhl_id>`);
        };
        if (faults.send) fault(res, faults.send, respond);
        else respond();
        return;
      }
      if (request.operation === 'getSendStatus') {
        let ids: string[];
        try {
          ids = parseSendStatusItems(requestData(body, attachments)).map((i) => i.dhlId);
        } catch (err) {
          refuse(err);
          return;
        }
        const respond = (): void => {
          asked.push(ids);
          const items = ids.map((id) => {
            const s = sendStatuses.get(id) ?? { status: 'saatmisel' as const };
            const staatus = s.status === 'ootel' ? 'saatmisel' : s.status;
            const faultXml = s.reason ? `<fault><faultcode>DVK.katkestatud</faultcode><faultstring>${esc(s.reason)}</faultstring></fault>` : '';
            const receiver = s.status === 'katkestatud' ? 5 : s.status === 'saadetud' ? 11 : 2;
            return (
              `<item><dhl_id>${esc(id)}</dhl_id><edastus/><staatuse_ajalugu><status><saaja><regnr>70001975</regnr></saaja>` +
              `<staatuse_ajalugu_id>1</staatuse_ajalugu_id><staatuse_muutmise_aeg>${new Date().toISOString()}</staatuse_muutmise_aeg>` +
              `<staatus>${staatus}</staatus><vastuvotja_staatus_id>${receiver}</vastuvotja_staatus_id>${faultXml}</status></staatuse_ajalugu>` +
              `<olek>${s.status}</olek></item>`
            );
          });
          withData('getSendStatusResponse', items.join('\n'));
        };
        if (faults.status) fault(res, faults.status, respond);
        else respond();
        return;
      }
      answerXml(res, 500, soapEnvelope(undefined, { 'SOAP-ENV:Fault': { faultcode: 'SOAP-ENV:Client', faultstring: `operation ${request.operation} is not simulated` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/cgi-bin/consumer_proxy`,
    enqueue(capsuleXml, dhlId) {
      const id = dhlId ?? String(next++);
      queue.push({ dhlId: id, xml: withDecId(capsuleXml.toString(), id) });
      return id;
    },
    marked: () => [...marks],
    queued: () => queue.map((d) => d.dhlId),
    requests: () => [...seen],
    setFaults(f) {
      faults = { ...f };
    },
    sent: () => [...sentDocs],
    setSendStatus(dhlId, status, reason) {
      sendStatuses.set(dhlId, { status, ...(reason !== undefined ? { reason } : {}) });
    },
    statusAsked: () => asked.map((a) => [...a]),
    sendingOptions,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
