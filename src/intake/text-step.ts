import type { Logger } from 'pino';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { capsulesWithPendingText } from '../inbound/steps';
import { maskPersonalCodes } from '../log/personal-code';
import { runTextSteps, type StoredFile } from './content';
import type { IntakeDeps } from './stages';

/**
 * The text step's runner (docs/intake.md, "Text"): capsules whose files are stored are handed here by the
 * intake worker once intake is finished with them (it never waits), and their files' text is read in rounds of
 * up to BATCH capsules (what is queued once a round is full or GATHER_MS has passed), in the text worker threads (TEXT_WORKERS) with
 * the caps (TEXT_*). What is pending is also found again in PostgreSQL by a periodic pass
 * (INTAKE_RECONCILE_CRON), so a restart loses nothing. A file that fails or times out is recorded on the file;
 * the capsule's state is never touched. The files intake stored come with the id (runTextSteps takes them as
 * given), with their content while it was in memory, up to HELD_BYTES in all; past that, and after a restart,
 * files are looked up in PostgreSQL and read from the blob store.
 */
export interface TextRunner {
  /** Queues capsule `id` (a capsule already queued is not queued twice), with the files intake stored when given. */
  add(id: string, files?: readonly StoredFile[]): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Capsules read in one round: looked up, stored and flagged together (runTextSteps). */
const BATCH = 32;
/** Content held for queued capsules at most (bytes); more is read back from the blob store when its turn comes. */
const HELD_BYTES = 64 * 1024 * 1024;
/**
 * A round with fewer than BATCH capsules queued waits this long for more (ms): each round is two statements
 * and a commit, and intake hands capsules over one at a time, so rounds taken at once held two or three.
 */
const GATHER_MS = 200;

export function makeTextRunner(d: IntakeDeps, log: Logger, o: { cron?: string; maxQueued?: number; gatherMs?: number } = {}): TextRunner {
  const queued = new Set<string>();
  /** Queued capsules' files handed over by intake, and the size of the content they hold, in all. */
  const held = new Map<string, readonly StoredFile[]>();
  let heldBytes = 0;
  const sizeOf = (files: readonly StoredFile[]): number => files.reduce((n, f) => n + (f.bytes?.length ?? 0), 0);
  const release = (id: string): void => {
    const files = held.get(id);
    if (!files) return;
    held.delete(id);
    heldBytes -= sizeOf(files);
  };
  let running: Promise<void> | undefined;
  let stopped = false;
  const maxQueued = o.maxQueued ?? 10_000;
  const gatherMs = o.gatherMs ?? GATHER_MS;
  /** Ends the wait for a fuller round (the round is full, or the runner stops). */
  let wake: (() => void) | undefined;
  const gather = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, gatherMs);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const drain = async (): Promise<void> => {
    while (!stopped && queued.size > 0) {
      if (queued.size < BATCH && gatherMs > 0) await gather();
      if (stopped) break;
      const batch: string[] = [];
      for (const id of queued) {
        batch.push(id);
        if (batch.length >= BATCH) break;
      }
      try {
        const results = await runTextSteps(d, batch, held);
        for (const [id, r] of results) {
          if (r.files > 0) log.debug({ capsuleId: id, files: r.files, failed: r.failed, personalData: r.personalData }, 'text read');
        }
      } catch (err) {
        // The database away, a blob missing: the periodic pass finds the capsules again.
        log.warn({ capsuleIds: batch, err: maskPersonalCodes((err as Error).message) }, 'text step failed; retried by the next pass');
      } finally {
        for (const id of batch) {
          queued.delete(id);
          release(id);
        }
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
    add(id, files) {
      if (stopped || queued.size >= maxQueued || queued.has(id)) return;
      queued.add(id);
      if (files) {
        const size = sizeOf(files);
        // Past the cap the content stays behind (read from the blob store); the list is kept.
        const kept = heldBytes + size <= HELD_BYTES ? files : files.map(({ bytes: _content, ...f }) => f);
        held.set(id, kept);
        heldBytes += sizeOf(kept);
      }
      if (queued.size >= BATCH) wake?.();
      kick();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      wake?.();
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
