import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import * as Multipasta from 'multipasta/node';
import { Base64StreamDecoder } from '../capsule/base64';
import type { BlobStore, StoredTemp } from '../blob/store';

/**
 * SOAP with Attachments (SwA, multipart/related) read as a stream: the root part (the SOAP envelope) is
 * kept in memory up to a small limit, every other part is decoded (base64 or binary transfer encoding)
 * straight into a temporary blob, so a 200 MB capsule never sits in memory. `soap.listen` cannot parse
 * multipart (ECOSYSTEM.md); multipasta streams per part (723 ms / 67 MB for 100 MB there).
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

export async function readSoapRequest(
  body: Readable,
  headers: IncomingHttpHeaders,
  store: BlobStore,
  opts: { maxEnvelopeBytes: number; maxAttachmentBytes: number; inlineMax?: number },
): Promise<SoapRequest> {
  const contentType = headers['content-type'] ?? '';
  const attachments = new Map<string, StoredTemp>();
  if (!/^multipart\//i.test(contentType)) {
    return { envelope: await collect(body, opts.maxEnvelopeBytes), attachments };
  }
  const start = /;\s*start\s*=\s*"?([^";]+)"?/i.exec(contentType)?.[1];
  const mp = Multipasta.make({ headers, isFile: () => true, maxParts: 32 });
  let failure: unknown;
  mp.on('error', (e: unknown) => {
    failure ??= new SoapRequestError(`malformed multipart body: ${(e as { _tag?: string })._tag ?? String(e)}`);
  });
  body.pipe(mp);
  let envelope: Buffer | undefined;
  try {
    // Not destroyed when the last part is read: the body's closing bytes may still be on their way, and
    // destroying then costs an AbortError (with its stack) per request. Errors destroy it below.
    const parts = (mp as unknown as Readable).iterator({ destroyOnReturn: false }) as AsyncIterable<Multipasta.Part>;
    for await (const part of parts) {
      if (part._tag !== 'File') continue;
      const h = part.info.headers;
      const id = normaliseContentId(header(h, 'content-id'));
      const isRoot = envelope === undefined && (start ? normaliseContentId(start) === id : true);
      if (isRoot) {
        envelope = await collect(part, opts.maxEnvelopeBytes);
        continue;
      }
      const encoding = header(h, 'content-transfer-encoding').trim().toLowerCase();
      const bytes = encoding === 'base64' ? decodeBase64(part) : asBuffers(part);
      const stored = await store.writeTemp(bytes, { maxBytes: opts.maxAttachmentBytes, inlineMax: opts.inlineMax ?? 0 });
      attachments.set(id, stored);
    }
    if (failure) throw failure;
  } catch (err) {
    // The caller may still answer in kind (e.g. DHX.SizeLimitExceeded echoes the envelope's header).
    if (envelope && err !== null && typeof err === 'object') (err as { envelope?: Buffer }).envelope = envelope;
    body.unpipe(mp);
    mp.destroy();
    for (const a of attachments.values()) await store.discard(a);
    throw err;
  }
  if (!envelope) throw new SoapRequestError('multipart request has no SOAP envelope part');
  return { envelope, attachments };
}
