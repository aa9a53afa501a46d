import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { FailureCode } from '../../src/errors';
import { makeBlobStore } from '../../src/blob/store';
import { sendDocument, type SendOutcome } from '../../src/xroad/dhx-client';
import { createOpinion } from '../../src/outbound/opinion';
import { enqueueSend, makeSendQueue } from '../../src/outbound/queue';
import { Verdict } from '../../src/outbound/states';
import { KOVS, kovCapsule, SKA_CODE } from '../intake/kov';
import { PREFIX, type Rig } from './rig';
import { sleep } from './services';

/**
 * Both directions of traffic during the chaos. KOV document systems send requests through the simulator
 * to the adapter and, like a real DHS, send again with the same consignmentId until they get an answer;
 * SKA's operators queue opinions on KLAT cases with the functions behind `dhx opinion send`.
 */

export interface Sent {
  index: number;
  kov: string;
  consignmentId: string;
  /** The receiptId the KOV got (undefined when the answer to a resend was DHX.Duplicate). */
  receiptId?: string;
  /** Whether the KOV learnt of delivery from a DHX.Duplicate (an earlier attempt got through). */
  byDuplicate: boolean;
  attempts: number;
  /** Outcomes of the attempts that were not a receipt (retry, ambiguous, rejected), by kind. */
  failures: string[];
}

/** Request i: a category per title, every tenth one for a person to classify (triage). */
export function requestCapsule(i: number): Promise<Buffer> {
  const titles = ['KLAT arvamuse taotlus', 'Nõustamise taotlus', 'Mentorluse taotlus', 'KLAT arvamuse taotlus', 'Nõustamise taotlus', 'Rahvusvahelise juhtumi päring'];
  const title = i % 10 === 9 ? `Dokument ${i}` : `${titles[i % titles.length]!} ${i}`;
  return kovCapsule({ kov: KOVS[i % KOVS.length], title, originalIdentifier: `7-1/${i}`, fileNames: i % 3 === 0 ? ['a.pdf', 'b.pdf'] : ['a.pdf'] });
}

const kovClient = (code: string) => ({ objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: code, subsystemCode: 'DHX' });

/**
 * Sends `count` requests, spread over `spreadMs`, `parallel` at a time; each is sent until it is
 * receipted (or refused as a duplicate of an earlier attempt) or `deadline` passes.
 */
export async function sendRequests(rig: Rig, o: { count: number; spreadMs: number; parallel: number; deadline: number }): Promise<Sent[]> {
  const capsules = await Promise.all(Array.from({ length: o.count }, (_x, i) => requestCapsule(i)));
  const sent: Sent[] = capsules.map((_c, i) => ({ index: i, kov: KOVS[i % KOVS.length]!.code, consignmentId: randomUUID(), byDuplicate: false, attempts: 0, failures: [] }));
  const start = Date.now();
  let next = 0;
  const one = async (s: Sent): Promise<void> => {
    while (Date.now() < o.deadline) {
      s.attempts++;
      let outcome: SendOutcome;
      try {
        outcome = await sendDocument(
          { securityServer: rig.sim.url, client: kovClient(s.kov), timeoutMs: 10_000 },
          {
            target: { service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: SKA_CODE, subsystemCode: 'DHX' } },
            consignmentId: s.consignmentId,
            capsule: Readable.from([capsules[s.index]!]),
            resend: s.attempts > 1,
          },
        );
      } catch (err) {
        // Our own failure mid-call: the request may have left, so it counts as the failure policy counts
        // INTERNAL (ambiguous), and the KOV sends again with the same consignmentId.
        outcome = { kind: 'ambiguous', code: FailureCode.INTERNAL, message: (err as Error).message, xroadId: '' };
      }
      if (outcome.kind === 'delivered') {
        if (outcome.receiptId) s.receiptId = outcome.receiptId;
        else s.byDuplicate = true;
        return;
      }
      s.failures.push(outcome.kind === 'rejected' ? `rejected ${outcome.faultCode}` : outcome.kind);
      // A refusal other than a duplicate is final for a real DHS too; it is a finding here.
      if (outcome.kind === 'rejected') return;
      await sleep(200 + Math.floor(Math.random() * 500));
    }
  };
  await Promise.all(
    Array.from({ length: o.parallel }, async () => {
      while (next < sent.length) {
        const s = sent[next++]!;
        const due = start + Math.floor((s.index * o.spreadMs) / Math.max(1, o.count));
        if (due > Date.now()) await sleep(due - Date.now());
        await one(s);
      }
    }),
  );
  return sent;
}

export interface Opinions {
  /** Cases an opinion was created for (one each). */
  cases: Set<string>;
  /** createOpinion calls that failed (PostgreSQL down), tried again later. */
  failedCalls: number;
}

/** Until `until()` says stop: every `everyMs` an opinion on one more KLAT case that has none, up to `max`. */
export async function queueOpinions(rig: Rig, o: { max: number; everyMs: number; until: () => boolean }): Promise<Opinions> {
  const store = makeBlobStore(rig.dataDir);
  const connection = new Redis(rig.redis.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  await connection.connect().catch(() => undefined);
  const queue = makeSendQueue(connection, PREFIX);
  queue.on('error', () => undefined);
  const log = pino({ level: 'silent' });
  const result: Opinions = { cases: new Set(), failedCalls: 0 };
  try {
    while (!o.until() && result.cases.size < o.max) {
      await sleep(o.everyMs);
      let caseId: string | undefined;
      try {
        const r = await rig.pool.query<{ id: string }>(
          `SELECT c.id FROM cases c
            WHERE c.category = 'klat_arvamus'
              AND NOT EXISTS (SELECT 1 FROM outbound_documents d WHERE d.case_id = c.id AND d.kind = 'opinion')
            ORDER BY c.case_number LIMIT 1`,
        );
        caseId = r.rows[0]?.id;
        if (!caseId) continue;
        result.cases.add(caseId);
        await createOpinion(
          { pool: rig.pool, store, org: { code: SKA_CODE, name: 'Sotsiaalkindlustusamet', unit: 'Laste heaolu osakond' }, log, enqueue: (id) => enqueueSend(queue, id) },
          { caseRef: caseId, verdict: result.cases.size % 2 ? Verdict.toetav : Verdict.mitteToetav, files: [{ name: 'arvamus.pdf', content: Buffer.from(`%PDF-1.4 arvamus ${caseId}`) }] },
        );
      } catch {
        // The failure may have come after the commit: the next pass looks in the database first, as an
        // operator would before sending a second opinion.
        result.failedCalls++;
        if (caseId) result.cases.delete(caseId);
      }
    }
  } finally {
    await queue.close().catch(() => undefined);
    connection.disconnect();
  }
  return result;
}
