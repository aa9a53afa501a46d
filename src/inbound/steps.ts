import { BLOB_UPSERT } from '../blob/retention';
import type { Category } from '../cases/categories';
import type { ReplyLookup } from '../cases/reply';
import { foldedForSearch } from '../content/fold';
import { prepared, type PoolClient } from '../db/pool';
import { compose, fragment, type Fragment } from '../db/statement';
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
          recipient_record_guids, recipient_original_identifiers, model, search_tsv)
       SELECT id, @1::text, @2::text, @3::text, @4::timestamptz, @5::text, @6::date, @7::boolean, @8::text, @9::text, @10::text,
              @11::text[], @12::text[], @13::jsonb, to_tsvector('simple', @14::text) FROM moved
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
        // Search (dhx cases search) reads the document's metadata folded as the classifier folds it.
        foldedForSearch([doc.title, doc.sender_name, doc.record_original_identifier, ...doc.recipient_original_identifiers].join(' ')),
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
  /** Confident on metadata alone, but on words that do not settle it (classify.ts): the files' text is read. Not stored. */
  readContent?: true;
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
  /** A data file unpacked from a signed container: the container's name and file index; null for the capsule's own files. */
  fromContainer: string | null;
  containerIndex: number | null;
  /** A data file's digest against its container's signatures; null for the capsule's own files. */
  digest: 'ok' | 'mismatch' | 'not-checked' | null;
}

/** One signature of a container attachment (`attachment_signatures`). The personal code is personal data: never logged. */
export interface SignatureRecord {
  /** The container's file_index. */
  fileIndex: number;
  n: number;
  signatureId: string;
  fromContainer: string;
  signer: string | null;
  signerPersonalCode: string | null;
  signedAt: string | null;
  digest: 'ok' | 'mismatch' | 'not-checked';
  references: { file: string; digest: string }[];
}

/** The text read from one attachment (`attachment_texts`): read, none for its type, or failed with a code. */
export interface TextRecord {
  fileIndex: number;
  state: 'text' | 'none' | 'failed';
  chars: number;
  truncated: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  /** How many valid personal codes the text holds (a count only). */
  personalCodes: number;
  text: string | null;
  /** The text folded for search (src/content/fold.ts, foldedForSearch). */
  folded: string | null;
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
          declared_size, size, sha256, encoding, main_component, error_code, error_message, from_container, container_index, digest)
       SELECT m.id, t.* FROM moved m, unnest(@1::int[], @2::text[], @3::text[], @4::text[], @5::text[], @6::text[], @7::bigint[],
                                            @8::bigint[], @9::text[], @10::text[], @11::boolean[], @12::text[], @13::text[],
                                            @14::text[], @15::int[], @16::text[]) AS t
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
        files.map((f) => f.fromContainer),
        files.map((f) => f.containerIndex),
        files.map((f) => f.digest),
      ],
    ),
  ];
}

/** `sg`: the signatures of the capsule's container attachments. */
export function signaturesInsert(sigs: readonly SignatureRecord[]): Fragment[] {
  if (sigs.length === 0) return [];
  return [
    fragment(
      `sg AS (
       INSERT INTO attachment_signatures (capsule_id, file_index, n, signature_id, from_container, signer, signer_personal_code, signed_at, digest, references_digests)
       SELECT m.id, t.* FROM moved m, unnest(@1::int[], @2::int[], @3::text[], @4::text[], @5::text[], @6::text[], @7::timestamptz[], @8::text[], @9::jsonb[]) AS t
       ON CONFLICT (capsule_id, file_index, n) DO NOTHING)`,
      [
        sigs.map((x) => x.fileIndex),
        sigs.map((x) => x.n),
        sigs.map((x) => x.signatureId),
        sigs.map((x) => x.fromContainer),
        sigs.map((x) => x.signer),
        sigs.map((x) => x.signerPersonalCode),
        sigs.map((x) => x.signedAt),
        sigs.map((x) => x.digest),
        sigs.map((x) => JSON.stringify(x.references)),
      ],
    ),
  ];
}

const TEXT_COLUMNS = 'file_index, state, chars, truncated, error_code, error_message, personal_codes, text, tsv';
const TEXT_ARRAYS = '@1::int[], @2::text[], @3::int[], @4::boolean[], @5::text[], @6::text[], @7::int[], @8::text[], @9::text[]';
const TEXT_FIELDS = 'file_index, state, chars, truncated, error_code, error_message, personal_codes, text, folded';
const TEXT_VALUES = `unnest(${TEXT_ARRAYS}) AS t(${TEXT_FIELDS})`;
const TEXT_SELECT = `t.file_index, t.state, t.chars, t.truncated, t.error_code, t.error_message, t.personal_codes, t.text,
              CASE WHEN t.folded IS NULL THEN NULL ELSE to_tsvector('simple', t.folded) END`;

function textParams(texts: readonly TextRecord[]): unknown[] {
  return [
    texts.map((x) => x.fileIndex),
    texts.map((x) => x.state),
    texts.map((x) => x.chars),
    texts.map((x) => x.truncated),
    texts.map((x) => x.errorCode),
    texts.map((x) => x.errorMessage),
    texts.map((x) => x.personalCodes),
    texts.map((x) => x.text),
    texts.map((x) => x.folded),
  ];
}

/** `tx`: the texts read before classification (weak metadata), stored with the attachment rows. */
export function textsInsert(texts: readonly TextRecord[]): Fragment[] {
  if (texts.length === 0) return [];
  return [
    fragment(
      `tx AS (
       INSERT INTO attachment_texts (capsule_id, ${TEXT_COLUMNS})
       SELECT m.id, ${TEXT_SELECT} FROM moved m, ${TEXT_VALUES}
       ON CONFLICT (capsule_id, file_index) DO NOTHING)`,
      textParams(texts),
    ),
  ];
}

/** The text step's write (docs/intake.md, "Text"): the texts of capsules' files, each once, in one statement. */
export async function storeTexts(q: Pick<PoolClient, 'query'>, entries: ReadonlyArray<{ capsuleId: string; texts: readonly TextRecord[] }>): Promise<void> {
  const rows = entries.flatMap((e) => e.texts.map((t) => ({ capsuleId: e.capsuleId, t })));
  if (rows.length === 0) return;
  const s = compose(
    fragment(
      `INSERT INTO attachment_texts (capsule_id, ${TEXT_COLUMNS})
       SELECT t.capsule_id, ${TEXT_SELECT} FROM unnest(${TEXT_ARRAYS}, @10::uuid[]) AS t(${TEXT_FIELDS}, capsule_id)
       ON CONFLICT (capsule_id, file_index) DO NOTHING`,
      [...textParams(rows.map((r) => r.t)), rows.map((r) => r.capsuleId)],
    ),
  );
  await q.query(prepared(s.text, s.values));
}

/** A stored file whose text has not been read yet. */
export interface PendingText {
  capsule_id: string;
  file_index: number;
  file_name: string;
  sniffed_mime_type: string;
  declared_mime_type: string;
  sha256: string;
  size: string;
}

/** The files of capsules `capsuleIds` whose text is not read yet, by capsule and file order. */
export async function pendingTexts(q: Pick<PoolClient, 'query'>, capsuleIds: readonly string[]): Promise<PendingText[]> {
  // Planned for its ids each time (not a prepared statement): the generic plan of `= ANY($1)` guessed a hundred
  // capsules and scanned all of attachments each round, the more the longer (docs/performance.md).
  const r = await q.query<PendingText>(
    `SELECT a.capsule_id, a.file_index, a.file_name, a.sniffed_mime_type, a.declared_mime_type, a.sha256, a.size
       FROM attachments a
      WHERE a.capsule_id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM attachment_texts x WHERE x.capsule_id = a.capsule_id AND x.file_index = a.file_index)
      ORDER BY a.capsule_id, a.file_index`,
    [capsuleIds],
  );
  return r.rows;
}

/** Capsules with stored files whose text is not read yet (the text pass; oldest first). */
export async function capsulesWithPendingText(q: Pick<PoolClient, 'query'>, limit: number): Promise<string[]> {
  const r = await q.query<{ capsule_id: string }>(
    `SELECT DISTINCT a.capsule_id FROM attachments a
      WHERE NOT EXISTS (SELECT 1 FROM attachment_texts x WHERE x.capsule_id = a.capsule_id AND x.file_index = a.file_index)
      LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => x.capsule_id);
}

/** `k`: the capsule's classification, when it has a category (routing needs one). */
export function classificationOf(id: string): Fragment[] {
  return [fragment(`k AS (SELECT category, sub_kind FROM classifications WHERE capsule_id = @1 AND category IS NOT NULL)`, [id])];
}

/**
 * `moved` and `h` of routing: extracted → routed onto the case `t` names, only when the capsule has a
 * category (`k`); `moved` returns `id, received_at, state`. The history row says which case, whether it was
 * opened, and how a reply named it. A capsule whose category is not one of `receiptCategories` gets no
 * receipt whatever its case: it goes on to done in the same statement (a second history row with `doneDetail`,
 * the done step's own).
 */
export function routedMove(id: string, replyVia: string | null, receiptCategories: readonly string[], doneDetail: Record<string, unknown>): Fragment[] {
  return [
    fragment(
      `moved AS (
         UPDATE inbound_capsules SET state = CASE WHEN (SELECT category FROM k) = ANY(@2::text[]) THEN 'routed' ELSE 'done' END,
                updated_at = now(), next_attempt_at = NULL, failure_code = NULL, failure_message = NULL,
                case_id = (SELECT case_id FROM t)
          WHERE id = @1 AND state = 'extracted' AND EXISTS (SELECT 1 FROM k)
          RETURNING id, received_at, state)`,
      [id, receiptCategories],
    ),
    fragment(
      `h AS (
         INSERT INTO inbound_state_history (capsule_id, state, detail)
         SELECT m.id, s.state, s.detail
           FROM moved m CROSS JOIN t,
                LATERAL (VALUES (1, 'routed', jsonb_build_object('caseId', t.case_id, 'opened', t.opens, 'reply', @1::text)),
                                (2, 'done', @2::jsonb)) AS s(n, state, detail)
          WHERE s.n = 1 OR m.state = 'done'
          ORDER BY s.n)`,
      [replyVia, JSON.stringify(doneDetail)],
    ),
  ];
}
