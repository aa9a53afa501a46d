/**
 * An independent fake DVK ("dhl") server for tests, written only from RIA's DVK WSDLs (dhl_new_v3.wsdl,
 * dhl_new_v4.wsdl), the DVK request samples and the DHX adapter's internal-interface examples — not from
 * src/dvk or src/sim/dvk.ts (issue #12). It speaks X-Road message protocol 4.0, document/literal:
 *
 * - receiveDocuments v4: `keha/arv` (default 10) → up to `arv` queued, not yet marked capsules, concatenated
 *   without a wrapper element, as ONE swaRef attachment holding base64(gzip(xml)); the body is
 *   `<dhl:receiveDocumentsResponse><keha href="cid:…"/></dhl:receiveDocumentsResponse>`, sent multipart/related.
 * - markDocumentsReceived v3: `keha/dokumendid/item{dhl_id, vastuvotja_staatus_id?, fault?, metaxml?,
 *   staatuse_muutmise_aeg?}` inline (the v3 WSDL), or `dokumendid href="cid:…"` to an attachment holding
 *   base64(gzip(<item>…</item>…)) as v1/v2 did; answers `<keha>OK</keha>` as text/xml.
 * - anything else: a SOAP Fault (HTTP 500).
 * The request's Envelope start tag and Header are echoed verbatim, as an X-Road security server does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import sax from 'sax';
import { track } from '../helpers/resources';

const XRD = 'http://x-road.eu/xsd/xroad.xsd';
const XID = 'http://x-road.eu/xsd/identifiers';
const DHL = 'http://producers.dhl.xrd.riik.ee/producer/dhl';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const DEC = 'http://www.riik.ee/schemas/deccontainer/vers_2_1/';

export interface MarkedItem {
  dhlId: string;
  /** vastuvotja_staatus_id, as sent. */
  status?: string;
  /** fault/faultstring (or fault/faultcode when there is no faultstring), as sent. */
  fault?: string;
}

export interface IndependentDvk {
  url: string;
  /** Queues a Capsule 2.1 document; sets DecMetadata/DecId to the dhl_id it assigns and returns that id. */
  put(capsuleXml: string): string;
  /** dhl_ids marked received, each once, in the order first marked. */
  markedIds(): string[];
  /** Every markDocumentsReceived item, in order (repeats kept). */
  markedItems(): MarkedItem[];
  /** Every request, in order; operation/version are '' when the X-Road service header was unreadable. */
  requests: Array<{ operation: string; version: string }>;
  close(): Promise<void>;
}

/** A parsed element, with its character ranges in the source string ([start, end) of open and close tags). */
interface El {
  local: string;
  uri: string;
  prefix: string;
  attrs: Record<string, { local: string; uri: string; value: string }>;
  children: El[];
  text: string;
  openStart: number;
  openEnd: number;
  closeStart: number;
  closeEnd: number;
}

function parse(xml: string): El {
  const p = sax.parser(true, { xmlns: true, position: true });
  const stack: El[] = [];
  let root: El | undefined;
  p.onopentag = (t) => {
    const tag = t as sax.QualifiedTag;
    const attrs: El['attrs'] = {};
    for (const [k, a] of Object.entries(tag.attributes)) attrs[k] = { local: a.local, uri: a.uri, value: a.value };
    const el: El = { local: tag.local, uri: tag.uri, prefix: tag.prefix, attrs, children: [], text: '',
      openStart: p.startTagPosition - 1, openEnd: p.position, closeStart: -1, closeEnd: -1 };
    stack.at(-1)?.children.push(el);
    root ??= el;
    stack.push(el);
  };
  p.onclosetag = () => {
    const el = stack.pop()!;
    el.closeStart = p.startTagPosition - 1;
    el.closeEnd = p.position;
  };
  p.ontext = p.oncdata = (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  p.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

const child = (el: El | undefined, local: string, uri?: string): El | undefined =>
  el?.children.find((c) => c.local === local && (uri === undefined || c.uri === uri));
const text = (el: El | undefined): string | undefined => el?.text.trim();
const hrefOf = (el: El | undefined): string | undefined =>
  Object.values(el?.attrs ?? {}).find((a) => a.local === 'href' && a.uri === '')?.value;

/** Sets (or inserts) DecMetadata/DecId by splicing the source text, so everything else stays byte-for-byte. */
export function setDecId(capsuleXml: string, dhlId: string): string {
  const xml = capsuleXml.replace(/^\uFEFF?\s*<\?xml[^>]*\?>\s*/, '');
  const root = parse(xml);
  if (root.local !== 'DecContainer' || root.uri !== DEC) throw new Error('not a Capsule 2.1 DecContainer');
  const q = (n: string): string => (root.prefix ? `${root.prefix}:${n}` : n);
  const meta = child(root, 'DecMetadata', DEC);
  const idEl = child(meta, 'DecId', DEC);
  if (idEl && idEl.openEnd !== idEl.closeEnd) return xml.slice(0, idEl.openEnd) + dhlId + xml.slice(idEl.closeStart);
  if (idEl) return xml.slice(0, idEl.openStart) + `<${q('DecId')}>${dhlId}</${q('DecId')}>` + xml.slice(idEl.closeEnd);
  if (meta && meta.openEnd !== meta.closeEnd) {
    return xml.slice(0, meta.openEnd) + `<${q('DecId')}>${dhlId}</${q('DecId')}>` + xml.slice(meta.openEnd);
  }
  const block = `<${q('DecMetadata')}><${q('DecId')}>${dhlId}</${q('DecId')}><${q('DecFolder')}>/</${q('DecFolder')}>` +
    `<${q('DecReceiptDate')}>${new Date().toISOString()}</${q('DecReceiptDate')}></${q('DecMetadata')}>`;
  if (meta) return xml.slice(0, meta.openStart) + block + xml.slice(meta.closeEnd);
  return xml.slice(0, root.closeStart) + block + xml.slice(root.closeStart);
}

/** DVK attachment content: base64(gzip(xml)); raw gzip and plain XML are accepted too. */
export function decodeAttachment(body: Buffer): string {
  const compact = body.toString('latin1').replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+=*$/.test(compact)) {
    try {
      return gunzipSync(Buffer.from(compact, 'base64')).toString('utf8');
    } catch {
      /* not base64 of gzip: fall through */
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

const cidOf = (id: string | undefined): string => (id ?? '').replace(/^cid:/i, '').replace(/^<|>$/g, '');

class SoapFault extends Error {
  constructor(readonly code: 'Client' | 'Server', message: string) {
    super(message);
  }
}

export async function startIndependentDvk(opts: { port?: number } = {}): Promise<IndependentDvk> {
  const queue: Array<{ dhlId: string; xml: string }> = [];
  const marked: MarkedItem[] = [];
  const requests: IndependentDvk['requests'] = [];
  let nextId = 1;

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
    let env: El | undefined;
    let recorded = false;
    const echo = { open: `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}">`, header: '', prefix: 'SOAP-ENV' };
    // keha, faultcode and faultstring are unqualified: undo a default namespace the echoed Envelope tag declares
    const noDefault = (): string => (/\sxmlns\s*=/.test(echo.open) ? ' xmlns=""' : '');
    const reply = (status: number, body: string, attachment?: { cid: string; content: string }) => {
      const envelope = `<?xml version="1.0" encoding="UTF-8"?>${echo.open}${echo.header}` +
        `<${echo.prefix}:Body>${body}</${echo.prefix}:Body></${echo.prefix}:Envelope>`;
      if (!attachment) return { status, contentType: 'text/xml; charset=UTF-8', body: Buffer.from(envelope, 'utf8') };
      const boundary = `dvkfake-${randomUUID()}`;
      const rootCid = `root-${randomUUID()}`;
      const mime = `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n` +
        `Content-ID: <${rootCid}>\r\n\r\n${envelope}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Transfer-Encoding: binary\r\nContent-ID: <${attachment.cid}>\r\n\r\n${attachment.content}\r\n--${boundary}--\r\n`;
      return { status, body: Buffer.from(mime, 'utf8'),
        contentType: `multipart/related; type="text/xml"; start="<${rootCid}>"; boundary="${boundary}"` };
    };
    const fault = (e: SoapFault) =>
      reply(500, `<${echo.prefix}:Fault${noDefault()}><faultcode>${echo.prefix}:${e.code}</faultcode>` +
        `<faultstring>${e.message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</faultstring></${echo.prefix}:Fault>`);
    try {
      try {
        env = parse(envelopeText);
      } catch (e) {
        throw new SoapFault('Client', `request is not XML: ${(e as Error).message.split('\n')[0]}`);
      }
      if (env.local !== 'Envelope' || env.uri !== SOAP) throw new SoapFault('Client', 'not a SOAP 1.1 Envelope');
      echo.open = envelopeText.slice(env.openStart, env.openEnd);
      echo.prefix = env.prefix || 'SOAP-ENV';
      if (!env.prefix) echo.open = echo.open.replace(/^<Envelope/, `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}"`);
      const header = child(env, 'Header', SOAP);
      if (header) {
        const headerText = envelopeText.slice(header.openStart, header.closeEnd);
        // re-prefix the Header tags when the request used a default namespace for SOAP-ENV
        echo.header = env.prefix ? headerText : `<SOAP-ENV:Header>${envelopeText.slice(header.openEnd, header.closeStart)}</SOAP-ENV:Header>`;
      }
      const service = child(header, 'service', XRD);
      const operation = text(child(service, 'serviceCode', XID)) ?? '';
      const version = text(child(service, 'serviceVersion', XID)) ?? '';
      requests.push({ operation, version });
      recorded = true;
      if (!service) throw new SoapFault('Client', 'X-Road 4.0 header xrd:service is missing');
      const op = child(child(env, 'Body', SOAP), operation, DHL);
      const keha = child(op, 'keha');
      if (operation === 'receiveDocuments' && version === 'v4') {
        if (!keha) throw new SoapFault('Client', 'receiveDocuments: keha is missing');
        const arvText = text(child(keha, 'arv'));
        const arv = arvText ? Number(arvText) : 10;
        if (!Number.isInteger(arv) || arv < 0) throw new SoapFault('Client', `receiveDocuments: bad arv ${arvText}`);
        const done = new Set(marked.map((m) => m.dhlId));
        const docs = queue.filter((d) => !done.has(d.dhlId)).slice(0, arv);
        const cid = randomUUID();
        return reply(200, `<dhl:receiveDocumentsResponse xmlns:dhl="${DHL}"${noDefault()}><keha href="cid:${cid}"/></dhl:receiveDocumentsResponse>`,
          { cid, content: encodeAttachment(docs.map((d) => d.xml).join('\n')) });
      }
      if (operation === 'markDocumentsReceived' && version === 'v3') {
        const dokumendid = child(keha, 'dokumendid');
        if (!dokumendid) throw new SoapFault('Client', 'markDocumentsReceived: keha/dokumendid is missing');
        let items = dokumendid.children.filter((c) => c.local === 'item');
        const href = hrefOf(dokumendid);
        if (href) {
          const att = attachments.get(cidOf(href));
          if (!att) throw new SoapFault('Client', `markDocumentsReceived: attachment ${href} not found`);
          items = parse(`<items>${decodeAttachment(att).replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '')}</items>`)
            .children.filter((c) => c.local === 'item');
        }
        if (items.length === 0) throw new SoapFault('Client', 'markDocumentsReceived: no item');
        const got: MarkedItem[] = items.map((it) => {
          const dhlId = text(child(it, 'dhl_id'));
          if (!dhlId) throw new SoapFault('Client', 'markDocumentsReceived: item without dhl_id');
          const status = text(child(it, 'vastuvotja_staatus_id'));
          const f = child(it, 'fault');
          const faultText = text(child(f, 'faultstring')) || text(child(f, 'faultcode'));
          return { dhlId, ...(status ? { status } : {}), ...(faultText ? { fault: faultText } : {}) };
        });
        marked.push(...got);
        return reply(200, `<dhl:markDocumentsReceivedResponse xmlns:dhl="${DHL}"${noDefault()}><keha>OK</keha></dhl:markDocumentsReceivedResponse>`);
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
      const out = req.method === 'POST'
        ? handle(req.headers['content-type'] ?? 'text/xml', Buffer.concat(chunks))
        : { status: 405, contentType: 'text/plain', body: Buffer.from('POST only\n') };
      res.writeHead(out.status, { 'content-type': out.contentType, 'content-length': out.body.length });
      res.end(out.body);
    });
  });
  track('independent DVK fake server', server, (s) => !s.listening);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    put(capsuleXml) {
      const dhlId = String(nextId++);
      queue.push({ dhlId, xml: setDecId(capsuleXml, dhlId) });
      return dhlId;
    },
    markedIds: () => [...new Set(marked.map((m) => m.dhlId))],
    markedItems: () => marked.map((m) => ({ ...m })),
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
