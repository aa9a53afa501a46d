import type http from 'node:http';
import type https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { HttpEdgeConfig } from '../config';

/**
 * Server-wide protection of the listener, the same for HTTP and HTTPS: timeouts, and an answer instead
 * of a crash for whatever Node's parser rejects before a request handler ever runs.
 *
 * HTTP_REQUEST_TIMEOUT_SECONDS (default 1800) bounds one whole request: a 256 MiB capsule is about
 * 350 MB as base64 on the wire, which fits in 30 minutes down to about 1.6 Mbit/s. The idle timeout
 * (HTTP_IDLE_TIMEOUT_SECONDS) is what stops a silent client long before that; it is kept by the body
 * readers (src/mime/body.ts), which know when we, not the client, are the slow side.
 */
export function applyServerSettings(server: http.Server | https.Server, settings: HttpEdgeConfig, log: Logger): void {
  server.headersTimeout = Math.round(settings.headersTimeoutSeconds * 1000);
  server.requestTimeout = Math.round(settings.requestTimeoutSeconds * 1000);
  server.keepAliveTimeout = Math.round(settings.keepAliveTimeoutSeconds * 1000);
  // Node checks the two timeouts above on this interval; a second is fine for both.
  (server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = 1000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, log));
}

/** The status Node's own handler would give, by parser error code. */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, log: Logger): void {
  log.debug({ code: err.code, reason: err.message }, 'malformed request refused');
  // A reset or a half-written answer leaves nothing to say; a socket that can still be written gets a status.
  const headersSent = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || headersSent || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(err.code);
  socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A client that does not read its answer must not hold the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Counts request bodies being read; `tryEnter` refuses past `max`. */
export interface UploadGate {
  tryEnter(): boolean;
  leave(): void;
}

export function makeUploadGate(max: number): UploadGate {
  let active = 0;
  return {
    tryEnter() {
      if (active >= max) return false;
      active++;
      return true;
    },
    leave() {
      active = Math.max(0, active - 1);
    },
  };
}

/** The path of a request target without throwing: undefined when it is not one (an unparsable absolute URL). */
export function requestTarget(raw: string | undefined): { pathname: string; searchParams: URLSearchParams } | undefined {
  try {
    const url = new URL(raw ?? '/', 'http://localhost');
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return undefined;
  }
}

export const XML = 'text/xml; charset=utf-8';

export function send(res: http.ServerResponse, status: number, body: string, type = XML, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/**
 * Answers a request whose body is not (or no longer) read, and closes its connection: the rest of the
 * body is never read, and a client that keeps the socket open is cut off shortly after its answer.
 */
export function sendAndClose(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string, type = XML, extra: Record<string, string> = {}): void {
  if (res.headersSent || req.socket.destroyed) {
    req.socket.destroy();
    return;
  }
  send(res, status, body, type, { connection: 'close', ...extra });
  res.on('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
}
