import { Counter, type Registry } from 'prom-client';

/** What a DVK poll counts (docs/dvk.md, "Metrics"). */
export interface DvkCounters {
  /** Documents receiveDocuments handed over. */
  polled(n: number): void;
  /** Documents stored as new inbound capsules (valid or failed). */
  stored(n: number): void;
  /** Documents markDocumentsReceived confirmed. */
  marked(n: number): void;
  /** A poll that failed: `receive` or `mark` (SOAP Fault, malformed answer, timeout, network), or `store`. */
  failure(stage: 'receive' | 'mark' | 'store'): void;
  /**
   * What getSendStatus said of documents we handed to DVK: `sent` (saadetud), `aborted` (katkestatud),
   * `waiting` (anything else), `unanswered` (the call itself failed; asked again next pass).
   */
  sendStatus(outcome: DvkSendOutcome, n: number): void;
}

export type DvkSendOutcome = 'sent' | 'aborted' | 'waiting' | 'unanswered';
const SEND_OUTCOMES: readonly DvkSendOutcome[] = ['sent', 'aborted', 'waiting', 'unanswered'];

export const NO_COUNTERS: DvkCounters = { polled() {}, stored() {}, marked() {}, failure() {}, sendStatus() {} };

/** The counters on `registry` (the /metrics registry of the app). */
export function makeDvkCounters(registry: Registry): DvkCounters {
  const docs = new Counter({
    name: 'dhx_dvk_documents_total',
    help: 'DVK documents by step: polled (receiveDocuments), stored (new inbound capsules), marked (markDocumentsReceived)',
    labelNames: ['step'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'dhx_dvk_poll_failures_total',
    help: 'DVK polls that failed, by stage (receive, store, mark)',
    labelNames: ['stage'] as const,
    registers: [registry],
  });
  const sends = new Counter({
    name: 'dhx_dvk_send_status_total',
    help: 'Documents handed to DVK, by what getSendStatus said: sent (saadetud), aborted (katkestatud), waiting, unanswered (the call failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of SEND_OUTCOMES) sends.inc({ outcome }, 0);
  for (const step of ['polled', 'stored', 'marked']) docs.inc({ step }, 0);
  for (const stage of ['receive', 'store', 'mark']) failures.inc({ stage }, 0);
  return {
    polled: (n) => docs.inc({ step: 'polled' }, n),
    stored: (n) => docs.inc({ step: 'stored' }, n),
    marked: (n) => docs.inc({ step: 'marked' }, n),
    failure: (stage) => failures.inc({ stage }),
    sendStatus: (outcome, n) => {
      if (n > 0) sends.inc({ outcome }, n);
    },
  };
}
