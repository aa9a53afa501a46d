import fs from 'node:fs';
import type https from 'node:https';
import { Readable } from 'node:stream';
import type { BlobStore, StoredTemp } from '../blob/store';
import { postSoap, type PostResult } from './post';
import { readSoapRequest } from './swa';

/**
 * One SOAP exchange through X-Road for the polling transports (DVK, ADIT): the request (plain or SOAP with
 * Attachments) posted, the answer read as SOAP with Attachments — envelope and parts, each part bounded by
 * `maxBytes` — whatever its HTTP status (a SOAP Fault comes with 500). The caller discards the attachments.
 */
export interface SoapExchangeOptions {
  timeoutMs: number;
  /** Bounds each attachment of the answer (and, with 1 MiB for the envelope and framing, the whole answer). */
  maxBytes: number;
  agent?: https.Agent;
}

export type SoapExchange =
  | { kind: 'answered'; status: number; envelope: Buffer; attachments: Map<string, StoredTemp> }
  /** Nothing came back (refused, reset, timed out, TLS handshake): postSoap's account of it. */
  | Extract<PostResult, { kind: 'failed' }>
  /** An answer came that is not SOAP (with Attachments). */
  | { kind: 'unreadable'; status: number; message: string };

export async function exchangeSoap(
  url: string,
  request: { contentType: string; body: string | Readable },
  store: BlobStore,
  o: SoapExchangeOptions,
): Promise<SoapExchange> {
  const r = await postSoap(url, { ...request, timeoutMs: o.timeoutMs, maxResponseBytes: o.maxBytes + 1024 * 1024, ...(o.agent ? { agent: o.agent } : {}) });
  if (r.kind === 'failed') return r;
  try {
    const read = await readSoapRequest(Readable.from([r.body]), { 'content-type': r.contentType }, store, {
      maxEnvelopeBytes: 4 * 1024 * 1024,
      maxAttachmentBytes: o.maxBytes,
      inlineMax: o.maxBytes,
      idleMs: o.timeoutMs,
    });
    return { kind: 'answered', status: r.status, envelope: read.envelope, attachments: read.attachments };
  } catch (err) {
    return { kind: 'unreadable', status: r.status, message: `HTTP ${r.status}: the answer cannot be read: ${(err as Error).message}` };
  }
}

/** An answer's attachment as bytes (kept in memory, or read from its temporary file). */
export async function attachmentBytes(part: StoredTemp): Promise<Buffer> {
  return part.bytes ?? (await fs.promises.readFile(part.path!));
}
