/**
 * Outgoing document states (docs/architecture.md, "States"): `queued → sending → sent`, or `retrying` (a
 * transient failure, next attempt at `next_attempt_at`), `ambiguous` (the request left and no answer came
 * back: resent on the same schedule with the same consignmentId; when the schedule is spent an operator
 * decides), `failed` (final: a receiver's business fault, no DHX route, or transient failures past the
 * schedule).
 */
export const OutboundState = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  retrying: 'retrying',
  ambiguous: 'ambiguous',
  failed: 'failed',
} as const;
export type OutboundState = (typeof OutboundState)[keyof typeof OutboundState];

/** States a send attempt may start from. */
export const SENDABLE: readonly OutboundState[] = [OutboundState.queued, OutboundState.retrying, OutboundState.ambiguous];

export function isSendable(state: string): boolean {
  return (SENDABLE as readonly string[]).includes(state);
}

export const OutboundKind = { receipt: 'receipt', opinion: 'opinion', other: 'other' } as const;
export type OutboundKind = (typeof OutboundKind)[keyof typeof OutboundKind];

export const Verdict = { toetav: 'toetav', mitteToetav: 'mitte-toetav' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export function isVerdict(x: unknown): x is Verdict {
  return x === Verdict.toetav || x === Verdict.mitteToetav;
}
