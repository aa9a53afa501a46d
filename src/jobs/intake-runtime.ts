import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startTempSweep } from '../blob/sweep';
import type { BlobStore } from '../blob/store';
import type { CapsuleSchema } from '../capsule/schema';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { loadRules } from '../intake/rules';
import type { IntakeDeps } from '../intake/stages';
import { startDeadlineWatch, type DeadlineCounts } from './deadlines';
import { makeIntakeWorker } from './intake-worker';
import type { JobData } from './queues';
import { startReconciler } from './reconciler';

/**
 * What `dhx serve --role worker|all` runs for intake: the intake worker, the reconciler (node-cron) and the
 * deadline watch (BullMQ job scheduler). Each pushes its release; stop() runs them in reverse, so SIGTERM
 * lets running jobs finish (STYLE habit 6).
 */

export interface IntakeRuntime {
  deps: IntakeDeps;
  stop(): Promise<void>;
}

export async function startIntakeRuntime(o: {
  config: Config;
  log: Logger;
  pool: Pool;
  store: BlobStore;
  schema: CapsuleSchema;
  queue: Queue<JobData['intake']>;
  prefix: string;
  onDeadlineCounts?: (c: DeadlineCounts) => void;
  /** Queues an outbound document for sending (the business receipts intake makes). */
  enqueueSend?: (outboundId: string) => Promise<void>;
}): Promise<IntakeRuntime> {
  const { config, log } = o;
  const releasers: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    while (releasers.length) await releasers.pop()!().catch((err: unknown) => log.warn({ err }, 'intake release failed'));
  };
  try {
    const deps: IntakeDeps = {
      pool: o.pool,
      store: o.store,
      rules: loadRules(config.intake.rulesFile),
      intake: config.intake,
      memberCode: config.xroad.memberCode,
      limits: config.capsule,
      inlineBlobBytes: config.dhx.inlineBlobBytes,
      schema: o.schema,
      log,
      ...(o.enqueueSend ? { enqueueSend: o.enqueueSend } : {}),
    };
    const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (err) => log.warn({ err: err.message }, 'worker redis error'));
    releasers.push(async () => void (await connection.quit().catch(() => connection.disconnect())));
    const worker = makeIntakeWorker({ deps, queue: o.queue, connection, prefix: o.prefix, log });
    releasers.push(() => worker.close());
    const sweep = startTempSweep({ store: o.store, maxAgeSeconds: config.tmpMaxAgeSeconds, log });
    releasers.push(() => sweep.stop());
    const reconciler = startReconciler({ pool: o.pool, queue: o.queue, stuckAfterSeconds: config.intake.stuckAfterSeconds, log, cron: config.intake.reconcileCron });
    releasers.push(() => reconciler.stop());
    const deadlines = await startDeadlineWatch({
      pool: o.pool,
      connection,
      prefix: o.prefix,
      everySeconds: config.intake.deadlineWatchSeconds,
      dueSoonDays: config.intake.dueSoonDays,
      log,
      ...(o.onDeadlineCounts ? { onCounts: o.onDeadlineCounts } : {}),
    });
    releasers.push(() => deadlines.stop());
    return { deps, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
