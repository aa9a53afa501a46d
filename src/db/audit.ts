import { storableDetail } from '../log/privacy';
import type { PoolClient } from './pool';

export interface AuditEntry {
  actor: string;
  /** `classify`, `replay`, `resend`, `mark-delivered`, `reveal`, … */
  action: string;
  /** `inbound`, `outbound`, `case`, `file`, … */
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

/**
 * One audit_log row; its detail is stored as every stored detail is (docs/operations.md, "Privacy":
 * personal codes masked).
 */
export async function writeAudit(q: Pick<PoolClient, 'query'>, e: AuditEntry): Promise<void> {
  await q.query(`INSERT INTO audit_log (actor, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)`, [
    e.actor,
    e.action,
    e.subjectType,
    e.subjectId,
    JSON.stringify(storableDetail(e.detail)),
  ]);
}

export interface AuditFilter {
  /** Only rows at or after this time. */
  since?: Date;
  actor?: string;
  /** Only rows about this subject id (a document's, a case's, …). */
  subject?: string;
  /** At most this many rows, newest first (default 100, at most 10 000). */
  limit?: number;
}

export interface AuditRow {
  id: number;
  /** ISO 8601. */
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** What the action recorded: for a state change `from` and `to`, for retention the counts. */
  detail: Record<string, unknown>;
}

/** Operator actions (CLI, API, dashboard), newest first: `dhx audit list` and the dashboard. */
export async function listAudit(q: Pick<PoolClient, 'query'>, f: AuditFilter = {}): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(1, Math.trunc(f.limit ?? 100)), 10_000);
  const r = await q.query<{ id: string; at: Date; actor: string; action: string; subject_type: string; subject_id: string; detail: Record<string, unknown> }>(
    `SELECT id, at, actor, action, subject_type, subject_id, detail FROM audit_log
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR subject_id = $3)
      ORDER BY at DESC, id DESC LIMIT $4`,
    [f.since ?? null, f.actor ?? null, f.subject ?? null, limit],
  );
  return r.rows.map((x) => ({ id: Number(x.id), at: x.at.toISOString(), actor: x.actor, action: x.action, subjectType: x.subject_type, subjectId: x.subject_id, detail: x.detail }));
}
