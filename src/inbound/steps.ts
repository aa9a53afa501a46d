import { BLOB_UPSERT } from '../blob/retention';
import type { Category } from '../cases/categories';
import type { ReplyLookup } from '../cases/reply';
import { fragment, type Fragment } from '../db/statement';
import type { InboundState } from './states';
import type { InboundDocument } from './repo';

/**
 * The pipeline's writes of a capsule as statement fragments (src/db/statement.ts), so that one
 * statement can move the capsule and record everything a step produced. The contract between fragments
 * is the names of their CTEs: `moved` (the capsule's row, `id`, present only when its state changed),
 * `k` (its classification) and, in routing, `t` (the case it goes to: `case_id`, `opens`; src/cases/statements.ts).
 * Effects read `moved`, so they act only when the state changed.
 */

/** One step's state and its history row's detail. */
export interface StepRecord {
  to: InboundState;
  detail: Record<string, unknown>;
}

/**
 * `moved` and `h`: the conditional state change from `from` to the last step's state (`WHERE state =
 * <from>`, which takes the row lock, so of two runs at once the second changes nothing; failure fields
 * cleared) and a history row per step, in order.
 */
export function stateMove(id: string, from: InboundState, steps: readonly StepRecord[]): Fragment[] {
  const last = steps[steps.length - 1];
  if (!last) throw new Error('a state move needs at least one step');
  return [
    fragment(
      `moved AS (
         UPDATE inbound_capsules SET state = @3, updated_at = now(), next_attempt_at = NULL, failure_code = NULL, failure_message = NULL
          WHERE id = @1 AND state = @2 RETURNING id)`,
      [id, from, last.to],
    ),
    fragment(
      `h AS (
         INSERT INTO inbound_state_history (capsule_id, state, detail)
         SELECT m.id, s.state, s.detail FROM moved m, unnest(@1::text[], @2::jsonb[]) WITH ORDINALITY AS s(state, detail, n) ORDER BY s.n)`,
      [steps.map((s) => s.to), steps.map((s) => JSON.stringify(s.detail))],
    ),
  ];
}

/** What parse keeps of a capsule (`inbound_documents`): the fields a load returns, its record type, the model as JSON. */
export interface DocumentRecord extends Omit<InboundDocument, 'capsule_id' | 'model' | 'reply'> {
  record_type: string;
  /** The capsule's model (JSON). */
  model: unknown;
}

/** `doc`: the parsed document's row. */
export function documentInsert(doc: DocumentRecord): Fragment[] {
  return [
    fragment(
      `doc AS (
       INSERT INTO inbound_documents (capsule_id, record_guid, record_type, record_original_identifier, record_date_registered,
          title, reply_due_date, access_restricted, sender_code, sender_name, initiator_original_identifier,
          recipient_record_guids, recipient_original_identifiers, model)
       SELECT id, @1::text, @2::text, @3::text, @4::timestamptz, @5::text, @6::date, @7::boolean, @8::text, @9::text, @10::text,
              @11::text[], @12::text[], @13::jsonb FROM moved
       ON CONFLICT (capsule_id) DO NOTHING)`,
      [
        doc.record_guid,
        doc.record_type,
        doc.record_original_identifier,
        doc.record_date_registered,
        doc.title,
        doc.reply_due_date,
        doc.access_restricted,
        doc.sender_code,
        doc.sender_name,
        doc.initiator_original_identifier,
        doc.recipient_record_guids,
        doc.recipient_original_identifiers,
        JSON.stringify(doc.model),
      ],
    ),
  ];
}

/** A classification verdict (`classifications`). */
export interface ClassificationRecord {
  category: Category | null;
  subKind: string | null;
  confident: boolean;
  rule: string | null;
  score: number;
  reasons: unknown;
  decidedBy: 'rules' | 'reply';
}

/**
 * `k` (and `r`): the verdict, replacing an earlier one; with `reply`, what the reply lookup found is
 * kept with the document (routing files by it).
 */
export function classificationWrite(v: ClassificationRecord, reply?: ReplyLookup): Fragment[] {
  const parts = [
    fragment(
      `k AS (
       INSERT INTO classifications (capsule_id, category, sub_kind, confident, rule, score, reasons, decided_by, actor)
       SELECT id, @1::text, @2::text, @3::boolean, @4::text, @5::numeric, @6::jsonb, @7::text, NULL FROM moved
       ON CONFLICT (capsule_id) DO UPDATE SET category = EXCLUDED.category, sub_kind = EXCLUDED.sub_kind,
         confident = EXCLUDED.confident, rule = EXCLUDED.rule, score = EXCLUDED.score, reasons = EXCLUDED.reasons,
         decided_by = EXCLUDED.decided_by, actor = NULL, at = now())`,
      [v.category, v.subKind, v.confident, v.rule, v.score, JSON.stringify(v.reasons), v.decidedBy],
    ),
  ];
  if (reply) parts.push(fragment(`r AS (UPDATE inbound_documents SET reply = @1::jsonb WHERE capsule_id = (SELECT id FROM moved))`, [JSON.stringify(reply)]));
  return parts;
}

/** One extracted file's row (`attachments`). */
export interface AttachmentRecord {
  index: number;
  guid: string | null;
  name: string;
  safe: string;
  declaredMime: string;
  mime: string;
  declaredSize: number | null;
  size: number;
  sha: string;
  encoding: string;
  main: boolean;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A file committed to the blob store: its content when it is kept in PostgreSQL, null when it is a file on disk. */
export interface StoredFile {
  sha256: string;
  size: number;
  content: Buffer | null;
}

/** `b` and `a`: the blobs index for the files (content inline for small files) and the attachment rows. */
export function attachmentsInsert(files: readonly AttachmentRecord[], stored: readonly StoredFile[]): Fragment[] {
  return [
    fragment(
      `b AS (
       INSERT INTO blobs (sha256, size, content)
       SELECT DISTINCT ON (sha) sha, size, content FROM unnest(@1::text[], @2::bigint[], @3::bytea[]) AS t(sha, size, content)
        WHERE EXISTS (SELECT 1 FROM moved)
       ${BLOB_UPSERT})`,
      [stored.map((t) => t.sha256), stored.map((t) => t.size), stored.map((t) => t.content)],
    ),
    fragment(
      `a AS (
       INSERT INTO attachments (capsule_id, file_index, file_guid, file_name, safe_name, declared_mime_type, sniffed_mime_type,
          declared_size, size, sha256, encoding, main_component, error_code, error_message)
       SELECT m.id, t.* FROM moved m, unnest(@1::int[], @2::text[], @3::text[], @4::text[], @5::text[], @6::text[], @7::bigint[],
                                            @8::bigint[], @9::text[], @10::text[], @11::boolean[], @12::text[], @13::text[]) AS t
       ON CONFLICT (capsule_id, file_index) DO NOTHING)`,
      [
        files.map((f) => f.index),
        files.map((f) => f.guid),
        files.map((f) => f.name),
        files.map((f) => f.safe),
        files.map((f) => f.declaredMime),
        files.map((f) => f.mime),
        files.map((f) => f.declaredSize),
        files.map((f) => f.size),
        files.map((f) => f.sha),
        files.map((f) => f.encoding),
        files.map((f) => f.main),
        files.map((f) => f.errorCode),
        files.map((f) => f.errorMessage),
      ],
    ),
  ];
}

/** `k`: the capsule's classification, when it has a category (routing needs one). */
export function classificationOf(id: string): Fragment[] {
  return [fragment(`k AS (SELECT category, sub_kind FROM classifications WHERE capsule_id = @1 AND category IS NOT NULL)`, [id])];
}

/**
 * `moved` and `h` of routing: extracted → routed onto the case `t` names, only when the capsule has a
 * category (`k`); `moved` returns `id, received_at`. The history row says which case, whether it was
 * opened, and how a reply named it.
 */
export function routedMove(id: string, replyVia: string | null): Fragment[] {
  return [
    fragment(
      `moved AS (
         UPDATE inbound_capsules SET state = 'routed', updated_at = now(), next_attempt_at = NULL, failure_code = NULL, failure_message = NULL,
                case_id = (SELECT case_id FROM t)
          WHERE id = @1 AND state = 'extracted' AND EXISTS (SELECT 1 FROM k)
          RETURNING id, received_at)`,
      [id],
    ),
    fragment(
      `h AS (
         INSERT INTO inbound_state_history (capsule_id, state, detail)
         SELECT m.id, 'routed', jsonb_build_object('caseId', t.case_id, 'opened', t.opens, 'reply', @1::text) FROM moved m CROSS JOIN t)`,
      [replyVia],
    ),
  ];
}
