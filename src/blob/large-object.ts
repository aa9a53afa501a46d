import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import pg from 'pg';
import { prepared, type Pool, type PoolClient } from '../db/pool';

/**
 * PostgreSQL large objects (`pg_largeobject`), written and read in chunks with the server's own SQL
 * functions (`lo_from_bytea`, `lo_put`, `lo_get`): a 200 MB capsule is never whole in memory, and no
 * descriptor has to be held open across statements. A large object is created in the caller's
 * transaction, so it exists exactly when that transaction commits (docs/receive.md, "Where blobs are
 * kept"). Measured in bench (`npm run bench -- receive`): 1 MiB chunks; writing while the blob arrives
 * (startLargeObject) rather than copying its temporary file at commit.
 */

/** Read in pieces of this size (each a statement): memory per reader stays at about twice this. */
export const LO_CHUNK = 1024 * 1024;
/** Written in pieces of this size (4 MiB measured slower than 1 MiB in bench, docs/receive.md). */
export const LO_WRITE_CHUNK = 1024 * 1024;

export interface WrittenLargeObject {
  oid: number;
  sha256: string;
  size: number;
}

/**
 * Writes `source` into a new large object in `client`'s open transaction, hashing as it goes. Chunks are
 * written as they come (a file stream read with `highWaterMark: LO_CHUNK` gives chunks of that size).
 */
export async function writeLargeObject(client: Pick<PoolClient, 'query'>, source: AsyncIterable<Buffer>): Promise<WrittenLargeObject> {
  const hash = createHash('sha256');
  let oid: number | undefined;
  let size = 0;
  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    hash.update(chunk);
    if (oid === undefined) {
      const r = await client.query<{ oid: number }>('SELECT lo_from_bytea(0, $1) AS oid', [chunk]);
      oid = Number(r.rows[0]!.oid);
    } else {
      await client.query('SELECT lo_put($1, $2, $3)', [oid, size, chunk]);
    }
    size += chunk.length;
  }
  if (oid === undefined) {
    const r = await client.query<{ oid: number }>("SELECT lo_from_bytea(0, ''::bytea) AS oid");
    oid = Number(r.rows[0]!.oid);
  }
  return { oid, sha256: hash.digest('hex'), size };
}

/**
 * A large object's bytes as a stream, `size` bytes in LO_CHUNK pieces, each its own statement on the
 * pool (no connection is held between chunks, so a reader that stops reading holds nothing). A large
 * object removed meanwhile ends the stream with PostgreSQL's error.
 */
export function readLargeObject(pool: Pool, oid: number, size: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < size; offset += LO_CHUNK) {
      // Text (hex) format: node-postgres decodes binary-format results as UTF-8 text, which breaks bytea.
      const r = await pool.query<{ b: Buffer }>(prepared('SELECT lo_get($1, $2, $3) AS b', [oid, offset, Math.min(LO_CHUNK, size - offset)]));
      const b = r.rows[0]?.b;
      if (!b || b.length === 0) throw new Error(`large object ${oid} ends at ${offset} of ${size} bytes`);
      yield b;
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}

/**
 * A large object written while its content is still arriving (BLOB_STORE=postgres, store.ts writeTemp):
 * on a connection of its own (not one of the pool's, so that uploads holding one can never starve the
 * requests that need the pool), in a transaction that stays open until `commit` names it in its blobs
 * row or `abort` rolls it back — a large object exists exactly when its row does. Content is gathered
 * into LO_WRITE_CHUNK pieces; one piece is being written while the next is gathered from the request,
 * so PostgreSQL writes while this process reads. One statement at a time on the connection: node-postgres
 * sends a queued query only after the one before it is answered anyway (and pg@9 refuses the queueing).
 */
export interface StreamingLargeObject {
  /** Adds content; resolves once the piece before is written (at most one piece unanswered). */
  write(chunk: Buffer): Promise<void>;
  /** Sends what is left and waits for every piece: the large object's oid and size. */
  finish(): Promise<{ oid: number; size: number }>;
  /** The connection, in the open transaction, for the blobs row; released by commit or abort. */
  readonly client: pg.Client;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function startLargeObject(pool: Pool): Promise<StreamingLargeObject> {
  const client = new pg.Client(pool.options);
  // A connection lost while nobody awaits it must not crash the process; the next statement fails.
  client.on('error', () => undefined);
  await client.connect();
  let ended = false;
  const end = async (sql: string): Promise<void> => {
    if (ended) return;
    ended = true;
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    // A writer left open by a caller that never commits or discards is ended by the server.
    await client.query("BEGIN; SET LOCAL idle_in_transaction_session_timeout = '10min'");
    const created = await client.query<{ oid: number }>("SELECT lo_from_bytea(0, ''::bytea) AS oid");
    const oid = Number(created.rows[0]!.oid);
    let size = 0;
    let held: Buffer[] = [];
    let heldBytes = 0;
    let writing: Promise<void> | undefined;
    let failed: unknown;
    const send = async (): Promise<void> => {
      if (heldBytes === 0) return;
      const piece = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
      const at = size;
      size += heldBytes;
      held = [];
      heldBytes = 0;
      await writing;
      if (failed) throw failed;
      writing = client.query('SELECT lo_put($1, $2, $3)', [oid, at, piece]).then(
        () => undefined,
        (err: unknown) => {
          failed ??= err;
        },
      );
    };
    return {
      client,
      async write(chunk) {
        if (failed) throw failed;
        if (chunk.length === 0) return;
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= LO_WRITE_CHUNK) await send();
      },
      async finish() {
        await send();
        await writing;
        if (failed) throw failed;
        return { oid, size };
      },
      commit: () => end('COMMIT'),
      abort: () => end('ROLLBACK').catch(() => undefined),
    };
  } catch (err) {
    await end('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
