import type { Pool } from '../db/pool';
import { RESTRICTED } from '../log/privacy';
import type { RevealOption } from '../intake/reports';
import { replyTriageReason, type ReplyLookup } from '../cases/reply';

/** What `dhx show` adds for intake (DESIGN.md §4): category, caseId, dueAt, the extracted files; outbound documents. */

export interface IntakeFields {
  /** The document (access AK) or its case is restricted: file names read [restricted] unless revealed. */
  accessRestricted: boolean;
  category: string | null;
  subKind: string | null;
  caseId: string | null;
  caseNumber: string | null;
  dueAt: string | null;
  classification: { confident: boolean; rule: string | null; score: number; decidedBy: string } | null;
  /** Why a reply went to triage instead of into the case it named (another organisation's case); null otherwise. */
  triageReason: string | null;
  files: Array<{ name: string; size: number; declaredSize: number | null; mimeType: string; declaredMimeType: string; sha256: string; main: boolean }>;
}

export async function intakeFieldsOf(pool: Pool, id: string, o: RevealOption = {}): Promise<IntakeFields> {
  const r = await pool.query<{
    category: string | null;
    sub_kind: string | null;
    confident: boolean | null;
    rule: string | null;
    score: string | null;
    decided_by: string | null;
    case_id: string | null;
    case_number: string | null;
    due_date: string | null;
    restricted: boolean;
    reply: ReplyLookup | null;
  }>(
    `SELECT k.category, k.sub_kind, k.confident, k.rule, k.score, k.decided_by, c.case_id, cs.case_number,
            to_char(cs.due_date, 'YYYY-MM-DD') AS due_date,
            coalesce(d.access_restricted, false) OR coalesce(cs.access_restricted, false) AS restricted,
            d.reply
       FROM inbound_capsules c LEFT JOIN classifications k ON k.capsule_id = c.id LEFT JOIN cases cs ON cs.id = c.case_id
            LEFT JOIN inbound_documents d ON d.capsule_id = c.id
      WHERE c.id = $1`,
    [id],
  );
  const f = await pool.query<{
    file_name: string;
    size: string;
    declared_size: string | null;
    sniffed_mime_type: string;
    declared_mime_type: string;
    sha256: string;
    main_component: boolean;
  }>(
    `SELECT file_name, size, declared_size, sniffed_mime_type, declared_mime_type, sha256, main_component
       FROM attachments WHERE capsule_id = $1 ORDER BY file_index`,
    [id],
  );
  const row = r.rows[0];
  const hide = (row?.restricted ?? false) && !o.reveal;
  return {
    accessRestricted: row?.restricted ?? false,
    category: row?.category ?? null,
    subKind: row?.sub_kind ?? null,
    caseId: row?.case_id ?? null,
    caseNumber: row?.case_number ?? null,
    dueAt: row?.due_date ?? null,
    classification:
      row && row.confident !== null
        ? { confident: row.confident, rule: row.rule, score: Number(row.score), decidedBy: row.decided_by ?? 'rules' }
        : null,
    triageReason: replyTriageReason(row?.reply),
    files: f.rows.map((x) => ({
      name: hide ? RESTRICTED : x.file_name,
      size: Number(x.size),
      declaredSize: x.declared_size === null ? null : Number(x.declared_size),
      mimeType: x.sniffed_mime_type,
      declaredMimeType: x.declared_mime_type,
      sha256: x.sha256,
      main: x.main_component,
    })),
  };
}

export async function outboundDocument(pool: Pool, id: string, opts: RevealOption = {}): Promise<Record<string, unknown> | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await pool.query<{
    id: string;
    kind: string;
    state: string;
    consignment_id: string;
    attempts: number;
    fault_code: string | null;
    case_id: string | null;
    inbound_id: string | null;
    recipient_code: string;
    recipient_name: string;
    title: string;
    size: string;
    blob_sha256: string;
    created_at: Date;
    receipt_id: string | null;
    failure_code: string | null;
    fault_message: string | null;
    recipient_system: string | null;
    next_attempt_at: Date | null;
    delivered_at: Date | null;
    route: string | null;
    verdict: string | null;
    restricted: boolean;
    history: unknown;
  }>(
    `SELECT o.*, coalesce((SELECT k.access_restricted FROM cases k WHERE k.id = o.case_id), false) AS restricted,
            (SELECT json_agg(json_build_object('state', h.state, 'at', h.at) ORDER BY h.at, h.id)
               FROM outbound_state_history h WHERE h.document_id = o.id) AS history
       FROM outbound_documents o WHERE o.id = $1`,
    [id],
  );
  const o = r.rows[0];
  if (!o) return undefined;
  return {
    id: o.id,
    direction: 'outbound',
    kind: o.kind,
    state: o.state,
    consignmentId: o.consignment_id,
    attempts: o.attempts,
    faultCode: o.fault_code,
    // Sending: the receiver's receiptId, why the last attempt failed, when the next one is due.
    receiptId: o.receipt_id,
    failureCode: o.failure_code,
    faultMessage: o.fault_message,
    nextAttemptAt: o.next_attempt_at?.toISOString() ?? null,
    deliveredAt: o.delivered_at?.toISOString() ?? null,
    route: o.route,
    verdict: o.verdict,
    caseId: o.case_id,
    inReplyTo: o.inbound_id,
    recipient: o.recipient_system ? `${o.recipient_system}.${o.recipient_code}` : o.recipient_code,
    recipientName: o.recipient_name,
    accessRestricted: o.restricted,
    title: o.restricted && !opts.reveal ? RESTRICTED : o.title,
    size: Number(o.size),
    sha256: o.blob_sha256,
    createdAt: o.created_at.toISOString(),
    history: o.history ?? [],
  };
}
