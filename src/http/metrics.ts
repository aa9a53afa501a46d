import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry, so several apps can live in one process). */
export interface Metrics {
  registry: Registry;
  /** One DHX request: operation (sendDocument | representationList | unknown), outcome (receipt | fault | soap_fault | forbidden), fault code. */
  request(operation: string, outcome: string, faultCode: string, seconds: number): void;
  capsuleBytes(n: number): void;
}

export function makeMetrics(): Metrics {
  const registry = new Registry();
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
