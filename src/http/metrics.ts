import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Case deadline counts for the gauges, read at scrape time (the deadline watch marks the cases). */
export type CaseCountsSource = () => Promise<{ dueSoon: number; overdue: number; triage: number }>;

/** Prometheus metrics of one app instance (its own registry, so several apps can live in one process). */
export interface Metrics {
  registry: Registry;
  /** One DHX request: operation (sendDocument | representationList | unknown), outcome (receipt | fault | soap_fault | forbidden), fault code. */
  request(operation: string, outcome: string, faultCode: string, seconds: number): void;
  capsuleBytes(n: number): void;
}

/** `caseCounts`, when given, feeds the case gauges at scrape time; `registry`, when given, is the one to fill (others, e.g. the DVK poller's counters, share it). */
export function makeMetrics(caseCounts?: CaseCountsSource, registry: Registry = new Registry()): Metrics {
  if (caseCounts) {
    let pending: ReturnType<CaseCountsSource> | undefined;
    // One query per scrape for the three gauges.
    const read = async (): Promise<Awaited<ReturnType<CaseCountsSource>> | undefined> => {
      pending ??= caseCounts().finally(() => setTimeout(() => (pending = undefined), 100));
      return pending.catch(() => undefined);
    };
    const gauge = (name: string, help: string, pick: (c: Awaited<ReturnType<CaseCountsSource>>) => number): Gauge =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const c = await read();
          if (c) this.set(pick(c));
        },
      });
    gauge('dhx_cases_due_soon', 'Open cases the deadline watch marked due_soon', (c) => c.dueSoon);
    gauge('dhx_cases_overdue', 'Open cases the deadline watch marked overdue', (c) => c.overdue);
    gauge('dhx_inbound_triage', 'Received capsules waiting for a person to classify them', (c) => c.triage);
  }
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'dhx_requests_total',
    help: 'DHX provider requests by operation, outcome and DHX fault code',
    labelNames: ['operation', 'outcome', 'fault_code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'dhx_request_duration_seconds',
    help: 'Time from request start to answer',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const bytes = new Counter({ name: 'dhx_capsule_bytes_total', help: 'Bytes of receipted capsules', registers: [registry] });
  return {
    registry,
    request(operation, outcome, faultCode, seconds) {
      requests.inc({ operation, outcome, fault_code: faultCode });
      latency.observe({ operation, outcome }, seconds);
    },
    capsuleBytes: (n) => bytes.inc(n),
  };
}
