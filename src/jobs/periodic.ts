import cron from 'node-cron';
import type { Logger } from 'pino';

/**
 * The one scheduler for periodic work (temporary-file sweep, intake reconciler, send scheduler, deadline
 * watch, address-book refresh, DVK poll, DVK send follow-up): an in-process timer in each process that
 * runs the work. Chosen over BullMQ job schedulers because each of these passes must go on while Redis is
 * empty or away (they are what recovers from a lost Redis), and each is safe to run in several processes at once (PostgreSQL decides,
 * row by row). The period is either a cron schedule (node-cron, six fields with seconds: settings given
 * as cron expressions) or a number of seconds (settings given as an interval, also below one second or
 * above one minute, which cron cannot express; the next pass starts that long after the previous ended).
 * A pass never overlaps the previous one; a failing pass is logged and the next one tries again;
 * stop() waits for a running pass.
 */
export interface Periodic {
  stop(): Promise<void>;
}

export type Period = { cron: string } | { seconds: number };

export function startPeriodic(o: {
  /** Also the `periodic` field of log lines. */
  name: string;
  every: Period;
  /** Without one, failures go unlogged (the pass logs its own). */
  log?: Logger;
  pass: () => Promise<unknown>;
  /** Logged (warn) when a pass throws. */
  failure: string;
  /** Run a pass at once too, not only when the first period has passed. */
  atStart?: boolean;
}): Periodic {
  let running: Promise<unknown> | undefined;
  const pass = (): Promise<unknown> => {
    running ??= o
      .pass()
      .catch((err: unknown) => o.log?.warn({ periodic: o.name, err: (err as Error).message }, o.failure))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return 'cron' in o.every ? onCron(o, o.every.cron, pass) : onInterval(o, o.every.seconds, pass);
}

function onCron(o: { name: string; log?: Logger; atStart?: boolean }, schedule: string, pass: () => Promise<unknown>): Periodic {
  let last: Promise<unknown> = Promise.resolve();
  const run = (): Promise<unknown> => (last = pass());
  if (o.atStart) void run();
  const task = cron.schedule(schedule, run, {
    name: o.name,
    noOverlap: true,
    // node-cron's own messages (e.g. a pass still running at the next tick) go to our logger, not the console.
    logger: {
      info: (m) => o.log?.debug({ periodic: o.name }, m),
      warn: (m) => o.log?.debug({ periodic: o.name }, m),
      error: (m) => o.log?.warn({ periodic: o.name }, String(m)),
      debug: (m) => o.log?.debug({ periodic: o.name }, String(m)),
    },
  });
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      await last;
    },
  };
}

function onInterval(o: { atStart?: boolean }, seconds: number, pass: () => Promise<unknown>): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let last: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const next = (): void => {
    if (!stopped) timer = setTimeout(tick, seconds * 1000);
  };
  const tick = (): void => {
    timer = undefined;
    last = pass().finally(next);
  };
  if (o.atStart) tick();
  else next();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await last;
    },
  };
}
