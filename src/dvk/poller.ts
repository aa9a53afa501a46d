import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import type { CapsuleLimits } from '../capsule/content';
import { readCapsuleBuffer, type ReadResult } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import type { Config } from '../config';
import { withTryAdvisoryLock } from '../db/lock';
import type { Pool } from '../db/pool';
import { FailureCode } from '../errors';
import { insertPolled } from '../inbound/polled';
import { recordPoll } from '../inbound/polls';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { maskText } from '../log/privacy';
import { dvkClientOptions, markDocumentsReceived, receiveDocuments, type DvkClientOptions } from './client';
import { decIdOf, ReceiverStatus, type MarkItem } from './messages';
import { NO_COUNTERS, type DvkCounters } from './metrics';

/**
 * The DVK poller (docs/dvk.md): receiveDocuments v4 → every capsule stored durably as an inbound capsule
 * (transport `dvk`, deduplicated by its dhl_id) and queued for intake → markDocumentsReceived v3 for
 * exactly the dhl_ids committed. A crash between storing and marking costs nothing: the next poll gets the
 * same documents, finds their rows and marks them. One poll at a time across processes (a PostgreSQL
 * advisory lock on a connection of its own); a failed poll loses nothing and is retried by the next one.
 */

/** pg_try_advisory_lock key of the DVK poll (any constant of this schema; the migrator uses another). */
export const DVK_POLL_LOCK = 0x44564b01;

export interface DvkPollDeps {
  pool: Pool;
  store: BlobStore;
  config: Pick<Config, 'xroad' | 'dvk' | 'dhx'>;
  limits: CapsuleLimits;
  schema?: CapsuleSchema;
  log: Logger;
  /** Queues stored capsules' ids for intake (src/jobs); a failure leaves them to the intake reconciler. */
  enqueue: (ids: string[]) => Promise<void>;
  counters?: DvkCounters;
  /** Defaults to the configuration's (tests point it elsewhere). */
  client?: DvkClientOptions;
  /** Test hook: runs after the capsules are stored and before they are marked (a throw aborts the poll there). */
  afterStore?: () => Promise<void>;
}

export interface StoredDoc {
  dhlId: string;
  id: string;
  /** false: an earlier poll stored it (its mark is repeated). */
  inserted: boolean;
  state: string;
}

export type PollReport =
  | { kind: 'busy' }
  | { kind: 'failed'; stage: 'receive' | 'store' | 'mark'; error: string; polled: number; stored: StoredDoc[] }
  | { kind: 'ok'; polled: number; stored: StoredDoc[]; marked: string[]; skipped: number };

/** One poll. Never throws for a DVK or database failure: it is reported (and counted, and logged). */
export async function pollDvk(deps: DvkPollDeps): Promise<PollReport> {
  const counters = deps.counters ?? NO_COUNTERS;
  const log = deps.log.child({ component: 'dvk' });
  const run = await withTryAdvisoryLock(deps.pool, DVK_POLL_LOCK, () => pollLocked(deps, counters, log));
  if (run.kind === 'ran') {
    const r = run.value;
    // What dhx doctor shows of this poller (src/inbound/polls.ts); a failure to record it never fails the poll.
    await recordPoll(deps.pool, 'dvk', r.kind === 'ok' ? { ok: true, fetched: r.polled } : r.kind === 'failed' ? { ok: false, fetched: r.polled, stage: r.stage, error: r.error } : { ok: true, fetched: 0 }).catch(
      (err: unknown) => log.debug({ err: maskText((err as Error).message) }, 'DVK poll result not recorded'),
    );
    return r;
  }
  if (run.kind === 'busy') {
    log.debug('DVK poll: another process is polling');
    return { kind: 'busy' };
  }
  counters.failure('store');
  log.warn({ err: maskText(run.error.message) }, 'DVK poll: no database connection; the next poll tries again');
  return { kind: 'failed', stage: 'store', error: run.error.message, polled: 0, stored: [] };
}

async function pollLocked(deps: DvkPollDeps, counters: DvkCounters, log: Logger): Promise<PollReport> {
  const client = deps.client ?? dvkClientOptions(deps.config);
  const received = await receiveDocuments(client, deps.store, deps.config.dvk.batch);
  if (received.kind === 'failed') {
    counters.failure('receive');
    log.warn({ reason: received.reason, err: maskText(received.error) }, 'DVK receiveDocuments failed; the next poll tries again');
    return { kind: 'failed', stage: 'receive', error: received.error, polled: 0, stored: [] };
  }
  const polled = received.containers.length;
  counters.polled(polled);
  const stored: StoredDoc[] = [];
  const marks: MarkItem[] = [];
  const toQueue: string[] = [];
  let skipped = 0;
  const serviceKey = [client.service.xRoadInstance, client.service.memberClass, client.service.memberCode, client.service.subsystemCode].join('/');
  try {
    for (const bytes of received.containers) {
      // A capsule the reader cannot take at all is refused like an invalid one: it must not stop every later poll.
      let read: ReadResult | undefined;
      let unreadable: string | undefined;
      try {
        read = await readCapsuleBuffer(bytes, { decode: false, limits: deps.limits, ...(deps.schema ? { schema: deps.schema } : {}) });
      } catch (err) {
        unreadable = (err as Error).message;
      }
      const dhlId = read?.capsule?.decMetadata?.decId?.trim() || decIdOf(bytes);
      if (!dhlId) {
        // Without DecMetadata/DecId it can be neither deduplicated nor marked: DVK keeps offering it, and a person looks.
        skipped++;
        log.warn({ size: bytes.length }, 'DVK document without DecMetadata/DecId skipped (cannot be marked)');
        continue;
      }
      const first = read?.issues[0];
      // The receive path's verdicts: larger than DHX_MAX_CAPSULE_BYTES, or not a valid Capsule 2.1.
      const failure =
        bytes.length > deps.config.dhx.maxCapsuleBytes
          ? { code: FailureCode.DHX_SIZE_LIMIT_EXCEEDED, message: `capsule of ${bytes.length} bytes is larger than DHX_MAX_CAPSULE_BYTES (${deps.config.dhx.maxCapsuleBytes})` }
          : read?.valid && read.capsule
            ? undefined
            : { code: FailureCode.CAPSULE_INVALID, message: `capsule is invalid: ${first ? `line ${first.line}: ${first.message}` : (unreadable ?? 'not a Capsule 2.1')}` };
      const temp = await deps.store.writeTemp(Readable.from([bytes]), { inlineMax: deps.config.dhx.inlineBlobBytes });
      await deps.store.commit(temp);
      const row = await insertPolled(deps.pool, {
        id: randomUUID(),
        transport: 'dvk',
        dhlId,
        client: serviceKey,
        sender: read?.capsule?.transport.sender.organisationCode.trim() ?? '',
        recipient: deps.config.xroad.memberCode,
        sha256: temp.sha256,
        size: temp.size,
        content: temp.path ? null : (temp.bytes ?? null),
        detail: { transport: 'dvk', dhlId, service: serviceKey },
        ...(failure ? { failure } : {}),
      });
      stored.push({ dhlId, id: row.id, inserted: row.inserted, state: row.state });
      if (row.state === 'received') toQueue.push(row.id);
      marks.push(
        failure
          ? { dhlId, statusId: ReceiverStatus.rejected, fault: { faultCode: failure.code, faultActor: 'CLIENT', faultString: maskText(failure.message).slice(0, 500) } }
          : { dhlId },
      );
      if (failure) log.warn({ dhlId, inboundId: row.id, err: maskText(failure.message) }, 'DVK document refused by validation: stored failed');
    }
  } catch (err) {
    counters.failure('store');
    log.warn({ err: maskText((err as Error).message) }, 'DVK poll: storing failed; nothing is marked, the next poll tries again');
    return { kind: 'failed', stage: 'store', error: (err as Error).message, polled, stored };
  }
  counters.stored(stored.filter((s) => s.inserted).length);
  if (toQueue.length) await deps.enqueue(toQueue).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'DVK: intake queue unavailable; the reconciler queues the rows'));
  await deps.afterStore?.();
  if (marks.length === 0) {
    if (polled) log.info({ polled, skipped }, 'DVK poll: nothing to mark');
    return { kind: 'ok', polled, stored, marked: [], skipped };
  }
  const marked = await markDocumentsReceived(client, deps.store, marks);
  if (marked.kind === 'failed') {
    counters.failure('mark');
    log.warn({ reason: marked.reason, err: maskText(marked.error), dhlIds: marks.map((m) => m.dhlId) }, 'DVK markDocumentsReceived failed; the next poll marks them again');
    return { kind: 'failed', stage: 'mark', error: marked.error, polled, stored };
  }
  counters.marked(marks.length);
  log[polled ? 'info' : 'debug']({ polled, stored: stored.filter((s) => s.inserted).length, marked: marks.length }, 'DVK poll');
  return { kind: 'ok', polled, stored, marked: marks.map((m) => m.dhlId), skipped };
}

/** The poller on the periodic scheduler (every DVK_POLL_SECONDS, first at start). */
export function startDvkPoller(deps: DvkPollDeps): Periodic {
  return startPeriodic({
    name: 'dvk-poll',
    every: { seconds: deps.config.dvk.pollSeconds },
    log: deps.log,
    atStart: true,
    failure: 'DVK poll failed',
    pass: () => pollDvk(deps),
  });
}
