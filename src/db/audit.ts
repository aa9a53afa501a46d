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
