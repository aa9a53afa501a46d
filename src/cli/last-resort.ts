import type { Logger } from 'pino';

/**
 * The daemon's last resort for an error nothing else caught. A failure of one connection (a peer that
 * reset or closed its socket) is logged and the daemon goes on: nothing it holds is in doubt. Anything
 * else thrown out of the event loop may have left a request, a worker or a timer half-done, so the
 * daemon logs it, stops as cleanly as it can within `stopWithinMs`, and exits 1 for its supervisor to
 * start it again (docs/operations.md, "Running the daemon"). A promise rejected with nobody waiting lost only its own
 * operation — PostgreSQL remains the record, and the reconciler and scheduler pick up what it left — so
 * it is logged, not fatal. The logger masks personal codes in whatever the error carries.
 */

const CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);

export type LastResortVerdict = 'continue' | 'exit';

/** Whether an uncaught error leaves the process in a state it can trust. */
export function uncaughtVerdict(err: unknown): LastResortVerdict {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code) ? 'continue' : 'exit';
}

export interface LastResortOptions {
  log: Logger;
  /** Stops the daemon (the app's releasers). */
  stop: () => Promise<void>;
  exit?: (code: number) => void;
  stopWithinMs?: number;
}

export interface LastResort {
  onUncaught(err: unknown): void;
  onUnhandled(reason: unknown): void;
  /** Removes the process handlers (the daemon stopped normally). */
  uninstall(): void;
}

export function installLastResort(o: LastResortOptions, proc: NodeJS.EventEmitter = process): LastResort {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let exiting = false;
  const onUncaught = (err: unknown): void => {
    if (uncaughtVerdict(err) === 'continue') {
      o.log.warn({ err }, 'uncaught connection error; the daemon goes on');
      return;
    }
    o.log.fatal({ err }, 'uncaught exception; the daemon stops and exits 1');
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => exit(1), o.stopWithinMs ?? 10_000);
    timer.unref();
    o.stop()
      .catch((stopErr: unknown) => o.log.error({ err: stopErr }, 'stopping after an uncaught exception failed'))
      .finally(() => {
        clearTimeout(timer);
        exit(1);
      });
  };
  const onUnhandled = (reason: unknown): void => {
    o.log.error({ err: reason }, 'unhandled promise rejection; the daemon goes on');
  };
  proc.on('uncaughtException', onUncaught);
  proc.on('unhandledRejection', onUnhandled);
  return {
    onUncaught,
    onUnhandled,
    uninstall() {
      proc.off('uncaughtException', onUncaught);
      proc.off('unhandledRejection', onUnhandled);
    },
  };
}
