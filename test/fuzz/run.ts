import fs from 'node:fs';
import path from 'node:path';
import { makeCase, type FuzzCase } from './case';
import type { Daemon, HeapSample } from './daemon';
import { exchange, type Exchange } from './exchange';
import { judge } from './oracle';

/**
 * The fuzz loop against a live daemon. Cases go in batches of `concurrency`; after each batch the
 * daemon must still run with the same pid, hold no descriptor under DATA_DIR and have nothing left in
 * DATA_DIR/tmp once the batch has settled; /health is polled throughout and must answer 200 within
 * 2 s; every receipt must name a capsule in the database; RSS must stay flat after the warm-up. A
 * batch that kills the daemon or leaves something behind is replayed case by case to name the one
 * that did it; every failing input is written to `saveDir` as the raw request bytes.
 */

export type FailureKind = 'crash' | 'hang' | 'answer' | 'leak' | 'receipt' | 'health' | 'memory';

export interface Failure {
  kind: FailureKind;
  reason: string;
  index?: number;
  mutations?: string[];
  file?: string;
}

export interface FuzzOptions {
  daemon: Daemon;
  seed: number;
  cases: number;
  /** The first case index (to reproduce one case: FUZZ_FROM=i FUZZ_CASES=1). */
  from?: number;
  concurrency?: number;
  answerMs?: number;
  idleMs?: number;
  closeMs?: number;
  /** How long a batch may take to let go of its temporary files and descriptors. */
  settleMs?: number;
  healthEveryMs?: number;
  healthLimitMs?: number;
  /** Cases after the start (or a restart) before the memory baseline is taken. */
  warmupCases?: number;
  /**
   * How much the daemon's memory after garbage collection (V8 heap plus Buffers and ArrayBuffers) may
   * grow from the end of the warm-up to the end of the run. RSS is reported, not judged: it keeps the
   * allocator's high-water mark of large bodies (docs/fuzzing.md).
   */
  maxHeapGrowthMb?: number;
  /** Stop after this many failures (each crash also costs a restart). */
  maxFailures?: number;
  saveDir?: string;
  log?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  byAnswer: Record<string, number>;
  failures: Failure[];
  baselineRssMb: number;
  peakRssMb: number;
  finalRssMb: number;
  /** Heap plus external memory after collection at the end of the warm-up and after the run. */
  baselineHeapMb?: number;
  finalHeapMb?: number;
  healthChecks: number;
  healthMaxMs: number;
  restarts: number;
  receipts: number;
  seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const held = (h: HeapSample): number => h.heapUsed + h.external;

export function fixtureName(kind: FailureKind, c: FuzzCase): string {
  return `${kind}-${c.seed}-${c.index}${c.abort ? '.abort' : ''}.http`;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const d = o.daemon;
  const concurrency = o.concurrency ?? 8;
  const from = o.from ?? 0;
  const settleMs = o.settleMs ?? 3000;
  const healthLimitMs = o.healthLimitMs ?? 2000;
  const warmup = o.warmupCases ?? Math.min(300, Math.floor(o.cases / 5));
  const maxFailures = o.maxFailures ?? 20;
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const failures: Failure[] = [];
  const byAnswer: Record<string, number> = {};
  const receipts: Array<{ id: string; c: FuzzCase }> = [];
  const knownLeaks = new Set<string>();
  let restarts = 0;
  let baseline = 0;
  /** The first case of the batch being run. */
  let at = from;
  let warmupUntil = from + warmup;
  let baselineHeap: number | undefined;
  /** Heap plus external memory after collection: the least of `n` samples (intake may be at work). */
  const heldMb = async (n: number): Promise<number | undefined> => {
    let least: number | undefined;
    for (let k = 0; k < n; k++) {
      if (k) await sleep(500);
      const h = await d.heapMb();
      if (h) least = Math.min(least ?? Infinity, held(h));
    }
    return least;
  };
  let peak = d.rssMb();
  let inFlight = '';
  let previous: FuzzCase[] = [];

  const fail = (f: Failure, c?: FuzzCase): void => {
    if (c && o.saveDir) {
      fs.mkdirSync(o.saveDir, { recursive: true });
      f.file = path.join(o.saveDir, fixtureName(f.kind, c));
      fs.writeFileSync(f.file, c.bytes);
    }
    failures.push(c ? { ...f, index: c.index, mutations: c.mutations } : f);
    log(`FAIL ${f.kind}${c ? ` case ${c.index} [${c.mutations.join(' ')}]` : ''}: ${f.reason}${f.file ? ` → ${f.file}` : ''}`);
  };

  // /health throughout, on fresh connections, while the daemon runs.
  let healthChecks = 0;
  let healthMaxMs = 0;
  let healthFailedIn = '';
  let polling = true;
  const poller = (async () => {
    while (polling) {
      if (d.ready()) {
        const pid = d.pid();
        const h = await d.health(healthLimitMs + 1000);
        healthChecks++;
        healthMaxMs = Math.max(healthMaxMs, h.ms);
        // A crash is reported as such; one slow answer per batch of cases is enough to name it.
        // A daemon on its way down fails its last check too: that is the crash, reported as such.
        if (h.status !== 200 || h.ms > healthLimitMs) await sleep(300);
        if (d.ready() && d.pid() === pid && (h.status !== 200 || h.ms > healthLimitMs) && healthFailedIn !== inFlight) {
          healthFailedIn = inFlight;
          fail({ kind: 'health', reason: `/health answered ${h.status} after ${h.ms} ms while cases ${inFlight} ran` });
        }
      }
      await sleep(o.healthEveryMs ?? 500);
    }
  })();

  const send = (c: FuzzCase): Promise<Exchange> =>
    exchange(c.bytes, { port: d.port, answerMs: o.answerMs, idleMs: o.idleMs, closeMs: o.closeMs, abort: c.abort, head: c.method === 'HEAD' });

  const leftovers = (): string[] => [...d.tmpFiles().map((f) => `tmp/${f}`), ...d.openDataFiles().map((f) => `fd ${f}`)].filter((l) => !knownLeaks.has(l));
  const settled = async (): Promise<string[]> => {
    let left = leftovers();
    for (let waited = 0; left.length && waited < settleMs; waited += 100) {
      await sleep(100);
      left = leftovers();
    }
    return left;
  };

  const record = (c: FuzzCase, x: Exchange): void => {
    const v = judge(x);
    if (!v.ok) {
      fail({ kind: x.kind === 'hang' ? 'hang' : 'answer', reason: v.reason }, c);
      return;
    }
    byAnswer[v.label] = (byAnswer[v.label] ?? 0) + 1;
    if (v.receiptId) receipts.push({ id: v.receiptId, c });
  };

  const checkReceipts = async (): Promise<void> => {
    if (!receipts.length) return;
    const batch = receipts.splice(0);
    const found = await d.db.pool.query<{ id: string }>('SELECT id::text FROM inbound_capsules WHERE id = ANY($1::uuid[])', [batch.map((b) => b.id)]);
    const have = new Set(found.rows.map((r) => r.id));
    for (const b of batch) if (!have.has(b.id)) fail({ kind: 'receipt', reason: `receipt ${b.id} names no capsule in the database` }, b.c);
  };

  const restart = async (quarantine = false): Promise<void> => {
    await d.kill();
    await d.restart({ quarantine });
    restarts++;
    // Memory is judged over the last process's life: a new warm-up, a new baseline.
    warmupUntil = at + concurrency + warmup;
    baselineHeap = undefined;
    baseline = 0;
  };

  /** Whether /health answers 200 within the limit in one of `tries` attempts. */
  const responsive = async (tries: number): Promise<boolean> => {
    for (let t = 0; t < tries; t++) {
      if (!d.alive()) return false;
      const h = await d.health(healthLimitMs);
      if (h.status === 200 && h.ms <= healthLimitMs) return true;
    }
    return false;
  };

  /** Whether every /health check during `ms` answers 200 within the limit (intake works after a receipt). */
  const steady = async (ms: number): Promise<boolean> => {
    for (const until = Date.now() + ms; Date.now() < until; await sleep(200)) {
      if (!d.alive()) return false;
      const h = await d.health(healthLimitMs);
      if (h.status !== 200 || h.ms > healthLimitMs) return false;
    }
    return true;
  };

  /**
   * Replays cases one by one on a settled daemon to name the one that kills it, leaves something
   * behind (confirmed by a second replay: a late leftover of another case is not blamed) or stops it
   * answering (a capsule that blocks intake is judged after its receipt, so /health is watched a while).
   */
  const isolate = async (suspects: FuzzCase[], kind: 'crash' | 'leak' | 'hang', first: string): Promise<void> => {
    let named = false;
    for (const c of suspects) {
      if (!d.alive()) await restart();
      for (const l of await settled()) knownLeaks.add(l);
      const x = await send(c);
      await sleep(50);
      if (!d.alive()) {
        fail({ kind: 'crash', reason: d.exit() ?? 'the daemon exited' }, c);
        named = true;
        continue;
      }
      if (kind === 'hang') {
        if (x.kind === 'hang' || !(await steady(3000))) {
          const reason = x.kind === 'hang' ? `no answer and no close within ${x.ms} ms` : `/health stopped answering within ${healthLimitMs} ms after this case`;
          fail({ kind: 'hang', reason }, c);
          named = true;
          await restart(true);
        }
        continue;
      }
      const left = await settled();
      if (!left.length) continue;
      for (const l of left) knownLeaks.add(l);
      await send(c);
      const again = await settled();
      for (const l of again) knownLeaks.add(l);
      if (again.length) {
        fail({ kind: 'leak', reason: `left behind: ${left.slice(0, 4).join(', ')}` }, c);
        named = true;
      }
    }
    if (!named) fail({ kind, reason: `${first} (not reproduced by any one of cases ${suspects.map((c) => c.index).join(', ')} alone)` });
  };

  // What an earlier run (or request) left is not this run's doing.
  for (const l of leftovers()) knownLeaks.add(l);
  try {
    for (let i = from; i < from + o.cases && failures.length < maxFailures; i += concurrency) {
      at = i;
      const batch: FuzzCase[] = [];
      for (let j = i; j < Math.min(i + concurrency, from + o.cases); j++) batch.push(makeCase(o.seed, j));
      inFlight = `${batch[0]!.index}–${batch[batch.length - 1]!.index}`;
      const pid = d.pid();
      const results = await Promise.all(batch.map(send));
      await sleep(10);
      if (!d.alive() || d.pid() !== pid) {
        const why = d.exit() ?? 'the daemon exited';
        log(`daemon died during cases ${inFlight}: ${why.split('\n')[0]}`);
        await restart();
        await isolate(batch, 'crash', why);
        previous = [];
        continue;
      }
      if ((results.some((x) => x.kind === 'hang') || healthFailedIn === inFlight) && !(await responsive(3))) {
        // Wedged: this batch's hangs are the daemon's state, not each case's; find the case that did it
        // (the batch before may hold it: intake works on a capsule after its receipt).
        log(`daemon stopped answering during cases ${inFlight}; replaying them one by one`);
        await restart(true);
        await isolate([...previous, ...batch], 'hang', `the daemon stopped answering /health during cases ${inFlight}`);
        previous = [];
        continue;
      }
      previous = batch;
      batch.forEach((c, k) => record(c, results[k]!));
      const left = await settled();
      if (left.length) {
        log(`cases ${inFlight} left ${left.length} behind; replaying them one by one`);
        for (const l of left) knownLeaks.add(l);
        await isolate(batch, 'leak', `left behind: ${left.slice(0, 4).join(', ')}`);
      }
      const rss = d.rssMb();
      peak = Math.max(peak, rss);
      // The baseline is the highest RSS of the warm-up (heaps grow to their working size there).
      if (i < warmupUntil) baseline = Math.max(baseline, rss);
      else if (baselineHeap === undefined) baselineHeap = await heldMb(2);
      if (receipts.length >= 64) await checkReceipts();
      const done = i + batch.length - from;
      if (done % 1000 < concurrency) {
        const h = await d.heapMb();
        const heap = h ? `; after gc: heap ${h.heapUsed.toFixed(1)} MB, external ${h.external.toFixed(1)} MB, rss ${h.rss.toFixed(0)} MB` : '';
        log(`${done} cases, ${failures.length} failures, rss ${rss.toFixed(0)} MB${heap}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    await checkReceipts();
  } finally {
    polling = false;
    await poller;
  }
  const left = await settled();
  if (left.length) fail({ kind: 'leak', reason: `after the run: ${left.slice(0, 6).join(', ')}` });
  if (!baseline) baseline = d.rssMb();
  const finalRss = d.rssMb();
  const finalHeap = baselineHeap === undefined ? undefined : await heldMb(3);
  const maxGrowth = o.maxHeapGrowthMb ?? 10;
  if (baselineHeap !== undefined && finalHeap === undefined) fail({ kind: 'memory', reason: 'the daemon did not report its memory after the run' });
  if (baselineHeap !== undefined && finalHeap !== undefined && finalHeap - baselineHeap > maxGrowth) {
    fail({ kind: 'memory', reason: `memory after garbage collection (heap and external) grew from ${baselineHeap.toFixed(1)} MB after the warm-up to ${finalHeap.toFixed(1)} MB (limit: ${maxGrowth} MB growth)` });
  }
  return {
    seed: o.seed,
    cases: Object.values(byAnswer).reduce((s, n) => s + n, 0) + failures.filter((f) => f.kind === 'answer' || f.kind === 'hang').length,
    byAnswer,
    failures,
    baselineRssMb: baseline,
    peakRssMb: peak,
    finalRssMb: finalRss,
    ...(baselineHeap === undefined ? {} : { baselineHeapMb: baselineHeap }),
    ...(finalHeap === undefined ? {} : { finalHeapMb: finalHeap }),
    healthChecks,
    healthMaxMs,
    restarts,
    receipts: byAnswer['200 receipt'] ?? 0,
    seconds: (Date.now() - started) / 1000,
  };
}

export function formatReport(r: FuzzReport): string {
  const answers = Object.entries(r.byAnswer)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${k.padEnd(28)} ${n}`)
    .join('\n');
  const failures = r.failures.map((f) => `  ${f.kind}${f.index === undefined ? '' : ` case ${f.index}`}: ${f.reason.split('\n')[0]!.slice(0, 300)}${f.file ? `\n    input: ${f.file}` : ''}${f.mutations ? `\n    mutations: ${f.mutations.join(' ')}` : ''}`).join('\n');
  return [
    `fuzz seed ${r.seed} (FUZZ_SEED=${r.seed}): ${r.cases} cases in ${r.seconds.toFixed(1)} s, ${r.failures.length} failures, ${r.restarts} restarts`,
    `answers:\n${answers}`,
    `memory after gc (heap + external): ${r.baselineHeapMb === undefined ? 'not judged (no case after a warm-up)' : `${r.baselineHeapMb.toFixed(1)} MB after the warm-up, ${r.finalHeapMb?.toFixed(1) ?? '?'} MB after the run`}`,
    `rss: ${r.baselineRssMb.toFixed(0)} MB in the warm-up, peak ${r.peakRssMb.toFixed(0)} MB, final ${r.finalRssMb.toFixed(0)} MB (not judged)`,
    `/health: ${r.healthChecks} checks, slowest ${r.healthMaxMs} ms`,
    ...(failures ? [`failures:\n${failures}`] : []),
  ].join('\n');
}
