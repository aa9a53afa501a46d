import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { makeReleaseStack, startReleasing } from '../jobs/release';
import { workerRedis } from '../jobs/worker';
import type { SendQueue } from './queue';
import { startOutboundScheduler } from './scheduler';
import type { SendDeps } from './send';
import { makeSendWorker } from './worker';
import { clientOptionsOf } from '../xroad/dhx-client';
import { dvkClientOptions } from '../dvk/client';
import type { DvkCounters } from '../dvk/metrics';
import { startDvkFollow } from './dvk-follow';
import { startAditFollow } from './adit-follow';
import { aditClientOptions } from '../adit/client';
import type { AditSendCounters } from '../adit/metrics';

/**
 * What `dhx serve --role worker|all` runs for sending: the send worker and the scheduler. Each pushes its
 * release; stop() runs them in reverse (src/jobs/release.ts): the scheduler first, then running sends finish.
 */

export interface OutboundRuntime {
  deps: SendDeps;
  stop(): Promise<void>;
}

export function sendDepsOf(config: Config, o: { pool: Pool; store: BlobStore; log: Logger }): SendDeps {
  return {
    pool: o.pool,
    store: o.store,
    dhx: clientOptionsOf(config, config.dhx.sendTimeoutSeconds * 1000),
    instance: config.xroad.instance,
    schedule: config.dhx.sendRetrySchedule,
    log: o.log,
    transport: config.outbound.transport,
    ...(config.outbound.transport === 'dvk' ? { dvk: dvkClientOptions(config) } : {}),
    ...(config.adit.service ? { adit: aditClientOptions(config) } : {}),
  };
}

export async function startOutboundRuntime(o: {
  config: Config;
  log: Logger;
  pool: Pool;
  store: BlobStore;
  queue: SendQueue;
  prefix: string;
  /** /metrics counters of the DVK transport (send statuses), when it is in use. */
  dvkCounters?: Pick<DvkCounters, 'sendStatus'>;
  /** /metrics counters of the ADIT send side (attempts and getSendStatus), when ADIT_SERVICE is set. */
  aditCounters?: AditSendCounters;
}): Promise<OutboundRuntime> {
  const { config, log } = o;
  const stack = makeReleaseStack(log, 'send release failed');
  return startReleasing(stack, async () => {
    const deps: SendDeps = { ...sendDepsOf(config, o), ...(o.aditCounters && config.adit.service ? { aditCounters: o.aditCounters } : {}) };
    const connection = workerRedis(config.redisUrl, log, stack, 'send worker');
    const worker = makeSendWorker({ deps, queue: o.queue, connection, prefix: o.prefix, concurrency: config.outbound.concurrency, log });
    stack.push(() => worker.close());
    const scheduler = startOutboundScheduler({
      pool: o.pool,
      queue: o.queue,
      schedule: config.dhx.sendRetrySchedule,
      sendTimeoutSeconds: config.dhx.sendTimeoutSeconds,
      stuckAfterSeconds: config.outbound.stuckAfterSeconds,
      log,
      cron: config.outbound.scanCron,
    });
    stack.push(() => scheduler.stop());
    if (deps.transport === 'dvk' && deps.dvk) {
      // Documents handed to DVK: getSendStatus until delivered or aborted.
      const follow = startDvkFollow({ pool: o.pool, store: o.store, dvk: deps.dvk, schedule: deps.schedule, log, seconds: config.dvk.pollSeconds, ...(o.dvkCounters ? { counters: o.dvkCounters } : {}) });
      stack.push(() => follow.stop());
    }
    if (deps.adit) {
      // Documents delivered to a person through ADIT: getSendStatus until opened (opened_at).
      const aditFollow = startAditFollow({ pool: o.pool, store: o.store, adit: deps.adit, log, seconds: config.adit.pollSeconds, ...(o.aditCounters ? { counters: o.aditCounters } : {}) });
      stack.push(() => aditFollow.stop());
    }
    return { deps, stop: () => stack.stop() };
  });
}
