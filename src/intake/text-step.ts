import type { Logger } from 'pino';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { capsulesWithPendingText } from '../inbound/steps';
import { maskPersonalCodes } from '../log/personal-code';
import { runTextSteps } from './content';
import type { IntakeDeps } from './stages';

/**
 * The text step's runner (docs/intake.md, "Text"): capsules whose files are stored are handed here by the
 * intake worker once intake is finished with them (it never waits), and their files' text is read in rounds of
 * up to BATCH capsules (whatever is queued when a round starts), in the text worker threads (TEXT_WORKERS) with
 * the caps (TEXT_*). What is pending is also found again in PostgreSQL by a periodic pass
 * (INTAKE_RECONCILE_CRON), so a restart loses nothing. A file that fails or times out is recorded on the file;
 * the capsule's state is never touched.
 */
export interface TextRunner {
  /** Queues capsule `id` (a capsule already queued is not queued twice). */
  add(id: string): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Capsules read in one round: looked up, stored and flagged together (runTextSteps). */
const BATCH = 32;

export function makeTextRunner(d: IntakeDeps, log: Logger, o: { cron?: string; maxQueued?: number } = {}): TextRunner {
  const queued = new Set<string>();
  let running: Promise<void> | undefined;
  let stopped = false;
  const maxQueued = o.maxQueued ?? 10_000;

  const drain = async (): Promise<void> => {
    while (!stopped && queued.size > 0) {
      const batch: string[] = [];
      for (const id of queued) {
        batch.push(id);
        if (batch.length >= BATCH) break;
      }
      try {
        const results = await runTextSteps(d, batch);
        for (const [id, r] of results) {
          if (r.files > 0) log.debug({ capsuleId: id, files: r.files, failed: r.failed, personalData: r.personalData }, 'text read');
        }
      } catch (err) {
        // The database away, a blob missing: the periodic pass finds the capsules again.
        log.warn({ capsuleIds: batch, err: maskPersonalCodes((err as Error).message) }, 'text step failed; retried by the next pass');
      } finally {
        for (const id of batch) queued.delete(id);
      }
    }
  };
  const kick = (): void => {
    running ??= drain().finally(() => {
      running = undefined;
      if (queued.size > 0 && !stopped) kick();
    });
  };
  const runner: TextRunner = {
    add(id) {
      if (stopped || queued.size >= maxQueued) return;
      queued.add(id);
      kick();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      await pass?.stop();
      await running;
    },
  };
  const pass: Periodic | undefined = o.cron
    ? startPeriodic({
        name: 'text-step',
        every: { cron: o.cron },
        log,
        atStart: true,
        failure: 'text pass failed',
        pass: async () => {
          for (const id of await capsulesWithPendingText(d.pool, 500)) runner.add(id);
        },
      })
    : undefined;
  return runner;
}
