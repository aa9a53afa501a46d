import net from 'node:net';

/**
 * Sends raw request bytes over a fresh socket and reads what comes back, without an HTTP client that
 * would refuse or repair a malformed request. A hang becomes a value, never a stuck test: every wait
 * has a deadline.
 */

export type Exchange =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: Buffer; ms: number }
  /** The server closed (or reset) the connection without answering: HTTP's answer to a framing error. */
  | { kind: 'closed'; ms: number }
  /** The client reset the connection on purpose (an aborted upload); nothing to judge but what it left. */
  | { kind: 'aborted'; ms: number }
  /** Bytes that are not an HTTP response. */
  | { kind: 'garbage'; text: string; ms: number }
  /** Neither an answer nor a close within the deadlines. */
  | { kind: 'hang'; ms: number; received: number };

export interface ExchangeOptions {
  port: number;
  host?: string;
  /** Wait this long for an answer to a request whose framing looks complete before closing our side. */
  answerMs?: number;
  /** Wait this long before closing our side of a request that looks incomplete (truncated body). */
  idleMs?: number;
  /** After closing our side, wait this long for the answer or the close. */
  closeMs?: number;
  abort?: boolean;
  /** A HEAD answer has headers only. */
  head?: boolean;
}

/** Whether the request's own framing says it is whole (a guess only: the server's parser decides). */
export function framingComplete(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = bytes.subarray(0, end).toString('latin1');
  const body = bytes.length - end - 4;
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return bytes.subarray(bytes.length - 5).toString('latin1') === '0\r\n\r\n';
  const cl = /\r\ncontent-length:\s*(\d+)\s*(?:\r|$)/i.exec(head);
  return cl ? body >= Number(cl[1]) : true;
}

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A whole response from the front of `buf` (1xx answers skipped), or undefined while incomplete. */
function parseResponse(buf: Buffer, closed: boolean, head: boolean): Parsed | 'garbage' | undefined {
  let start = 0;
  for (;;) {
    const prefix = buf.subarray(start, start + 5).toString('latin1');
    if (prefix.length < 5) return closed ? (buf.length > start ? 'garbage' : undefined) : undefined;
    if (prefix !== 'HTTP/') return 'garbage';
    const end = buf.indexOf('\r\n\r\n', start);
    if (end < 0) return closed ? 'garbage' : undefined;
    const lines = buf.subarray(start, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!m) return 'garbage';
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      start = bodyStart;
      continue;
    }
    if (head) return { status, headers, body: Buffer.alloc(0) };
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (buf.length - bodyStart < n) return closed ? 'garbage' : undefined;
      return { status, headers, body: buf.subarray(bodyStart, bodyStart + n) };
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const tail = buf.subarray(bodyStart);
      if (tail.indexOf('0\r\n\r\n') < 0) return closed ? 'garbage' : undefined;
      return { status, headers, body: tail };
    }
    return closed ? { status, headers, body: buf.subarray(bodyStart) } : undefined;
  }
}

export function exchange(bytes: Buffer, o: ExchangeOptions): Promise<Exchange> {
  const answerMs = o.answerMs ?? 10_000;
  const idleMs = o.idleMs ?? 200;
  const closeMs = o.closeMs ?? 10_000;
  const started = Date.now();
  const ms = (): number => Date.now() - started;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = net.connect({ port: o.port, host: o.host ?? '127.0.0.1', allowHalfOpen: true });
    const finish = (result: Exchange): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const judge = (closed: boolean): void => {
      const buf = Buffer.concat(chunks);
      const parsed = parseResponse(buf, closed, o.head ?? false);
      if (parsed === 'garbage') finish({ kind: 'garbage', text: buf.subarray(0, 200).toString('latin1'), ms: ms() });
      else if (parsed) finish({ kind: 'answer', ...parsed, ms: ms() });
      else if (closed) finish({ kind: 'closed', ms: ms() });
    };
    const halfClose = (): void => {
      if (done) return;
      socket.end();
      timer = setTimeout(() => finish({ kind: 'hang', ms: ms(), received }), closeMs);
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      judge(false);
    });
    socket.on('end', () => judge(true));
    socket.on('close', () => judge(true));
    socket.on('error', () => judge(true));
    socket.once('connect', () => {
      if (o.abort) {
        // Let the bytes leave (or give up waiting for a server that does not read), then reset: an
        // upload cut off mid-way.
        const reset = (): void => {
          if (done) return;
          socket.resetAndDestroy();
          finish({ kind: 'aborted', ms: ms() });
        };
        socket.write(bytes, () => setTimeout(reset, 5));
        timer = setTimeout(reset, idleMs);
        return;
      }
      socket.write(bytes);
      timer = setTimeout(halfClose, framingComplete(bytes) ? answerMs : idleMs);
    });
  });
}
