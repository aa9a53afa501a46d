import type { Logger } from 'pino';
import { removeBlob } from '../blob/retention';
import type { BlobStore } from '../blob/store';
import { writeAudit } from '../db/audit';
import { withTryAdvisoryLock } from '../db/lock';
import type { Pool } from '../db/pool';
import { startPeriodic, type Periodic } from '../jobs/periodic';

/**
 * Retention (RETENTION_DAYS; docs/operations.md, "Retention"): the raw capsule of an inbound document that
 * reached `done`, and of an outbound document that was delivered (`sent`), is removed once that state is
 * older than RETENTION_DAYS. Rows, history, metadata and extracted files stay. Never touched: anything
 * in triage, failed, parked, ambiguous or still pending; anything belonging to an open case (not closed
 * and not answered); a blob still referenced by any document that is not itself due. The removal goes
 * through src/blob/retention.ts `removeBlob`, whatever store holds the bytes.
 */

export interface CleanupCandidate {
  sha256: string;
  size: number;
  /** The documents whose raw capsule this is. */
  documents: Array<{ direction: 'inbound' | 'outbound'; id: string }>;
}

export interface CleanupReport {
  retentionDays: number;
  dryRun: boolean;
  /** Blobs removed (or, with dryRun, that would be). */
  removed: number;
  bytes: number;
  documents: Array<{ direction: 'inbound' | 'outbound'; id: string }>;
}

/** An open case: not closed and not answered. Its documents are kept whole. */
const OPEN_CASE = `SELECT 1 FROM cases c WHERE c.id = d.case_id AND c.status <> 'closed' AND c.answered_at IS NULL`;

/** Documents whose raw capsule is due for removal at `cutoff`, with their blob. */
const DUE = `
  SELECT 'inbound' AS direction, d.id, d.blob_sha256 AS sha256 FROM inbound_capsules d
   WHERE d.state = 'done' AND d.updated_at < $1 AND NOT EXISTS (${OPEN_CASE})
  UNION ALL
  SELECT 'outbound', d.id, d.blob_sha256 FROM outbound_documents d
   WHERE d.state = 'sent' AND coalesce(d.delivered_at, d.updated_at) < $1 AND NOT EXISTS (${OPEN_CASE})`;

/** Blobs every referrer of which is due (a blob shared with anything still kept stays), not yet removed. */
const CANDIDATES = `
  WITH due AS (${DUE})
  SELECT b.sha256, b.size, json_agg(json_build_object('direction', due.direction, 'id', due.id) ORDER BY due.id) AS documents
    FROM due JOIN blobs b ON b.sha256 = due.sha256
   WHERE b.removed_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM inbound_capsules i WHERE i.blob_sha256 = b.sha256 AND i.id NOT IN (SELECT id FROM due))
     AND NOT EXISTS (SELECT 1 FROM outbound_documents o WHERE o.blob_sha256 = b.sha256 AND o.id NOT IN (SELECT id FROM due))
     AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)
   GROUP BY b.sha256, b.size
   ORDER BY b.sha256
   LIMIT $2`;

export async function planCleanup(pool: Pool, o: { retentionDays: number; now?: Date; limit?: number }): Promise<CleanupCandidate[]> {
  if (o.retentionDays <= 0) return [];
  const cutoff = new Date((o.now ?? new Date()).getTime() - o.retentionDays * 86_400_000);
  const r = await pool.query<{ sha256: string; size: string; documents: CleanupCandidate['documents'] }>(CANDIDATES, [cutoff, o.limit ?? 100_000]);
  return r.rows.map((x) => ({ sha256: x.sha256, size: Number(x.size), documents: x.documents }));
}

/** At most this many document ids are named in the audit row (the count is always whole). */
const AUDIT_IDS = 1000;

/**
 * One retention pass: removes what planCleanup finds and writes one audit row (`cleanup`, subject
 * `blobs`) with the counts and the documents; with `dryRun` only reports.
 */
export async function runCleanup(pool: Pool, store: BlobStore, o: { retentionDays: number; actor: string; dryRun?: boolean; now?: Date }): Promise<CleanupReport> {
  const candidates = await planCleanup(pool, o);
  const report: CleanupReport = { retentionDays: o.retentionDays, dryRun: o.dryRun === true, removed: 0, bytes: 0, documents: [] };
  for (const c of candidates) {
    if (!o.dryRun) {
      const r = await removeBlob(pool, store, c.sha256);
      if (!r.removed) continue;
    }
    report.removed++;
    report.bytes += c.size;
    report.documents.push(...c.documents);
  }
  if (!o.dryRun) {
    await writeAudit(pool, {
      actor: o.actor,
      action: 'cleanup',
      subjectType: 'blobs',
      subjectId: 'retention',
      detail: { retentionDays: o.retentionDays, removed: report.removed, bytes: report.bytes, documents: report.documents.slice(0, AUDIT_IDS), documentCount: report.documents.length },
    });
  }
  return report;
}

/** One process at a time runs the daily pass (the others find the lock taken and skip that day). */
export const RETENTION_LOCK = 0x52455445;

/** The daily pass of the worker role, on the periodic scheduler (03:30 local time; not at start). */
export function startRetention(o: { pool: Pool; store: BlobStore; retentionDays: number; log: Logger; schedule?: string }): Periodic {
  return startPeriodic({
    name: 'retention',
    every: { cron: o.schedule ?? '0 30 3 * * *' },
    log: o.log,
    failure: 'retention pass failed',
    pass: async () => {
      if (o.retentionDays <= 0) return;
      const run = await withTryAdvisoryLock(o.pool, RETENTION_LOCK, () => runCleanup(o.pool, o.store, { retentionDays: o.retentionDays, actor: 'system:retention' }));
      if (run.kind === 'ran' && run.value.removed) o.log.info({ removed: run.value.removed, bytes: run.value.bytes }, 'retention removed raw capsules');
      if (run.kind === 'no_connection') throw run.error;
    },
  });
}
