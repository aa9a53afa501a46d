import path from 'node:path';
import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import { buildCapsule } from '../capsule/build';
import { findCase } from '../cases/repo';
import { makeReplyDraft } from '../capsule/draft';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { loadDocument } from '../inbound/repo';
import { insertOutbound } from './repo';
import { aditPersonCode } from '../adit/send';
import { OutboundKind, Verdict } from './states';

/**
 * SKA's opinion on a case (KLAT arvamus, toetav / mitte toetav; docs/sending.md, "Durable sending"), sent
 * back to the KOV that asked: a Capsule 2.1 reply to the request (makeReplyDraft: SKA as sender, the KOV as
 * recipient, Initiator = the request's registration number and date, Recipient/RecipientRecordGuid = its
 * RecordGuid, access as the request's), RecordType `Arvamus`, titled after the case, stored as a blob and
 * inserted as an outgoing document in `queued`. The send job does the rest; a delivered opinion answers its
 * case.
 */

export const OPINION_RECORD_TYPE = 'Arvamus';

export interface OpinionFile {
  name: string;
  content: Buffer;
  /** Default: by the file name's extension. */
  mimeType?: string;
}

export interface OpinionInput {
  /** Case id (uuid) or case number. */
  caseRef: string;
  verdict: Verdict;
  files: OpinionFile[];
  note?: string;
  /** Through ADIT to this person (a parent or guardian) instead of to the KOV: a personal code, checked here before anything is stored. */
  toPerson?: string;
}

export interface OpinionDeps {
  pool: Pool;
  store: BlobStore;
  org: { code: string; name: string; unit: string };
  log: Logger;
  /** Queues the new document for sending; a failure is logged (the scheduler finds the row later). */
  enqueue?: (id: string) => Promise<void>;
  now?: Date;
}

export interface OpinionCreated {
  id: string;
  consignmentId: string;
  caseId: string;
  caseNumber: string;
  recipient: string;
  title: string;
  enqueued: boolean;
  /** Set when the opinion goes to a person through ADIT. */
  via?: 'adit';
  recipientPerson?: string;
}

/** The personal code in its bare 11-digit form (`EE` prefix allowed); OpinionError INVALID_PERSONAL_CODE when its checksum fails. */
export function checkedPersonalCode(code: string): string {
  const ee = aditPersonCode(code);
  if (!ee) throw new OpinionError(OpinionErrorCode.INVALID_PERSONAL_CODE, 'the recipient is not a valid Estonian personal code (isikukood checksum)');
  return ee.slice(2);
}

export const OpinionErrorCode = { CASE_NOT_FOUND: 'CASE_NOT_FOUND', REQUEST_MISSING: 'REQUEST_MISSING', NO_FILES: 'NO_FILES', INVALID_PERSONAL_CODE: 'INVALID_PERSONAL_CODE' } as const;
export type OpinionErrorCode = (typeof OpinionErrorCode)[keyof typeof OpinionErrorCode];

export class OpinionError extends Error {
  constructor(
    readonly code: OpinionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OpinionError';
  }
}

const MIME_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.asice': 'application/vnd.etsi.asic-e+zip',
  '.bdoc': 'application/vnd.etsi.asic-e+zip',
  '.ddoc': 'application/x-ddoc',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.rtf': 'application/rtf',
  '.txt': 'text/plain',
};

export function mimeTypeOf(name: string): string {
  return MIME_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export const VERDICT_TEXT: Record<Verdict, string> = {
  [Verdict.toetav]: 'toetav',
  [Verdict.mitteToetav]: 'mitte toetav',
};

export async function createOpinion(d: OpinionDeps, input: OpinionInput): Promise<OpinionCreated> {
  const person = input.toPerson === undefined ? undefined : checkedPersonalCode(input.toPerson);
  if (input.files.length === 0) throw new OpinionError(OpinionErrorCode.NO_FILES, 'an opinion needs at least one file');
  const kase = await findCase(d.pool, input.caseRef);
  if (!kase) throw new OpinionError(OpinionErrorCode.CASE_NOT_FOUND, `no case ${input.caseRef}`);
  const request = await loadDocument(d.pool, kase.opened_by);
  if (!request) throw new OpinionError(OpinionErrorCode.REQUEST_MISSING, `case ${kase.case_number} has no parsed request`);
  const verdict = VERDICT_TEXT[input.verdict];
  const title = `Arvamus: ${kase.title}`;
  const draft = makeReplyDraft(
    request.model,
    {
      sender: { code: d.org.code, name: d.org.name, structuralUnit: d.org.unit },
      recordType: OPINION_RECORD_TYPE,
      title,
      originalIdentifier: kase.case_number,
      abstract: `Arvamus: ${verdict}.${input.note ? ` ${input.note}` : ''}`,
      messageForRecipient: `Menetluse nr ${kase.case_number}: arvamus ${verdict}`,
      files: input.files.map((f, i) => ({ name: f.name, mimeType: f.mimeType ?? mimeTypeOf(f.name), content: f.content, main: i === 0 })),
    },
    d.now ? { now: d.now } : {},
  );
  const recipient = draft.transport.recipients[0]!.organisationCode ?? kase.kov_code;
  const temp = await d.store.writeTemp(buildCapsule(draft));
  try {
    await d.store.commit(temp);
  } catch (err) {
    await d.store.discard(temp);
    throw err;
  }
  const created = await withTransaction(d.pool, (client) =>
    insertOutbound(client, {
      kind: OutboundKind.opinion,
      caseId: kase.id,
      inboundId: kase.opened_by,
      recipientCode: recipient,
      recipientName: kase.kov_name,
      recordGuid: draft.recordMetadata.recordGuid,
      recordOriginalIdentifier: kase.case_number,
      title,
      blob: temp,
      verdict: input.verdict,
      ...(input.note ? { note: input.note } : {}),
      ...(person ? { transport: 'adit' as const, recipientPerson: person } : {}),
    }),
  );
  let enqueued = false;
  if (d.enqueue) {
    try {
      await d.enqueue(created.id);
      enqueued = true;
    } catch (err) {
      d.log.warn({ outboundId: created.id, err: (err as Error).message }, 'opinion not queued now; the send scheduler will find it');
    }
  }
  d.log.info({ outboundId: created.id, caseId: kase.id, verdict: input.verdict, via: person ? 'adit' : 'default' }, 'opinion queued');
  return { ...created, caseId: kase.id, caseNumber: kase.case_number, recipient, title, enqueued, ...(person ? { via: 'adit' as const, recipientPerson: person } : {}) };
}

export interface OpinionStatus {
  id: string;
  state: string;
  verdict: string | null;
  createdAt: string;
  deliveredAt: string | null;
  dueAt: string | null;
  /** Delivered on or before the due date (Tallinn calendar); null while undelivered or without a due date. */
  onTime: boolean | null;
}

/** The opinions of a case, newest first: sent / delivered and whether each met the case's due date. */
export async function opinionsOfCase(pool: Pool, caseId: string): Promise<OpinionStatus[]> {
  const r = await pool.query<{ id: string; state: string; verdict: string | null; created_at: Date; delivered_at: Date | null; due: string | null; on_time: boolean | null }>(
    `SELECT o.id, o.state, o.verdict, o.created_at, o.delivered_at, to_char(c.due_date, 'YYYY-MM-DD') AS due,
            CASE WHEN o.delivered_at IS NULL OR c.due_date IS NULL THEN NULL
                 ELSE (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date <= c.due_date END AS on_time
       FROM outbound_documents o JOIN cases c ON c.id = o.case_id
      WHERE o.case_id = $1 AND o.kind = 'opinion' ORDER BY o.created_at DESC`,
    [caseId],
  );
  return r.rows.map((x) => ({
    id: x.id,
    state: x.state,
    verdict: x.verdict,
    createdAt: x.created_at.toISOString(),
    deliveredAt: x.delivered_at?.toISOString() ?? null,
    dueAt: x.due,
    onTime: x.on_time,
  }));
}
