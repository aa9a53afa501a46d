import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeBlobStore } from '../../src/blob/store';
import { buildCapsule } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { loadConfig } from '../../src/config';
import { runIntake } from '../../src/intake/pipeline';
import { makeLogger } from '../../src/log/logger';
import { incompressible } from '../../bench/content';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { intakeDepsOf } from './deps';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-large-'));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a 40 MB capsule stored as a file goes through intake streamed: its file lands in the blob store whole, nothing left in tmp/', async () => {
  const SIZE = 30 * 1024 * 1024;
  const store = makeBlobStore(dataDir);
  const fileHash = createHash('sha256');
  for await (const c of incompressible(SIZE)()) fileHash.update(c as Buffer);
  const draft = makeDraft({
    sender: { code: '75006546', name: 'Tartu Linnavalitsus' },
    recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Taotlus',
    title: 'Nõustamise taotlus, suur lisa',
    originalIdentifier: '7-1/large',
    files: [{ name: 'video.bin', mimeType: 'application/octet-stream', content: incompressible(SIZE) }],
  });
  const temp = await store.writeTemp(buildCapsule(draft));
  await store.commit(temp);
  expect(temp.size).toBeGreaterThan(SIZE);
  const id = randomUUID();
  await db.pool.query('INSERT INTO blobs (sha256, size) VALUES ($1, $2)', [temp.sha256, temp.size]);
  await db.pool.query(
    `INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, blob_sha256, size)
     VALUES ($1, $2, $2, 'ee-dev/GOV/75006546/DHX', '75006546', '70001975', $3, $4)`,
    [id, `large-${id}`, temp.sha256, temp.size],
  );
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  const deps = await intakeDepsOf(config, db.pool, store, makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }));
  expect(await runIntake(deps, id)).toBe('done');
  const a = (await db.pool.query<{ size: string; sha256: string; sniffed_mime_type: string }>('SELECT size, sha256, sniffed_mime_type FROM attachments WHERE capsule_id = $1', [id])).rows;
  expect(a).toHaveLength(1);
  expect(Number(a[0]!.size)).toBe(SIZE);
  expect(a[0]!.sha256).toBe(fileHash.digest('hex'));
  const stored = store.pathOf(a[0]!.sha256);
  expect(fs.statSync(stored).size).toBe(SIZE);
  expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
}, 60_000);
