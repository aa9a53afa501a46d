import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { BlobRemovedError, readBlob } from '../../src/blob/read';
import { makeBlobStore, type FileBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { insertPolled } from '../../src/inbound/polled';
import { runIntake } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { intakeDepsOf } from '../intake/deps';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { dhx } from './run';

/**
 * Retention (`dhx cleanup`, RETENTION_DAYS): the raw capsule of a finished document past the retention
 * goes, its row and metadata stay; open cases, triage and failed documents are never touched.
 */

let db: TestDatabase;
let dataDir: string;
let store: FileBlobStore;
let deps: IntakeDeps;
let env: NodeJS.ProcessEnv;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-cleanup-'));
  store = makeBlobStore(dataDir);
  env = { DATABASE_URL: db.url, DATA_DIR: dataDir, RETENTION_DAYS: '30', LOG_LEVEL: 'silent', DHX_ACTOR: 'haldur' };
  deps = await intakeDepsOf(loadConfig(env), db.pool, store, log);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => db.pool.query<T>(sql, params).then((r) => r.rows);
const shaOf = async (id: string): Promise<string> => (await q<{ blob_sha256: string }>('SELECT blob_sha256 FROM inbound_capsules WHERE id = $1', [id]))[0]!.blob_sha256;
const age = (table: 'inbound_capsules' | 'outbound_documents', id: string, days: number): Promise<unknown> =>
  q(`UPDATE ${table} SET updated_at = now() - make_interval(days => $2)${table === 'outbound_documents' ? ', delivered_at = now() - make_interval(days => $2)' : ''} WHERE id = $1`, [id, days]);
const answer = (inboundId: string): Promise<unknown> => q('UPDATE cases SET answered_at = now() WHERE id = (SELECT case_id FROM inbound_capsules WHERE id = $1)', [inboundId]);
const removedAt = async (sha: string): Promise<Date | null> => (await q<{ removed_at: Date | null }>('SELECT removed_at FROM blobs WHERE sha256 = $1', [sha]))[0]!.removed_at;

/** A request taken through intake to `done` (its case opened, its receipt queued). */
async function done(title: string, kov = 0): Promise<string> {
  const id = await insertInbound(db.pool, await kovCapsule({ title, kov: KOVS[kov] }), KOVS[kov]!.code);
  expect(await runIntake(deps, id)).toBe('done');
  return id;
}

test('dry run, then the real pass: only what is finished, past RETENTION_DAYS and of no open case goes; the audit log counts it', async () => {
  // Finished, its case answered, 40 days ago: removed. Its capsule kept as a file, to see the file go.
  const old = await done('KLAT arvamuse taotlus');
  await answer(old);
  await age('inbound_capsules', old, 40);
  const oldSha = await shaOf(old);
  const bytes = await readBlob(db.pool, store, oldSha);
  fs.mkdirSync(path.dirname(store.pathOf(oldSha)), { recursive: true });
  fs.writeFileSync(store.pathOf(oldSha), bytes);
  await q('UPDATE blobs SET content = NULL WHERE sha256 = $1', [oldSha]);
  // Its receipt, delivered 40 days ago: removed.
  const receipt = (await q<{ id: string; blob_sha256: string }>(`SELECT id, blob_sha256 FROM outbound_documents WHERE inbound_id = $1`, [old]))[0]!;
  await q(`UPDATE outbound_documents SET state = 'sent' WHERE id = $1`, [receipt.id]);
  await age('outbound_documents', receipt.id, 40);
  // Finished 40 days ago but its case is still open: kept.
  const openCase = await done('KLAT arvamuse taotlus', 1);
  await age('inbound_capsules', openCase, 40);
  // Finished and answered, but only 5 days ago: kept.
  const recent = await done('KLAT arvamuse taotlus', 2);
  await answer(recent);
  await age('inbound_capsules', recent, 5);
  // Waiting in triage for 60 days: kept.
  const triage = await insertInbound(db.pool, await kovCapsule({ title: 'Dokument', kov: KOVS[1] }), KOVS[1]!.code);
  expect(await runIntake(deps, triage)).toBe('triage');
  await age('inbound_capsules', triage, 60);
  // Failed 60 days ago: kept.
  const failed = await insertInbound(db.pool, Buffer.from('<DecContainer xmlns="urn:wrong"/>'), KOVS[0]!.code);
  await runIntake(deps, failed).catch(() => undefined);
  await q(`UPDATE inbound_capsules SET state = 'failed' WHERE id = $1`, [failed]);
  await age('inbound_capsules', failed, 60);
  const receiptBytes = await readBlob(db.pool, store, receipt.blob_sha256);
  const kept = [openCase, recent, triage, failed];
  const keptShas = await Promise.all(kept.map(shaOf));
  const attachmentFiles = (await q<{ sha256: string }>('SELECT sha256 FROM attachments')).map((a) => a.sha256);

  const dry = await dhx(['cleanup', '--dry-run', '--json'], env);
  expect(dry.code).toBe(0);
  const plan = JSON.parse(dry.out) as { removed: number; dryRun: boolean; documents: Array<{ id: string; direction: string }> };
  expect(plan).toMatchObject({ removed: 2, dryRun: true, retentionDays: 30 });
  expect(plan.documents).toEqual(expect.arrayContaining([{ direction: 'inbound', id: old }, { direction: 'outbound', id: receipt.id }]));
  expect(plan.documents).toHaveLength(2);
  expect(await removedAt(oldSha)).toBeNull();
  expect(fs.existsSync(store.pathOf(oldSha))).toBe(true);
  expect(await q(`SELECT 1 FROM audit_log WHERE action = 'cleanup'`)).toEqual([]);

  const real = await dhx(['cleanup', '--json'], env);
  expect(real.code).toBe(0);
  expect(JSON.parse(real.out)).toMatchObject({ removed: 2, dryRun: false });
  // Gone: the file, the inline receipt; the rows and their metadata stay.
  expect(fs.existsSync(store.pathOf(oldSha))).toBe(false);
  expect(await removedAt(oldSha)).toBeInstanceOf(Date);
  expect(await removedAt(receipt.blob_sha256)).toBeInstanceOf(Date);
  expect((await q<{ content: Buffer | null }>('SELECT content FROM blobs WHERE sha256 = $1', [receipt.blob_sha256]))[0]!.content).toBeNull();
  expect(await q('SELECT state FROM inbound_capsules WHERE id = $1', [old])).toEqual([{ state: 'done' }]);
  expect(await q('SELECT count(*)::int AS n FROM inbound_documents WHERE capsule_id = $1', [old])).toEqual([{ n: 1 }]);
  // A reader is told why, instead of a crash or "missing".
  await expect(readBlob(db.pool, store, oldSha)).rejects.toThrow(BlobRemovedError);
  await expect(readBlob(db.pool, store, receipt.blob_sha256)).rejects.toThrow(/removed by retention/);
  // Untouched: the open case's, the recent, the triage and the failed capsules, and every extracted file.
  for (const sha of keptShas) {
    expect(await removedAt(sha)).toBeNull();
    expect((await readBlob(db.pool, store, sha)).length).toBeGreaterThan(0);
  }
  for (const sha of attachmentFiles) expect(await q('SELECT removed_at FROM blobs WHERE sha256 = $1 AND removed_at IS NOT NULL', [sha])).toEqual([]);

  const rows = JSON.parse((await dhx(['audit', 'list', '--json', '--actor', 'haldur'], env)).out) as Array<{ action: string; detail: { removed: number; documents: Array<{ id: string }> } }>;
  expect(rows).toEqual([expect.objectContaining({ action: 'cleanup', detail: expect.objectContaining({ removed: 2, documentCount: 2 }) })]);
  expect(rows[0]!.detail.documents.map((d) => d.id)).toEqual(expect.arrayContaining([old, receipt.id]));

  // The same bytes arriving again (a new document) bring the content back: the new row is whole.
  const again = await insertPolled(db.pool, {
    id: randomUUID(), transport: 'dvk', dhlId: 'dvk-77', client: 'ee-dev/GOV/70006317/dhl', sender: KOVS[0]!.code, recipient: '70001975',
    sha256: receipt.blob_sha256, size: receiptBytes.length, content: receiptBytes, detail: {},
  });
  expect(again.inserted).toBe(true);
  expect(await readBlob(db.pool, store, receipt.blob_sha256)).toEqual(receiptBytes);
  expect(await removedAt(receipt.blob_sha256)).toBeNull();

  // Once removed, never again: a second pass removes nothing (the restored blob is now a pending document's).
  expect(JSON.parse((await dhx(['cleanup', '--json'], env)).out)).toMatchObject({ removed: 0 });
  const text = await dhx(['cleanup', '--dry-run'], env);
  expect(text.out).toMatch(/dry run: would remove 0 raw capsule\(s\), 0 bytes \(RETENTION_DAYS 30\)/);
});

test('a blob shared with a document that is kept stays; RETENTION_DAYS=0 removes nothing', async () => {
  const capsule = await kovCapsule({ title: 'KLAT arvamuse taotlus', kov: KOVS[0] });
  const a = await insertInbound(db.pool, capsule, KOVS[0]!.code);
  expect(await runIntake(deps, a)).toBe('done');
  await answer(a);
  await age('inbound_capsules', a, 40);
  // The same bytes under a second row that is still pending.
  const b = await insertInbound(db.pool, capsule, KOVS[0]!.code);
  const sha = await shaOf(a);
  expect(await shaOf(b)).toBe(sha);
  const plan = JSON.parse((await dhx(['cleanup', '--dry-run', '--json'], env)).out) as { documents: Array<{ id: string }> };
  expect(plan.documents.map((d) => d.id)).not.toContain(a);
  expect(JSON.parse((await dhx(['cleanup', '--dry-run', '--json'], { ...env, RETENTION_DAYS: '0' })).out)).toMatchObject({ removed: 0, retentionDays: 0 });
  expect((await dhx(['cleanup'], { ...env, RETENTION_DAYS: '-1' })).code).toBe(1);
});
