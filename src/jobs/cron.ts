import cron from 'node-cron';
import type { Logger } from 'pino';

/**
 * A periodic pass on an in-process timer (node-cron): for work that must go on while Redis is empty or
 * away (the reconciler, the send scheduler, the temporary-file sweep). A pass never overlaps the previous
 * one; a failing pass is logged and the next tick tries again; stop() waits for a running pass.
 */
export interface CronPass {
  stop(): Promise<void>;
}

export function startCronPass(o: {
  /** Also the `cron` field of log lines. */
  name: string;
  schedule: string;
  log: Logger;
  pass: () => Promise<unknown>;
  /** Logged (warn) when a pass throws. */
  failure: string;
  /** Run a pass at once too, not only at the first tick. */
  atStart?: boolean;
}): CronPass {
  let running: Promise<unknown> = Promise.resolve();
  const pass = (): Promise<unknown> => {
    running = o.pass().catch((err: unknown) => o.log.warn({ cron: o.name, err: (err as Error).message }, o.failure));
    return running;
  };
  if (o.atStart) void pass();
  const task = cron.schedule(o.schedule, pass, {
    name: o.name,
    noOverlap: true,
    // node-cron's own messages (e.g. a pass still running at the next tick) go to our logger, not the console.
    logger: {
      info: (m) => o.log.debug({ cron: o.name }, m),
      warn: (m) => o.log.debug({ cron: o.name }, m),
      error: (m) => o.log.warn({ cron: o.name }, String(m)),
      debug: (m) => o.log.debug({ cron: o.name }, String(m)),
    },
  });
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
