import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config';
import { maskPersonalCodes } from './personal-code';
import { maskText } from './privacy';

export type { Logger } from 'pino';
export { isValidPersonalCode, maskPersonalCodes } from './personal-code';

/**
 * One structured logger for the whole program (docs/foundation.md, "Logging"); children carry `{ capsuleId,
 * stage }`. Every capsule concerns a child, and a personal code may sit in any field (a title, a file name,
 * an error message), so the finished JSON line is masked as a whole: nothing can slip past in a field a
 * caller did not foresee.
 */

const MAX_DEPTH = 20;

/** Masks personal codes in every string of a value, at any depth (used for values logged as objects). */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalCodes(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) {
    const masked: Record<string, unknown> = { type: value.name, message: maskPersonalCodes(value.message) };
    if (value.stack) masked.stack = maskPersonalCodes(value.stack);
    for (const [k, v] of Object.entries(value)) masked[k] = maskDeep(v, depth + 1);
    return masked;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskPersonalCodes(k), maskDeep(v, depth + 1)]));
}

/**
 * The last line of defence: every serialised line is masked before it is written, so a code in a field
 * no hook saw (a binding, a serializer's output) is still caught. The result stays valid JSON.
 */
function maskingDestination(dest: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      dest.write(maskText(line));
    },
  };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go (default stdout). */
  destination?: DestinationStream;
  name?: string;
}

export function makeLogger(opts: LoggerOptions): Logger {
  const dest = opts.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: opts.level,
      base: { name: opts.name ?? 'dhx-adapter' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (b) => maskDeep(b) as Record<string, unknown>,
        log: (o) => maskDeep(o) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonalCodes(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    maskingDestination(dest),
  );
}
