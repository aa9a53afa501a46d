import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Writing a SOAP with Attachments request (multipart/related, DHX `sendDocument`): the envelope as the
 * root part, each attachment base64-encoded (76-character lines, RFC 2045) as it is read from its
 * source, so a 200 MB capsule is never held in memory — neither raw nor encoded (`soap`'s client
 * holds ~7 copies of the body; it also sends MTOM, not SwA: docs/packages.md). The reader is
 * src/xroad/swa.ts.
 */

export interface SwaPart {
  /** Without angle brackets; the envelope refers to it as `cid:<contentId>`. */
  contentId: string;
  contentType?: string;
  source: Readable | AsyncIterable<Buffer | Uint8Array>;
}

export interface SwaBody {
  contentType: string;
  body: Readable;
}

const LINE_BYTES = 57; // 57 bytes → 76 base64 characters

async function* base64Lines(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, Buffer.from(chunk)]) : Buffer.from(chunk);
    const whole = buf.length - (buf.length % LINE_BYTES);
    carry = buf.subarray(whole);
    if (whole === 0) continue;
    const lines: string[] = [];
    for (let i = 0; i < whole; i += LINE_BYTES) lines.push(buf.toString('base64', i, i + LINE_BYTES));
    yield Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
  }
  if (carry.length) yield Buffer.from(`${carry.toString('base64')}\r\n`, 'latin1');
}

export function swaRequestBody(envelope: string | Buffer, parts: SwaPart[]): SwaBody {
  const boundary = `----=_Part_${randomBytes(12).toString('hex')}`;
  const rootId = 'soap-envelope';
  async function* generate(): AsyncGenerator<Buffer> {
    yield Buffer.from(
      `--${boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <${rootId}>\r\n\r\n`,
    );
    yield typeof envelope === 'string' ? Buffer.from(envelope, 'utf8') : envelope;
    yield Buffer.from('\r\n');
    for (const part of parts) {
      yield Buffer.from(
        `--${boundary}\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n` +
          `Content-Transfer-Encoding: base64\r\nContent-ID: <${part.contentId}>\r\n\r\n`,
      );
      yield* base64Lines(part.source as AsyncIterable<Buffer | Uint8Array>);
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return {
    contentType: `multipart/related; type="text/xml"; start="<${rootId}>"; boundary="${boundary}"`,
    body: Readable.from(generate(), { objectMode: false }),
  };
}
