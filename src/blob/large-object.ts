import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { prepared, type Pool, type PoolClient } from '../db/pool';

/**
 * PostgreSQL large objects (`pg_largeobject`), written and read in chunks with the server's own SQL
 * functions (`lo_from_bytea`, `lo_put`, `lo_get`): a 200 MB capsule is never whole in memory, and no
 * descriptor has to be held open across statements. A large object is created in the caller's
 * transaction, so it exists exactly when that transaction commits (docs/receive.md, "Where the capsule
 * is kept"). Measured in bench (`npm run bench -- capsule receive`): 1 MiB chunks.
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
