import { checkDeadlineWatch, checkEffects, checkInbound, checkOutbound, describeOpen, settled } from './checks';
import { startRig, type Rig } from './rig';
import { sleep, type StopMode } from './services';
import { queueOpinions, sendRequests, type Sent } from './traffic';

/**
 * One chaos run: requests flow in through the simulator and receipts and opinions flow out while a loop
 * SIGKILLs workers, flushes and restarts Redis and restarts (or crashes) PostgreSQL at random moments.
 * Afterwards everything is left alone until it settles (bounded), and the checks (checks.ts) say what
 * broke. Sizes come from the caller: a bounded run in `npm test`, a larger one in `npm run test:chaos`.
 */

export interface ChaosOptions {
  documents: number;
  chaosSeconds: number;
  workers: number;
  /** Opinions queued on KLAT cases during the chaos. */
  opinions: number;
  /** How long the adapter may take to settle once the chaos stops. */
  recoverSeconds: number;
}

export interface ChaosFigures {
  documentsIn: number;
  /** Attempts by the KOVs that got no receipt (refused while PostgreSQL was down, lost in transit), sent again. */
  senderRetries: number;
  /** Requests whose delivery the KOV learnt from DHX.Duplicate (an earlier attempt had been stored). */
  knownByDuplicate: number;
  receiptsOut: number;
  opinionsOut: number;
  /** DHX.Duplicate answers the KOVs gave the adapter's resends (harmless: one copy held). */
  duplicatesRefusedByKovs: number;
  workerKills: number;
  httpKills: number;
  redisFlushes: number;
  postgresRestarts: { fast: number; immediate: number };
  opinionCallsFailed: number;
  peakRssMb: number;
  recoverSeconds: number;
  totalSeconds: number;
}

export interface ChaosResult {
  figures: ChaosFigures;
  problems: string[];
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const between = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo));

interface ChaosCounts {
  workerKills: number;
  httpKills: number;
  redisFlushes: number;
  postgresRestarts: { fast: number; immediate: number };
}

/** The chaos loop: one disruption at a time with random pauses, until `until`. */
async function chaosLoop(rig: Rig, until: number, counts: ChaosCounts): Promise<void> {
  while (Date.now() < until) {
    await sleep(between(300, 1500));
    if (Date.now() >= until) break;
    const roll = Math.random();
    if (roll < 0.5) {
      await rig.killWorker(between(0, rig.workers.length), between(0, 800));
      counts.workerKills++;
    } else if (roll < 0.6) {
      await rig.killHttp(between(0, 500));
      counts.httpKills++;
    } else if (roll < 0.8) {
      await rig.redis.flushAndRestart(between(0, 1000));
      counts.redisFlushes++;
    } else {
      const mode: StopMode = pick(['fast', 'immediate'] as const);
      await rig.pg.stop(mode);
      await sleep(between(200, 1500));
      await rig.pg.start();
      counts.postgresRestarts[mode]++;
    }
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const t0 = Date.now();
  const rig = await startRig({ workers: o.workers });
  try {
    const counts: ChaosCounts = { workerKills: 0, httpKills: 0, redisFlushes: 0, postgresRestarts: { fast: 0, immediate: 0 } };
    const chaosEnd = Date.now() + o.chaosSeconds * 1000;
    const deadline = chaosEnd + o.recoverSeconds * 1000;
    let sending = true;
    const chaos = chaosLoop(rig, chaosEnd, counts);
    const requests = sendRequests(rig, { count: o.documents, spreadMs: o.chaosSeconds * 800, parallel: 6, deadline }).finally(() => {
      sending = false;
    });
    const opinions = queueOpinions(rig, { max: o.opinions, everyMs: Math.max(200, Math.floor((o.chaosSeconds * 800) / Math.max(1, o.opinions))), until: () => Date.now() > chaosEnd && !sending });
    await chaos;
    const recoverFrom = Date.now();
    const sent: Sent[] = await requests;
    const opinionResult = await opinions;
    // Recovery: nothing is disturbed any more; the reconciler and the send scheduler must finish the rest.
    while (Date.now() < deadline && !(await settled(rig, sent).catch(() => false))) await sleep(250);
    const recoverSeconds = (Date.now() - recoverFrom) / 1000;
    const problems = [
      ...rig.unexpectedExits,
      ...(await checkInbound(rig, sent)),
      ...(await checkEffects(rig)),
      ...(await checkOutbound(rig, opinionResult.cases)),
      ...(await checkDeadlineWatch(rig)),
    ];
    if (Date.now() >= deadline) problems.unshift(`not settled ${o.recoverSeconds} s after the chaos stopped`);
    const out = await rig.pool.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM outbound_documents WHERE state = 'sent' GROUP BY kind`);
    const sentOut = Object.fromEntries(out.rows.map((r) => [r.kind, r.n]));
    const figures: ChaosFigures = {
      documentsIn: sent.length,
      senderRetries: sent.reduce((n, s) => n + s.failures.length, 0),
      knownByDuplicate: sent.filter((s) => s.byDuplicate).length,
      receiptsOut: sentOut.receipt ?? 0,
      opinionsOut: sentOut.opinion ?? 0,
      duplicatesRefusedByKovs: rig.sim.calls.filter((c) => c.outcome === 'DHX.Duplicate' && c.client.endsWith('/70001975/DHX')).length,
      workerKills: counts.workerKills,
      httpKills: counts.httpKills,
      redisFlushes: counts.redisFlushes,
      postgresRestarts: counts.postgresRestarts,
      opinionCallsFailed: opinionResult.failedCalls,
      peakRssMb: Math.round(rig.peakRssBytes() / 1024 / 1024),
      recoverSeconds,
      totalSeconds: (Date.now() - t0) / 1000,
    };
    if (problems.length) problems.push(...(await describeOpen(rig)));
    if (problems.length) problems.push(`adapter logs kept in ${rig.keepLogs()}; their tails:\n${rig.logTail(8)}`);
    return { figures, problems };
  } finally {
    await rig.stop();
  }
}

export function formatFigures(f: ChaosFigures): string {
  return [
    `documents in: ${f.documentsIn} requests from the KOVs (${f.senderRetries} attempts without a receipt sent again; ${f.knownByDuplicate} confirmed by DHX.Duplicate)`,
    `documents out: ${f.receiptsOut} business receipts, ${f.opinionsOut} opinions delivered (${f.duplicatesRefusedByKovs} resends refused by a KOV as DHX.Duplicate)`,
    `chaos: ${f.workerKills} worker SIGKILLs, ${f.httpKills} HTTP process SIGKILLs, ${f.redisFlushes} Redis FLUSHALL + restarts, PostgreSQL restarts ${f.postgresRestarts.fast} fast + ${f.postgresRestarts.immediate} immediate (crash); ${f.opinionCallsFailed} opinion calls failed and were looked at again`,
    `peak RSS of an adapter process: ${f.peakRssMb} MB; settled ${f.recoverSeconds.toFixed(1)} s after the chaos stopped; total ${f.totalSeconds.toFixed(1)} s`,
  ].join('\n');
}
