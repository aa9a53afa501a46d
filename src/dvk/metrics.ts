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
}

export const NO_COUNTERS: DvkCounters = { polled() {}, stored() {}, marked() {}, failure() {} };

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
  for (const step of ['polled', 'stored', 'marked']) docs.inc({ step }, 0);
  for (const stage of ['receive', 'store', 'mark']) failures.inc({ stage }, 0);
  return {
    polled: (n) => docs.inc({ step: 'polled' }, n),
    stored: (n) => docs.inc({ step: 'stored' }, n),
    marked: (n) => docs.inc({ step: 'marked' }, n),
    failure: (stage) => failures.inc({ stage }),
  };
}
