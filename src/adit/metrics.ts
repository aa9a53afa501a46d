import { Counter, type Registry } from 'prom-client';

/** What the ADIT send side counts (docs/adit.md, "Metrics"): send attempts to persons and what getSendStatus said. */
export interface AditSendCounters {
  /**
   * One send attempt to a person through ADIT, by its end: `sent` (delivered to ADIT), `not_joined` (getUserInfo:
   * the person has not joined ADIT; nothing saved), `failed` (any other permanent failure, or retries exhausted),
   * `retrying`, `ambiguous`.
   */
  send(outcome: AditSendOutcome): void;
  /** What the follow-up's getSendStatus said of sent documents: `opened`, `waiting`, `unanswered` (the call failed). */
  status(outcome: AditStatusOutcome, n: number): void;
}

export type AditSendOutcome = 'sent' | 'not_joined' | 'failed' | 'retrying' | 'ambiguous';
export type AditStatusOutcome = 'opened' | 'waiting' | 'unanswered';
const SEND_OUTCOMES: readonly AditSendOutcome[] = ['sent', 'not_joined', 'failed', 'retrying', 'ambiguous'];
const STATUS_OUTCOMES: readonly AditStatusOutcome[] = ['opened', 'waiting', 'unanswered'];

export const NO_ADIT_SEND_COUNTERS: AditSendCounters = { send() {}, status() {} };

/** The counters on `registry` (the /metrics registry of the app). */
export function makeAditSendCounters(registry: Registry): AditSendCounters {
  const sends = new Counter({
    name: 'dhx_adit_send_total',
    help: 'Send attempts to persons through ADIT, by outcome: sent (delivered to ADIT), not_joined, failed, retrying, ambiguous',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const statuses = new Counter({
    name: 'dhx_adit_send_status_total',
    help: 'Documents sent to persons through ADIT, by what getSendStatus said: opened, waiting, unanswered (the call failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of SEND_OUTCOMES) sends.inc({ outcome }, 0);
  for (const outcome of STATUS_OUTCOMES) statuses.inc({ outcome }, 0);
  return {
    send: (outcome) => sends.inc({ outcome }),
    status: (outcome, n) => {
      if (n > 0) statuses.inc({ outcome }, n);
    },
  };
}
