import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Content-addressed blob store in DATA_DIR (docs/receive.md, "Where the capsule is kept"):
 * `blobs/ab/cd/<sha256>`, files 0600, folders 0700 (every document concerns a child). Writes go to `tmp/`
 * first, are fsynced, then renamed into place, so a blob that exists is whole — the precondition for a
 * receipt.
 *
 * A caller may allow small content to stay in memory (`inlineMax`): it is then never written to disk
 * here, and the caller stores it in PostgreSQL (`blobs.content`) in the same commit as its row, which is
 * as durable and costs no file, fsync or rename (docs/receive.md). `openBlob` (read.ts) reads either kind.
 */

export interface StoredTemp {
  /** The temporary file; absent when the content stayed in memory (size ≤ the caller's `inlineMax`). */
  path?: string;
  sha256: string;
  size: number;
  /** The content too, when small (≤ 1 MiB, or ≤ `inlineMax`), so that checking it needs no read from disk. */
  bytes?: Buffer;
}

export interface WriteTempOptions {
  /** Stop with SizeLimitError past this many bytes. */
  maxBytes?: number;
  /** Content of at most this many bytes stays in memory only (no temporary file). Default 0. */
  inlineMax?: number;
}

const KEEP_IN_MEMORY = 1024 * 1024;
let sequence = 0;

export class SizeLimitError extends Error {
  readonly code = 'SIZE_LIMIT';
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

export interface BlobStore {
  root: string;
  /** Where temporary files are written before they are committed (`DATA_DIR/tmp`). */
  tmpDir: string;
  /**
   * Streams `source` to a temporary file, hashing and counting; stops past `maxBytes`. A number as the
   * second argument is `maxBytes`.
   */
  writeTemp(source: Readable | AsyncIterable<Buffer>, options?: number | WriteTempOptions): Promise<StoredTemp>;
  /** Moves a temporary file to its content address (idempotent) and makes it durable. Inline content: nothing to do. */
  commit(temp: StoredTemp): Promise<string | undefined>;
  pathOf(sha256: string): string;
  discard(temp: StoredTemp | string): Promise<void>;
}

/** fsync, off the event loop: a blocking fsync would stall every other request for its duration. */
async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function makeBlobStore(dataDir: string): BlobStore {
  const root = path.resolve(dataDir);
  const tmp = path.join(root, 'tmp');
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(root, 'blobs'), { recursive: true, mode: 0o700 });
  const madeDirs = new Set<string>();
  const pathOf = (sha: string): string => path.join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    root,
    tmpDir: tmp,
    pathOf,
    async writeTemp(source, options = {}) {
      const { maxBytes = Number.POSITIVE_INFINITY, inlineMax = 0 } = typeof options === 'number' ? { maxBytes: options } : options;
      const keep = Math.max(KEEP_IN_MEMORY, inlineMax);
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let size = 0;
      let file: string | undefined;
      let fh: fs.promises.FileHandle | undefined;
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new SizeLimitError(maxBytes);
          hash.update(chunk);
          if (size <= keep) kept.push(chunk);
          if (!fh && size > inlineMax) {
            // Past the inline size: spill to a temporary file, starting with what was held so far.
            // A unique name without a random-number call per file (cheap at thousands of requests a second).
            file = path.join(tmp, `${process.pid}-${Date.now()}-${++sequence}`);
            fh = await fs.promises.open(file, 'wx', 0o600);
            const held = size <= keep ? kept : [...kept, chunk];
            for (const piece of held) await fh.write(piece);
            continue;
          }
          if (fh) await fh.write(chunk);
        }
        const bytes = size <= keep ? { bytes: kept.length === 1 ? kept[0]! : Buffer.concat(kept) } : {};
        if (!fh) return { sha256: hash.digest('hex'), size, ...bytes };
        await fh.sync();
        await fh.close();
        fh = undefined;
        return { path: file!, sha256: hash.digest('hex'), size, ...bytes };
      } catch (err) {
        await fh?.close().catch(() => undefined);
        if (file) await fs.promises.rm(file, { force: true });
        throw err;
      }
    },
    async commit(temp) {
      if (!temp.path) return undefined;
      const target = pathOf(temp.sha256);
      const dir = path.dirname(target);
      if (!madeDirs.has(dir)) {
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
        madeDirs.add(dir);
      }
      // Same name, same content: renaming over an existing blob leaves it as it was.
      await fs.promises.rename(temp.path, target);
      await fsyncPath(dir);
      return target;
    },
    async discard(temp) {
      const p = typeof temp === 'string' ? temp : temp.path;
      if (p) await fs.promises.rm(p, { force: true });
    },
  };
}
