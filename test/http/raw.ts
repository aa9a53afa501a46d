import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Raw HTTP over a socket, for requests no well-behaved client would send. */

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

export interface RawExchange {
  socket: net.Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with what the server sent once it closes the connection, or after `ms` (whatever came). */
  answer(ms?: number): Promise<string>;
}

export async function openRaw(port: number, first?: string | Buffer): Promise<RawExchange> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  let closed = false;
  const done = new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve();
    });
  });
  if (first !== undefined) socket.write(first);
  return {
    socket,
    received: () => Buffer.concat(chunks).toString('latin1'),
    async answer(ms = 3000) {
      if (!closed) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
        clearTimeout(timer);
      }
      socket.destroy();
      return Buffer.concat(chunks).toString('latin1');
    },
  };
}

/** Sends one whole request and returns the whole answer (the server closes, or `ms` pass). */
export async function rawRequest(port: number, data: string | Buffer, ms = 3000): Promise<string> {
  return (await openRaw(port, data)).answer(ms);
}

export function statusOf(answer: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return m ? Number(m[1]) : undefined;
}

/** Open descriptors of this process that point into `dir`. */
export function openFilesUnder(dir: string): string[] {
  const real = fs.realpathSync(dir);
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = fs.readlinkSync(path.join('/proc/self/fd', fd));
    } catch {
      continue;
    }
    if (target.startsWith(real + path.sep)) out.push(target);
  }
  return out;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A multipart body from parts given as raw header text and content. */
export function multipart(boundary: string, parts: Array<{ headers: string; body: string | Buffer }>, close = true): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) out.push(Buffer.from(`--${boundary}\r\n${p.headers}\r\n\r\n`), Buffer.from(p.body), Buffer.from('\r\n'));
  if (close) out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

export function requestHead(o: { method?: string; target?: string; contentType: string; length: number; extra?: string }): string {
  return (
    `${o.method ?? 'POST'} ${o.target ?? '/dhx'} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${o.contentType}\r\n` +
    `Content-Length: ${o.length}\r\nConnection: close\r\n${o.extra ?? ''}\r\n`
  );
}
