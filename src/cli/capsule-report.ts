import type { Capsule } from '../capsule/model';
import type { CapsuleIssue, ReadResult } from '../capsule/read';
import type { DecodedFile } from '../capsule/content';
import type { ExtractedFile, ExtractResult } from '../capsule/extract';

/** Plain-text and JSON renderings of capsule results for `dhx capsule ...`. */

export interface ValidateReport {
  file: string;
  valid: boolean;
  issues: CapsuleIssue[];
  error?: string;
  /** With --content: files whose content could not be decoded (the schema verdict does not change). */
  contentWarnings?: string[];
}

export function formatValidate(r: ValidateReport): string {
  if (r.error) return `${r.file}: ERROR ${r.error}`;
  const lines = [`${r.file}: ${r.valid ? 'valid' : 'INVALID'}`];
  for (const i of r.issues) lines.push(`  line ${i.line}: ${i.message} [${i.code}]`);
  for (const w of r.contentWarnings ?? []) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

function fileRow(meta: Capsule['files'][number] | undefined, f: DecodedFile | undefined, index: number): Record<string, unknown> {
  return {
    index,
    fileGuid: meta?.fileGuid,
    fileName: meta?.fileName ?? f?.fileName,
    safeName: f?.safeName,
    main: meta?.recordMainComponent ?? false,
    declared: { size: meta?.fileSize ?? null, mimeType: meta?.mimeType ?? null },
    computed: f ? { size: f.size, mimeType: f.sniffedMimeType, sha256: f.sha256, encoding: f.encoding } : null,
    ...(f?.error ? { error: f.error } : {}),
    ...('path' in (f ?? {}) ? { path: (f as ExtractedFile).path } : {}),
  };
}

/** The document as `dhx capsule inspect --json` prints it. */
export function inspectJson(file: string, r: ReadResult): Record<string, unknown> {
  const c = r.capsule;
  const count = Math.max(c?.files.length ?? 0, r.files.length);
  return {
    file,
    valid: r.valid,
    issues: r.issues,
    bytes: r.bytesRead,
    sender: c?.transport.sender ?? null,
    recipients: c?.transport.recipients ?? [],
    recipientDetails: c?.recipients ?? [],
    initiator: c?.initiator ?? null,
    recordCreator: c?.recordCreator ?? null,
    recordMetadata: c?.recordMetadata ?? null,
    access: c?.access ?? null,
    signatures: c?.signatureMetadata ?? [],
    decMetadata: c?.decMetadata ?? null,
    files: Array.from({ length: count }, (_, i) => fileRow(c?.files[i], r.files[i], i + 1)),
  };
}

function orgLabel(p: { organisationCode: string; structuralUnit?: string; personalIdCode?: string }): string {
  return [p.organisationCode, p.structuralUnit ? `unit ${p.structuralUnit}` : '', p.personalIdCode ? `person ${p.personalIdCode}` : '']
    .filter(Boolean)
    .join(', ');
}

function mismatch(declared: string | number | null | undefined, computed: string | number | undefined): string {
  if (declared === undefined || declared === null || computed === undefined) return '';
  return String(declared) === String(computed) ? '' : '  ≠ declared';
}

export function formatInspect(file: string, r: ReadResult): string {
  const c = r.capsule;
  const out: string[] = [`${file}: ${r.valid ? 'valid' : 'INVALID'} Capsule 2.1, ${r.bytesRead} bytes`];
  for (const i of r.issues) out.push(`  line ${i.line}: ${i.message} [${i.code}]`);
  if (!c) return out.join('\n');
  const m = c.recordMetadata;
  out.push(
    `Sender:      ${orgLabel(c.transport.sender)}`,
    `Recipients:  ${c.transport.recipients.map(orgLabel).join('; ')}`,
    `Record:      ${m.recordType} "${m.recordTitle}"`,
    `             no. ${m.recordOriginalIdentifier}, registered ${m.recordDateRegistered.lexical || '?'}` +
      (m.recordDateRegistered.lexical ? ` (${m.recordDateRegistered.instant.toISOString()})` : ''),
    `             guid ${m.recordGuid}` + (m.replyDueDate ? `, reply due ${m.replyDueDate}` : ''),
  );
  if (m.recordAbstract) out.push(`Abstract:    ${m.recordAbstract}`);
  if (c.initiator) {
    const i = c.initiator;
    out.push(`In reply to: no. ${i.recordOriginalIdentifier ?? '?'} of ${i.recordDate?.lexical ?? '?'}${i.organisation ? `, ${i.organisation.name}` : ''}`);
  }
  for (const r2 of c.recipients) {
    const who = r2.organisation?.name ?? r2.person?.name ?? '';
    const ref = r2.recordGuid || r2.recordOriginalIdentifier ? ` (replying to ${r2.recordOriginalIdentifier ?? r2.recordGuid})` : '';
    if (who || ref || r2.messageForRecipient) out.push(`To:          ${who}${ref}${r2.messageForRecipient ? `: ${r2.messageForRecipient}` : ''}`);
  }
  const a = c.access;
  out.push(`Access:      ${a.accessConditionsCode}${a.accessRestrictions.map((x) => `; ${x.restrictionBasis} until ${x.restrictionEndDate} (owner ${x.informationOwner})`).join('')}`);
  for (const s of c.signatureMetadata) out.push(`Signature:   ${[s.signatureType, s.signer, s.verified].filter(Boolean).join(', ')}`);
  if (c.decMetadata) out.push(`DEC:         id ${c.decMetadata.decId}, folder ${c.decMetadata.decFolder}, received ${c.decMetadata.decReceiptDate.lexical}`);
  const count = Math.max(c.files.length, r.files.length);
  out.push(`Files (${count}):`);
  for (let i = 0; i < count; i++) {
    const meta = c.files[i];
    const f = r.files[i];
    out.push(`  ${i + 1}. ${meta?.fileName ?? f?.fileName ?? '?'}${meta?.recordMainComponent ? ' [main]' : ''}`);
    out.push(`     declared: ${meta?.mimeType ?? '-'}, ${meta?.fileSize ?? '-'} bytes`);
    if (f) {
      out.push(
        `     computed: ${f.sniffedMimeType}${mismatch(meta?.mimeType, f.sniffedMimeType)}, ${f.size} bytes${mismatch(meta?.fileSize, f.size)}` +
          `, ${f.encoding}, sha256 ${f.sha256}`,
      );
      if (f.error) out.push(`     content error: ${f.error.message} [${f.error.code}]`);
    }
  }
  return out.join('\n');
}

export function formatExtract(file: string, outDir: string, r: ExtractResult): string {
  if (!r.valid) return formatValidate({ file, valid: false, issues: r.issues }) + '\nnothing extracted';
  const lines = [`${file}: ${r.files.filter((f) => f.path).length} of ${r.files.length} file(s) extracted to ${outDir}`];
  for (const f of r.files) {
    lines.push(f.path ? `  ${f.path} (${f.size} bytes, ${f.sniffedMimeType})` : `  ${f.fileName}: not extracted: ${f.error?.message ?? 'unknown'}`);
  }
  return lines.join('\n');
}
