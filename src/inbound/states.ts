/**
 * Inbound states (docs/architecture.md, "States"). Terminal: done, triage (a person decides), parked
 * (ambiguous failure), failed.
 */
export const InboundState = {
  received: 'received',
  parsed: 'parsed',
  classified: 'classified',
  extracted: 'extracted',
  routed: 'routed',
  done: 'done',
  triage: 'triage',
  parked: 'parked',
  failed: 'failed',
} as const;
export type InboundState = (typeof InboundState)[keyof typeof InboundState];

/** States the pipeline still has to move on; the reconciler re-enqueues rows stuck in one of them. */
export const PENDING_STATES: InboundState[] = ['received', 'parsed', 'classified', 'extracted', 'routed'];
