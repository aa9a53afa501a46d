import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Content-addressed blob store in DATA_DIR (DESIGN.md §3): `blobs/ab/cd/<sha256>`, files 0600, folders
 * 0700 (every document concerns a child). Writes go to `tmp/` first, are fsynced, then renamed into
 * place, so a blob that exists is whole — the precondition for a receipt.
 */

export interface StoredTemp {
  path: string;
  sha256: string;
  size: number;
  /** The content too, when small (≤ 1 MiB), so that checking it needs no second read from disk. */
  bytes?: Buffer;
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
  /** Streams `source` to a temporary file, hashing and counting; stops past `maxBytes`. */
  writeTemp(source: Readable | AsyncIterable<Buffer>, maxBytes?: number): Promise<StoredTemp>;
  /** Moves a temporary file to its content address (idempotent) and makes it durable. */
  commit(temp: StoredTemp): Promise<string>;
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
    pathOf,
    async writeTemp(source, maxBytes = Number.POSITIVE_INFINITY) {
      // A unique name without a random-number call per file (cheap at thousands of requests a second).
      const file = path.join(tmp, `${process.pid}-${Date.now()}-${++sequence}`);
      const fh = await fs.promises.open(file, 'wx', 0o600);
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new SizeLimitError(maxBytes);
          hash.update(chunk);
          if (size <= KEEP_IN_MEMORY) kept.push(chunk);
          await fh.write(chunk);
        }
        await fh.sync();
        await fh.close();
        return { path: file, sha256: hash.digest('hex'), size, ...(size <= KEEP_IN_MEMORY ? { bytes: Buffer.concat(kept) } : {}) };
      } catch (err) {
        await fh.close().catch(() => undefined);
        await fs.promises.rm(file, { force: true });
        throw err;
      }
    },
    async commit(temp) {
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
      await fs.promises.rm(typeof temp === 'string' ? temp : temp.path, { force: true });
    },
  };
}
