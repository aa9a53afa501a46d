import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { configuredBlobStore } from './blob/store';
import { startTempSweep } from './blob/sweep';
import { loadCapsuleSchema } from './capsule/schema';
import { deadlineStatusCounts } from './cases/repo';
import type { Config } from './config';
import { pingDatabase } from './db/health';
import { countInboundInState } from './inbound/views';
import { makePool, type Pool } from './db/pool';
import { makeHttpServer } from './http/server';
import { startIntakeRuntime, type IntakeRuntime } from './intake/runtime';
import { makeBatcher } from './jobs/batch';
import { enqueue, intakeJobId, makeQueue, QueueName } from './jobs/queues';
import { makeReleaseStack } from './jobs/release';
import { addressBookSource, makeAddressBookRefresher } from './addressbook/addressbook';
import { closeSecurityServerAgent } from './xroad/agent';
import { enqueueSend, makeSendQueue, type SendQueue } from './outbound/queue';
import { startOutboundRuntime, type OutboundRuntime } from './outbound/runtime';
import { startDvkPoller } from './dvk/poller';
import { startRetention } from './operator/retention';
import { makeDvkCounters } from './dvk/metrics';
import { makeAditSendCounters } from './adit/metrics';
import { makeAditCounters, startAditPoller } from './adit/poller';

/**
 * Composition root (docs/architecture.md): pools, queues and the HTTP server; every resource started pushes its
 * release, and stop() runs them in reverse (graphile-worker habit).
 */

export interface AppOptions {
  config: Config;
  log: Logger;
  /** BullMQ key prefix (tests use a random one). */
  queuePrefix?: string;
  /** `http` (default): HTTP only; `worker`: intake and send workers, their periodic passes, the pollers; `all`: both. */
  role?: 'http' | 'worker' | 'all';
}

export interface App {
  pool: Pool;
  server: http.Server;
  /** The intake workers, for roles worker and all. */
  intake?: IntakeRuntime;
  /** The send worker and scheduler, for roles worker and all. */
  outbound?: OutboundRuntime;
  /** The `send` queue (opinions are queued here by every role). */
  sendQueue: SendQueue;
  /** Starts listening; port 0 picks a free one. Returns the port. */
  start(port?: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

export async function makeApp(opts: AppOptions): Promise<App> {
  const { config, log } = opts;
  const releasers = makeReleaseStack(log, 'release failed');
  const pool = makePool({ databaseUrl: config.databaseUrl, applicationName: 'dhx serve' });
  releasers.push(() => pool.end());
  // Keep-alive connections to the security server (src/xroad/agent.ts) close once nothing calls it any more.
  releasers.push(async () => closeSecurityServerAgent(config));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true, enableOfflineQueue: false });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
  releasers.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
  await redis.connect().catch((err: Error) => log.warn({ err: err.message }, 'redis not reachable at start; receipts still work'));
  const queue = makeQueue(QueueName.intake, redis, opts.queuePrefix ?? config.queuePrefix);
  releasers.push(() => queue.close());
  const sendQueue = makeSendQueue(redis, opts.queuePrefix ?? config.queuePrefix);
  releasers.push(() => sendQueue.close());
  // Receipts of one busy moment go to Redis together (one addBulk).
  const intakeBatch = makeBatcher<string>((ids) => enqueue(queue, ids.map((id) => ({ data: { id }, jobId: intakeJobId(id) }))));
  const schema = await loadCapsuleSchema();
  const store = configuredBlobStore(config, pool);
  // /health asks PostgreSQL on a connection of its own: a flood of health checks never waits for, or
  // holds, a connection a receipt needs.
  const healthPool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: 'dhx serve health' });
  releasers.push(() => healthPool.end());
  // /metrics counts cases by deadline status (docs/intake.md).
  const caseCounts = async (): Promise<{ dueSoon: number; overdue: number; triage: number }> => ({
    ...(await deadlineStatusCounts(pool)),
    triage: await countInboundInState(pool, 'triage'),
  });
  const registry = new Registry();
  const server = makeHttpServer({
    registry,
    config,
    log,
    pool,
    store,
    schema,
    limits: config.capsule,
    caseCounts,
    enqueue: (id) => intakeBatch.add(id),
    enqueueSend: (id) => enqueueSend(sendQueue, id),
    queues: { intake: queue, send: sendQueue },
    pingPostgres: () => pingDatabase(healthPool),
    pingRedis: async () => {
      if ((await redis.ping()) !== 'PONG') throw new Error('redis did not answer');
    },
  });
  if (opts.role !== 'worker' && opts.role !== 'all') {
    // Every role receives into DATA_DIR/tmp, so every role sweeps what a stopped process left there
    // (the worker roles' intake runtime runs the same sweep).
    const sweep = startTempSweep({ store, maxAgeSeconds: config.tmpMaxAgeSeconds, log });
    releasers.push(() => sweep.stop());
  }
  let intake: IntakeRuntime | undefined;
  if (opts.role === 'worker' || opts.role === 'all') {
    const prefix = opts.queuePrefix ?? config.queuePrefix;
    const runtime = await startIntakeRuntime({ config, log, pool, store, schema, queue, prefix, enqueueSend: (id) => enqueueSend(sendQueue, id) });
    releasers.push(() => runtime.stop());
    intake = runtime;
  }
  // DVK's counters, once per registry: the poller's and the send follow-up's (docs/dvk.md, "Metrics").
  const dvkCounters = (opts.role === 'worker' || opts.role === 'all') && config.dvk.url ? makeDvkCounters(registry) : undefined;
  // The ADIT send side's counters (docs/adit.md, "Metrics"): the send worker's attempts and the follow-up's statuses.
  const aditSendCounters = (opts.role === 'worker' || opts.role === 'all') && config.adit.service ? makeAditSendCounters(registry) : undefined;
  let outbound: OutboundRuntime | undefined;
  if (opts.role === 'worker' || opts.role === 'all') {
    const runtime = await startOutboundRuntime({
      config,
      log,
      pool,
      store,
      queue: sendQueue,
      prefix: opts.queuePrefix ?? config.queuePrefix,
      ...(dvkCounters ? { dvkCounters } : {}),
      ...(aditSendCounters ? { aditCounters: aditSendCounters } : {}),
    });
    releasers.push(() => runtime.stop());
    outbound = runtime;
  }
  if ((opts.role === 'worker' || opts.role === 'all') && config.retentionDays > 0) {
    // RETENTION_DAYS: raw capsules of finished documents removed daily (docs/operations.md, "Retention").
    const retention = startRetention({ pool, store, retentionDays: config.retentionDays, log });
    releasers.push(() => retention.stop());
  }
  if ((opts.role === 'worker' || opts.role === 'all') && config.dhx.addressBookRefreshSeconds > 0) {
    // DHX §7: the address book follows the global configuration (DHX_ADDRESSBOOK_REFRESH).
    const refresher = makeAddressBookRefresher({ pool, source: addressBookSource(config), intervalSeconds: config.dhx.addressBookRefreshSeconds, log });
    refresher.start();
    releasers.push(() => refresher.stop());
  }
  if ((opts.role === 'worker' || opts.role === 'all') && config.dvk.url) {
    // docs/dvk.md: receiveDocuments → stored and queued for intake → markDocumentsReceived, every DVK_POLL_SECONDS.
    const poller = startDvkPoller({
      pool,
      store,
      schema,
      config,
      limits: config.capsule,
      log,
      ...(dvkCounters ? { counters: dvkCounters } : {}),
      enqueue: async (ids) => {
        await Promise.all(ids.map((id) => intakeBatch.add(id)));
      },
    });
    releasers.push(() => poller.stop());
  }
  if ((opts.role === 'worker' || opts.role === 'all') && config.adit.service) {
    // docs/adit.md: getDocumentList → getDocument → stored and queued for intake → markDocumentViewed, every ADIT_POLL_SECONDS.
    const aditPoller = startAditPoller({
      pool,
      store,
      schema,
      config,
      limits: config.capsule,
      log,
      counters: makeAditCounters(registry),
      enqueue: async (ids) => {
        await Promise.all(ids.map((id) => intakeBatch.add(id)));
      },
    });
    releasers.push(() => aditPoller.stop());
  }
  return {
    pool,
    server,
    ...(intake ? { intake } : {}),
    ...(outbound ? { outbound } : {}),
    sendQueue,
    async start(port = config.port, host = '0.0.0.0') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      releasers.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      );
      return (server.address() as AddressInfo).port;
    },
    stop: () => releasers.stop(),
  };
}
