import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Worker } from 'bullmq';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { markConnectionLevel } from '../../src/db/failure';
import type { Pool } from '../../src/db/pool';
import { makeIntakeWorker } from '../../src/intake/worker';
import { enqueue, intakeJobId, makeQueue, QueueName } from '../../src/jobs/queues';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { intakeDepsOf } from './deps';
import { KOVS, kovCapsule } from './kov';
import { insertInbound } from './seed';

let db: TestDatabase;
let dataDir: string;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-worker-'));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the worker retries a transient failure after its backoff (BullMQ retries the same job) and the capsule completes', async () => {
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, INTAKE_BACKOFF_MS: '300', INTAKE_ATTEMPTS: '3' });
  let failures = 1; // the first query of the attempt fails; recording the failure works
  const flaky = new Proxy(db.pool, {
    get(target, prop, recv) {
      if (prop === 'query' && failures > 0) {
        return () => {
          failures--;
          // node-postgres' lost connection: a plain Error without a code, known by where it arises (the pool marks it).
          return Promise.reject(markConnectionLevel(new Error('Connection terminated unexpectedly')));
        };
      }
      return Reflect.get(target, prop, recv) as unknown;
    },
  }) as Pool;
  const deps = await intakeDepsOf(config, flaky, makeBlobStore(dataDir), log);
  const prefix = randomPrefix();
  const connection = testRedis();
  const queue = makeQueue(QueueName.intake, connection, prefix);
  let worker: Worker | undefined;
  try {
    const id = await insertInbound(db.pool, await kovCapsule({ title: 'Mentorluse taotlus' }), KOVS[0]!.code);
    worker = makeIntakeWorker({ deps, connection, prefix, log });
    const started = Date.now();
    await enqueue(queue, [{ data: { id }, jobId: intakeJobId(id) }]);
    for (;;) {
      const r = await db.pool.query<{ state: string; attempts: number }>('SELECT state, attempts FROM inbound_capsules WHERE id = $1', [id]);
      if (r.rows[0]!.state === 'done') {
        expect(r.rows[0]!.attempts).toBe(1);
        break;
      }
      if (Date.now() - started > 10_000) throw new Error(`still ${r.rows[0]!.state}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // waited for the backoff
    // One job, retried by BullMQ: the job of the capsule's id ran twice and completed.
    const job = (await queue.getJob(id))!;
    for (const until = Date.now() + 5_000; (await job.getState()) !== 'completed' && Date.now() < until; ) await new Promise((res) => setTimeout(res, 50));
    const done = (await queue.getJob(id))!;
    expect(done.attemptsMade).toBe(2);
    expect(done.returnvalue).toBe('finished');
    expect(await queue.count()).toBe(0);
    const hist = await db.pool.query<{ state: string }>('SELECT state FROM inbound_state_history WHERE capsule_id = $1 ORDER BY id', [id]);
    expect(hist.rows.map((x) => x.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
  } finally {
    await worker?.close();
    await queue.close();
    await cleanupPrefix(connection, prefix);
    await connection.quit();
  }
});
