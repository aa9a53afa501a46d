import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { makeBlobStore, type BlobStore } from '../../src/blob/store';
import { loadCapsuleSchema, type CapsuleSchema } from '../../src/capsule/schema';
import { loadConfig, type Config } from '../../src/config';
import { makeDvkCounters } from '../../src/dvk/metrics';
import { pollDvk, type DvkPollDeps, type PollReport } from '../../src/dvk/poller';
import { makeLogger } from '../../src/log/logger';
import { startFakeDvk, type FakeDvk } from '../../src/sim/dvk';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { track } from '../helpers/resources';

const ROOT = path.resolve(__dirname, '../..');
export const capsuleFixture = (name: string): string => fs.readFileSync(path.join(ROOT, 'fixtures/capsules', name), 'utf8');
export const VALID = ['valid/counselling-request.xml', 'valid/klat-opinion-request.xml', 'valid/mentoring-request.xml', 'valid/prefixed-namespace.xml'];

export interface DvkRig {
  db: TestDatabase;
  dvk: FakeDvk;
  store: BlobStore;
  schema: CapsuleSchema;
  config: Config;
  dataDir: string;
  registry: Registry;
  logLines: string[];
  /** Ids handed to the intake queue, in order. */
  enqueued: string[];
  poll(extra?: Partial<DvkPollDeps>): Promise<PollReport>;
  rows(): Promise<Array<{ id: string; dhl_id: string; transport: string; state: string; failure_code: string | null }>>;
  close(): Promise<void>;
}

export async function startRig(env: NodeJS.ProcessEnv = {}): Promise<DvkRig> {
  const db = await createTestDatabase();
  let closed = false;
  const dvk = track('fake dvk', await startFakeDvk(), () => closed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-dvk-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, DVK_URL: dvk.url, DVK_TIMEOUT_SECONDS: '1', ...env });
  const store = makeBlobStore(dataDir);
  const schema = await loadCapsuleSchema();
  const registry = new Registry();
  const counters = makeDvkCounters(registry);
  const logLines: string[] = [];
  const log = makeLogger({ level: 'debug', destination: new Writable({ write: (c: Buffer, _e, cb) => (logLines.push(c.toString()), cb()) }) });
  const enqueued: string[] = [];
  return {
    db,
    dvk,
    store,
    schema,
    config,
    dataDir,
    registry,
    logLines,
    enqueued,
    poll: (extra = {}) =>
      pollDvk({
        pool: db.pool,
        store,
        schema,
        config,
        limits: config.capsule,
        log,
        counters,
        enqueue: async (ids) => void enqueued.push(...ids),
        ...extra,
      }),
    rows: async () =>
      (await db.pool.query('SELECT id, dhl_id, transport, state, failure_code FROM inbound_capsules ORDER BY dhl_id')).rows,
    async close() {
      closed = true;
      await dvk.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The value of a counter sample in the registry's text (`name{labels} value`). */
export async function metricValue(registry: Registry, name: string, labels: string): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}
