import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startIntakeAdapterHttpOnly, type IntakeHarness } from './harness';
import { cleanupPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';
import { KOVS, kovCapsule } from './kov';

/**
 * Crash tests: the worker runs as `node dist/src/cli/index.js serve --role worker` (npm test
 * builds first) and is SIGKILLed while capsules arrive over POST /dhx; a flushed Redis (every key of the
 * adapter's prefix deleted: the test Redis is shared, so not FLUSHALL) loses jobs. Postgres is the record:
 * every capsule must still end `done` or `triage` exactly once.
 */

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');
const TOTAL = 200;

function startWorker(h: IntakeHarness): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--role', 'worker'], {
    env: {
      ...process.env,
      ...h.env,
      LOG_LEVEL: 'error',
      INTAKE_LOCK_MS: '1000',
      INTAKE_RECONCILE_CRON: '* * * * * *',
      INTAKE_STUCK_AFTER_SECONDS: '2',
      INTAKE_CONCURRENCY: '8',
    },
    stdio: 'ignore',
  });
  track('worker process', child, (c) => c.exitCode !== null || c.signalCode !== null);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Capsule i: mostly requests in a category, every tenth one unclassifiable. */
function request(i: number): Promise<Buffer> {
  const titles = ['KLAT arvamuse taotlus', 'Nõustamise taotlus', 'Mentorluse taotlus', 'Supervisiooni taotlus', 'Rahvusvahelise juhtumi päring', 'Teabenõue'];
  const title = i % 10 === 9 ? `Dokument ${i}` : `${titles[i % titles.length]!} ${i}`;
  return kovCapsule({ kov: KOVS[i % KOVS.length], title, originalIdentifier: `7-1/${i}`, fileNames: i % 3 === 0 ? ['a.pdf', 'b.pdf'] : ['a.pdf'] });
}

async function sendAll(h: IntakeHarness, capsules: Buffer[], parallel = 8): Promise<string[]> {
  const ids: string[] = new Array<string>(capsules.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < capsules.length) {
        const i = next++;
        const r = await h.send(KOVS[i % KOVS.length]!.code, capsules[i]!);
        if (!r.receiptId) throw new Error(`capsule ${i}: no receipt (${r.faultCode ?? 'no answer'})`);
        ids[i] = r.receiptId;
      }
    }),
  );
  return ids;
}

async function waitAllTerminal(h: IntakeHarness, timeoutMs: number): Promise<Record<string, number>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await h.db.pool.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM inbound_capsules GROUP BY state');
    const by = Object.fromEntries(r.rows.map((x) => [x.state, Number(x.n)]));
    if ((by.done ?? 0) + (by.triage ?? 0) + (by.failed ?? 0) + (by.parked ?? 0) >= TOTAL || Date.now() > until) return by;
    await sleep(200);
  }
}

/** Every capsule once: done or triage, one case per done request, one history row per state, receipts as configured. */
async function expectExactlyOnce(h: IntakeHarness, ids: string[]): Promise<void> {
  const q = async <T extends object>(sql: string, p: unknown[] = []): Promise<T[]> => (await h.db.pool.query<T & Record<string, unknown>>(sql, p)).rows;
  const states = await q<{ id: string; state: string }>('SELECT id, state FROM inbound_capsules WHERE id = ANY($1::uuid[])', [ids]);
  expect(states).toHaveLength(TOTAL);
  const bad = states.filter((s) => s.state !== 'done' && s.state !== 'triage');
  expect(bad).toEqual([]);
  const triage = states.filter((s) => s.state === 'triage').length;
  expect(triage).toBe(TOTAL / 10);
  expect(Number((await q<{ n: string }>('SELECT count(*) AS n FROM cases'))[0]!.n)).toBe(TOTAL - triage);
  expect(await q('SELECT opened_by FROM cases GROUP BY opened_by HAVING count(*) > 1')).toEqual([]);
  expect(await q(`SELECT id FROM inbound_capsules WHERE state = 'done' AND case_id IS NULL`)).toEqual([]);
  expect(await q('SELECT capsule_id, state FROM inbound_state_history GROUP BY 1, 2 HAVING count(*) > 1')).toEqual([]);
  const receipts = await q<{ n: string }>(`SELECT count(*) AS n FROM outbound_documents WHERE kind = 'receipt'`);
  const wanted = await q<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE category IN ('klat_arvamus', 'noustamine')`);
  expect(Number(receipts[0]!.n)).toBe(Number(wanted[0]!.n));
  const files = await q<{ n: string }>('SELECT count(*) AS n FROM attachments');
  const expectedFiles = ids.reduce((n, _id, i) => n + (i % 10 === 9 ? 0 : i % 3 === 0 ? 2 : 1), 0);
  expect(Number(files[0]!.n)).toBe(expectedFiles);
}

describe('intake survives crashes', () => {
  let h: IntakeHarness;
  let capsules: Buffer[];
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
    capsules = await Promise.all(Array.from({ length: TOTAL }, (_x, i) => request(i)));
  });
  afterEach(() => h?.close());

  test('the worker process SIGKILLed repeatedly while 200 capsules flow: every capsule ends done or triage exactly once', async () => {
    h = await startIntakeAdapterHttpOnly();
    let worker = startWorker(h);
    let stop = false;
    let kills = 0;
    let killsMidFlow = 0; // kills while capsules were still on their way
    const killer = (async () => {
      while (!stop) {
        await sleep(300 + Math.floor(Math.random() * 400));
        if (stop) break;
        await kill(worker, 'SIGKILL');
        kills++;
        const pending = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_capsules WHERE state NOT IN ('done', 'triage')`);
        if (Number(pending.rows[0]!.n) > 0) killsMidFlow++;
        worker = startWorker(h);
      }
    })();
    const ids = await sendAll(h, capsules);
    // Keep killing a while after the last receipt, then let the last worker finish.
    await sleep(1500);
    stop = true;
    await killer;
    const by = await waitAllTerminal(h, 60_000);
    await kill(worker, 'SIGTERM');
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(killsMidFlow).toBeGreaterThanOrEqual(2);
    expect(by).toEqual({ done: TOTAL - TOTAL / 10, triage: TOTAL / 10 });
    await expectExactlyOnce(h, ids);
  }, 120_000);

  test('SIGTERM drains the worker: it exits 0 after its running jobs, and a restarted worker finishes the rest', async () => {
    h = await startIntakeAdapterHttpOnly();
    const ids = await sendAll(h, capsules.slice(0, 60));
    let worker = startWorker(h);
    // Once it is working (handlers installed), stop it while jobs are running.
    for (let started = Date.now(); Date.now() - started < 20_000; await sleep(20)) {
      const r = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_capsules WHERE state <> 'received'`);
      if (Number(r.rows[0]!.n) > 0) break;
    }
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    worker = startWorker(h);
    try {
      const until = Date.now() + 30_000;
      let left = 60;
      while (left > 0 && Date.now() < until) {
        await sleep(200);
        left = Number((await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_capsules WHERE id = ANY($1::uuid[]) AND state NOT IN ('done', 'triage')`, [ids])).rows[0]!.n);
      }
      expect(left).toBe(0);
    } finally {
      await kill(worker, 'SIGTERM');
    }
  }, 60_000);

  test('Redis flushed mid-run (every key of the prefix deleted): the reconciler recovers every capsule', async () => {
    h = await startIntakeAdapterHttpOnly();
    const redis = testRedis();
    let worker: ChildProcess | undefined;
    try {
      // The first half is receipted while no worker runs; then Redis loses every job: only the reconciler knows.
      const first = await sendAll(h, capsules.slice(0, TOTAL / 2));
      expect(await cleanupPrefix(redis, h.prefix)).toBeGreaterThan(0);
      worker = startWorker(h);
      const second = await sendAll(h, capsules.slice(TOTAL / 2));
      await cleanupPrefix(redis, h.prefix); // and again, while the worker is busy
      const by = await waitAllTerminal(h, 60_000);
      expect(by).toEqual({ done: TOTAL - TOTAL / 10, triage: TOTAL / 10 });
      await expectExactlyOnce(h, [...first, ...second]);
    } finally {
      if (worker) await kill(worker, 'SIGTERM');
      await redis.quit();
    }
  }, 120_000);
});
