import type { Logger } from 'pino';

/**
 * Ordered shutdown (graphile-worker habit): every resource started pushes its release, and
 * stop() runs them in reverse, so what was started last (a scheduler, a worker) stops first and the
 * connections it used close after it. A release that fails is logged and the next one still runs.
 */
export interface ReleaseStack {
  push(release: () => Promise<void>): void;
  stop(): Promise<void>;
}

export function makeReleaseStack(log: Logger, failure: string): ReleaseStack {
  const releases: Array<() => Promise<void>> = [];
  return {
    push(release) {
      releases.push(release);
    },
    async stop() {
      while (releases.length) await releases.pop()!().catch((err: unknown) => log.warn({ err }, failure));
    },
  };
}

/** Runs `start` with the stack; when it throws, what it had started is released before the error goes on. */
export async function startReleasing<T>(stack: ReleaseStack, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
