import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeBlobStore } from '../../src/blob/store';
import { makeLogger } from '../../src/log/logger';
import { startRetention } from '../../src/operator/retention';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/** The daily retention pass of the worker role runs on the periodic scheduler and records each pass. */

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-retention-'));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a scheduled pass writes its audit row as system:retention; with RETENTION_DAYS 0 nothing runs', async () => {
  const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const store = makeBlobStore(dataDir);
  const off = startRetention({ pool: db.pool, store, retentionDays: 0, log, schedule: '* * * * * *' });
  const on = startRetention({ pool: db.pool, store, retentionDays: 30, log, schedule: '* * * * * *' });
  try {
    const until = Date.now() + 10_000;
    let rows: Array<{ actor: string; detail: { removed: number; retentionDays: number } }> = [];
    while (!rows.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      rows = (await db.pool.query(`SELECT actor, detail FROM audit_log WHERE action = 'cleanup'`)).rows;
    }
    expect(rows[0]).toEqual({ actor: 'system:retention', detail: expect.objectContaining({ removed: 0, retentionDays: 30 }) });
    expect(rows.every((r) => r.detail.retentionDays === 30)).toBe(true);
  } finally {
    await off.stop();
    await on.stop();
  }
});
