import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { XMLBuilder } from 'fast-xml-parser';
import { SizeLimitError, type BlobStore } from '../blob/store';
import { attachmentBytes, exchangeSoap } from '../xroad/exchange';
import { requestHeader } from '../xroad/dhx-request';
import { soapEnvelope } from '../xroad/dhx-soap';
import type { XRoadHeader } from '../xroad/header';
import { normaliseContentId } from '../xroad/swa';
import { swaRequestBody } from '../xroad/swa-body';
import { readXml, type XmlElement } from '../xroad/xml';
import type { DvkClientOptions, DvkFailure } from './client';
import { decodeDocuments, DVK_NS, DvkResponseError, openDvkEnvelope, type DvkAnswer } from './messages';

/**
 * getSendingOptions v3 (spec/dvk/dhl_new_v3.wsdl; issue #12): which institutions DVK can deliver to and how
 * (`saatmisviis`) — the check that the DVK interface answers and knows a recipient, what `dhx doctor` will ask.
 *
 * v3 carries both the request and the answer in a swaRef attachment (`keha href="cid:…"`, base64BinaryType)
 * holding gzip of the "Unencoded" XML: the request's `asutused/asutus` codes, the answer's
 * `asutused/asutus{regnr, nimi, saatmine{saatmisviis…}, ks_asutuse_regnr?}`. The WSDL names no root element
 * for the Unencoded content; RIA's DVK server (e-gov/DVK, its getSendingOptionsV3 request and response types)
 * reads and writes it inside `<keha>`, as we do; we read any root (or several top-level elements), and take a
 * bare `&` in a name (that server writes names unescaped) as text.
 * Answers are read tolerantly, by local name: `keha` with an href (attachment), with element content inline
 * (as the v1/v2 samples of paringute_kirjeldused.txt answer: `keha/asutus…`), or with base64(gzip) text.
 * Failures are values, never thrown, as the other DVK calls (client.ts).
 */

export interface Institution {
  /** regnr: the registry code (or a short name such as `adit`). */
  code: string;
  name: string;
  /** saatmine/saatmisviis: how DVK delivers to it (`dhl`, `dhl_otse`, `dhx`, …). */
  transports: string[];
  /** ks_asutuse_regnr: the parent institution, when DVK names one. */
  parent?: string;
}

export type SendingOptionsResult = { kind: 'ok'; institutions: Institution[] } | DvkFailure;

/** Answers are small; an answer's attachment (or inline content) unzipped is bounded by this. */
export const SENDING_OPTIONS_MAX_BYTES = 32 * 1024 * 1024;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: true });

/**
 * The Unencoded request (getSendingOptionsV3RequestTypeUnencoded) as XML: the codes asked about, none for all.
 * Without an XML declaration: RIA's DVK server unzips it between `<?xml …?><root>` and `</root>` of its own,
 * where a second declaration would make the whole unreadable.
 */
export function sendingOptionsRequestXml(codes: readonly string[] = []): string {
  const keha = codes.length ? { asutused: { asutus: [...codes] } } : '';
  return builder.build({ keha }) as string;
}

/** The Unencoded answer (getSendingOptionsV3ResponseTypeUnencoded) as XML, inside `<keha>`, no declaration, as RIA's DVK server writes it (the fake's answer). */
export function sendingOptionsAnswerXml(institutions: readonly Institution[]): string {
  const asutus = institutions.map((i) => ({
    regnr: i.code,
    nimi: i.name,
    saatmine: { saatmisviis: [...i.transports] },
    ...(i.parent ? { ks_asutuse_regnr: i.parent } : {}),
  }));
  return builder.build({ keha: { asutused: asutus.length ? { asutus } : '' } }) as string;
}

export function getSendingOptionsEnvelope(header: XRoadHeader, contentId: string): string {
  return soapEnvelope(header, { 'dhl:getSendingOptions': { '@_xmlns:dhl': DVK_NS, keha: { '@_href': `cid:${contentId}` } } });
}

/** Where the answer's content is: an attachment, inline elements, or inline base64(gzip) text. */
export type SendingOptionsRef = { kind: 'attachment'; contentId: string } | { kind: 'inline'; keha: XmlElement } | { kind: 'inlineBase64'; base64: string };

const hrefOf = (el: XmlElement): string | undefined => Object.entries(el.attributes).find(([k]) => k === 'href' || k.endsWith('}href'))?.[1];

/** getSendingOptionsResponse/keha: by local name, any prefix or namespace. */
export function parseSendingOptionsResponse(xml: Buffer | string): DvkAnswer<SendingOptionsRef> {
  const opened = openDvkEnvelope(xml);
  if (opened.kind === 'soapFault') return opened;
  const resp = opened.payload;
  if (!resp || resp.local !== 'getSendingOptionsResponse') throw new DvkResponseError('the answer holds neither getSendingOptionsResponse nor a SOAP Fault');
  const keha = resp.children.find((c) => c.local === 'keha');
  if (!keha) throw new DvkResponseError('getSendingOptionsResponse has no keha');
  const href = hrefOf(keha);
  if (href !== undefined) {
    if (!/^cid:/i.test(href.trim()) || normaliseContentId(href) === '') throw new DvkResponseError(`keha refers to ${href}, not to an attachment (cid:)`);
    return { kind: 'ok', value: { kind: 'attachment', contentId: normaliseContentId(href) } };
  }
  if (keha.children.length) return { kind: 'ok', value: { kind: 'inline', keha } };
  const text = keha.text.replace(/\s+/g, '');
  if (text === '') return { kind: 'ok', value: { kind: 'inline', keha } };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new DvkResponseError('keha holds text that is not base64');
  return { kind: 'ok', value: { kind: 'inlineBase64', base64: text } };
}

/** The `asutus` elements holding a `regnr` anywhere under `el` (keha/asutus, keha/asutused/asutus, asutused/asutus). */
function institutionElements(el: XmlElement, depth = 0): XmlElement[] {
  if (depth > 6) return [];
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.local === 'asutus' && c.children.some((g) => g.local === 'regnr')) out.push(c);
    else if (c.children.length) out.push(...institutionElements(c, depth + 1));
  }
  return out;
}

/** The institutions of an answer's content (the element holding them, or above it). */
export function readInstitutions(el: XmlElement): Institution[] {
  return institutionElements(el).map((a) => {
    const text = (local: string): string | undefined => a.children.find((c) => c.local === local)?.text.trim();
    const code = text('regnr');
    if (!code) throw new DvkResponseError('an asutus has an empty regnr');
    const transports = a.children
      .filter((c) => c.local === 'saatmine')
      .flatMap((s) => s.children.filter((c) => c.local === 'saatmisviis').map((c) => c.text.trim()))
      .filter((t) => t !== '');
    const parent = text('ks_asutuse_regnr');
    return { code, name: text('nimi') ?? '', transports, ...(parent ? { parent } : {}) };
  });
}

/** The Unencoded XML of an attachment (gzip, base64(gzip) or plain), read with any root or several top-level elements. */
export function readUnencoded(raw: Buffer, maxBytes = SENDING_OPTIONS_MAX_BYTES): XmlElement {
  const xml = decodeDocuments(raw, maxBytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[^>]*\?>/, '');
  try {
    return readXml(`<unencoded>${xml}</unencoded>`, maxBytes + 64);
  } catch (err) {
    // RIA's DVK server writes names into this content unescaped: a bare `&` (as in "A & B") is taken as text.
    const repaired = xml.replace(/&(?!(#\d+|#x[0-9a-fA-F]+|[A-Za-z][\w.-]*);)/g, '&amp;');
    if (repaired !== xml) {
      try {
        return readXml(`<unencoded>${repaired}</unencoded>`, maxBytes + 64);
      } catch {
        // the first error says more
      }
    }
    throw new DvkResponseError(`the getSendingOptions content is not XML: ${(err as Error).message}`);
  }
}

/** A blob store holding everything in memory, for callers without one (answers here are small). */
export function memoryBlobStore(): BlobStore {
  return {
    kind: 'fs',
    tmpDir: '',
    async writeTemp(source, options) {
      const max = typeof options === 'number' ? options : (options?.maxBytes ?? Number.POSITIVE_INFINITY);
      const chunks: Buffer[] = [];
      let n = 0;
      for await (const c of source as AsyncIterable<Buffer>) {
        n += c.length;
        if (n > max) throw new SizeLimitError(max);
        chunks.push(Buffer.from(c));
      }
      const bytes = Buffer.concat(chunks);
      return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes };
    },
    commit: async () => undefined,
    fileOf: (sha256) => sha256,
    discard: async () => undefined,
  };
}

/** getSendingOptions v3 to DVK: the institutions of `codes` DVK knows (all it knows, without codes). */
export async function getSendingOptions(client: DvkClientOptions, store?: BlobStore, o: { codes?: string[] } = {}): Promise<SendingOptionsResult> {
  const blobs = store ?? memoryBlobStore();
  const cid = randomUUID().replace(/-/g, '').toUpperCase();
  const header = requestHeader({ client: client.client, service: { ...client.service, serviceCode: 'getSendingOptions', serviceVersion: 'v3' } });
  const swa = swaRequestBody(getSendingOptionsEnvelope(header, cid), [
    { contentId: cid, source: Readable.from([gzipSync(Buffer.from(sendingOptionsRequestXml(o.codes ?? []), 'utf8'))]) },
  ]);
  const maxBytes = Math.min(client.maxBytes, SENDING_OPTIONS_MAX_BYTES);
  const read = await exchangeSoap(client.url, swa, blobs, { timeoutMs: client.timeoutMs, maxBytes, ...(client.agent ? { agent: client.agent } : {}) });
  if (read.kind === 'failed') return { kind: 'failed', reason: read.timedOut ? 'timeout' : 'network', error: read.message };
  if (read.kind === 'unreadable') return { kind: 'failed', reason: 'malformed', error: read.message };
  try {
    const answer = parseSendingOptionsResponse(read.envelope);
    if (answer.kind === 'soapFault') return { kind: 'failed', reason: 'soap_fault', error: `SOAP Fault ${answer.faultCode}: ${answer.faultString}` };
    if (read.status !== 200) return { kind: 'failed', reason: 'http', error: `HTTP ${read.status}` };
    const ref = answer.value;
    let content: XmlElement;
    if (ref.kind === 'inline') content = ref.keha;
    else if (ref.kind === 'inlineBase64') content = readUnencoded(Buffer.from(ref.base64, 'base64'), maxBytes);
    else {
      const part = read.attachments.get(ref.contentId);
      if (!part) throw new DvkResponseError(`the answer refers to attachment ${ref.contentId}, which it does not carry`);
      content = readUnencoded(await attachmentBytes(part), maxBytes);
    }
    return { kind: 'ok', institutions: readInstitutions(content) };
  } catch (err) {
    return { kind: 'failed', reason: 'malformed', error: `HTTP ${read.status}: ${(err as Error).message}` };
  } finally {
    for (const a of read.attachments.values()) await blobs.discard(a);
  }
}
