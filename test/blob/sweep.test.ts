import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { makeBlobStore, type FileBlobStore } from '../../src/blob/store';
import { startTempSweep, sweepTemp } from '../../src/blob/sweep';
import { makeLogger } from '../../src/log/logger';

let dataDir: string;
let store: FileBlobStore;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-sweep-'));
  store = makeBlobStore(dataDir);
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** A temporary file as a writer killed before its commit leaves it, last touched `ageSeconds` ago. */
async function abandoned(ageSeconds: number): Promise<string> {
  const temp = await store.writeTemp(Readable.from([Buffer.from(`left behind ${ageSeconds}`)]), { inlineMax: 0 });
  const at = new Date(Date.now() - ageSeconds * 1000);
  fs.utimesSync(temp.path!, at, at);
  return temp.path!;
}

test('a temporary file untouched longer than the limit is removed; a recent one, a committed blob and a folder stay', async () => {
  const old = await abandoned(7200);
  const recent = await abandoned(60);
  const kept = await store.writeTemp(Readable.from([Buffer.from('committed')]), { inlineMax: 0 });
  await store.commit(kept);
  const committed = store.pathOf(kept.sha256);
  fs.mkdirSync(path.join(dataDir, 'tmp', 'folder'));
  expect(await sweepTemp(store, 3600)).toEqual({ removed: 1, bytes: 'left behind 7200'.length });
  expect(fs.existsSync(old)).toBe(false);
  expect(fs.existsSync(recent)).toBe(true);
  expect(fs.readFileSync(committed, 'utf8')).toBe('committed');
  expect(fs.existsSync(path.join(dataDir, 'tmp', 'folder'))).toBe(true);
});

test('no tmp folder: nothing to do', async () => {
  fs.rmSync(path.join(dataDir, 'tmp'), { recursive: true });
  expect(await sweepTemp(store, 3600)).toEqual({ removed: 0, bytes: 0 });
});

test('the worker’s sweep runs at start and logs what it removed', async () => {
  const old = await abandoned(7200);
  const lines: string[] = [];
  const log = makeLogger({ level: 'info', destination: new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }) });
  const sweep = startTempSweep({ store, maxAgeSeconds: 3600, log });
  for (let i = 0; i < 50 && fs.existsSync(old); i++) await new Promise((r) => setTimeout(r, 20));
  await sweep.stop();
  expect(fs.existsSync(old)).toBe(false);
  expect(lines.join('')).toContain('removed abandoned temporary files');
});
