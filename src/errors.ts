/**
 * Failure causes are a closed vocabulary (STYLE habit 2). Each code is exactly one of: RETRYABLE (a
 * transient condition: try again later), AMBIGUOUS (the outcome is unknown: an operator decides) or
 * PERMANENT (trying again cannot help). Retry decisions read the code, never the message.
 */
export const FailureCode = {
  CAPSULE_INVALID: 'CAPSULE_INVALID',
  CAPSULE_NOT_XML: 'CAPSULE_NOT_XML',
  CAPSULE_LIMIT_EXCEEDED: 'CAPSULE_LIMIT_EXCEEDED',
  FILE_DECODE_FAILED: 'FILE_DECODE_FAILED',
  DHX_DUPLICATE: 'DHX_DUPLICATE',
  DHX_VALIDATION: 'DHX_VALIDATION',
  DHX_UNSUPPORTED_VERSION: 'DHX_UNSUPPORTED_VERSION',
  DHX_INVALID_ADDRESSEE: 'DHX_INVALID_ADDRESSEE',
  DHX_SENDER_DOES_NOT_MATCH: 'DHX_SENDER_DOES_NOT_MATCH',
  DHX_SIZE_LIMIT_EXCEEDED: 'DHX_SIZE_LIMIT_EXCEEDED',
  /** A receiver's DHX business fault outside the spec's list: final too; its own code is kept beside it. */
  DHX_OTHER_FAULT: 'DHX_OTHER_FAULT',
  DB_UNAVAILABLE: 'DB_UNAVAILABLE',
  REDIS_UNAVAILABLE: 'REDIS_UNAVAILABLE',
  NETWORK_TIMEOUT: 'NETWORK_TIMEOUT',
  NETWORK_ERROR: 'NETWORK_ERROR',
  REMOTE_HTTP_ERROR: 'REMOTE_HTTP_ERROR',
  REMOTE_SOAP_FAULT: 'REMOTE_SOAP_FAULT',
  /** The request left, the answer did not arrive: it may or may not have been delivered. */
  RESPONSE_LOST: 'RESPONSE_LOST',
  NO_DHX_CAPABILITY: 'NO_DHX_CAPABILITY',
  /**
   * The TLS link to our security server failed its handshake (a certificate not trusted, or ours refused):
   * nothing was delivered, and the same keys fail again until a person mends XROAD_TLS_* or the certificates.
   */
  TLS_HANDSHAKE_FAILED: 'TLS_HANDSHAKE_FAILED',
  CONFIG_INVALID: 'CONFIG_INVALID',
  INTERNAL: 'INTERNAL',
} as const;
export type FailureCode = (typeof FailureCode)[keyof typeof FailureCode];

export const RETRYABLE: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.DB_UNAVAILABLE,
  FailureCode.REDIS_UNAVAILABLE,
  FailureCode.NETWORK_ERROR,
  FailureCode.REMOTE_HTTP_ERROR,
  FailureCode.REMOTE_SOAP_FAULT,
]);

export const AMBIGUOUS: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.NETWORK_TIMEOUT,
  FailureCode.RESPONSE_LOST,
  FailureCode.INTERNAL,
]);

export const PERMANENT: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.CAPSULE_INVALID,
  FailureCode.CAPSULE_NOT_XML,
  FailureCode.CAPSULE_LIMIT_EXCEEDED,
  FailureCode.FILE_DECODE_FAILED,
  FailureCode.DHX_DUPLICATE,
  FailureCode.DHX_VALIDATION,
  FailureCode.DHX_UNSUPPORTED_VERSION,
  FailureCode.DHX_INVALID_ADDRESSEE,
  FailureCode.DHX_SENDER_DOES_NOT_MATCH,
  FailureCode.DHX_SIZE_LIMIT_EXCEEDED,
  FailureCode.DHX_OTHER_FAULT,
  FailureCode.NO_DHX_CAPABILITY,
  FailureCode.TLS_HANDSHAKE_FAILED,
  FailureCode.CONFIG_INVALID,
]);

export function isFailureCode(x: unknown): x is FailureCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(FailureCode, x);
}

/** An error with a stable code; `detail` is safe to log (no personal data beyond what the log masks). */
export class DhxError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DhxError';
  }
}

/**
 * The failure code of anything thrown, read by value: errors that cross BullMQ (or any serialisation)
 * lose their class but keep `code`. Unknown errors are INTERNAL (ambiguous: a person looks at them).
 */
export function failureCodeOf(err: unknown): FailureCode {
  if (err !== null && typeof err === 'object' && 'code' in err && isFailureCode((err as { code: unknown }).code)) {
    return (err as { code: FailureCode }).code;
  }
  return FailureCode.INTERNAL;
}

export type FailureKind = 'retryable' | 'ambiguous' | 'permanent';

export function failureKind(code: FailureCode): FailureKind {
  if (RETRYABLE.has(code)) return 'retryable';
  if (AMBIGUOUS.has(code)) return 'ambiguous';
  return 'permanent';
}
