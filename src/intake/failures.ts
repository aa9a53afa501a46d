import { DhxError, FailureCode, failureCodeOf, isFailureCode } from '../errors';

/**
 * The failure code of anything an intake stage throws (STYLE habit 2): our own codes by value, a lost
 * PostgreSQL connection as DB_UNAVAILABLE (retry), a capsule limit as permanent; anything else INTERNAL
 * (ambiguous: the capsule is parked for an operator).
 */
const PG_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '40001', '40P01']);

export function intakeFailureCode(err: unknown): FailureCode {
  const code = failureCodeOf(err);
  if (code !== FailureCode.INTERNAL) return code;
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e.code === 'string') {
      if (isFailureCode(e.code)) return e.code;
      if (PG_UNAVAILABLE.has(e.code) || e.code.startsWith('08')) return FailureCode.DB_UNAVAILABLE;
      if (e.code === 'LIMIT_EXCEEDED') return FailureCode.CAPSULE_LIMIT_EXCEEDED;
    }
    if (typeof e.message === 'string' && /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(e.message)) {
      return FailureCode.DB_UNAVAILABLE;
    }
  }
  return FailureCode.INTERNAL;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export { DhxError };
