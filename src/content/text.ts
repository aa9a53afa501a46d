import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { detectFormat, type TextFormat } from './formats';
import { readPdfDirect } from './pdf-direct';
import { finishText, rawCharsFor } from './sink';

/**
 * Text of an attachment (docs/content.md): PDF, DOCX, ODT, RTF, HTML and plain text, with a cap on input
 * bytes, on characters and on time. The readers run in worker threads, never on the caller's event loop: a
 * document that takes longer than `timeoutMs` has its thread terminated (a PDF whose parsing never ends
 * cannot stall intake), and a thread's heap is capped so a document that unpacks huge ends that thread,
 * not the process. The one exception is a PDF that pdf-direct.ts can read exactly (most letters): read here,
 * in a few hundredths of a millisecond, within its caps on input (DIRECT_PDF_MAX_BYTES), on decompressed
 * data and on operators, which bound its time; any other PDF goes to a thread and pdf.js. Every outcome is a
 * value; extractText does not throw.
 */

export interface TextLimits {
  /** Characters kept; more is cut and `truncated` is set. */
  maxChars: number;
  /** Time one document may take in its worker thread (the wait for a free thread not counted). */
  timeoutMs: number;
  /** Larger input is not read: TEXT_TOO_LARGE. Also the cap on the one part unzipped from a DOCX or ODT. */
  maxInputBytes: number;
}

export type TextOutcome =
  | { kind: 'text'; text: string; chars: number; truncated: boolean; format: string }
  | { kind: 'none'; reason: string }
  | { kind: 'failed'; code: 'TEXT_TIMEOUT' | 'TEXT_MALFORMED' | 'TEXT_TOO_LARGE' | 'TEXT_ENCRYPTED'; message: string };

export const DEFAULT_TEXT_LIMITS: TextLimits = { maxChars: 200_000, timeoutMs: 10_000, maxInputBytes: 20 * 1024 * 1024 };

/**
 * A PDF up to this size is first tried by the direct reader, on the caller's event loop; its decompressed data
 * is capped at DIRECT_PDF_MAX_DECODED. Larger ones, and those it leaves, go to pdf.js in a thread.
 */
const DIRECT_PDF_MAX_BYTES = 1024 * 1024;
const DIRECT_PDF_MAX_DECODED = 4 * 1024 * 1024;

/** A thread's heap cap (MB): several times the largest input, and far below the process's. */
const WORKER_HEAP_MB = 512;

/** @internal The message to a text worker. */
export interface TextRequest {
  id: number;
  bytes: Uint8Array;
  format: TextFormat;
  maxChars: number;
  maxPartBytes: number;
}

/** @internal A text worker's answer. */
export type TextResponse =
  | { id: number; ok: true; text: string; truncated: boolean }
  | { id: number; ok: false; code: 'TEXT_MALFORMED' | 'TEXT_ENCRYPTED' | 'TEXT_TOO_LARGE'; message: string };

function packageRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error('package root not found');
  }
}

/** The compiled worker: beside this file in dist/, or dist's copy when this module runs from its TypeScript source. */
function workerScript(): string {
  const beside = path.join(__dirname, 'text-worker.js');
  if (fs.existsSync(beside)) return beside;
  return path.join(packageRoot(), 'dist', 'src', 'content', 'text-worker.js');
}

type Run = { kind: 'answer'; res: TextResponse } | { kind: 'timeout' } | { kind: 'crash'; message: string; outOfMemory: boolean };

/** A small pool of text worker threads; idle threads do not keep the process alive. */
class TextWorkerPool {
  private idle: Worker[] = [];
  private all = new Set<Worker>();
  private waiting: Array<() => void> = [];
  private nextId = 1;

  constructor(private size: number) {}

  setSize(size: number): void {
    this.size = Math.max(1, size);
  }

  get threads(): number {
    return this.all.size;
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      const w = this.idle.pop();
      if (w) {
        w.ref();
        return w;
      }
      if (this.all.size < this.size) {
        const fresh = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 } });
        this.all.add(fresh);
        fresh.once('exit', () => this.forget(fresh));
        return fresh;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private forget(w: Worker): void {
    if (!this.all.delete(w)) return;
    this.idle = this.idle.filter((x) => x !== w);
    this.waiting.shift()?.();
  }

  private release(w: Worker): void {
    w.unref();
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  async run(req: Omit<TextRequest, 'id'>, timeoutMs: number): Promise<Run> {
    const w = await this.acquire();
    const id = this.nextId++;
    const outcome = await new Promise<Run>((resolve) => {
      const done = (r: Run): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (res: TextResponse): void => {
        if (res.id === id) done({ kind: 'answer', res });
      };
      const onError = (err: Error & { code?: string }): void => done({ kind: 'crash', message: err.message, outOfMemory: err.code === 'ERR_WORKER_OUT_OF_MEMORY' });
      const onExit = (code: number): void => done({ kind: 'crash', message: `text worker exited with code ${code}`, outOfMemory: false });
      const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      // The bytes are the pool's own copy: moved to the thread, not copied again.
      w.postMessage({ ...req, id } satisfies TextRequest, [req.bytes.buffer as ArrayBuffer]);
    });
    if (outcome.kind === 'answer') this.release(w);
    else {
      this.forget(w);
      void w.terminate();
    }
    return outcome;
  }

  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle = [];
    await Promise.all(workers.map((w) => w.terminate()));
    for (const wake of this.waiting.splice(0)) wake();
  }
}

const pool = new TextWorkerPool(1);

/** How many threads read documents at once (config TEXT_WORKERS); more requests wait for a free one. */
export function setTextWorkers(size: number): void {
  pool.setSize(size);
}

/** Terminates the text worker threads (shutdown, tests). A later extractText starts new ones. */
export function closeTextWorkers(): Promise<void> {
  return pool.close();
}

/** Threads alive now (tests, metrics). */
export function textWorkerThreads(): number {
  return pool.threads;
}

/** A reader's final text as the outcome. */
function textOutcome(t: { text: string; truncated: boolean }, format: string): TextOutcome {
  return { kind: 'text', text: t.text, chars: t.text.length, truncated: t.truncated, format };
}

/** The text of one attachment, or why there is none. Never throws. */
export async function extractText(bytes: Buffer, mimeType: string, name: string, limits: Partial<TextLimits> = {}): Promise<TextOutcome> {
  const l: TextLimits = { ...DEFAULT_TEXT_LIMITS, ...limits };
  try {
    const format = detectFormat(bytes, mimeType, name);
    if (!format) return { kind: 'none', reason: `no text is read from ${mimeType || 'this type'}` };
    if (bytes.length > l.maxInputBytes) return { kind: 'failed', code: 'TEXT_TOO_LARGE', message: `${bytes.length} bytes, more than the ${l.maxInputBytes} read for text` };
    if (bytes.length === 0) return { kind: 'text', text: '', chars: 0, truncated: false, format };
    if (format === 'pdf' && bytes.length <= DIRECT_PDF_MAX_BYTES) {
      const direct = readPdfDirect(bytes, rawCharsFor(l.maxChars), Math.min(DIRECT_PDF_MAX_DECODED, l.maxInputBytes));
      if (direct) {
        return textOutcome(finishText(direct.text, direct.truncated, l.maxChars), format);
      }
    }
    // A copy goes to the thread: the caller keeps its buffer (which may be a slice of a larger pool).
    const run = await pool.run({ bytes: new Uint8Array(bytes), format, maxChars: l.maxChars, maxPartBytes: l.maxInputBytes }, l.timeoutMs);
    switch (run.kind) {
      case 'timeout':
        return { kind: 'failed', code: 'TEXT_TIMEOUT', message: `reading the ${format} took longer than ${l.timeoutMs} ms` };
      case 'crash':
        return run.outOfMemory
          ? { kind: 'failed', code: 'TEXT_TOO_LARGE', message: `reading the ${format} needed more than ${WORKER_HEAP_MB} MB` }
          : { kind: 'failed', code: 'TEXT_MALFORMED', message: run.message };
      case 'answer':
        if (!run.res.ok) return { kind: 'failed', code: run.res.code, message: run.res.message };
        return textOutcome(run.res, format);
    }
  } catch (err) {
    return { kind: 'failed', code: 'TEXT_MALFORMED', message: (err as Error).message };
  }
}
