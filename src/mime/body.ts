import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import * as Multipasta from 'multipasta/node';

/**
 * Reading a request body so that nothing a client sends — or stops sending — can throw out of a stream
 * or leave a handler waiting: every failure becomes a `BodyError` the handler answers (400, 408, 413 or
 * a DHX fault), and every path frees the parser and whatever part a consumer was reading.
 *
 * multipasta decodes an RFC 5987 `filename*` with `decodeURIComponent` inside its synchronous `write`,
 * so a bad escape throws from wherever the write happens — also from a write it had buffered and runs
 * later, when a part is read. `GuardedMultipasta` turns such a throw into a stream error; the body is fed
 * chunk by chunk here (never `pipe`), which is also where the idle timer, the byte limit and a client's
 * disconnect are seen.
 */

export const BodyFailure = {
  /** Not a well-formed body (multipart framing, part headers, too many parts, no end). */
  Malformed: 'malformed',
  /** More bytes than the request may carry. */
  TooLarge: 'too_large',
  /** The client went away before the body ended. */
  Aborted: 'aborted',
  /** No byte for the idle timeout in the middle of the body. */
  Idle: 'idle',
} as const;
export type BodyFailure = (typeof BodyFailure)[keyof typeof BodyFailure];

export class BodyError extends Error {
  constructor(
    readonly failure: BodyFailure,
    message: string,
    /** For TooLarge: the limit passed. */
    readonly limit?: number,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** The HTTP status a body failure is answered with (Aborted: nobody is listening, 400 is for the log). */
export function bodyFailureStatus(failure: BodyFailure): number {
  switch (failure) {
    case BodyFailure.Malformed:
    case BodyFailure.Aborted:
      return 400;
    case BodyFailure.TooLarge:
      return 413;
    case BodyFailure.Idle:
      return 408;
  }
}

export interface BodyLimits {
  /** Bytes of the whole body as sent. */
  maxBytes: number;
  /** Milliseconds without a byte (while the body is wanted) before the request fails as Idle. */
  idleMs: number;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

class GuardedMultipasta extends Multipasta.MultipastaStream {
  /** The parser reached the closing delimiter (it ends the stream of parts with `push(null)`). */
  private delimiterClosed = false;

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) this.delimiterClosed = true;
    return super.push(chunk, encoding);
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      super._write(chunk, encoding, callback);
    } catch (err) {
      callback(asError(err));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      // The parser ends synchronously: by now it has either closed the parts or reported an error. A
      // body cut after the last part's delimiter but before its closing `--` (e.g. `--boundary-`)
      // does neither, and the stream of parts would wait for ever (RFC 2046 §5.1.1: the close-delimiter
      // is required).
      super._final((err) => callback(err ?? (this.delimiterClosed ? null : new Error('the body ended before the closing boundary'))));
    } catch (err) {
      callback(asError(err));
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  const tag = (e as { _tag?: string; limit?: string } | undefined)?._tag;
  const limit = (e as { limit?: string } | undefined)?.limit;
  return tag ? (limit ? `${tag} ${limit}` : tag) : String(e);
}

/**
 * Feeds `body` to `sink` chunk by chunk with the idle timer and byte limit; `fail` is called once with
 * the first failure (also a client's disconnect). Returns a function that detaches from the body.
 */
function feed(
  body: Readable,
  limits: BodyLimits,
  sink: { write(chunk: Buffer): boolean; end(): void; onDrain(resume: () => void): void },
  fail: (err: BodyError) => void,
): () => void {
  let total = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const disarm = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = (): void => {
    // Once per chunk: refreshing the one timer is cheaper than a new one.
    if (timer) {
      timer.refresh();
      return;
    }
    timer = setTimeout(() => fail(new BodyError(BodyFailure.Idle, `no data for ${limits.idleMs / 1000} s`)), limits.idleMs);
    timer.unref();
  };
  const onData = (chunk: Buffer): void => {
    total += chunk.length;
    if (total > limits.maxBytes) return fail(new BodyError(BodyFailure.TooLarge, `the request is larger than ${limits.maxBytes} bytes`, limits.maxBytes));
    arm();
    let more: boolean;
    try {
      more = sink.write(chunk);
    } catch (err) {
      return fail(new BodyError(BodyFailure.Malformed, `malformed body: ${describe(err)}`));
    }
    if (!more) {
      // Our side is slow (the disk): the client is not idle.
      body.pause();
      disarm();
    }
  };
  const onEnd = (): void => {
    ended = true;
    disarm();
    try {
      sink.end();
    } catch (err) {
      fail(new BodyError(BodyFailure.Malformed, `malformed body: ${describe(err)}`));
    }
  };
  const onGone = (): void => {
    if (!ended) fail(new BodyError(BodyFailure.Aborted, 'the client closed the connection before the body ended'));
  };
  sink.onDrain(() => {
    if (ended) return;
    arm();
    body.resume();
  });
  body.on('data', onData);
  body.on('end', onEnd);
  body.on('error', onGone);
  body.on('close', onGone);
  arm();
  return () => {
    disarm();
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('error', onGone);
    body.off('close', onGone);
    // An error after we stop listening must not become an uncaught one.
    body.on('error', () => undefined);
  };
}

/** The whole body in memory, up to `maxBytes` (a SOAP request without attachments). */
export function readWholeBody(body: Readable, limits: BodyLimits): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let detach = (): void => undefined;
    const settle = (err?: BodyError): void => {
      if (settled) return;
      settled = true;
      detach();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    detach = feed(
      body,
      limits,
      {
        write: (c) => (chunks.push(c), true),
        end: () => settle(),
        onDrain: () => undefined,
      },
      settle,
    );
  });
}

export interface MultipartReader {
  /** The parts in order; a failure of the body or the framing rejects with a BodyError. */
  parts: AsyncIterable<Multipasta.Part>;
  /** Stops reading at once (a consumer's own failure, e.g. a size limit): frees the parser and the part being read. */
  close(reason?: Error): void;
}

export function readMultipart(
  body: Readable,
  headers: IncomingHttpHeaders,
  limits: BodyLimits & { maxParts: number; isFile?: (info: Multipasta.PartInfo) => boolean },
): MultipartReader {
  let mp: GuardedMultipasta;
  try {
    mp = new GuardedMultipasta({ headers, maxParts: limits.maxParts, ...(limits.isFile ? { isFile: limits.isFile } : {}) });
  } catch (err) {
    // multipasta reports a Content-Type without a boundary from its constructor, before anyone listens.
    const failure = new BodyError(BodyFailure.Malformed, `malformed multipart body: ${describe(err)}`);
    return {
      parts: (async function* (): AsyncGenerator<Multipasta.Part> {
        yield* [];
        throw failure;
      })(),
      close: () => undefined,
    };
  }
  let failure: BodyError | undefined;
  let current: Readable | undefined;
  let detach = (): void => undefined;
  const fail = (err: BodyError): void => {
    if (failure) return;
    failure = err;
    detach();
    current?.destroy(err);
    mp.destroy(err);
  };
  mp.on('file', (f: Readable) => {
    // multipasta reports a finding on the parser first (which sets `failure` below) and then, as a bare
    // object, on the part being read: the part's reader gets the body's failure instead, so every
    // consumer answers it as one (400, not an unexpected error).
    const emit = f.emit.bind(f);
    f.emit = ((event: string | symbol, ...args: unknown[]) =>
      event === 'error' && failure && args[0] !== failure ? emit('error', failure) : emit(event, ...args)) as typeof f.emit;
    // A part nobody reads any more must not turn its error into an uncaught one; a reader still gets it.
    f.on('error', () => undefined);
    current = f;
  });
  // multipasta reports its own findings (framing, limits) as 'error' events without destroying itself.
  mp.on('error', (e: unknown) => fail(e instanceof BodyError ? e : new BodyError(BodyFailure.Malformed, `malformed multipart body: ${describe(e)}`)));
  mp.on('end', () => detach());
  detach = feed(
    body,
    limits,
    {
      write: (c) => mp.write(c),
      end: () => mp.end(),
      onDrain: (resume) => mp.on('drain', resume),
    },
    fail,
  );
  async function* parts(): AsyncGenerator<Multipasta.Part> {
    try {
      // Not destroyed when the last part is read: the body's closing bytes may still be on their way.
      for await (const part of mp.iterator({ destroyOnReturn: false }) as AsyncIterable<Multipasta.Part>) {
        if (failure) throw failure;
        yield part;
      }
    } catch (err) {
      throw failure ?? new BodyError(BodyFailure.Malformed, `malformed multipart body: ${describe(err)}`);
    }
    if (failure) throw failure;
  }
  return {
    parts: parts(),
    close: (reason) => fail(reason instanceof BodyError ? reason : new BodyError(BodyFailure.Malformed, reason?.message ?? 'reading stopped')),
  };
}
