import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { BodyError, BodyFailure, readMultipart, readWholeBody } from '../mime/body';
import { Base64StreamDecoder } from '../capsule/base64';
import type { BlobStore, StoredTemp } from '../blob/store';

/**
 * SOAP with Attachments (SwA, multipart/related) read as a stream: the root part (the SOAP envelope) is
 * kept in memory up to a small limit, every other part is decoded (base64 or binary transfer encoding)
 * straight into a temporary blob, so a 200 MB capsule never sits in memory. `soap.listen` cannot parse
 * multipart; multipasta streams per part (723 ms / 67 MB for 100 MB; docs/packages.md).
 * Part headers are matched in any case; a Content-ID may come with or without angle brackets.
 */

export interface SoapRequest {
  envelope: Buffer;
  /** Attachments by Content-ID (brackets removed, URL-decoded). */
  attachments: Map<string, StoredTemp>;
}

export class SoapRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoapRequestError';
  }
}

export function normaliseContentId(id: string): string {
  let v = id.trim();
  if (v.toLowerCase().startsWith('cid:')) v = v.slice(4);
  v = v.replace(/^<|>$/g, '');
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

async function* decodeBase64(part: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const dec = new Base64StreamDecoder();
  for await (const chunk of part) {
    const out = dec.write(Buffer.from(chunk).toString('latin1'));
    if (out.length) yield out;
  }
  dec.end();
  if (dec.invalid) throw new SoapRequestError('attachment is not valid base64');
}

async function* asBuffers(part: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of part) yield Buffer.from(chunk);
}

async function collect(part: AsyncIterable<Uint8Array>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of part) {
    n += c.length;
    if (n > max) throw new SoapRequestError(`SOAP envelope larger than ${max} bytes`);
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks);
}

function header(h: Record<string, string | string[]>, name: string): string {
  const v = h[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export interface SoapReadOptions {
  maxEnvelopeBytes: number;
  maxAttachmentBytes: number;
  inlineMax?: number;
  /** Bytes of the whole body, all parts as sent (BodyError TooLarge past it). */
  maxRequestBytes?: number;
  /** Milliseconds without a byte before the request fails (BodyError Idle). */
  idleMs?: number;
}

/**
 * Reads the envelope and the attachments. Whatever happens — a malformed part, a size limit, a client
 * that goes away or falls silent, a `start` that names no part, a repeated Content-ID — no temporary
 * file outlives the call unless it is returned; the caller discards the returned ones when done.
 * Body failures come as BodyError (src/mime/body.ts), the rest as SoapRequestError or SizeLimitError.
 */
export async function readSoapRequest(body: Readable, headers: IncomingHttpHeaders, store: BlobStore, opts: SoapReadOptions): Promise<SoapRequest> {
  const contentType = headers['content-type'] ?? '';
  const attachments = new Map<string, StoredTemp>();
  const limits = { maxBytes: opts.maxRequestBytes ?? Number.POSITIVE_INFINITY, idleMs: opts.idleMs ?? 60_000 };
  if (!/^multipart\//i.test(contentType)) {
    return { envelope: await readWholeBody(body, { ...limits, maxBytes: Math.min(limits.maxBytes, opts.maxEnvelopeBytes) }).catch(envelopeTooLarge(opts.maxEnvelopeBytes)), attachments };
  }
  const start = /;\s*start\s*=\s*"?([^";]+)"?/i.exec(contentType)?.[1];
  const reader = readMultipart(body, headers, { ...limits, maxParts: 32, isFile: () => true });
  let envelope: Buffer | undefined;
  try {
    for await (const part of reader.parts) {
      if (part._tag !== 'File') continue;
      const h = part.info.headers;
      const id = normaliseContentId(header(h, 'content-id'));
      const isRoot = envelope === undefined && (start ? normaliseContentId(start) === id : true);
      if (isRoot) {
        envelope = await collect(part, opts.maxEnvelopeBytes);
        continue;
      }
      // An attachment's id must name one part: which of two the envelope meant cannot be told.
      if (attachments.has(id)) throw new SoapRequestError(`two parts have the Content-ID ${id}`);
      const encoding = header(h, 'content-transfer-encoding').trim().toLowerCase();
      const bytes = encoding === 'base64' ? decodeBase64(part) : asBuffers(part);
      const stored = await store.writeTemp(bytes, { maxBytes: opts.maxAttachmentBytes, inlineMax: opts.inlineMax ?? 0 });
      attachments.set(id, stored);
    }
    if (!envelope) throw new SoapRequestError(start ? `no part has the start Content-ID ${start}` : 'multipart request has no SOAP envelope part');
  } catch (err) {
    reader.close(err instanceof Error ? err : undefined);
    // The caller may still answer in kind (e.g. DHX.SizeLimitExceeded echoes the envelope's header).
    if (envelope && err !== null && typeof err === 'object') (err as { envelope?: Buffer }).envelope = envelope;
    for (const a of attachments.values()) await store.discard(a);
    throw err;
  }
  return { envelope, attachments };
}

function envelopeTooLarge(max: number): (err: unknown) => never {
  return (err) => {
    if (err instanceof BodyError && err.failure === BodyFailure.TooLarge && err.limit === max) throw new SoapRequestError(`SOAP envelope larger than ${max} bytes`);
    throw err;
  };
}
