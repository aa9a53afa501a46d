import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { readBlob } from '../../src/blob/read';
import { makeBlobStore } from '../../src/blob/store';
import { describeSpec, specPath } from '../conformance/spec';
import { createTestDatabase } from '../helpers/db';
import { freePort } from '../helpers/ports';
import { track } from '../helpers/resources';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { dhx } from '../cli/run';
import { outcome, post, swaBody } from './harness';

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');

async function startDaemon(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--role', 'http'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  track('daemon', child, (c) => c.exitCode !== null || c.signalCode !== null);
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('daemon did not become healthy');
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/**
 * `npm test` builds first (pretest), so the daemon runs as it does in production: `node dist/src/cli/index.js serve`,
 * here as `--role http` so that no intake worker moves the capsule on before it is looked at (test/intake covers those).
 */
describeSpec('a receipt survives the process being killed', () => {
  test.each([
    ['kept in the database', '1MiB'],
    ['a file in the blob store', '0'],
  ])('SIGKILL right after a receipt: after restart the capsule and its blob (%s) are there, unchanged', async (_kind, inline) => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
    const db = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-crash-'));
    const prefix = randomPrefix();
    const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, XROAD_MEMBER_CODE: '401', LOG_LEVEL: 'warn', DHX_QUEUE_PREFIX: prefix, DHX_INLINE_BLOB_BYTES: inline };
    const port = await freePort();
    let child = await startDaemon(env, port);
    try {
      const capsule = fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml'));
      const envelope = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const { body, contentType } = swaBody(envelope, capsule);
      const r = await post(`http://127.0.0.1:${port}`, body, contentType);
      await kill(child, 'SIGKILL');
      const receiptId = outcome(r.text).receiptId;
      expect(receiptId).toBeDefined();

      child = await startDaemon(env, port);
      const shown = await dhx(['show', receiptId!, '--json'], { DATABASE_URL: db.url });
      expect(shown.code).toBe(0);
      const doc = JSON.parse(shown.out) as { state: string; sha256: string; size: number };
      expect(doc.state).toBe('received');
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      try {
        const stored = await readBlob(pool, makeBlobStore(dataDir), doc.sha256);
        expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(capsule).digest('hex'));
      } finally {
        await pool.end();
      }
      // The same consignment again is a duplicate: the restarted adapter remembers it.
      expect(outcome((await post(`http://127.0.0.1:${port}`, body, contentType)).text).faultCode).toBe('DHX.Duplicate');
    } finally {
      await kill(child, 'SIGTERM');
      const redis = testRedis();
      await cleanupPrefix(redis, prefix);
      await redis.quit();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
