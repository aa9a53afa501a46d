import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { BlobStore } from '../blob/store';
import type { CapsuleLimits } from '../capsule/content';
import { readCapsuleBuffer } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import type { Config } from '../config';
import { withTryAdvisoryLock } from '../db/lock';
import type { Pool } from '../db/pool';
import { FailureCode } from '../errors';
import { insertPolled } from '../inbound/polled';
import { recordPoll } from '../inbound/polls';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { maskText } from '../log/privacy';
import { capsuleOfAditDocument } from './capsule';
import { aditClientOptions, getDocument, getDocumentList, markDocumentViewed, type AditClientOptions } from './client';

/**
 * The ADIT poller (docs/adit.md): getDocumentList v2 (incoming, not viewed) → getDocument v3 for each →
 * stored durably as an inbound capsule built from it (transport `adit`, deduplicated by the ADIT document
 * id) and queued for intake → markDocumentViewed v1 only after the commit. A crash between storing and
 * marking costs nothing: the next poll lists the document again, finds its row, and marks it. One poll at a
 * time across processes (advisory lock); a failed poll loses nothing.
 */

export const ADIT_POLL_LOCK = 0x41444954;

export interface AditCounters {
  step(step: 'listed' | 'stored' | 'marked', n: number): void;
  failure(stage: 'list' | 'get' | 'store' | 'mark'): void;
}
export const NO_ADIT_COUNTERS: AditCounters = { step() {}, failure() {} };

export function makeAditCounters(registry: Registry): AditCounters {
  const docs = new Counter({ name: 'dhx_adit_documents_total', help: 'ADIT documents by step: listed (getDocumentList), stored (new inbound capsules), marked (markDocumentViewed)', labelNames: ['step'] as const, registers: [registry] });
  const failures = new Counter({ name: 'dhx_adit_poll_failures_total', help: 'ADIT poll failures by stage (list, get, store, mark)', labelNames: ['stage'] as const, registers: [registry] });
  for (const step of ['listed', 'stored', 'marked']) docs.inc({ step }, 0);
  for (const stage of ['list', 'get', 'store', 'mark']) failures.inc({ stage }, 0);
  return { step: (step, n) => docs.inc({ step }, n), failure: (stage) => failures.inc({ stage }) };
}

export interface AditPollDeps {
  pool: Pool;
  store: BlobStore;
  config: Pick<Config, 'xroad' | 'adit' | 'dhx'>;
  limits: CapsuleLimits;
  schema?: CapsuleSchema;
  log: Logger;
  enqueue: (ids: string[]) => Promise<void>;
  counters?: AditCounters;
  client?: AditClientOptions;
  /** Test hook: after a document is stored, before it is marked (a throw aborts the poll there). */
  afterStore?: () => Promise<void>;
}

export interface AditStored {
  aditDocumentId: string;
  id: string;
  inserted: boolean;
  state: string;
}

export type AditPollReport =
  | { kind: 'busy' }
  | { kind: 'failed'; stage: 'list' | 'get' | 'store' | 'mark'; code?: string; error: string; listed: number; stored: AditStored[]; marked: string[] }
  | { kind: 'ok'; listed: number; stored: AditStored[]; marked: string[] };

export async function pollAdit(deps: AditPollDeps): Promise<AditPollReport> {
  const counters = deps.counters ?? NO_ADIT_COUNTERS;
  const log = deps.log.child({ component: 'adit' });
  const run = await withTryAdvisoryLock(deps.pool, ADIT_POLL_LOCK, () => pollLocked(deps, counters, log));
  if (run.kind === 'ran') {
    const r = run.value;
    // What dhx doctor shows of this poller (src/inbound/polls.ts); a failure to record it never fails the poll.
    await recordPoll(deps.pool, 'adit', r.kind === 'ok' ? { ok: true, fetched: r.listed } : r.kind === 'failed' ? { ok: false, fetched: r.listed, stage: r.stage, error: r.error } : { ok: true, fetched: 0 }).catch(
      (err: unknown) => log.debug({ err: maskText((err as Error).message) }, 'ADIT poll result not recorded'),
    );
    return r;
  }
  if (run.kind === 'busy') return { kind: 'busy' };
  counters.failure('store');
  return { kind: 'failed', stage: 'store', error: run.error.message, listed: 0, stored: [], marked: [] };
}

async function pollLocked(deps: AditPollDeps, counters: AditCounters, log: Logger): Promise<AditPollReport> {
  const client = deps.client ?? aditClientOptions(deps.config);
  const serviceKey = [client.service.xRoadInstance, client.service.memberClass, client.service.memberCode, client.service.subsystemCode].join('/');
  const list = await getDocumentList(client, deps.store);
  if (list.kind === 'failed') {
    counters.failure('list');
    log.warn({ reason: list.reason, code: list.code, err: maskText(list.error) }, 'ADIT getDocumentList failed; the next poll tries again');
    return { kind: 'failed', stage: 'list', code: list.code, error: list.error, listed: 0, stored: [], marked: [] };
  }
  const listed = list.documents.length;
  counters.step('listed', listed);
  const stored: AditStored[] = [];
  const marked: string[] = [];
  for (const item of list.documents) {
    const got = await getDocument(client, deps.store, item.id);
    if (got.kind === 'failed') {
      counters.failure('get');
      log.warn({ aditDocumentId: item.id, reason: got.reason, code: got.code, err: maskText(got.error) }, 'ADIT getDocument failed; the next poll tries again');
      return { kind: 'failed', stage: 'get', code: got.code, error: got.error, listed, stored, marked };
    }
    let row;
    try {
      const bytes = await capsuleOfAditDocument(got.document, { aditCode: client.service.memberCode, recipientCode: deps.config.xroad.memberCode });
      const read = await readCapsuleBuffer(bytes, { decode: false, limits: deps.limits, ...(deps.schema ? { schema: deps.schema } : {}) });
      const first = read.issues[0];
      const failure = read.valid && read.capsule ? undefined : { code: FailureCode.CAPSULE_INVALID, message: `ADIT document as a capsule is invalid: ${first ? `line ${first.line}: ${first.message}` : 'not a Capsule 2.1'}` };
      const temp = await deps.store.writeTemp(Readable.from([bytes]), { inlineMax: deps.config.dhx.inlineBlobBytes });
      await deps.store.commit(temp);
      row = await insertPolled(deps.pool, {
        id: randomUUID(),
        transport: 'adit',
        dhlId: item.id,
        client: serviceKey,
        sender: read.capsule?.transport.sender.organisationCode.trim() ?? client.service.memberCode,
        recipient: deps.config.xroad.memberCode,
        sha256: temp.sha256,
        size: temp.size,
        content: temp.path ? null : (temp.bytes ?? null),
        detail: { transport: 'adit', aditDocumentId: item.id, service: serviceKey },
        ...(failure ? { failure } : {}),
      });
    } catch (err) {
      counters.failure('store');
      log.warn({ aditDocumentId: item.id, err: maskText((err as Error).message) }, 'ADIT poll: storing failed; nothing is marked, the next poll tries again');
      return { kind: 'failed', stage: 'store', error: (err as Error).message, listed, stored, marked };
    }
    stored.push({ aditDocumentId: item.id, id: row.id, inserted: row.inserted, state: row.state });
    if (row.inserted) counters.step('stored', 1);
    if (row.state === 'received') await deps.enqueue([row.id]).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'ADIT: intake queue unavailable; the reconciler queues the rows'));
    await deps.afterStore?.();
    const m = await markDocumentViewed(client, deps.store, item.id);
    if (m.kind === 'failed') {
      counters.failure('mark');
      log.warn({ aditDocumentId: item.id, reason: m.reason, code: m.code, err: maskText(m.error) }, 'ADIT markDocumentViewed failed; the next poll marks it again');
      return { kind: 'failed', stage: 'mark', code: m.code, error: m.error, listed, stored, marked };
    }
    counters.step('marked', 1);
    marked.push(item.id);
  }
  log[listed ? 'info' : 'debug']({ listed, stored: stored.filter((s) => s.inserted).length, marked: marked.length }, 'ADIT poll');
  return { kind: 'ok', listed, stored, marked };
}

export function startAditPoller(deps: AditPollDeps): Periodic {
  return startPeriodic({
    name: 'adit-poll',
    every: { seconds: deps.config.adit.pollSeconds },
    log: deps.log,
    atStart: true,
    failure: 'ADIT poll failed',
    pass: () => pollAdit(deps),
  });
}
