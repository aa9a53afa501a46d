import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * One SOAP POST to a security server, answered as a value (STYLE 3). What a sender must know to decide
 * between "retry" and "ask a person" (DESIGN.md §1) is whether the request had wholly left when the
 * exchange broke: before that the receiver cannot have a document; after it, it may.
 */

export type PostResult =
  | { kind: 'answered'; status: number; contentType: string; body: Buffer }
  | {
      kind: 'failed';
      /** The whole request body was handed to the network before the failure. */
      sent: boolean;
      timedOut: boolean;
      /** The system error code (ECONNREFUSED, ECONNRESET, ...) when there was one. */
      errno?: string;
      message: string;
    };

export interface PostOptions {
  contentType: string;
  body: Readable | Buffer | string;
  /** Bounds the whole exchange, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** Answers longer than this are cut off and count as failed (default 16 MiB: answers are small). */
  maxResponseBytes?: number;
  headers?: Record<string, string>;
}

export class LocalBodyError extends Error {
  constructor(cause: unknown) {
    super(`the request body could not be read: ${(cause as Error).message}`, { cause });
    this.name = 'LocalBodyError';
  }
}

/**
 * POSTs and collects the answer. A failure reading the body (e.g. a missing blob) is thrown as a
 * LocalBodyError: it is ours, not the network's.
 */
export function postSoap(url: string, opts: PostOptions): Promise<PostResult> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  const maxBytes = opts.maxResponseBytes ?? 16 * 1024 * 1024;
  return new Promise<PostResult>((resolve, reject) => {
    let sent = false;
    let timedOut = false;
    let done = false;
    let bodyError: unknown;
    const finish = (r: PostResult | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const req = lib.request(target, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': opts.contentType,
        soapaction: '""',
        ...(typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
        ...opts.headers,
      },
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (bodyError) return finish(new LocalBodyError(bodyError));
      finish({ kind: 'failed', sent, timedOut, ...(err.code ? { errno: err.code } : {}), message: err.message });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
        if (n > maxBytes) {
          req.destroy(new Error(`answer longer than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () =>
        finish({
          kind: 'answered',
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', (err: NodeJS.ErrnoException) =>
        finish({ kind: 'failed', sent, timedOut, ...(err.code ? { errno: err.code } : {}), message: err.message }),
      );
      res.on('aborted', () => finish({ kind: 'failed', sent, timedOut, errno: 'ECONNRESET', message: 'the answer was cut off' }));
    });
    if (opts.body instanceof Readable) {
      const body = opts.body;
      body.on('error', (err) => {
        bodyError = err;
        req.destroy(err);
      });
      body.pipe(req);
    } else {
      req.end(opts.body);
    }
  });
}
