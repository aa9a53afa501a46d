import type { Pool } from '../db/pool';
import { attachmentsOf, intakeView } from '../inbound/views';
import { RESTRICTED } from '../log/privacy';
import type { RevealOption } from '../cases/views';
import { replyTriageReason, type ReplyLookup } from '../cases/reply';

/** What `dhx show` adds for intake (README, "Commands"): category, caseId, dueAt, the extracted files. */

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
  files: Array<{
    name: string;
    size: number;
    declaredSize: number | null;
    mimeType: string;
    declaredMimeType: string;
    sha256: string;
    main: boolean;
    /** The signed container this file was unpacked from (its name), or null. */
    from: string | null;
    /** Characters of text read from the file; 0 when none (or not read yet). */
    textChars: number;
    /** Why no text was read (TEXT_TIMEOUT, TEXT_MALFORMED, …); null otherwise. */
    textError: string | null;
    /** For a signed container only: its signatures (digests checked offline; no certificate validation). */
    signatures?: Array<{ signer: string | null; signedAt: string | null; digest: 'ok' | 'mismatch' | 'not-checked' }>;
  }>;
}

export async function intakeFieldsOf(pool: Pool, id: string, o: RevealOption = {}): Promise<IntakeFields> {
  const row = await intakeView<ReplyLookup>(pool, id);
  const files = await attachmentsOf(pool, id);
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
    files: files.map((x) => ({
      name: hide ? RESTRICTED : x.file_name,
      size: Number(x.size),
      declaredSize: x.declared_size === null ? null : Number(x.declared_size),
      mimeType: x.sniffed_mime_type,
      declaredMimeType: x.declared_mime_type,
      sha256: x.sha256,
      main: x.main_component,
      from: x.from_container === null ? null : hide ? RESTRICTED : x.from_container,
      textChars: Number(x.text_chars),
      textError: x.text_error_code,
      ...(x.signatures
        ? { signatures: x.signatures.map((g) => ({ signer: g.signer === null ? null : hide ? RESTRICTED : g.signer, signedAt: g.signed_at === null ? null : new Date(g.signed_at).toISOString(), digest: g.digest })) }
        : {}),
    })),
  };
}
