import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import type { Pool } from '../db/pool';
import { getSendStatus, type DvkClientOptions } from '../dvk/client';
import { RECEIVER_STATUS_NAMES, type SendStatusItem } from '../dvk/messages';
import { NO_COUNTERS, type DvkCounters } from '../dvk/metrics';
import { FailureCode } from '../errors';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { failureFinish, finish, type AttemptResult } from './send';

/**
 * The DVK follow-up (docs/dvk.md, "Sending"): documents handed to DVK (state `sending` with a dhl_id) are
 * asked about by getSendStatus v2, the longest-unasked first, until DVK says `saadetud` (→ `sent`, an
 * opinion's case answered, as a DHX delivery) or `katkestatud` (→ `failed`, DVK_ABORTED, DVK's reason as
 * the fault message). Anything else (`saatmisel`, `ootel`, no item for the dhl_id) leaves the row waiting.
 * A failed getSendStatus changes nothing: the next pass asks again. On the periodic scheduler
 * (src/jobs/periodic.ts), every DVK_POLL_SECONDS.
 */

export interface DvkFollowDeps {
  pool: Pool;
  store: BlobStore;
  dvk: DvkClientOptions;
  schedule: readonly number[];
  log: Logger;
  /** dhl_ids asked per getSendStatus (default 100). */
  batch?: number;
  /** /metrics: what the answers said (dhx_dvk_send_status_total). */
  counters?: Pick<DvkCounters, 'sendStatus'>;
}

export type DvkVerdict = { kind: 'sent' } | { kind: 'aborted'; faultCode: string; reason: string } | { kind: 'waiting'; status: string };

/** What one status item says: `olek`, else the last history entry's `staatus`. */
export function verdictOf(item: SendStatusItem): DvkVerdict {
  const last = item.history[item.history.length - 1];
  const status = (item.olek ?? last?.staatus ?? '').trim().toLowerCase();
  if (status === 'saadetud') return { kind: 'sent' };
  if (status !== 'katkestatud') return { kind: 'waiting', status: status || 'unknown' };
  const faulted = [...item.history].reverse().find((h) => h.fault);
  const receiver = [...item.history].reverse().find((h) => h.receiverStatusId !== undefined)?.receiverStatusId;
  const parts: string[] = [];
  if (faulted?.fault) parts.push(`${faulted.fault.faultString}${faulted.fault.faultCode ? ` (${faulted.fault.faultCode})` : ''}`);
  if (receiver !== undefined) parts.push(`vastuvotja_staatus_id ${receiver}${RECEIVER_STATUS_NAMES[receiver] ? ` ${RECEIVER_STATUS_NAMES[receiver]}` : ''}`);
  return {
    kind: 'aborted',
    faultCode: faulted?.fault?.faultCode || 'DVK.katkestatud',
    reason: `DVK aborted the delivery (katkestatud)${parts.length ? `: ${parts.join('; ')}` : ''}`,
  };
}

export interface DvkFollowReport {
  asked: number;
  sent: number;
  failed: number;
  waiting: number;
}

/** One pass. */
export async function followDvkSends(d: DvkFollowDeps): Promise<DvkFollowReport> {
  const r = await d.pool.query<{ id: string; dhl_id: string; attempts: number }>(
    `SELECT id, dhl_id, attempts FROM outbound_documents
      WHERE state = 'sending' AND dhl_id IS NOT NULL
      ORDER BY dvk_checked_at NULLS FIRST, updated_at LIMIT $1`,
    [d.batch ?? 100],
  );
  const report: DvkFollowReport = { asked: r.rows.length, sent: 0, failed: 0, waiting: 0 };
  if (!r.rows.length) return report;
  const answer = await getSendStatus(d.dvk, d.store, r.rows.map((x) => x.dhl_id));
  if (answer.kind === 'failed') {
    d.log.warn({ reason: answer.reason, err: answer.error, asked: r.rows.length }, 'DVK getSendStatus failed; asked again next pass');
    (d.counters ?? NO_COUNTERS).sendStatus('unanswered', r.rows.length);
    return { ...report, waiting: r.rows.length };
  }
  const byId = new Map(answer.items.map((i) => [i.dhlId, i]));
  const waiting: string[] = [];
  for (const row of r.rows) {
    const item = byId.get(row.dhl_id);
    const verdict: DvkVerdict = item ? verdictOf(item) : { kind: 'waiting', status: 'not in the answer' };
    let result: AttemptResult | undefined;
    if (verdict.kind === 'sent') result = await finish(d, row.id, row.attempts, { to: 'sent', duplicate: false }, 'dvk');
    else if (verdict.kind === 'aborted') result = await finish(d, row.id, row.attempts, failureFinish(FailureCode.DVK_ABORTED, verdict.reason, verdict.faultCode), 'dvk');
    else waiting.push(row.id);
    if (result?.kind === 'sent') report.sent++;
    else if (result?.kind === 'failed') report.failed++;
    if (result) d.log.info({ outboundId: row.id, dhlId: row.dhl_id, outcome: result.kind }, 'DVK send status');
  }
  report.waiting = waiting.length;
  const counters = d.counters ?? NO_COUNTERS;
  counters.sendStatus('sent', report.sent);
  counters.sendStatus('aborted', report.failed);
  counters.sendStatus('waiting', report.waiting);
  if (waiting.length) await d.pool.query(`UPDATE outbound_documents SET dvk_checked_at = now() WHERE id = ANY($1::uuid[]) AND state = 'sending'`, [waiting]);
  return report;
}

export function startDvkFollow(d: DvkFollowDeps & { seconds: number }): Periodic {
  return startPeriodic({ name: 'dvk-send-status', every: { seconds: d.seconds }, log: d.log, pass: () => followDvkSends(d), failure: 'DVK send status pass failed' });
}
