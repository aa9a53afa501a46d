import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { BlobRemovedError, blobLocation, readBlob } from '../../src/blob/read';
import { removeBlob } from '../../src/blob/retention';
import { makeBlobStore, type BlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { insertPolled } from '../../src/inbound/polled';
import { runIntake } from '../../src/intake/pipeline';
import { makeLogger } from '../../src/log/logger';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { intakeDepsOf } from '../intake/deps';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';

/**
 * Retention on BLOB_STORE=postgres (docs/operations.md, "Retention"): `dhx cleanup` removes a raw capsule
 * kept as a large object by unlinking it (pg_largeobject shrinks) while its row stays, marked removed;
 * the document is still shown, reading it says "removed by retention", and the same bytes arriving again
 * become a new large object.
 */

let db: TestDatabase;
let dataDir: string;
let store: BlobStore;
let env: NodeJS.ProcessEnv;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-retention-pg-'));
  store = makeBlobStore(dataDir, { kind: 'postgres', pool: db.pool });
  env = { DATABASE_URL: db.url, DATA_DIR: dataDir, BLOB_STORE: 'postgres', RETENTION_DAYS: '30', LOG_LEVEL: 'silent', DHX_ACTOR: 'haldur' };
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => db.pool.query<T>(sql, params).then((r) => r.rows);
const largeObjects = async (): Promise<number> => (await q<{ n: number }>('SELECT count(*)::int AS n FROM pg_largeobject_metadata'))[0]!.n;
const row = async (sha: string): Promise<{ lo_oid: number | null; content: Buffer | null; removed_at: Date | null; size: string } | undefined> =>
  (await q<{ lo_oid: number | null; content: Buffer | null; removed_at: Date | null; size: string }>('SELECT lo_oid, content, removed_at, size FROM blobs WHERE sha256 = $1', [sha]))[0];

/** The store's own path for content above the inline size: a temporary file committed as a large object. */
async function asLargeObject(bytes: Buffer): Promise<string> {
  const temp = await store.writeTemp(Readable.from([bytes]), { inlineMax: 0 });
  expect(temp.path).toBeDefined();
  await store.commit(temp);
  return temp.sha256;
}

test('dhx cleanup unlinks the large object, keeps the row; dhx show still works; reading says removed; the same bytes restore it', async () => {
  const deps = await intakeDepsOf(loadConfig(env), db.pool, store, log);
  const capsule = await kovCapsule({ title: 'KLAT arvamuse taotlus', kov: KOVS[0] });
  const id = await insertInbound(db.pool, capsule, KOVS[0]!.code);
  expect(await runIntake(deps, id)).toBe('done');
  const sha = (await q<{ blob_sha256: string }>('SELECT blob_sha256 FROM inbound_capsules WHERE id = $1', [id]))[0]!.blob_sha256;
  // Kept as a large object, as a capsule above DHX_INLINE_BLOB_BYTES is on this store.
  await q('UPDATE blobs SET content = NULL WHERE sha256 = $1', [sha]);
  expect(await asLargeObject(capsule)).toBe(sha);
  expect(await blobLocation(db.pool, sha)).toBe('large-object');
  const oid = (await row(sha))!.lo_oid;
  expect(oid).not.toBeNull();
  await q('UPDATE cases SET answered_at = now() WHERE id = (SELECT case_id FROM inbound_capsules WHERE id = $1)', [id]);
  await q(`UPDATE inbound_capsules SET updated_at = now() - interval '40 days' WHERE id = $1`, [id]);
  const before = await largeObjects();

  const run = await dhx(['cleanup', '--json'], env);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.out)).toMatchObject({ removed: 1, documents: [{ direction: 'inbound', id }] });
  // The large object is gone from pg_largeobject; the row stays with its size and the time it went.
  expect(await largeObjects()).toBe(before - 1);
  expect(await q('SELECT 1 FROM pg_largeobject_metadata WHERE oid = $1', [oid])).toEqual([]);
  const removed = (await row(sha))!;
  expect(removed).toMatchObject({ lo_oid: null, content: null, size: String(capsule.length) });
  expect(removed.removed_at).toBeInstanceOf(Date);
  expect(await blobLocation(db.pool, sha)).toBe('removed');
  // The database itself refuses a removed row that still names a large object (migration 0019).
  await expect(q('UPDATE blobs SET lo_oid = $2 WHERE sha256 = $1', [sha, oid])).rejects.toThrow(/blobs_removed_has_no_large_object/);

  // The document and its metadata stay readable; its content says why it is not.
  const show = await dhx(['show', id, '--json'], env);
  expect(show.code).toBe(0);
  expect(show.out).toContain(id);
  expect(show.out).toContain('done');
  await expect(readBlob(db.pool, store, sha)).rejects.toBeInstanceOf(BlobRemovedError);
  await expect(readBlob(db.pool, store, sha)).rejects.toThrow(/removed by retention/);
  // Removing again is nothing to do, and counted as nothing.
  expect(await removeBlob(db.pool, store, sha)).toEqual({ removed: false, size: 0 });
  expect(JSON.parse((await dhx(['cleanup', '--json'], env)).out)).toMatchObject({ removed: 0 });

  // The same bytes arriving again (a DVK poll of the very same capsule, kept as a large object): a new
  // large object, the row no longer removed, the new document's content whole.
  expect(await asLargeObject(capsule)).toBe(sha);
  const again = await insertPolled(db.pool, {
    id: randomUUID(), transport: 'dvk', dhlId: 'dvk-91', client: 'ee-dev/GOV/70006317/dhl', sender: KOVS[0]!.code, recipient: '70001975',
    sha256: sha, size: capsule.length, content: null, detail: {},
  });
  expect(again.inserted).toBe(true);
  const restored = (await row(sha))!;
  expect(restored.removed_at).toBeNull();
  expect(restored.lo_oid).not.toBeNull();
  expect(await largeObjects()).toBe(before);
  expect(await readBlob(db.pool, store, sha)).toEqual(capsule);
});

test('removeBlob is one path for every kind of content, on both stores', async () => {
  const inlineSha = await asInline(Buffer.from('small and inline'));
  const before = await largeObjects();
  const loSha = await asLargeObject(Buffer.alloc(300_000, 7));
  expect(await largeObjects()).toBe(before + 1);
  const fsStore = makeBlobStore(dataDir, { kind: 'fs', pool: db.pool });
  const fileTemp = await fsStore.writeTemp(Readable.from([Buffer.alloc(200_000, 9)]), { inlineMax: 0 });
  await fsStore.commit(fileTemp);
  await q('INSERT INTO blobs (sha256, size) VALUES ($1, $2)', [fileTemp.sha256, fileTemp.size]);
  const file = path.join(dataDir, 'blobs', fileTemp.sha256.slice(0, 2), fileTemp.sha256.slice(2, 4), fileTemp.sha256);
  expect(fs.existsSync(file)).toBe(true);

  expect(await removeBlob(db.pool, store, inlineSha)).toMatchObject({ removed: true, where: 'inline' });
  expect(await removeBlob(db.pool, store, loSha)).toMatchObject({ removed: true, where: 'large-object', size: 300_000 });
  expect(await largeObjects()).toBe(before);
  expect(await removeBlob(db.pool, fsStore, fileTemp.sha256)).toMatchObject({ removed: true, where: 'file' });
  expect(fs.existsSync(file)).toBe(false);
  for (const s of [inlineSha, loSha, fileTemp.sha256]) {
    expect(await blobLocation(db.pool, s)).toBe('removed');
    await expect(readBlob(db.pool, store, s)).rejects.toBeInstanceOf(BlobRemovedError);
  }
  // Not a sha256 (a traversal name from a careless caller): refused before any query or file operation.
  await expect(removeBlob(db.pool, fsStore, '../../etc/passwd')).rejects.toThrow(/not a sha256/);
  expect(await removeBlob(db.pool, store, 'a'.repeat(64))).toEqual({ removed: false, size: 0 });
});

async function asInline(bytes: Buffer): Promise<string> {
  const temp = await store.writeTemp(Readable.from([bytes]), { inlineMax: 1024 });
  expect(temp.path).toBeUndefined();
  await q('INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3)', [temp.sha256, temp.size, temp.bytes]);
  return temp.sha256;
}
