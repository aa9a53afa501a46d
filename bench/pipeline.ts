/**
 * `npm run bench -- pipeline`: the intake pipeline draining a backlog.
 * 10 000 received KOV requests (BENCH_PIPELINE_CAPSULES) wait in PostgreSQL with their ids queued, as the
 * receive path leaves them; two worker processes (`dhx serve --role worker`, INTAKE_CONCURRENCY each) run
 * parse → classify → extract → route → receipt. Figure: capsules/s from the first stage to the last state
 * (history timestamps), beside a floor measured in the same run: two in-process BullMQ workers at the
 * same concurrency doing one row UPDATE per id (queue + one write, nothing else). The text step reads the files
 * after intake is done with a capsule: the run waits for it too and says how long after the last capsule it
 * ended (capsules/s counted to then, when later). Target ≥ 200 capsules/s. BENCH_PIPELINE_GENERIC=0 leaves out the
 * letters whose title says nothing (see KINDS).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildCapsuleToBuffer } from '../src/capsule/build';
import { makeDraft } from '../src/capsule/draft';
import { migrate } from '../src/db/migrate';
import { makePdf } from '../src/sim/documents';
import { enqueue as enqueueJobs, intakeJobId, makeQueue, QueueName, removeQueueKeys } from '../src/jobs/queues';
import { cpuReport, cpuSnapshot } from './cpu';
import { admin, dbUrl } from './db';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = Number(process.env.BENCH_PIPELINE_CAPSULES ?? 10_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.INTAKE_CONCURRENCY ?? 8);
const ROOT = path.resolve(__dirname, '..', '..');
/** Extra node flags for the worker processes, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

const TITLES = [
  'Taotlus arvamuse saamiseks kinnise lasteasutuse teenuse osutamiseks',
  'Nõustamise taotlus lastekaitsejuhtumis',
  'Mentorluse taotlus alustavale lastekaitsetöötajale',
  'Supervisiooni taotlus',
  'Piiriülene lastekaitsejuhtum',
  'Teabenõue',
  'Dokument',
];

/** What each title's letter says (same index as TITLES): a generic title ("Teabenõue", "Dokument") says it only here. */
const LETTERS: string[][] = [
  ['Palume Sotsiaalkindlustusameti arvamust lapse suunamiseks kinnise lasteasutuse teenusele.', 'Laps on korduvalt kodust lahkunud ja koolist puudunud; senised teenused ei ole aidanud.'],
  ['Palume nõustamist lastekaitsejuhtumis: pere keeldub koostööst ja me ei tea, kuidas edasi minna.', 'Lapse abivajaduse hindamine on tehtud, juhtumiplaan on lisatud.'],
  ['Meie vallas alustas tööd uus lastekaitsespetsialist, palume talle mentorit.', 'Ta on ametis alates novembrist ja varasem kogemus lastekaitsetöös puudub.'],
  ['Soovime lastekaitsetöötajatele grupisupervisiooni.', 'Meeskonna töökoormus on suur ja mitu töötajat tunnevad läbipõlemise märke.'],
  ['Laps viibib koos emaga Soomes ja isa taotleb lapse tagasitoomist Eestisse.', 'Palume abi Soome lastekaitseasutusega ühenduse võtmiseks.'],
  ['Palume teavet, mitu lastekaitseteatist laekus 2025. aastal meie maakonnast.', 'Andmeid on vaja valla arengukava koostamiseks.'],
  ['Palume Sotsiaalkindlustusameti arvamust, kas alaealise kinnise lasteasutuse teenusel viibimise pikendamine on põhjendatud.', 'Kohus on määranud istungi jaanuaris.'],
];

/**
 * How many of the kinds of letter above the run uses: all seven, or (BENCH_PIPELINE_GENERIC=0) the first five,
 * whose titles say what they are, so that code which cannot read a file routes every capsule too and two
 * versions can be compared at equal outcomes.
 */
const KINDS = process.env.BENCH_PIPELINE_GENERIC === '0' ? 5 : TITLES.length;

/** A real one-page PDF letter for the capsule's title, distinct per capsule (its reference number). */
function pdfBytes(i: number): Buffer {
  return makePdf(['Sotsiaalkindlustusamet', `Meie 20.11.2026 nr 7-1/bench-${i}`, ...LETTERS[i % KINDS]!, 'Lugupidamisega', 'Tartu Linnavalitsus']);
}

async function capsule(i: number): Promise<Buffer> {
  return buildCapsuleToBuffer(
    makeDraft({
      sender: { code: '75006546', name: 'Tartu Linnavalitsus', structuralUnit: 'Lastekaitse osakond' },
      recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
      recordType: 'Taotlus',
      title: `${TITLES[i % KINDS]!} ${i}`,
      originalIdentifier: `7-1/bench-${i}`,
      files: [{ name: `taotlus-${i}.pdf`, mimeType: 'application/pdf', content: pdfBytes(i) }],
    }),
  );
}

async function seed(pool: pg.Pool): Promise<string[]> {
  const ids: string[] = [];
  const BATCH = 500;
  for (let start = 0; start < TOTAL; start += BATCH) {
    const rows = await Promise.all(Array.from({ length: Math.min(BATCH, TOTAL - start) }, (_x, k) => capsule(start + k)));
    const batchIds = rows.map(() => randomUUID());
    const shas = rows.map((b) => createHash('sha256').update(b).digest('hex'));
    await pool.query('INSERT INTO blobs (sha256, size, content) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[]) ON CONFLICT DO NOTHING', [
      shas,
      rows.map((b) => b.length),
      rows,
    ]);
    await pool.query(
      `INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, blob_sha256, size)
       SELECT id, 'ee-dev/GOV/75006546/DHX/' || id, id::text, 'ee-dev/GOV/75006546/DHX', '75006546', '70001975', sha, size
         FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS t(id, sha, size)`,
      [batchIds, shas, rows.map((b) => b.length)],
    );
    await pool.query(`INSERT INTO inbound_state_history (capsule_id, state) SELECT unnest($1::uuid[]), 'received'`, [batchIds]);
    ids.push(...batchIds);
  }
  return ids;
}

async function enqueue(prefix: string, ids: string[]): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  // The daemon's own queue options (its retries are BullMQ retries of these jobs).
  const queue = makeQueue(QueueName.intake, connection, prefix);
  for (let i = 0; i < ids.length; i += 1000) {
    await enqueueJobs(queue, ids.slice(i, i + 1000).map((id) => ({ data: { id }, jobId: intakeJobId(id) })));
  }
  await queue.close();
  await connection.quit();
}

async function dropPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  await removeQueueKeys(r, prefix);
  await r.quit();
}

async function waitDrained(pool: pg.Pool): Promise<Record<string, number>> {
  for (;;) {
    const r = await pool.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM inbound_capsules GROUP BY state');
    const by = Object.fromEntries(r.rows.map((x) => [x.state, Number(x.n)]));
    if (['done', 'triage', 'failed', 'parked'].reduce((n, s) => n + (by[s] ?? 0), 0) >= TOTAL) return by;
    // Once a second: the count is PostgreSQL work in the measured window (the rate comes from the history rows).
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/**
 * Waits (up to two minutes) until the text step has read every stored file, which it does after intake is done
 * with a capsule; the time of the last text read, or null when a file is still unread (or, in a schema from
 * before text extraction, there is nothing to wait for).
 */
async function waitTexts(pool: pg.Pool): Promise<{ last: Date | null; files: number; read: number } | null> {
  const has = await pool.query<{ t: string | null }>(`SELECT to_regclass('attachment_texts')::text AS t`);
  if (!has.rows[0]!.t) return null;
  const until = Date.now() + 120_000;
  for (;;) {
    const r = await pool.query<{ files: string; read: string; last: Date | null }>(
      `SELECT (SELECT count(*) FROM attachments) AS files, (SELECT count(*) FROM attachment_texts) AS read, (SELECT max(at) FROM attachment_texts) AS last`,
    );
    const files = Number(r.rows[0]!.files);
    const read = Number(r.rows[0]!.read);
    if (read >= files || Date.now() > until) return { last: read >= files ? r.rows[0]!.last : null, files, read };
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The floor: the same queue and concurrency, one UPDATE per id. */
async function floor(pool: pg.Pool, ids: string[]): Promise<number> {
  const prefix = `bench-floor-${randomBytes(4).toString('hex')}`;
  await enqueue(prefix, ids);
  const started = Date.now();
  let done = 0;
  let resolveDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (resolveDone = resolve));
  const workers = Array.from({ length: WORKERS }, () => {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const w = new Worker(
      'intake',
      async (job) => {
        await pool.query(`UPDATE inbound_capsules SET updated_at = now() WHERE id = $1`, [(job.data as { id: string }).id]);
        if (++done === ids.length) resolveDone();
      },
      { connection, prefix, concurrency: CONCURRENCY, removeOnComplete: { count: 1000 } },
    );
    return { w, connection };
  });
  await finished;
  for (const { w, connection } of workers) {
    await w.close();
    await connection.quit();
  }
  const seconds = (Date.now() - started) / 1000;
  await dropPrefix(prefix);
  return ids.length / seconds;
}

export async function benchPipeline(): Promise<void> {
  const name = `dhx_bench_pipeline_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-bench-pipeline-'));
  const prefix = `bench-pipeline-${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const pool = new pg.Pool({ connectionString: dbUrl(name), max: 8 });
  const children: ChildProcess[] = [];
  try {
    await migrate(pool);
    const seeded = Date.now();
    const ids = await seed(pool);
    console.log(`seeded ${TOTAL} received capsules in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const floorRate = await floor(pool, ids);
    await pool.query('UPDATE inbound_capsules SET updated_at = now()');
    await enqueue(prefix, ids);
    const cli = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl(name),
      DATA_DIR: dataDir,
      DHX_QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'error',
      INTAKE_CONCURRENCY: String(CONCURRENCY),
    };
    const wall = Date.now();
    for (let i = 0; i < WORKERS; i++) children.push(spawn(process.execPath, [...NODE_ARGS, cli, 'serve', '--role', 'worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    const pids = children.map((c) => c.pid!);
    const cpuBefore = cpuSnapshot(pids);
    const by = await waitDrained(pool);
    const texts = await waitTexts(pool);
    const cpuAfter = cpuSnapshot(pids);
    const wallSeconds = (Date.now() - wall) / 1000;
    const t = await pool.query<{ first: Date; last: Date }>(
      `SELECT min(at) FILTER (WHERE state = 'parsed') AS first, max(at) FILTER (WHERE state IN ('done', 'triage', 'failed', 'parked')) AS last FROM inbound_state_history`,
    );
    const seconds = (t.rows[0]!.last.getTime() - t.rows[0]!.first.getTime()) / 1000;
    const rate = TOTAL / seconds;
    // With the text step's work: until the last file's text is stored, when that is later than the last capsule.
    const textEnd = texts?.last && texts.last > t.rows[0]!.last ? texts.last : t.rows[0]!.last;
    const withText = TOTAL / ((textEnd.getTime() - t.rows[0]!.first.getTime()) / 1000);
    const counts = await pool.query<{ cases: string; receipts: string; files: string }>(
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM outbound_documents) AS receipts, (SELECT count(*) FROM attachments) AS files`,
    );
    const c = counts.rows[0]!;
    const sends = await pool.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM outbound_documents GROUP BY state');
    const sendStates = Object.fromEntries(sends.rows.map((x) => [x.state, Number(x.n)]));
    console.log(`states: ${JSON.stringify(by)}; cases ${c.cases}, receipts ${c.receipts} (${JSON.stringify(sendStates)}: no security server here), files ${c.files}`);
    console.log(`workers | concurrency | capsules | seconds | capsules/s | floor/s (queue + 1 UPDATE) | × floor`);
    console.log(
      `${String(WORKERS).padStart(7)} | ${String(CONCURRENCY).padStart(11)} | ${String(TOTAL).padStart(8)} | ${seconds.toFixed(1).padStart(7)} | ${rate.toFixed(0).padStart(10)} | ${floorRate.toFixed(0).padStart(26)} | ${(rate / floorRate).toFixed(2)}`,
    );
    if (texts) {
      console.log(
        texts.last
          ? `text read for ${texts.read} of ${texts.files} files, the last ${((texts.last.getTime() - t.rows[0]!.last.getTime()) / 1000).toFixed(1)} s after the last capsule's final state: ${withText.toFixed(0)} capsules/s with the text step's work`
          : `text NOT read for ${texts.files - texts.read} of ${texts.files} files two minutes after the last capsule`,
      );
    }
    console.log(`(wall time including worker start-up: ${wallSeconds.toFixed(1)} s; target ≥ 200 capsules/s: ${rate >= 200 ? 'met' : 'missed'})`);
    console.log(cpuReport(cpuBefore, cpuAfter, { count: TOTAL, unit: 'capsule (start-up included)' }));
  } finally {
    for (const child of children) await stop(child);
    await pool.end();
    await dropPrefix(prefix);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
