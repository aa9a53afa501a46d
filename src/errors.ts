/**
 * Failure causes are a closed vocabulary (docs/intake.md, "Failures"), and this file is the one place that
 * decides what each means, for intake and outbound alike. Each code is exactly one of: RETRYABLE (a transient
 * condition: try again later), AMBIGUOUS (the outcome is unknown: an operator decides) or PERMANENT (trying
 * again cannot help). Retry decisions read the code (`failureKind`), never the message; what was thrown is
 * mapped to a code by its code too (`failureCodeOf` here, `failureCodeOfDb` in src/db/ for paths that talk to
 * PostgreSQL).
 *
 * The values are stored (inbound_capsules.failure_code, outbound_documents.failure_code, history
 * details): a code is renamed or removed only if no row can hold it.
 */
export const FailureCode = {
  /** The capsule is not a valid DHX capsule (not XML, not the schema, past a size limit). */
  CAPSULE_INVALID: 'CAPSULE_INVALID',
  DHX_DUPLICATE: 'DHX_DUPLICATE',
  DHX_VALIDATION: 'DHX_VALIDATION',
  DHX_UNSUPPORTED_VERSION: 'DHX_UNSUPPORTED_VERSION',
  DHX_INVALID_ADDRESSEE: 'DHX_INVALID_ADDRESSEE',
  DHX_SENDER_DOES_NOT_MATCH: 'DHX_SENDER_DOES_NOT_MATCH',
  DHX_SIZE_LIMIT_EXCEEDED: 'DHX_SIZE_LIMIT_EXCEEDED',
  /** A receiver's DHX business fault outside the spec's list: final too; its own code is kept beside it. */
  DHX_OTHER_FAULT: 'DHX_OTHER_FAULT',
  /** PostgreSQL cannot serve now: connection refused or lost, shutting down, too many clients, a deadlock (src/db/failure.ts). */
  DB_UNAVAILABLE: 'DB_UNAVAILABLE',
  /** The connection to our security server failed before the request was wholly sent. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** An HTTP error status without a DHX answer. */
  REMOTE_HTTP_ERROR: 'REMOTE_HTTP_ERROR',
  /** A SOAP Fault (e.g. the security server cannot reach the provider): not the receiver's DHX verdict. */
  REMOTE_SOAP_FAULT: 'REMOTE_SOAP_FAULT',
  /** The request left, the answer did not arrive: it may or may not have been delivered. */
  RESPONSE_LOST: 'RESPONSE_LOST',
  NO_DHX_CAPABILITY: 'NO_DHX_CAPABILITY',
  /** DVK took the document (sendDocuments) and then gave up delivering it: getSendStatus `katkestatud` (docs/dvk.md, "Sending"). */
  DVK_ABORTED: 'DVK_ABORTED',
  /**
   * The TLS link to our security server failed its handshake (a certificate not trusted, or ours refused):
   * nothing was delivered, and the same keys fail again until a person mends XROAD_TLS_* or the certificates.
   */
  TLS_HANDSHAKE_FAILED: 'TLS_HANDSHAKE_FAILED',
  /** ADIT answered `success=false` saying it cannot serve now (its database, the state portal): docs/adit.md. */
  ADIT_UNAVAILABLE: 'ADIT_UNAVAILABLE',
  /** ADIT answered `success=false` otherwise (no such user or document, not joined, not the owner, a wrong request): docs/adit.md. */
  ADIT_REFUSED: 'ADIT_REFUSED',
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** Ours and unnamed: a bug, a blob that is missing, a capsule that cannot be read. A person looks at it. */
  INTERNAL: 'INTERNAL',
} as const;
export type FailureCode = (typeof FailureCode)[keyof typeof FailureCode];

/**
 * Transient: nothing was done, and the same attempt later can succeed. Intake backs off
 * (INTAKE_BACKOFF_MS · 2^(n-1), INTAKE_ATTEMPTS tries) and then leaves the row to the reconciler; outbound
 * goes `retrying` on DHX_SEND_RETRY_SCHEDULE and, past it, `failed`.
 */
export const RETRYABLE: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.DB_UNAVAILABLE,
  FailureCode.NETWORK_ERROR,
  FailureCode.REMOTE_HTTP_ERROR,
  FailureCode.REMOTE_SOAP_FAULT,
  FailureCode.ADIT_UNAVAILABLE,
]);

/**
 * Unknown outcome: never called failed by itself, a person decides in the end. Intake `parked` (dhx failed
 * list, dhx replay); outbound `ambiguous`: resent with the same consignmentId on the schedule (the
 * receiver's duplicate check makes that safe, DHX §7), then kept `ambiguous` for dhx outbound resend|delivered.
 */
export const AMBIGUOUS: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.RESPONSE_LOST,
  FailureCode.INTERNAL,
]);

/** Final: trying again cannot help. Intake and outbound alike: `failed`, code and message kept. */
export const PERMANENT: ReadonlySet<FailureCode> = new Set<FailureCode>([
  FailureCode.CAPSULE_INVALID,
  FailureCode.DHX_DUPLICATE,
  FailureCode.DHX_VALIDATION,
  FailureCode.DHX_UNSUPPORTED_VERSION,
  FailureCode.DHX_INVALID_ADDRESSEE,
  FailureCode.DHX_SENDER_DOES_NOT_MATCH,
  FailureCode.DHX_SIZE_LIMIT_EXCEEDED,
  FailureCode.DHX_OTHER_FAULT,
  FailureCode.NO_DHX_CAPABILITY,
  FailureCode.DVK_ABORTED,
  FailureCode.ADIT_REFUSED,
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
