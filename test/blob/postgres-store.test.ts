import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobMissingError, BlobNotHereError, BlobRemovedError, blobLocation, openBlob, readBlob } from '../../src/blob/read';
import { removeBlob } from '../../src/blob/retention';
import { makeBlobStore, type FileBlobStore } from '../../src/blob/store';
import { sweepTemp } from '../../src/blob/sweep';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { dhx } from '../cli/run';

let db: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function node(kind: 'fs' | 'postgres'): FileBlobStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dhx-blob-${kind}-`));
  dirs.push(dir);
  return makeBlobStore(dir, { kind, pool: db.pool });
}

/** A blob as the receive path makes one: a temporary file, committed, then its row (ON CONFLICT DO NOTHING, as the owners do). */
async function store(s: FileBlobStore, bytes: Buffer): Promise<string> {
  const temp = await s.writeTemp(Readable.from([bytes]), { inlineMax: 1024 });
  await s.commit(temp);
  await db.pool.query('INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [temp.sha256, temp.size, temp.path ? null : (temp.bytes ?? null)]);
  return temp.sha256;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const largeObjects = async (): Promise<number> => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_largeobject_metadata')).rows[0]!.n;

async function drain(r: Readable): Promise<{ sha256: string; size: number; biggest: number }> {
  const h = createHash('sha256');
  let size = 0;
  let biggest = 0;
  for await (const c of r) {
    h.update(c as Buffer);
    size += (c as Buffer).length;
    biggest = Math.max(biggest, (c as Buffer).length);
  }
  return { sha256: h.digest('hex'), size, biggest };
}

test('postgres: a 5 MB blob is a large object committed with its row, read by another node in chunks, its temporary file gone', async () => {
  const a = node('postgres');
  const b = node('postgres');
  const bytes = randomBytes(5 * 1024 * 1024 + 17);
  const before = await largeObjects();
  const temp = await a.writeTemp(Readable.from([bytes]), { inlineMax: 1024 });
  expect(temp.path).toBeDefined();
  await a.commit(temp);
  expect(fs.existsSync(temp.path!)).toBe(false);
  expect(fs.existsSync(a.pathOf(temp.sha256))).toBe(false);
  expect(await blobLocation(db.pool, temp.sha256)).toBe('large-object');
  expect(await largeObjects()).toBe(before + 1);
  const read = await drain(await openBlob(db.pool, b, temp.sha256));
  expect(read).toMatchObject({ sha256: sha(bytes), size: bytes.length });
  expect(read.biggest).toBeLessThanOrEqual(1024 * 1024);
  // A node on BLOB_STORE=fs reads it too (the row says where it is).
  expect(sha(await readBlob(db.pool, node('fs'), temp.sha256))).toBe(sha(bytes));
});

test('postgres: the same content committed twice, or concurrently, is one row and one large object', async () => {
  const a = node('postgres');
  const bytes = randomBytes(300_000);
  const before = await largeObjects();
  await Promise.all([store(a, bytes), store(a, bytes), store(node('postgres'), bytes)]);
  await store(a, bytes);
  expect(await largeObjects()).toBe(before + 1);
  expect(await readBlob(db.pool, a, sha(bytes))).toEqual(bytes);
});

test('postgres: small content stays inline in its row (no large object); an empty blob reads as empty', async () => {
  const a = node('postgres');
  const before = await largeObjects();
  const small = randomBytes(500);
  const s = await store(a, small);
  expect(await blobLocation(db.pool, s)).toBe('inline');
  expect(await largeObjects()).toBe(before);
  expect(await readBlob(db.pool, a, s)).toEqual(small);
  const empty = await store(a, Buffer.alloc(0));
  expect(await readBlob(db.pool, a, empty)).toEqual(Buffer.alloc(0));
});

test('deleting a blob row unlinks its large object (no orphans in pg_largeobject_metadata); removeBlob works on both stores', async () => {
  const p = node('postgres');
  const before = await largeObjects();
  const one = await store(p, randomBytes(200_000));
  const two = await store(p, randomBytes(200_000));
  expect(await largeObjects()).toBe(before + 2);
  await db.pool.query('DELETE FROM blobs WHERE sha256 = $1', [one]);
  expect(await largeObjects()).toBe(before + 1);
  // Removal (retention's one path) unlinks the large object and keeps the row, marked removed.
  expect(await removeBlob(db.pool, p, two)).toMatchObject({ removed: true, where: 'large-object' });
  expect(await largeObjects()).toBe(before);
  expect(await removeBlob(db.pool, p, two)).toMatchObject({ removed: false });
  expect(await blobLocation(db.pool, two)).toBe('removed');
  await expect(openBlob(db.pool, p, two)).rejects.toBeInstanceOf(BlobRemovedError);

  const f = node('fs');
  const file = await store(f, randomBytes(200_000));
  expect(fs.existsSync(f.pathOf(file))).toBe(true);
  expect(await removeBlob(db.pool, f, file)).toMatchObject({ removed: true, where: 'file' });
  expect(fs.existsSync(f.pathOf(file))).toBe(false);
  expect(await blobLocation(db.pool, file)).toBe('removed');
  // A blob with no row at all is still "missing", not "removed".
  await expect(openBlob(db.pool, p, 'b'.repeat(64))).rejects.toBeInstanceOf(BlobMissingError);
});

test('written while it arrives: a discarded blob leaves no large object, more than four at once fall back to the copy at commit, no connection is left open', async () => {
  const p = node('postgres');
  const before = await largeObjects();
  // Connections holding a large object being written: open transactions on this database.
  const writers = async (): Promise<number> =>
    (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")).rows[0]!.n;
  const contents = Array.from({ length: 6 }, () => randomBytes(1_500_000));
  // Six temporary blobs held at once (as a capsule's extracted files are until intake commits them).
  const temps = [];
  for (const c of contents) temps.push(await p.writeTemp(Readable.from([c.subarray(0, 700_000), c.subarray(700_000)]), { inlineMax: 1024 }));
  // Four are written as they arrive, each in its own open transaction; the other two wait as files.
  expect(await writers()).toBe(4);
  // Uncommitted large objects are nobody else's to see.
  expect(await largeObjects()).toBe(before);
  await p.discard(temps[0]!);
  for (const t of temps.slice(1)) {
    await p.commit(t);
    await db.pool.query('INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [t.sha256, t.size]);
  }
  expect(await largeObjects()).toBe(before + 5);
  expect(await blobLocation(db.pool, temps[0]!.sha256)).toBeUndefined();
  for (const [i, t] of temps.entries()) {
    if (i === 0) continue;
    expect(await blobLocation(db.pool, t.sha256)).toBe('large-object');
    expect(await readBlob(db.pool, p, t.sha256)).toEqual(contents[i]);
    expect(fs.existsSync(t.path!)).toBe(false);
  }
  // The same bytes committed again while already held: the new large object is rolled back.
  const again = await p.writeTemp(Readable.from([contents[1]!]), { inlineMax: 1024 });
  await p.commit(again);
  expect(await largeObjects()).toBe(before + 5);
  expect(await writers()).toBe(0);
});

test('a commit that fails rolls its large object back with it', async () => {
  const p = node('postgres');
  const before = await largeObjects();
  const temp = await p.writeTemp(Readable.from([randomBytes(100_000)]), { inlineMax: 0 });
  // The temporary file changed under the store (a careless or hostile writer in tmp/): refused, nothing kept.
  fs.appendFileSync(temp.path!, 'x');
  await expect(p.commit(temp)).rejects.toThrow(/changed before its commit/);
  expect(await largeObjects()).toBe(before);
  expect(await blobLocation(db.pool, temp.sha256)).toBeUndefined();
});

test('fs with separate DATA_DIRs: another node reading a file blob fails naming BLOB_STORE, at once', async () => {
  const a = node('fs');
  const s = await store(a, randomBytes(100_000));
  expect(await blobLocation(db.pool, s)).toBe('file');
  for (const other of [node('fs'), node('postgres')]) {
    const err = await openBlob(db.pool, other, s).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlobNotHereError);
    expect((err as Error).message).toMatch(/not in this node's DATA_DIR.*BLOB_STORE=postgres/);
  }
  // The node that has the file reads it.
  expect((await readBlob(db.pool, a, s)).length).toBe(100_000);
});

test('the temporary-file sweep works on the postgres store (its tmp/ is local)', async () => {
  const p = node('postgres');
  const temp = await p.writeTemp(Readable.from([Buffer.from('left behind')]), { inlineMax: 0 });
  const at = new Date(Date.now() - 7200_000);
  fs.utimesSync(temp.path!, at, at);
  expect(await sweepTemp(p, 3600)).toEqual({ removed: 1, bytes: 'left behind'.length });
});

describe('dhx blobs migrate --to postgres', () => {
  test('dry run changes nothing; a run moves every file verified, removes the files, and a re-run continues; a corrupt file is left and exits 1', async () => {
    const f = node('fs');
    const contents = [randomBytes(150_000), randomBytes(2 * 1024 * 1024 + 3), randomBytes(70_000)];
    const shas: string[] = [];
    for (const c of contents) shas.push(await store(f, c));
    const env = { DATABASE_URL: db.url, DATA_DIR: path.dirname(f.tmpDir) };

    const dry = await dhx(['blobs', 'migrate', '--to', 'postgres', '--dry-run', '--json'], env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, moved: 3, mismatched: [] });
    for (const s of shas) expect(await blobLocation(db.pool, s)).toBe('file');

    // One file no longer matches its address: the others move, it stays a file, and the run says so.
    const corrupt = shas[2]!;
    fs.appendFileSync(f.pathOf(corrupt), 'tampered');
    const run = await dhx(['blobs', 'migrate', '--to', 'postgres', '--json'], env);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as { moved: number; mismatched: string[] };
    expect(report.moved).toBe(2);
    expect(report.mismatched).toEqual([corrupt]);
    expect(run.err).toMatch(/moved/);
    for (const [i, s] of shas.entries()) {
      if (s === corrupt) continue;
      expect(await blobLocation(db.pool, s)).toBe('large-object');
      expect(fs.existsSync(f.pathOf(s))).toBe(false);
      expect(await readBlob(db.pool, node('postgres'), s)).toEqual(contents[i]);
    }
    expect(await blobLocation(db.pool, corrupt)).toBe('file');
    expect(fs.existsSync(f.pathOf(corrupt))).toBe(true);

    // Mended, a re-run moves only what is left.
    fs.writeFileSync(f.pathOf(corrupt), contents[2]!);
    const again = await dhx(['blobs', 'migrate', '--to', 'postgres', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ moved: 1, mismatched: [] });
    expect(await blobLocation(db.pool, corrupt)).toBe('large-object');
  });

  test('a file blob of another node is reported as not here; bad usage exits 2', async () => {
    const f = node('fs');
    const s = await store(f, randomBytes(90_000));
    const other = node('fs');
    const r = await dhx(['blobs', 'migrate', '--to', 'postgres', '--json'], { DATABASE_URL: db.url, DATA_DIR: path.dirname(other.tmpDir) });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { notHere: string[] }).notHere).toContain(s);
    // A row whose content retention removed is no file to move: neither counted nor reported.
    const gone = 'c'.repeat(64);
    await db.pool.query('INSERT INTO blobs (sha256, size, removed_at) VALUES ($1, 10, now())', [gone]);
    const after = JSON.parse((await dhx(['blobs', 'migrate', '--to', 'postgres', '--json'], { DATABASE_URL: db.url, DATA_DIR: path.dirname(other.tmpDir) })).out) as { files: number; notHere: string[] };
    expect(after.notHere).not.toContain(gone);
    expect(after.notHere).toContain(s);
    expect(after.files).toBe(after.notHere.length);
    expect(await blobLocation(db.pool, s)).toBe('file');
    expect((await dhx(['blobs', 'migrate', '--to', 'nowhere'], { DATABASE_URL: db.url })).code).toBe(2);
    expect((await dhx(['blobs', 'migrate'], { DATABASE_URL: db.url })).code).toBe(2);
  });
});
