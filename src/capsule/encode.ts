import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** Encoding of file content for `ZipBase64Content`: base64(gzip(bytes)) in 76-character lines, streamed. */

/** A file's bytes: in memory, a path on disk, or a factory for a stream (called once, when its turn comes). */
export type FileContent = Buffer | string | (() => NodeJS.ReadableStream | Readable);

/** 57 bytes are exactly one 76-character base64 line (RFC 2045 line length). */
const LINE_BYTES = 57;
const LINE_CHARS = 76;
export const CHUNK = 256 * 1024;
/** Content in memory up to this size is gzipped in one call. */
const AT_ONCE_MAX = 64 * 1024;

function openContent(content: FileContent): Readable {
  if (Buffer.isBuffer(content)) {
    // Slices, not one chunk: zlib then never sees more than CHUNK bytes at a time.
    return Readable.from(
      (function* slices() {
        for (let i = 0; i < content.length; i += CHUNK) yield content.subarray(i, i + CHUNK);
      })(),
      { objectMode: false },
    );
  }
  if (typeof content === 'string') return fs.createReadStream(content, { highWaterMark: CHUNK });
  const stream = content();
  return stream instanceof Readable ? stream : Readable.from(stream as AsyncIterable<Buffer>, { objectMode: false });
}

function toLines(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  if (b64.length <= LINE_CHARS) return b64;
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE_CHARS) lines.push(b64.slice(i, i + LINE_CHARS));
  return lines.join('\n');
}

/** Pulls the file through gzip as the consumer reads; whole 57-byte groups go out, the rest waits for more. */
export async function* encodedContent(content: FileContent): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(content) && content.length <= AT_ONCE_MAX) {
    // Small content in memory (a business receipt, an opinion letter): one gzip call, not a stream
    // pipeline, which costs ten times as much for a few KB (docs/intake.md).
    yield Buffer.from(toLines(zlib.gzipSync(content)), 'latin1');
    return;
  }
  const source = openContent(content);
  const gzip = zlib.createGzip({ chunkSize: CHUNK });
  const piped = pipeline(source, gzip);
  piped.catch(() => undefined); // the same error surfaces from the loop below; awaited at the end
  let carry = Buffer.alloc(0);
  let first = true;
  try {
    for await (const chunk of gzip as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % LINE_BYTES);
      carry = Buffer.from(bytes.subarray(whole)); // a copy, so the big chunk is not kept alive
      if (whole === 0) continue;
      yield Buffer.from((first ? '' : '\n') + toLines(bytes.subarray(0, whole)), 'latin1');
      first = false;
    }
    await piped;
    if (carry.length > 0) yield Buffer.from((first ? '' : '\n') + toLines(carry), 'latin1');
  } finally {
    source.destroy();
    gzip.destroy();
  }
}

export async function fileSizeOf(content: FileContent): Promise<string> {
  return String((await fs.promises.stat(content as string)).size);
}

