import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { makeApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';
import { outcome, post, sendDocumentEnvelope, swaBody } from '../dhx/harness';
import { SKA_CODE } from './kov';

/** A running adapter with role `all` (HTTP + intake workers) on its own database, blob folder and queue prefix. */
export interface IntakeHarness {
  app: App;
  db: TestDatabase;
  url: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  prefix: string;
  send(kovCode: string, capsule: Buffer, consignmentId?: string): Promise<{ receiptId?: string; faultCode?: string }>;
  waitFor(id: string, states?: string[], timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** The same with HTTP only: the intake workers run elsewhere (crash tests spawn them as processes). */
export function startIntakeAdapterHttpOnly(env: NodeJS.ProcessEnv = {}): Promise<IntakeHarness> {
  return startIntakeAdapter(env, 'http');
}

export async function startIntakeAdapter(env: NodeJS.ProcessEnv = {}, role: 'http' | 'all' = 'all'): Promise<IntakeHarness> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-intake-'));
  const prefix = randomPrefix();
  const fullEnv = { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DHX_QUEUE_PREFIX: prefix, INTAKE_BACKOFF_MS: '200', ...env };
  const config = loadConfig(fullEnv);
  const log = makeLogger({ level: config.logLevel, destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const app = await makeApp({ config, log, queuePrefix: prefix, role });
  const port = await app.start(0, '127.0.0.1');
  let stopped = false;
  track('adapter', app, () => stopped);
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    db,
    url,
    config,
    env: fullEnv,
    dataDir,
    prefix,
    async send(kovCode, capsule, consignmentId = randomUUID()) {
      const envelope = sendDocumentEnvelope({ client: kovCode, service: SKA_CODE, consignmentId });
      const { body, contentType } = swaBody(envelope, capsule);
      const r = await post(url, body, contentType);
      return outcome(r.text);
    },
    async waitFor(id, states = ['done', 'triage', 'failed', 'parked'], timeoutMs = 20000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await db.pool.query<{ state: string }>('SELECT state FROM inbound_capsules WHERE id = $1', [id]);
        const state = r.rows[0]?.state;
        if (state && states.includes(state)) return state;
        if (Date.now() > until) throw new Error(`capsule ${id} is ${state ?? 'missing'}, not ${states.join('|')} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async close() {
      await app.stop();
      stopped = true;
      const r = testRedis();
      await cleanupPrefix(r, prefix);
      await r.quit();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
