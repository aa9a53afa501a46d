import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { LO_WRITE_CHUNK, startLargeObject, writeLargeObject, type StreamingLargeObject } from './large-object';

/**
 * Content-addressed blob store (docs/receive.md, "Where blobs are kept"). `BLOB_STORE=fs`: files in
 * DATA_DIR, `blobs/ab/cd/<sha256>`, files 0600, folders 0700 (every document concerns a child). Writes go to `tmp/`
 * first, are fsynced, then renamed into place, so a blob that exists is whole — the precondition for a
 * receipt.
 *
 * A caller may allow small content to stay in memory (`inlineMax`): it is then never written to disk
 * here, and the caller stores it in PostgreSQL (`blobs.content`) in the same commit as its row, which is
 * as durable and costs no file, fsync or rename (docs/receive.md). `BLOB_STORE=postgres`: larger content
 * is a PostgreSQL large object (`blobs.lo_oid`), which every node reads; DATA_DIR/tmp still holds it
 * while it is received. `openBlob` (read.ts) reads every kind.
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
/**
 * BLOB_STORE=postgres: at most this many blobs per process are written into their large object while they
 * arrive, each on a connection of its own (large-object.ts startLargeObject); more at once (a capsule
 * extracted into many large files) are copied from their temporary file at commit, as before.
 */
const MAX_STREAMING = 4;
let streaming = 0;

export class SizeLimitError extends Error {
  readonly code = 'SIZE_LIMIT';
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** Where blobs above the inline size are kept (`BLOB_STORE`, docs/configuration.md). */
export type BlobStoreKind = 'fs' | 'postgres';

/**
 * The one blob store interface: nothing above src/blob/ knows which store it talks to. Reading is
 * `openBlob` (read.ts), which reads a blob wherever its row says it is.
 */
export interface BlobStore {
  readonly kind: BlobStoreKind;
  /** Where temporary files are written before they are committed (`DATA_DIR/tmp`; swept by sweep.ts). */
  tmpDir: string;
  /**
   * Streams `source` to a temporary file, hashing and counting; stops past `maxBytes`. A number as the
   * second argument is `maxBytes`.
   */
  writeTemp(source: Readable | AsyncIterable<Buffer>, options?: number | WriteTempOptions): Promise<StoredTemp>;
  /**
   * Makes a temporary blob durable at its content address (idempotent). `fs`: the file is renamed into
   * DATA_DIR and its folder fsynced. `postgres`: the large object written while the blob arrived (or,
   * past MAX_STREAMING at once, one streamed from the file now) and the blobs row that names it are
   * committed in one transaction. Inline content: nothing to do (the caller stores it with its row).
   * Every temporary blob must end in commit or discard (a large object being written holds a connection).
   */
  commit(temp: StoredTemp): Promise<void>;
  discard(temp: StoredTemp | string): Promise<void>;
  /**
   * This node's file for `sha256` (it may not exist): for src/blob/ only (read.ts, migrate.ts, and
   * retention.ts `removeBlob`, the one way to remove a blob's content from any store).
   */
  fileOf(sha256: string): string;
}

/** A file store without a database: the simulators and benches, which keep files and no blobs rows. */
export interface FileBlobStore extends BlobStore {
  root: string;
  pathOf(sha256: string): string;
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

export interface BlobStoreOptions {
  /** Default `fs`. */
  kind?: BlobStoreKind;
  /** Needed by `postgres` (commit). */
  pool?: Pool;
}

/** The store a node's settings name (`BLOB_STORE`, `DATA_DIR`), on its pool. */
export function configuredBlobStore(config: { dataDir: string; blobStore: BlobStoreKind }, pool: Pool): BlobStore {
  return makeBlobStore(config.dataDir, { kind: config.blobStore, pool });
}

/** The store `BLOB_STORE` names, with its temporary files in `DATA_DIR/tmp`. */
export function makeBlobStore(dataDir: string, o: BlobStoreOptions = {}): FileBlobStore {
  const kind = o.kind ?? 'fs';
  if (kind === 'postgres' && !o.pool) throw new Error('BLOB_STORE=postgres needs a database pool');
  const root = path.resolve(dataDir);
  const tmp = path.join(root, 'tmp');
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(root, 'blobs'), { recursive: true, mode: 0o700 });
  const madeDirs = new Set<string>();
  /** Large objects written while their blob arrived, until commit or discard (postgres). */
  const pending = new WeakMap<StoredTemp, StreamingLargeObject>();
  const pathOf = (sha: string): string => path.join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
  const needPool = (): Pool => {
    if (!o.pool) throw new Error('this blob store has no database');
    return o.pool;
  };
  return {
    kind,
    root,
    tmpDir: tmp,
    pathOf,
    fileOf: pathOf,
    async writeTemp(source, options = {}) {
      const { maxBytes = Number.POSITIVE_INFINITY, inlineMax = 0 } = typeof options === 'number' ? { maxBytes: options } : options;
      const keep = Math.max(KEEP_IN_MEMORY, inlineMax);
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let size = 0;
      let file: string | undefined;
      let fh: fs.promises.FileHandle | undefined;
      let lo: StreamingLargeObject | undefined;
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
            if (kind === 'postgres' && streaming < MAX_STREAMING) {
              streaming++;
              lo = await startLargeObject(needPool()).catch((err: unknown) => {
                streaming--;
                throw err;
              });
            }
            for (const piece of held) {
              await fh.write(piece);
              await lo?.write(piece);
            }
            continue;
          }
          if (fh) {
            await fh.write(chunk);
            await lo?.write(chunk);
          }
        }
        const bytes = size <= keep ? { bytes: kept.length === 1 ? kept[0]! : Buffer.concat(kept) } : {};
        if (!fh) return { sha256: hash.digest('hex'), size, ...bytes };
        // fs: the file becomes the blob, so it must be durable before it is renamed into place. postgres:
        // the file is only read back into a large object, whose commit is the durable one.
        if (kind === 'fs') await fh.sync();
        await fh.close();
        fh = undefined;
        if (lo) await lo.finish();
        const temp: StoredTemp = { path: file!, sha256: hash.digest('hex'), size, ...bytes };
        if (lo) pending.set(temp, lo);
        lo = undefined;
        return temp;
      } catch (err) {
        await fh?.close().catch(() => undefined);
        if (lo) await endStreaming(lo, 'abort');
        if (file) await fs.promises.rm(file, { force: true });
        throw err;
      }
    },
    async commit(temp) {
      if (!temp.path) return;
      const lo = pending.get(temp);
      if (lo) {
        pending.delete(temp);
        await commitStreamed(lo, temp.path, temp);
        return;
      }
      if (kind === 'postgres') {
        await commitLargeObject(needPool(), temp.path, temp);
        return;
      }
      const target = pathOf(temp.sha256);
      const dir = path.dirname(target);
      if (!madeDirs.has(dir)) {
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
        madeDirs.add(dir);
      }
      // Same name, same content: renaming over an existing blob leaves it as it was.
      await fs.promises.rename(temp.path, target);
      await fsyncPath(dir);
    },
    async discard(temp) {
      const lo = typeof temp === 'string' ? undefined : pending.get(temp);
      if (lo && typeof temp !== 'string') {
        pending.delete(temp);
        await endStreaming(lo, 'abort');
      }
      const p = typeof temp === 'string' ? temp : temp.path;
      if (p) await fs.promises.rm(p, { force: true });
    },
  };
}

/**
 * The postgres store's commit: the blobs row and its large object in one transaction. The row is
 * inserted first (a concurrent commit of the same content waits on it), then locked: content already
 * inline or in a large object stays as it is; otherwise (a new row, a file row, or a row retention
 * emptied) the temporary file is streamed into a new large object, checked against the address it is
 * committed under, and the row names it, no longer removed.
 */
async function commitLargeObject(pool: Pool, file: string, temp: StoredTemp): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [temp.sha256, temp.size]);
    const r = await client.query<{ held: boolean }>('SELECT content IS NOT NULL OR lo_oid IS NOT NULL AS held FROM blobs WHERE sha256 = $1 FOR UPDATE', [temp.sha256]);
    if (r.rows[0]?.held) return;
    const written = await writeLargeObject(client, fs.createReadStream(file, { highWaterMark: LO_WRITE_CHUNK }));
    if (written.sha256 !== temp.sha256 || written.size !== temp.size) {
      throw new Error(`temporary file for blob ${temp.sha256} changed before its commit (read ${written.size} bytes, sha256 ${written.sha256})`);
    }
    // A row whose content retention removed (removed_at set, lo_oid NULL) is restored by the same bytes.
    await client.query('UPDATE blobs SET lo_oid = $2, removed_at = NULL WHERE sha256 = $1', [temp.sha256, written.oid]);
  });
  await fs.promises.rm(file, { force: true });
}

const ended = new WeakSet<StreamingLargeObject>();

async function endStreaming(lo: StreamingLargeObject, how: 'commit' | 'abort'): Promise<void> {
  if (ended.has(lo)) return;
  ended.add(lo);
  try {
    await (how === 'commit' ? lo.commit() : lo.abort());
  } finally {
    streaming--;
  }
}

/**
 * The postgres store's commit of a blob already written into a large object as it arrived: the blobs
 * row is inserted and locked on that large object's own connection, in its open transaction, and names
 * it (content already inline or in another large object stays, and this one is rolled back). The
 * temporary file is what the capsule's checks read: one whose size changed since is refused.
 */
async function commitStreamed(lo: StreamingLargeObject, file: string, temp: StoredTemp): Promise<void> {
  try {
    const st = await fs.promises.stat(file);
    if (st.size !== temp.size) throw new Error(`temporary file for blob ${temp.sha256} changed before its commit (${st.size} bytes, not ${temp.size})`);
    const { oid, size } = await lo.finish();
    if (size !== temp.size) throw new Error(`large object for blob ${temp.sha256} has ${size} bytes, not ${temp.size}`);
    await lo.client.query('INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [temp.sha256, temp.size]);
    const r = await lo.client.query<{ held: boolean }>('SELECT content IS NOT NULL OR lo_oid IS NOT NULL AS held FROM blobs WHERE sha256 = $1 FOR UPDATE', [temp.sha256]);
    if (r.rows[0]?.held) {
      await endStreaming(lo, 'abort');
    } else {
      // A row whose content retention removed (removed_at set, lo_oid NULL) is restored by the same bytes.
      await lo.client.query('UPDATE blobs SET lo_oid = $2, removed_at = NULL WHERE sha256 = $1', [temp.sha256, oid]);
      await endStreaming(lo, 'commit');
    }
  } catch (err) {
    await endStreaming(lo, 'abort').catch(() => undefined);
    throw err;
  }
  await fs.promises.rm(file, { force: true });
}
