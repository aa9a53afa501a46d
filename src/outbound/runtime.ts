import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { SendQueue } from './queue';
import { startOutboundScheduler } from './scheduler';
import type { SendDeps } from './send';
import { makeSendWorker } from './worker';
import { clientOptionsOf } from '../xroad/dhx-client';

/**
 * What `dhx serve --role worker|all` runs for sending: the send worker and the scheduler. Each pushes its
 * release; stop() runs them in reverse (STYLE habit 6): the scheduler first, then running sends finish.
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
  };
}

export async function startOutboundRuntime(o: {
  config: Config;
  log: Logger;
  pool: Pool;
  store: BlobStore;
  queue: SendQueue;
  prefix: string;
}): Promise<OutboundRuntime> {
  const { config, log } = o;
  const releasers: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    while (releasers.length) await releasers.pop()!().catch((err: unknown) => log.warn({ err }, 'send release failed'));
  };
  try {
    const deps = sendDepsOf(config, o);
    const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (err) => log.warn({ err: err.message }, 'send worker redis error'));
    releasers.push(async () => void (await connection.quit().catch(() => connection.disconnect())));
    const worker = makeSendWorker({ deps, queue: o.queue, connection, prefix: o.prefix, concurrency: config.outbound.concurrency, log });
    releasers.push(() => worker.close());
    const scheduler = startOutboundScheduler({
      pool: o.pool,
      queue: o.queue,
      schedule: config.dhx.sendRetrySchedule,
      sendTimeoutSeconds: config.dhx.sendTimeoutSeconds,
      stuckAfterSeconds: config.outbound.stuckAfterSeconds,
      log,
      cron: config.outbound.scanCron,
    });
    releasers.push(() => scheduler.stop());
    return { deps, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
