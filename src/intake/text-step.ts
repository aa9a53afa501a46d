import type { Logger } from 'pino';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { capsulesWithPendingText } from '../inbound/steps';
import { maskPersonalCodes } from '../log/personal-code';
import { runTextStep } from './content';
import type { IntakeDeps } from './stages';

/**
 * The text step's runner (docs/intake.md, "Text"): capsules whose files are stored are handed here by the
 * intake worker once intake is finished with them (it never waits), and their files' text is read one capsule
 * at a time, in the text worker threads (TEXT_WORKERS) with the caps (TEXT_*). What is pending is also found
 * again in PostgreSQL by a periodic pass (INTAKE_RECONCILE_CRON), so a restart loses nothing. A file that fails
 * or times out is recorded on the file; the capsule's state is never touched.
 */
export interface TextRunner {
  /** Queues capsule `id` (a capsule already queued is not queued twice). */
  add(id: string): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function makeTextRunner(d: IntakeDeps, log: Logger, o: { cron?: string; maxQueued?: number } = {}): TextRunner {
  const queued = new Set<string>();
  let running: Promise<void> | undefined;
  let stopped = false;
  const maxQueued = o.maxQueued ?? 10_000;

  const drain = async (): Promise<void> => {
    while (!stopped) {
      const next = queued.values().next();
      if (next.done) return;
      const id = next.value;
      try {
        const r = await runTextStep(d, id);
        if (r.files > 0) log.debug({ capsuleId: id, files: r.files, failed: r.failed, personalData: r.personalData }, 'text read');
      } catch (err) {
        // The database away, a blob missing: the periodic pass finds the capsule again.
        log.warn({ capsuleId: id, err: maskPersonalCodes((err as Error).message) }, 'text step failed; retried by the next pass');
      } finally {
        queued.delete(id);
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
