import type { PoolClient } from '../db/pool';
import { RESTRICTED } from '../log/privacy';

/**
 * Read-only views of received capsules for people (dhx show, the demo, /metrics): the capsule with its state
 * history, what intake made of it, its files. Nothing here writes.
 */

type Queryable = Pick<PoolClient, 'query'>;

export interface InboundView {
  id: string;
  state: string;
  consignment_id: string;
  client: string;
  sender: string;
  recipient: string;
  recipient_system: string | null;
  received_at: Date;
  attempts: number;
  failure_code: string | null;
  failure_message: string | null;
  size: string;
  blob_sha256: string;
  /** How the capsule came: `dhx` (POST /dhx) or `dvk` (fetched from DVK, docs/dvk.md). */
  transport: 'dhx' | 'dvk' | 'adit';
  /** DVK's document id (DecMetadata/DecId); null for dhx and adit. */
  dhl_id: string | null;
  /** ADIT's document id (docs/adit.md); null unless transport is adit. */
  adit_document_id: string | null;
  /** The state history, oldest first; null when there is none. */
  history: Array<{ state: string; at: string }> | null;
}

/** One received capsule with its state history; undefined when there is none with this id. */
export async function inboundView(q: Queryable, id: string): Promise<InboundView | undefined> {
  const r = await q.query<InboundView>(
    `SELECT c.id, c.state, c.consignment_id, c.client, c.sender, c.recipient, c.recipient_system, c.received_at,
            c.attempts, c.failure_code, c.failure_message, c.size, c.blob_sha256, c.transport, c.dhl_id, c.adit_document_id,
            (SELECT json_agg(json_build_object('state', h.state, 'at', h.at) ORDER BY h.at, h.id) FROM inbound_state_history h WHERE h.capsule_id = c.id) AS history
       FROM inbound_capsules c WHERE c.id = $1`,
    [id],
  );
  return r.rows[0];
}

/** What intake made of a capsule: its classification, its case, whether it (or its case) is restricted, the reply lookup. */
export interface IntakeView<Reply = unknown> {
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
  /** The reply lookup intake stored with the document (src/intake decides what it says). */
  reply: Reply | null;
}

export async function intakeView<Reply = unknown>(q: Queryable, id: string): Promise<IntakeView<Reply> | undefined> {
  const r = await q.query<IntakeView<Reply>>(
    `SELECT k.category, k.sub_kind, k.confident, k.rule, k.score, k.decided_by, c.case_id, cs.case_number,
            to_char(cs.due_date, 'YYYY-MM-DD') AS due_date,
            coalesce(d.access_restricted, false) OR coalesce(cs.access_restricted, false) AS restricted,
            d.reply
       FROM inbound_capsules c LEFT JOIN classifications k ON k.capsule_id = c.id LEFT JOIN cases cs ON cs.id = c.case_id
            LEFT JOIN inbound_documents d ON d.capsule_id = c.id
      WHERE c.id = $1`,
    [id],
  );
  return r.rows[0];
}

export interface AttachmentView {
  file_name: string;
  size: string;
  declared_size: string | null;
  sniffed_mime_type: string;
  declared_mime_type: string;
  sha256: string;
  main_component: boolean;
  /** The signed container this data file was unpacked from; null for the capsule's own files. */
  from_container: string | null;
  /** Characters of text read (0 when none, not read yet, or failed). */
  text_chars: number;
  /** text | none | failed, or null when not read yet. */
  text_state: string | null;
  text_error_code: string | null;
  /** A problem of the file (undecodable content, a container's problem). */
  error_code: string | null;
  /** A container's signatures (never the signer's personal code); null for any other file. */
  signatures: Array<{ signer: string | null; signed_at: string | null; digest: 'ok' | 'mismatch' | 'not-checked' }> | null;
}

/** A capsule's extracted files, in their order in the capsule (then the data files unpacked from its containers). */
export async function attachmentsOf(q: Queryable, id: string): Promise<AttachmentView[]> {
  const r = await q.query<AttachmentView>(
    `SELECT a.file_name, a.size, a.declared_size, a.sniffed_mime_type, a.declared_mime_type, a.sha256, a.main_component, a.from_container,
            coalesce(x.chars, 0) AS text_chars, x.state AS text_state, x.error_code AS text_error_code, a.error_code,
            (SELECT json_agg(json_build_object('signer', s.signer, 'signed_at', s.signed_at, 'digest', s.digest) ORDER BY s.n)
               FROM attachment_signatures s WHERE s.capsule_id = a.capsule_id AND s.file_index = a.file_index) AS signatures
       FROM attachments a LEFT JOIN attachment_texts x ON x.capsule_id = a.capsule_id AND x.file_index = a.file_index
      WHERE a.capsule_id = $1 ORDER BY a.file_index`,
    [id],
  );
  return r.rows;
}

/** A capsule as the demo lists it: state, category, case and due date, how many files were extracted. */
export interface IntakeSummary {
  state: string;
  category: string | null;
  sub_kind: string | null;
  case_number: string | null;
  due_date: string | null;
  files: number;
}

export async function intakeSummary(q: Queryable, id: string): Promise<IntakeSummary | undefined> {
  const r = await q.query<IntakeSummary>(
    `SELECT i.state, k.category, k.sub_kind, c.case_number, to_char(c.due_date, 'YYYY-MM-DD') AS due_date,
            (SELECT count(*)::int FROM attachments a WHERE a.capsule_id = i.id) AS files
       FROM inbound_capsules i LEFT JOIN classifications k ON k.capsule_id = i.id LEFT JOIN cases c ON c.id = i.case_id
      WHERE i.id = $1`,
    [id],
  );
  return r.rows[0];
}

/** Which of `ids` are in one of `states`. */
export async function inboundInStates(q: Queryable, ids: readonly string[], states: readonly string[]): Promise<string[]> {
  const r = await q.query<{ id: string }>(`SELECT id FROM inbound_capsules WHERE id = ANY($1) AND state = ANY($2)`, [ids, states]);
  return r.rows.map((x) => x.id);
}

/** A capsule's state; undefined when there is no such capsule. */
export async function inboundState(q: Queryable, id: string): Promise<string | undefined> {
  const r = await q.query<{ state: string }>('SELECT state FROM inbound_capsules WHERE id = $1', [id]);
  return r.rows[0]?.state;
}

/** The case number of the case a capsule was filed into; undefined when it has none. */
export async function caseNumberOfInbound(q: Queryable, id: string): Promise<string | undefined> {
  const r = await q.query<{ case_number: string }>('SELECT c.case_number FROM inbound_capsules i JOIN cases c ON c.id = i.case_id WHERE i.id = $1', [id]);
  return r.rows[0]?.case_number;
}

/** How many capsules are in a state (e.g. `triage`: waiting for a person; a /metrics gauge). */
export async function countInboundInState(q: Queryable, state: string): Promise<number> {
  const r = await q.query<{ n: string }>('SELECT count(*) AS n FROM inbound_capsules WHERE state = $1', [state]);
  return Number(r.rows[0]!.n);
}

/** Capsules fetched from DVK (transport `dvk`) with one of these dhl_ids: id, dhl_id and state, in dhl_id order. */
export async function inboundOfDhlIds(q: Queryable, dhlIds: readonly string[]): Promise<Array<{ id: string; dhl_id: string; state: string }>> {
  const r = await q.query<{ id: string; dhl_id: string; state: string }>(
    `SELECT id, dhl_id, state FROM inbound_capsules WHERE transport = 'dvk' AND dhl_id = ANY($1) ORDER BY dhl_id`,
    [dhlIds],
  );
  return r.rows;
}

/** A received capsule as the dashboard lists it; `title` reads {@link RESTRICTED} for a restricted document. */
export interface InboundListItem {
  id: string;
  state: string;
  sender: string;
  transport: string;
  receivedAt: string;
  attempts: number;
  failureCode: string | null;
  failureMessage: string | null;
  title: string;
  restricted: boolean;
}

/** Capsules in one of `states`, newest first (the dashboard's triage, failed and parked lists). */
export async function listInbound(q: Queryable, o: { states: readonly string[]; limit?: number }): Promise<InboundListItem[]> {
  const r = await q.query<{
    id: string;
    state: string;
    sender: string;
    transport: string;
    received_at: Date;
    attempts: number;
    failure_code: string | null;
    failure_message: string | null;
    title: string | null;
    restricted: boolean;
  }>(
    `SELECT c.id, c.state, c.sender, c.transport, c.received_at, c.attempts, c.failure_code, c.failure_message, d.title,
            coalesce(d.access_restricted, false) AS restricted
       FROM inbound_capsules c LEFT JOIN inbound_documents d ON d.capsule_id = c.id
      WHERE c.state = ANY($1) ORDER BY c.received_at DESC LIMIT $2`,
    [o.states, o.limit ?? 200],
  );
  return r.rows.map((x) => ({
    id: x.id,
    state: x.state,
    sender: x.sender,
    transport: x.transport,
    receivedAt: x.received_at.toISOString(),
    attempts: x.attempts,
    failureCode: x.failure_code,
    failureMessage: x.failure_message,
    title: x.restricted ? RESTRICTED : (x.title ?? ''),
    restricted: x.restricted,
  }));
}

/** The title the capsule's document gives (undefined before it was parsed); the caller decides whether a restricted one is shown. */
export async function inboundDocumentTitle(q: Queryable, id: string): Promise<string | undefined> {
  const r = await q.query<{ title: string }>('SELECT title FROM inbound_documents WHERE capsule_id = $1', [id]);
  return r.rows[0]?.title;
}

/** A capsule's state history with each change's detail (stored masked), oldest first. */
export async function inboundHistory(q: Queryable, id: string): Promise<Array<{ state: string; at: string; detail: Record<string, unknown> }>> {
  const r = await q.query<{ state: string; at: Date; detail: Record<string, unknown> }>(
    'SELECT state, at, detail FROM inbound_state_history WHERE capsule_id = $1 ORDER BY at, id',
    [id],
  );
  return r.rows.map((x) => ({ state: x.state, at: x.at.toISOString(), detail: x.detail }));
}

/** The capsule fetched from ADIT (transport `adit`) with this ADIT document id: id and state; undefined when none. */
export async function inboundOfAditId(q: Queryable, aditDocumentId: string): Promise<{ id: string; state: string } | undefined> {
  const r = await q.query<{ id: string; state: string }>(`SELECT id, state FROM inbound_capsules WHERE transport = 'adit' AND adit_document_id = $1`, [aditDocumentId]);
  return r.rows[0];
}
