import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { makeBlobStore, type BlobStore, type FileBlobStore } from '../../src/blob/store';
import { loadConfig, type Config } from '../../src/config';
import type { Pool } from '../../src/db/pool';
import { withTransaction } from '../../src/db/tx';
import { enqueueSend, makeSendQueue, type SendQueue } from '../../src/outbound/queue';
import { insertOutbound } from '../../src/outbound/repo';
import { startOutboundRuntime, type OutboundRuntime } from '../../src/outbound/runtime';
import type { XRoadSim } from '../../src/sim/server';
import { refreshAddressBook } from '../../src/addressbook/addressbook';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';
import { capsuleFor, SKA, startSim } from '../sim/helpers';

/**
 * Sending through the X-Road simulator: a test database, a blob folder, the simulator with fake KOVs, an
 * intermediary and a KOV on DHX.delta, the address book refreshed from it, and the send worker + scheduler
 * (startOutboundRuntime, as `dhx serve --role worker` runs them) on a random queue prefix.
 */

export const KOV = '75000001';
export const KOV_SUB = '75000003';
export const VAHENDAJA = '10000001';
export const ESINDATAV = '75000011';
export const UNKNOWN = '75999999';

export interface SendHarness {
  db: TestDatabase;
  sim: XRoadSim;
  store: FileBlobStore;
  dataDir: string;
  config: Config;
  log: Logger;
  prefix: string;
  queue: SendQueue;
  runtime?: OutboundRuntime;
  /** Starts the worker and scheduler (again), with a fresh queue prefix when `freshPrefix`. */
  startRuntime(o?: { freshPrefix?: boolean }): Promise<void>;
  stopRuntime(): Promise<void>;
  /** A capsule to `recipient`, stored and queued (job added) as an outgoing document; returns its id. */
  queueDocument(recipient: string, o?: { system?: string; enqueue?: boolean }): Promise<string>;
  waitFor(id: string, states: string[], timeoutMs?: number): Promise<OutboundView>;
  row(id: string): Promise<OutboundView>;
  history(id: string): Promise<Array<{ state: string; detail: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export interface OutboundView {
  state: string;
  attempts: number;
  consignment_id: string;
  receipt_id: string | null;
  fault_code: string | null;
  failure_code: string | null;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  route: string | null;
}

export async function startSendHarness(env: NodeJS.ProcessEnv = {}): Promise<SendHarness> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-outbound-'));
  const store = makeBlobStore(dataDir);
  const sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus' });
  sim.addKov({ memberCode: KOV_SUB, name: 'Proovi Vallavalitsus', subsystems: ['DHX.delta'] });
  sim.addIntermediary({
    memberCode: VAHENDAJA,
    memberClass: 'COM',
    name: 'Vahendaja OÜ',
    representees: [{ memberCode: ESINDATAV, name: 'Näidiskooli Lasteaed', system: 'lasteaed', startDate: new Date('2025-01-01T00:00:00Z') }],
  });
  const connection = testRedis();
  let prefix = randomPrefix();
  const prefixes = [prefix];
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    XROAD_SECURITY_SERVER: sim.url,
    DHX_SEND_RETRY_SCHEDULE: '1,1',
    DHX_SEND_TIMEOUT: '5',
    OUTBOUND_SCAN_CRON: '* * * * * *',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const log = pino({ level: 'silent' });
  await refreshAddressBook(db.pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: sim.url, client: SKA, timeoutMs: 5000 } });
  let queue = makeSendQueue(connection, prefix);
  const h: SendHarness = {
    db,
    sim,
    store,
    dataDir,
    config,
    log,
    get prefix() {
      return prefix;
    },
    get queue() {
      return queue;
    },
    async startRuntime(o = {}) {
      if (o.freshPrefix) {
        await queue.close();
        prefix = randomPrefix();
        prefixes.push(prefix);
        queue = makeSendQueue(connection, prefix);
      }
      let stopped = false;
      const runtime = await startOutboundRuntime({ config, log, pool: db.pool, store, queue, prefix });
      track('send runtime', runtime, () => stopped);
      h.runtime = {
        deps: runtime.deps,
        async stop() {
          await runtime.stop();
          stopped = true;
        },
      };
    },
    async stopRuntime() {
      await h.runtime?.stop();
      delete h.runtime;
    },
    async queueDocument(recipient, o = {}) {
      const id = await insertTestDocument(db.pool, store, recipient, o.system);
      if (o.enqueue !== false) await enqueueSend(queue, id);
      return id;
    },
    async row(id) {
      const r = await db.pool.query<OutboundView>(
        `SELECT state, attempts, consignment_id, receipt_id, fault_code, failure_code, next_attempt_at, last_attempt_at, route
           FROM outbound_documents WHERE id = $1`,
        [id],
      );
      return r.rows[0]!;
    },
    async history(id) {
      const r = await db.pool.query<{ state: string; detail: Record<string, unknown> }>(
        'SELECT state, detail FROM outbound_state_history WHERE document_id = $1 ORDER BY id',
        [id],
      );
      return r.rows;
    },
    async waitFor(id, states, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const row = await h.row(id);
        if (row && states.includes(row.state)) return row;
        if (Date.now() > until) throw new Error(`outbound ${id} is ${row?.state ?? 'missing'}, not ${states.join('|')} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    async close() {
      await h.stopRuntime();
      await queue.close();
      for (const p of prefixes) await cleanupPrefix(connection, p);
      await connection.quit();
      await sim.stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** How many times the fake KOV `code` holds consignment `consignmentId`. */
/** An SKA opinion-like document for `recipient` stored and recorded as `queued` (not put on a queue). */
export async function insertTestDocument(pool: Pool, store: BlobStore, recipient: string, system?: string): Promise<string> {
  const capsule = await capsuleFor({ sender: SKA.memberCode, recipient });
  const temp = await store.writeTemp(Readable.from([capsule]));
  await store.commit(temp);
  const { id } = await withTransaction(pool, (client) =>
    insertOutbound(client, {
      kind: 'other',
      recipientCode: recipient,
      recipientName: 'Näidisvalla Vallavalitsus',
      ...(system ? { recipientSystem: system } : {}),
      recordGuid: 'b1f5a3a4-0d55-4b84-9a2e-6f1f1c1c0001',
      recordOriginalIdentifier: '7.2-1/26-101',
      title: 'Arvamus kinnise lasteasutuse teenuse kohta',
      blob: temp,
    }),
  );
  return id;
}

export function heldBy(sim: XRoadSim, code: string, consignmentId: string): number {
  return sim.kov(code)!.accepted.filter((d) => d.consignmentId === consignmentId).length;
}
