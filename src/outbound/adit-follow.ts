import type { Logger } from 'pino';
import type { AditClientOptions } from '../adit/client';
import { NO_ADIT_SEND_COUNTERS, type AditSendCounters } from '../adit/metrics';
import { openedBy } from '../adit/send';
import type { BlobStore } from '../blob/store';
import type { Pool } from '../db/pool';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { outboundTransitionCte } from './repo';

/**
 * The ADIT follow-up (docs/adit.md, "Sending to a person"): documents delivered to ADIT (state `sent` with
 * an adit_document_id, not yet opened) are asked about by getSendStatus v2, a batch per pass, the never-asked
 * first and then the longest-unasked (`adit_checked_at`, stamped for each one asked that is not opened yet,
 * answered or not), until the person has opened them: then `opened_at` is recorded (ADIT's opened time) with
 * a history row. A failed getSendStatus changes nothing else: the next passes come round to it again. Asking
 * leaves `updated_at` (the row's last change) alone. On the periodic scheduler, every ADIT_POLL_SECONDS.
 * Personal codes are never logged.
 */

export interface AditFollowDeps {
  pool: Pool;
  store: BlobStore;
  adit: AditClientOptions;
  log: Logger;
  batch?: number;
  /** /metrics: what the answers said (dhx_adit_send_status_total). */
  counters?: Pick<AditSendCounters, 'status'>;
}

export interface AditFollowReport {
  asked: number;
  opened: number;
  waiting: number;
}

export async function followAditSends(d: AditFollowDeps): Promise<AditFollowReport> {
  const r = await d.pool.query<{ id: string; adit_document_id: string; recipient_person: string }>(
    `SELECT id, adit_document_id, recipient_person FROM outbound_documents
      WHERE state = 'sent' AND adit_document_id IS NOT NULL AND opened_at IS NULL AND recipient_person IS NOT NULL
      ORDER BY adit_checked_at NULLS FIRST, updated_at LIMIT $1`,
    [d.batch ?? 100],
  );
  const report: AditFollowReport = { asked: r.rows.length, opened: 0, waiting: 0 };
  const counters = d.counters ?? NO_ADIT_SEND_COUNTERS;
  for (const row of r.rows) {
    const o = await openedBy(d.adit, d.store, row.adit_document_id, row.recipient_person);
    if (o.kind === 'opened') {
      await d.pool.query(
        `WITH ${outboundTransitionCte({
          set: `opened_at = $2::timestamptz`,
          where: `o.id = $1 AND o.opened_at IS NULL`,
          historyState: `'sent'`,
          detail: `jsonb_build_object('openedAt', $2::text, 'aditDocumentId', $3::text)`,
        })} SELECT id FROM upd`,
        [row.id, o.openedTime, row.adit_document_id],
      );
      report.opened++;
      counters.status('opened', 1);
      d.log.info({ outboundId: row.id, aditDocumentId: row.adit_document_id }, 'ADIT: opened by the person');
    } else {
      report.waiting++;
      counters.status(o.kind === 'failed' ? 'unanswered' : 'waiting', 1);
      if (o.kind === 'failed') d.log.warn({ outboundId: row.id, code: o.code, reason: o.reason }, 'ADIT getSendStatus failed; asked again next pass');
      // Asked: the others waiting go before it next pass. Stamped one by one, so a pass that stops halfway
      // still moves on those it asked.
      await d.pool.query(`UPDATE outbound_documents SET adit_checked_at = now() WHERE id = $1 AND state = 'sent' AND opened_at IS NULL`, [row.id]);
    }
  }
  return report;
}

export function startAditFollow(d: AditFollowDeps & { seconds: number }): Periodic {
  return startPeriodic({ name: 'adit-send-status', every: { seconds: d.seconds }, log: d.log, pass: () => followAditSends(d), failure: 'ADIT send status pass failed' });
}
