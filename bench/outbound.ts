/**
 * `npm run bench -- outbound`: durable sending under load. 1 000 opinions (one Capsule 2.1 each) to 50
 * simulated KOVs that answer after 20 ms, sent by `dhx serve --role worker` (its own process: send worker,
 * OUTBOUND_CONCURRENCY at once, every attempt claimed and recorded in PostgreSQL) through the X-Road
 * simulator (this process). Prints sends/s (target ≥ 100/s) beside the floor: the DHX client alone
 * (same concurrency, same simulator, capsules from memory, no database, no queue).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { makeBlobStore } from '../src/blob/store';
import { buildCapsuleToBuffer } from '../src/capsule/build';
import { makeDraft } from '../src/capsule/draft';
import { migrate } from '../src/db/migrate';
import { makePool } from '../src/db/pool';
import { withTransaction } from '../src/db/tx';
import { sendDocument, type DhxClientOptions } from '../src/xroad/dhx-client';
import { makeSendQueue, sendJobId } from '../src/outbound/queue';
import { insertOutbound } from '../src/outbound/repo';
import { makeXRoadSim } from '../src/sim/server';
import { refreshAddressBook } from '../src/addressbook/addressbook';
import { Redis } from 'ioredis';
import { cpuReport, cpuSnapshot } from './cpu';
import { admin, dbUrl } from './db';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DOCUMENTS = Number(process.env.BENCH_OUTBOUND_DOCUMENTS ?? 1000);
const KOVS = 50;
const LATENCY_MS = 20;
const CONCURRENCY = Number(process.env.OUTBOUND_CONCURRENCY ?? 16);
const ROOT = path.resolve(__dirname, '..', '..');
const SKA = { objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX' };

const kovCode = (i: number): string => `7510${String(i + 1).padStart(4, '0')}`;

function opinion(i: number): Promise<Buffer> {
  return buildCapsuleToBuffer(
    makeDraft({
      sender: { code: '70001975', name: 'Sotsiaalkindlustusamet', structuralUnit: 'Laste heaolu osakond' },
      recipients: [{ code: kovCode(i % KOVS), name: `Näidisvalla ${i % KOVS} Vallavalitsus` }],
      recordType: 'Arvamus',
      title: 'Arvamus: KLAT arvamuse taotlus',
      originalIdentifier: `LHO-2026-${String(i + 1).padStart(6, '0')}`,
      abstract: 'Arvamus: toetav.',
      files: [{ name: 'arvamus.pdf', mimeType: 'application/pdf', content: Buffer.from(`%PDF-1.4\n% arvamus ${i} (näidis)\n${randomBytes(2048).toString('base64')}\n`) }],
    }),
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function floor(opts: DhxClientOptions, capsules: Buffer[]): Promise<number> {
  let next = 0;
  let ok = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < capsules.length; i = next++) {
        const out = await sendDocument(opts, {
          target: { service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: kovCode(i % KOVS), subsystemCode: 'DHX' } },
          consignmentId: randomUUID(),
          capsule: Readable.from([capsules[i]!]),
          resend: false,
        });
        if (out.kind === 'delivered') ok++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (ok !== capsules.length) console.log(`  floor: only ${ok} of ${capsules.length} delivered`);
  return capsules.length / seconds;
}

export async function benchOutbound(): Promise<void> {
  const name = `dhx_bench_out_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-bench-out-'));
  const prefix = `bench-${name}`;
  await admin(`CREATE DATABASE ${name}`);
  const pool = makePool({ databaseUrl: dbUrl(name), max: 4 });
  const sim = makeXRoadSim();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = makeSendQueue(redis, prefix);
  let worker: ChildProcess | undefined;
  try {
    await migrate(pool);
    await sim.start(0, '127.0.0.1');
    for (let i = 0; i < KOVS; i++) {
      sim.addKov({ memberCode: kovCode(i), name: `Näidisvalla ${i} Vallavalitsus` });
      sim.setFault(kovCode(i), { kind: 'slow', delayMs: LATENCY_MS });
    }
    const client: DhxClientOptions = { securityServer: sim.url, client: SKA, timeoutMs: 30_000 };
    const book = await refreshAddressBook(pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client });
    if (!book.ok) throw new Error(`address book: ${book.error}`);

    const store = makeBlobStore(dataDir);
    const capsules = await Promise.all(Array.from({ length: DOCUMENTS }, (_, i) => opinion(i)));
    const ids: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      const temp = await store.writeTemp(Readable.from([capsules[i]!]));
      await store.commit(temp);
      const { id } = await withTransaction(pool, (c) =>
        insertOutbound(c, {
          kind: 'opinion',
          recipientCode: kovCode(i % KOVS),
          recipientName: `Näidisvalla ${i % KOVS} Vallavalitsus`,
          recordGuid: randomUUID(),
          recordOriginalIdentifier: `LHO-2026-${String(i + 1).padStart(6, '0')}`,
          title: 'Arvamus: KLAT arvamuse taotlus',
          blob: temp,
          verdict: 'toetav',
        }),
      );
      ids.push(id);
    }
    const kb = capsules.reduce((s, c) => s + c.length, 0) / capsules.length / 1024;
    console.log(`outbound: ${DOCUMENTS} opinions (${kb.toFixed(1)} KB capsules) to ${KOVS} simulated KOVs answering in ${LATENCY_MS} ms, ${CONCURRENCY} sends at once`);

    const cli = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');
    worker = spawn(process.execPath, [cli, 'serve', '--role', 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl(name),
        DATA_DIR: dataDir,
        REDIS_URL,
        DHX_QUEUE_PREFIX: prefix,
        XROAD_SECURITY_SERVER: sim.url,
        DHX_ADDRESSBOOK_REFRESH: '0',
        OUTBOUND_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await new Promise((r) => setTimeout(r, 1500)); // the worker connects

    const cpuBefore = cpuSnapshot([worker.pid!]);
    const simBefore = process.cpuUsage();
    const started = (await pool.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
    await queue.addBulk(ids.map((id) => ({ name: 'send', data: { id }, opts: { jobId: sendJobId(id, 0) } })));
    const deadline = Date.now() + 300_000;
    let done = { sent: 0, other: 0, last: null as Date | null };
    for (;;) {
      const r = await pool.query<{ sent: string; other: string; last: Date | null }>(
        `SELECT count(*) FILTER (WHERE state = 'sent') AS sent, count(*) FILTER (WHERE state IN ('failed', 'ambiguous', 'retrying')) AS other,
                max(delivered_at) AS last FROM outbound_documents`,
      );
      done = { sent: Number(r.rows[0]!.sent), other: Number(r.rows[0]!.other), last: r.rows[0]!.last };
      if (done.sent + done.other >= DOCUMENTS || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const cpuAfter = cpuSnapshot([worker.pid!]);
    const simCpu = process.cpuUsage(simBefore);
    const seconds = ((done.last?.getTime() ?? Date.now()) - started.getTime()) / 1000;
    const rate = done.sent / seconds;
    const held = sim.calls.filter((c) => c.operation === 'sendDocument' && c.outcome === 'receipt').length;
    await stop(worker);
    worker = undefined;

    const floorRate = await floor(client, capsules);
    console.log('  what                                   | sends/s | seconds');
    console.log(`  adapter (queue → Postgres → X-Road)    | ${rate.toFixed(0).padStart(7)} | ${seconds.toFixed(2).padStart(7)}`);
    console.log(`  floor: DHX client alone (no DB, queue) | ${floorRate.toFixed(0).padStart(7)} | ${(DOCUMENTS / floorRate).toFixed(2).padStart(7)}`);
    console.log(`  sent ${done.sent}, not sent ${done.other}; receipts given by the KOVs ${held}; ${(rate / floorRate * 100).toFixed(0)} % of the floor`);
    console.log(`  target ≥ 100 sends/s: ${rate >= 100 ? 'met' : 'missed'}`);
    console.log(`  ${cpuReport(cpuBefore, cpuAfter, { count: DOCUMENTS, unit: 'document' }).replace('\n', '\n  ')}`);
    console.log(`  (the X-Road simulator and its fake KOVs, in this process: ${((simCpu.user + simCpu.system) / 1000 / DOCUMENTS).toFixed(2)} ms per document)`);
  } finally {
    if (worker) await stop(worker);
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await sim.stop();
    await pool.end();
    await admin(`DROP DATABASE IF EXISTS ${name}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
