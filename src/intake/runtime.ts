import type { Logger } from 'pino';
import { startTempSweep } from '../blob/sweep';
import type { BlobStore } from '../blob/store';
import type { CapsuleSchema } from '../capsule/schema';
import { startDeadlineWatch, type DeadlineCounts } from '../cases/deadlines';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { TypedQueue } from '../jobs/queues';
import { makeReleaseStack, startReleasing } from '../jobs/release';
import { workerRedis } from '../jobs/worker';
import { closeTextWorkers, setTextWorkers } from '../content/text';
import { startReconciler } from './reconciler';
import { makeTextRunner } from './text-step';
import { loadRules } from './rules';
import type { IntakeDeps } from './stages';
import { makeIntakeWorker } from './worker';

/**
 * What `dhx serve --role worker|all` runs for intake: the intake worker, and on the periodic scheduler
 * the temporary-file sweep, the reconciler and the deadline watch. Each pushes its release; stop() runs
 * them in reverse, so SIGTERM lets running jobs finish (src/jobs/release.ts).
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
  queue: TypedQueue<'intake'>;
  prefix: string;
  onDeadlineCounts?: (c: DeadlineCounts) => void;
  /** Queues an outbound document for sending (the business receipts intake makes). */
  enqueueSend?: (outboundId: string) => Promise<void>;
}): Promise<IntakeRuntime> {
  const { config, log } = o;
  const stack = makeReleaseStack(log, 'intake release failed');
  return startReleasing(stack, async () => {
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
      text: { maxChars: config.text.maxChars, timeoutMs: config.text.timeoutMs, maxInputBytes: config.text.maxInputBytes },
      ...(o.enqueueSend ? { enqueueSend: o.enqueueSend } : {}),
    };
    setTextWorkers(config.text.workers);
    stack.push(() => closeTextWorkers());
    const text = makeTextRunner(deps, log, { cron: config.intake.reconcileCron });
    stack.push(() => text.stop());
    deps.afterFilesStored = (id, files) => text.add(id, files);
    const connection = workerRedis(config.redisUrl, log, stack, 'worker');
    const worker = makeIntakeWorker({ deps, connection, prefix: o.prefix, log });
    stack.push(() => worker.close());
    const sweep = startTempSweep({ store: o.store, maxAgeSeconds: config.tmpMaxAgeSeconds, log });
    stack.push(() => sweep.stop());
    const reconciler = startReconciler({ pool: o.pool, queue: o.queue, stuckAfterSeconds: config.intake.stuckAfterSeconds, log, cron: config.intake.reconcileCron });
    stack.push(() => reconciler.stop());
    const deadlines = startDeadlineWatch({
      pool: o.pool,
      everySeconds: config.intake.deadlineWatchSeconds,
      dueSoonDays: config.intake.dueSoonDays,
      log,
      ...(o.onDeadlineCounts ? { onCounts: o.onDeadlineCounts } : {}),
    });
    stack.push(() => deadlines.stop());
    return { deps, stop: () => stack.stop() };
  });
}
