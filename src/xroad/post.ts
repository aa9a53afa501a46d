import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * One SOAP POST to a security server, answered as a value, never thrown. What a sender must know to
 * decide between "retry" and "ask a person" (docs/sending.md, "DHX client") is whether the request had
 * wholly left when the exchange broke: before that the receiver cannot have a document; after it, it may.
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
      /**
       * The TLS handshake failed: a certificate not trusted either way, or refused. Nothing reached the
       * receiver even when `sent` is true (TLS 1.3 lets the client write before the server has judged its
       * certificate; the server then refuses the handshake without reading the request).
       */
      tls?: boolean;
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
  /**
   * For https: URLs, the connection pool (the security server's keep-alive agent with our client
   * certificate, src/xroad/agent.ts); without it, and for http:, a new connection per request.
   */
  agent?: https.Agent;
}

// OpenSSL's certificate verification verdicts as Node reports them (a server certificate we do not trust).
const VERIFY_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED',
  'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);

// TLS alerts that only a handshake can raise: the peer refused or could not use a certificate.
const HANDSHAKE_ALERT = /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_|UNKNOWN_CA|ACCESS_DENIED|HANDSHAKE_FAILURE|DECRYPT_ERROR|PROTOCOL_VERSION|INSUFFICIENT_SECURITY)/;

/**
 * Whether an error is a failed TLS handshake. While the handshake is under way any TLS error counts
 * (OpenSSL reports a received alert as EPROTO); after it only the alerts a handshake raises (TLS 1.3
 * judges the client's certificate after the client has finished), since a broken record later on may
 * come after the receiver acted.
 */
export function isTlsHandshakeFailure(code: string | undefined, handshakeDone: boolean): boolean {
  if (!code) return false;
  if (HANDSHAKE_ALERT.test(code)) return true;
  if (handshakeDone) return false;
  return code === 'EPROTO' || VERIFY_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
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
    // Over TLS the request is written into the socket's buffer before the handshake ends: it has left
    // only once the handshake is done. Plain HTTP has no handshake to wait for.
    let secured = target.protocol !== 'https:';
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
      agent: target.protocol === 'https:' ? opts.agent ?? false : false,
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
    req.on('socket', (socket) => {
      if (secured) return;
      // A kept-alive socket finished its handshake long ago.
      if (req.reusedSocket) secured = true;
      else socket.once('secureConnect', () => (secured = true));
    });
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (bodyError) return finish(new LocalBodyError(bodyError));
      const tlsFailed = !timedOut && isTlsHandshakeFailure(err.code, secured);
      finish({ kind: 'failed', sent: sent && secured, timedOut, ...(err.code ? { errno: err.code } : {}), ...(tlsFailed ? { tls: true } : {}), message: err.message });
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
        finish({ kind: 'failed', sent: sent && secured, timedOut, ...(err.code ? { errno: err.code } : {}), message: err.message }),
      );
      res.on('aborted', () => finish({ kind: 'failed', sent: sent && secured, timedOut, errno: 'ECONNRESET', message: 'the answer was cut off' }));
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
