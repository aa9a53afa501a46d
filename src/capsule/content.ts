import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Writable, pipeline, type Duplex } from 'node:stream';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { Base64StreamDecoder } from './base64';
import { PayloadEncoding, SNIFF_BYTES, sniffMimeType, sniffPayloadEncoding } from './sniff';
import { sanitizeFileName } from './filename';

/** Limits on what a capsule may expand to (config: CAPSULE_MAX_*). */
export interface CapsuleLimits {
  /** Decoded bytes of one file. */
  maxFileBytes: number;
  /** Decoded bytes of all files together. */
  maxTotalBytes: number;
  /** Decoded ÷ compressed bytes allowed for gzip/ZIP payloads (a gzip bomb expands 1000× and more). */
  maxGzipRatio: number;
  /** Capsule XML other than file content (the skeleton that is schema-validated). */
  maxMetadataBytes: number;
  /** `File` elements. */
  maxFiles: number;
  /**
   * UTF-8 bytes of one element's text other than file content (FileName, RecordTitle, names,
   * identifiers...). Such text is read, folded, matched and stored whole; this keeps it to a size meant
   * for people, so no capsule makes that work large (docs/capsule.md).
   */
  maxTextBytes: number;
}

export const DEFAULT_LIMITS: CapsuleLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxGzipRatio: 200,
  maxMetadataBytes: 16 * 1024 * 1024,
  maxFiles: 1000,
  maxTextBytes: 64 * 1024,
};

/**
 * Whether `text` is within `maxBytes` UTF-8 bytes (CapsuleLimits.maxTextBytes): UTF-8 takes at most 3
 * bytes per UTF-16 unit, so only a text that could be too long is measured.
 */
export function textWithinBytes(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes;
}

/** The ratio check starts once this much is decoded, so tiny, highly compressible files pass. */
const RATIO_GRACE_BYTES = 1024 * 1024;
const ZLIB_CHUNK = 256 * 1024; // zlib's 16 KB default chunk makes gunzip 4× slower (docs/capsule.md)
/** Decoded base64 bytes up to which a file is held and decoded in one call when it ends (decodeAtOnce). */
export const AT_ONCE_MAX_INPUT = 64 * 1024;

export const FileErrorCode = {
  BASE64_INVALID: 'BASE64_INVALID',
  DECOMPRESS_FAILED: 'DECOMPRESS_FAILED',
  ZIP_UNSUPPORTED: 'ZIP_UNSUPPORTED',
  SINK_FAILED: 'SINK_FAILED',
} as const;
export type FileErrorCode = (typeof FileErrorCode)[keyof typeof FileErrorCode];

export interface DecodedFile {
  /** 1-based position of the `File` element. */
  index: number;
  /** The file name as sent, and a name safe for storage. */
  fileName: string;
  safeName: string;
  encoding: PayloadEncoding;
  /** Computed from the decoded bytes. */
  size: number;
  sha256: string;
  sniffedMimeType: string;
  /** Base64 characters in `ZipBase64Content` (whitespace excluded). */
  base64Characters: number;
  /** Set when the content could not be decoded; the capsule itself may still be valid. */
  error?: { code: FileErrorCode; message: string };
}

/** Thrown (through the reader's abort) when a limit is passed: the whole capsule is refused. */
export class CapsuleLimitError extends Error {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(message: string) {
    super(message);
    this.name = 'CapsuleLimitError';
  }
}

/** Shared across the files of one capsule. */
export interface DecodeBudget {
  totalBytes: number;
}

const ZIP_LOCAL_HEADER = 0x04034b50;

/**
 * Decodes one `ZipBase64Content` while the XML is being read: base64 → (gunzip | single ZIP entry | raw)
 * → sha256, size, sniff sample → the caller's sink. Text is pushed synchronously from the XML parser;
 * the reader awaits `drained()` before feeding more input, which keeps memory flat.
 */
export class FileDecoder {
  readonly done: Promise<DecodedFile>;
  private readonly b64 = new Base64StreamDecoder();
  private readonly hash: Hash = createHash('sha256');
  private readonly sample: Buffer[] = [];
  private sampleBytes = 0;
  private size = 0;
  private fed = 0;
  private encoding: PayloadEncoding | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Decoding has begun: at once (decodeAtOnce) or as a stream (start). */
  private started = false;
  private head: Duplex | undefined;
  private zip: { header: Buffer; remaining: number | undefined; started: boolean } | undefined;
  private error: DecodedFile['error'];
  private stopped = false;
  private ended = false;
  private drain: Promise<void> | undefined;
  private resolveDone!: (f: DecodedFile) => void;

  constructor(
    private readonly index: number,
    private readonly fileName: () => string,
    private readonly limits: CapsuleLimits,
    private readonly budget: DecodeBudget,
    private readonly sink: Writable | undefined,
    private readonly onLimit: (err: CapsuleLimitError) => void,
    /** Decoded base64 bytes up to which the file is decoded in one call; 0: always as a stream. */
    private readonly atOnceMax = AT_ONCE_MAX_INPUT,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    // A sink failure is recorded on the file (SINK_FAILED); it must not surface as an unheard 'error' event.
    sink?.on('error', (err: Error) => {
      if (!this.stopped) this.fail(FileErrorCode.SINK_FAILED, `storing the file failed: ${err.message}`);
    });
  }

  /** Base64 text from the parser. */
  write(text: string): void {
    if (this.stopped) return;
    const bytes = this.b64.write(text);
    if (bytes.length > 0) this.push(bytes);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.b64.end();
    if (this.b64.invalid) this.fail(FileErrorCode.BASE64_INVALID, 'ZipBase64Content is not valid base64');
    if (this.stopped) return;
    if (rest.length > 0) this.push(rest);
    if (!this.started) {
      const held = Buffer.concat(this.pending);
      if (this.pendingBytes <= this.atOnceMax && this.decodeAtOnce(held)) return;
      this.start(held);
    }
    if (this.zip && !this.zip.started) this.fail(FileErrorCode.ZIP_UNSUPPORTED, 'ZIP payload ends inside its header');
    this.head?.end();
  }

  /** Resolves when the decoder can take more input. */
  drained(): Promise<void> | undefined {
    return this.drain;
  }

  /** Stops decoding (the capsule was refused); the sink is destroyed. */
  abort(): void {
    this.stopped = true;
    this.head?.destroy();
    this.sink?.destroy(); // the caller learns why from the result; an 'error' event could go unheard
    this.finish();
  }

  private push(bytes: Buffer): void {
    if (!this.started) {
      // Held until the file ends (then decoded at once) or grows past atOnceMax (then streamed).
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
      // The stream's encoding is sniffed from the first four bytes.
      if (this.pendingBytes <= this.atOnceMax || this.pendingBytes < 4) return;
      this.start(Buffer.concat(this.pending));
      return;
    }
    this.feed(bytes);
  }

  /**
   * A small file, whole in memory: gunzip in one synchronous call instead of a zlib stream, a meter and a
   * pipeline (measured: 0.04 ms against 0.4 ms for a 2 KB file, docs/intake.md). Only an outcome the
   * stream could not tell apart is taken here — the content decodes, within every limit and within the
   * size below which the ratio check does not apply; anything else (ZIP, corrupt gzip, a limit reached)
   * returns false and goes through the stream, which gives its verdict and messages as before.
   */
  private decodeAtOnce(input: Buffer): boolean {
    const encoding = sniffPayloadEncoding(input);
    if (encoding === PayloadEncoding.zip) return false;
    const bound = Math.min(RATIO_GRACE_BYTES, this.limits.maxFileBytes, this.limits.maxTotalBytes - this.budget.totalBytes);
    let out = input;
    if (encoding === PayloadEncoding.gzip) {
      try {
        out = zlib.gunzipSync(input, { maxOutputLength: Math.max(1, bound) });
      } catch {
        return false;
      }
    }
    if (out.length > bound) return false;
    this.started = true;
    this.pending = [];
    this.encoding = encoding;
    this.fed = input.length;
    this.size = out.length;
    this.budget.totalBytes += out.length;
    this.hash.update(out);
    this.sample.push(out.subarray(0, SNIFF_BYTES));
    const sink = this.sink;
    if (!sink || sink.destroyed) {
      this.finish();
      return true;
    }
    if (out.length > 0) sink.write(out);
    sink.end();
    // A sink error is recorded by the 'error' listener (SINK_FAILED), which also finishes.
    once(sink, 'finish').then(
      () => this.finish(),
      () => this.finish(),
    );
    return true;
  }

  private start(first: Buffer): void {
    this.started = true;
    this.pending = [];
    this.encoding = sniffPayloadEncoding(first);
    switch (this.encoding) {
      case PayloadEncoding.gzip:
        this.head = zlib.createGunzip({ chunkSize: ZLIB_CHUNK });
        break;
      case PayloadEncoding.zip:
        this.zip = { header: Buffer.alloc(0), remaining: undefined, started: false };
        break;
      case PayloadEncoding.raw:
      case PayloadEncoding.empty:
        this.head = new PassThrough({ highWaterMark: ZLIB_CHUNK });
        break;
      default:
        this.encoding satisfies never;
    }
    if (this.zip) {
      this.feedZip(first);
      return;
    }
    this.connect();
    if (first.length > 0) this.feed(first);
  }

  private connect(): void {
    const head = this.head!;
    const meter = new Writable({
      highWaterMark: ZLIB_CHUNK,
      write: (chunk: Buffer, _enc, cb) => this.measure(chunk, cb),
      final: (cb) => {
        if (!this.sink || this.stopped || this.sink.destroyed) return cb();
        this.sink.end();
        once(this.sink, 'finish').then(() => cb(), cb);
      },
    });
    pipeline(head, meter, (err) => {
      if (err && !this.stopped) {
        const sinkFailed = this.sink?.errored != null;
        this.fail(
          sinkFailed ? FileErrorCode.SINK_FAILED : FileErrorCode.DECOMPRESS_FAILED,
          sinkFailed ? `storing the file failed: ${err.message}` : `${this.encoding} content is corrupt: ${err.message}`,
        );
      }
      this.finish();
    });
  }

  private feed(bytes: Buffer): void {
    if (this.zip) return this.feedZip(bytes);
    this.write2head(bytes);
  }

  private write2head(bytes: Buffer): void {
    if (this.stopped || !this.head) return;
    this.fed += bytes.length;
    if (!this.head.write(bytes) && !this.drain) {
      const head = this.head;
      this.drain = new Promise<void>((resolve) => {
        const done = (): void => {
          head.off('drain', done).off('close', done).off('error', done);
          this.drain = undefined;
          resolve();
        };
        head.on('drain', done).on('close', done).on('error', done);
      });
    }
  }

  /** A ZIP payload holds one entry; its local header says how it is stored (APPNOTE 4.3.7). */
  private feedZip(bytes: Buffer): void {
    const zip = this.zip!;
    if (!zip.started) {
      zip.header = Buffer.concat([zip.header, bytes]);
      if (zip.header.length < 30) return;
      const h = zip.header;
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      if (h.length < 30 + nameLen + extraLen) return;
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      const compressed = h.readUInt32LE(18);
      const sizeKnown = (flags & 0x08) === 0 && compressed !== 0xffffffff;
      if ((flags & 0x01) !== 0) return this.fail(FileErrorCode.ZIP_UNSUPPORTED, 'ZIP entry is encrypted');
      if (method === 8) this.head = zlib.createInflateRaw({ chunkSize: ZLIB_CHUNK });
      else if (method === 0 && sizeKnown) this.head = new PassThrough({ highWaterMark: ZLIB_CHUNK });
      else return this.fail(FileErrorCode.ZIP_UNSUPPORTED, `ZIP compression method ${method} is not supported`);
      zip.started = true;
      zip.remaining = sizeKnown ? compressed : undefined;
      this.connect();
      bytes = h.subarray(30 + nameLen + extraLen);
      zip.header = Buffer.alloc(0);
    }
    if (zip.remaining === undefined) return this.write2head(bytes);
    if (zip.remaining > 0) {
      const take = Math.min(zip.remaining, bytes.length);
      zip.remaining -= take;
      this.write2head(bytes.subarray(0, take));
      bytes = bytes.subarray(take);
    }
    if (zip.remaining === 0 && bytes.length > 0) {
      // What follows the entry must be the central directory, not a second entry.
      zip.header = Buffer.concat([zip.header, bytes]).subarray(0, 4);
      if (zip.header.length === 4 && zip.header.readUInt32LE(0) === ZIP_LOCAL_HEADER) {
        this.fail(FileErrorCode.ZIP_UNSUPPORTED, 'ZIP payload holds more than one entry');
      }
    }
  }

  private measure(chunk: Buffer, cb: (err?: Error | null) => void): void {
    if (this.stopped) return cb();
    this.size += chunk.length;
    this.budget.totalBytes += chunk.length;
    const limitError = this.checkLimits();
    if (limitError) {
      this.onLimit(limitError);
      return cb();
    }
    this.hash.update(chunk);
    if (this.sampleBytes < SNIFF_BYTES) {
      this.sample.push(chunk.subarray(0, SNIFF_BYTES - this.sampleBytes));
      this.sampleBytes += Math.min(chunk.length, SNIFF_BYTES - this.sampleBytes);
    }
    if (!this.sink || this.sink.destroyed || this.sink.write(chunk)) return cb();
    const sink = this.sink;
    const resume = (): void => {
      sink.off('drain', resume).off('close', resume);
      cb(sink.errored ?? undefined);
    };
    sink.on('drain', resume).on('close', resume);
  }

  private checkLimits(): CapsuleLimitError | undefined {
    const name = `File[${this.index}] '${this.fileName()}'`;
    if (this.size > this.limits.maxFileBytes) {
      return new CapsuleLimitError(`${name} decodes to more than ${this.limits.maxFileBytes} bytes`);
    }
    if (this.budget.totalBytes > this.limits.maxTotalBytes) {
      return new CapsuleLimitError(`files decode to more than ${this.limits.maxTotalBytes} bytes in total`);
    }
    const compressed = this.encoding === PayloadEncoding.gzip || this.encoding === PayloadEncoding.zip;
    // zlib's bytesWritten counts input the engine has consumed, so the ratio is exact, not diluted by buffered input.
    const consumed = (this.head as Partial<zlib.Zlib> | undefined)?.bytesWritten ?? this.fed;
    if (compressed && this.size > RATIO_GRACE_BYTES && this.size > this.limits.maxGzipRatio * Math.max(consumed, 1)) {
      return new CapsuleLimitError(
        `${name} expands more than ${this.limits.maxGzipRatio}× (${consumed} compressed bytes gave ${this.size})`,
      );
    }
    return undefined;
  }

  private fail(code: FileErrorCode, message: string): void {
    if (!this.error) this.error = { code, message };
    if (this.stopped) return;
    this.stopped = true;
    this.head?.destroy();
    this.sink?.destroy();
    if (!this.head) this.finish();
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const fileName = this.fileName();
    const sample = Buffer.concat(this.sample);
    this.resolveDone({
      index: this.index,
      fileName,
      safeName: sanitizeFileName(fileName, `file-${this.index}`),
      encoding: this.encoding ?? PayloadEncoding.empty,
      size: this.size,
      sha256: this.hash.digest('hex'),
      sniffedMimeType: sniffMimeType(sample, fileName),
      base64Characters: this.b64.characters,
      ...(this.error ? { error: this.error } : {}),
    });
  }
}
