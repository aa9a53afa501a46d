import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import type { Exchange } from './exchange';

/**
 * What a hostile or careless request may get back (README "HTTP endpoints", docs/fuzzing.md): a
 * receipt, a DHX fault, another endpoint's documented answer, a SOAP Fault with 500, or one of the
 * HTTP statuses a server gives for a request it will not serve; or the connection closed, which is how
 * HTTP answers a request it cannot frame. Anything else is a finding.
 */

/** 417: node:http's answer to an `Expect` other than 100-continue. */
export const DOCUMENTED_STATUSES = [200, 400, 401, 403, 404, 405, 408, 411, 413, 415, 417, 431, 500, 503] as const;

export type Verdict =
  | { ok: true; label: string; receiptId?: string }
  | { ok: false; reason: string };

const FAULT_CODES = new Set<string>(Object.values(DhxFaultCode));

function pick(text: string, tag: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${tag}>([^<]*)</(?:[\\w.-]+:)?${tag}>`).exec(text)?.[1];
}

export function judge(x: Exchange): Verdict {
  switch (x.kind) {
    case 'closed':
      return { ok: true, label: 'closed' };
    case 'aborted':
      return { ok: true, label: 'aborted' };
    case 'garbage':
      return { ok: false, reason: `the answer is not HTTP: ${JSON.stringify(x.text)}` };
    case 'hang':
      return { ok: false, reason: `no answer and no close within ${x.ms} ms (${x.received} bytes received)` };
    case 'answer':
      break;
  }
  const { status } = x;
  if (!(DOCUMENTED_STATUSES as readonly number[]).includes(status)) return { ok: false, reason: `undocumented status ${status}` };
  const text = x.body.toString('utf8');
  const type = x.headers['content-type'] ?? '';
  if (status === 500) {
    return /<(?:[\w-]+:)?Fault>/.test(text) ? { ok: true, label: '500 SOAP Fault' } : { ok: false, reason: `500 without a SOAP Fault: ${text.slice(0, 200)}` };
  }
  if (status !== 200) return { ok: true, label: String(status) };
  const receiptId = pick(text, 'receiptId');
  if (receiptId) {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(receiptId)
      ? { ok: true, label: '200 receipt', receiptId }
      : { ok: false, reason: `a receipt id that is not a capsule id: ${receiptId}` };
  }
  const faultCode = pick(text, 'faultCode');
  if (faultCode !== undefined) {
    return FAULT_CODES.has(faultCode) ? { ok: true, label: `200 ${faultCode}` } : { ok: false, reason: `undocumented DHX fault ${faultCode}` };
  }
  if (/representationListResponse/.test(text)) return { ok: true, label: '200 representationList' };
  if (/<(?:\w+:)?definitions\b/.test(text)) return { ok: true, label: '200 WSDL' };
  if (type.startsWith('application/json') && /"status":"ok"/.test(text)) return { ok: true, label: '200 health' };
  if (type.startsWith('text/plain') && /^# HELP /m.test(text)) return { ok: true, label: '200 metrics' };
  if (x.headers['content-length'] !== undefined && x.body.length === 0) return { ok: true, label: '200 (HEAD)' };
  return { ok: false, reason: `200 that is neither a receipt nor a documented answer: ${text.slice(0, 200)}` };
}
