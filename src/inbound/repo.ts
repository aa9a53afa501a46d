import type { Capsule, DateTimeValue } from '../capsule/model';
import type { ReplyLookup } from '../cases/reply';
import { prepared, type Pool, type PoolClient } from '../db/pool';
import { withTransaction } from '../db/tx';
import { PENDING_STATES, type InboundState } from './states';

/**
 * Received capsules (`inbound_capsules`, `inbound_state_history`) and what intake stores of them
 * (`inbound_documents`): loads, state changes with their history, failures, in plain parameterised SQL
 * kept here (each table has one owner folder: docs/architecture.md). With received.ts (the receive path),
 * steps.ts (the pipeline's statements) and operator.ts (operator decisions), the only writer of these
 * tables.
 */

export interface InboundRow {
  id: string;
  state: InboundState;
  blob_sha256: string;
  sender: string;
  received_at: Date;
  case_id: string | null;
  attempts: number;
}

const INBOUND_COLUMNS = 'i.id, i.state, i.blob_sha256, i.sender, i.received_at, i.case_id, i.attempts';

/** The capsule's row; `forUpdate` (inside a transaction) holds its lock until commit. */
export async function loadInbound(q: Pick<PoolClient, 'query'>, id: string, forUpdate = false): Promise<InboundRow | undefined> {
  const r = await q.query<InboundRow>(prepared(`SELECT ${INBOUND_COLUMNS} FROM inbound_capsules i WHERE i.id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]));
  return r.rows[0];
}

/**
 * The row as a run of the pipeline starts it, with the capsule's bytes when it is kept in PostgreSQL and
 * the next stage reads it (received, classified): one round trip instead of two.
 */
export async function loadInboundForRun(q: Pick<PoolClient, 'query'>, id: string): Promise<(InboundRow & { content: Buffer | null }) | undefined> {
  const r = await q.query<InboundRow & { content: Buffer | null }>(
    prepared(
      `SELECT ${INBOUND_COLUMNS}, CASE WHEN i.state IN ('received', 'classified') THEN b.content END AS content
         FROM inbound_capsules i LEFT JOIN blobs b ON b.sha256 = i.blob_sha256 WHERE i.id = $1`,
      [id],
    ),
  );
  return r.rows[0];
}

/**
 * Moves a capsule from `from` to `to` and writes the history row; false when the row is no longer in
 * `from` (another run did the step). The UPDATE takes the row lock, so effects done after it in the same
 * transaction happen exactly once (docs/intake.md, "Steps": each stage checks the state allows the step).
 */
export async function transition(
  client: PoolClient,
  id: string,
  from: InboundState | InboundState[],
  to: InboundState,
  detail: Record<string, unknown> = {},
  failure?: { code: string; message: string },
  caseId?: string,
): Promise<boolean> {
  const froms = Array.isArray(from) ? from : [from];
  // One round trip: the state change and its history row.
  const r = await client.query(
    `WITH moved AS (
       UPDATE inbound_capsules SET state = $3, updated_at = now(), next_attempt_at = NULL, failure_code = $4, failure_message = $5,
              case_id = coalesce($7::uuid, case_id)
        WHERE id = $1 AND state = ANY($2::text[]) RETURNING id)
     INSERT INTO inbound_state_history (capsule_id, state, detail) SELECT id, $3, $6 FROM moved`,
    [
      id,
      froms,
      to,
      failure?.code ?? null,
      failure?.message ?? null,
      JSON.stringify(failure ? { ...detail, failureCode: failure.code, failureMessage: failure.message } : detail),
      caseId ?? null,
    ],
  );
  return r.rowCount === 1;
}

export interface InboundDocument {
  capsule_id: string;
  record_guid: string;
  record_original_identifier: string;
  record_date_registered: Date;
  title: string;
  reply_due_date: string | null;
  access_restricted: boolean;
  sender_code: string;
  sender_name: string;
  initiator_original_identifier: string | null;
  recipient_record_guids: string[];
  recipient_original_identifiers: string[];
  model: Capsule;
  /** What classify's reply lookup found; undefined or null when it has not looked (routing then looks itself). */
  reply?: ReplyLookup | null;
}

/** JSON keeps a DateTimeValue's instant as a string: turn it back into a Date. */
export function capsuleFromJson(json: unknown): Capsule {
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.lexical === 'string' && typeof o.instant === 'string' && Object.keys(o).length === 2) {
        return { lexical: o.lexical, instant: new Date(o.instant) } satisfies DateTimeValue;
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  return revive(json) as Capsule;
}

export async function loadDocument(q: Pick<PoolClient, 'query'>, id: string): Promise<InboundDocument | undefined> {
  const r = await q.query<InboundDocument & { reply_due_date: string | null }>(
    `SELECT capsule_id, record_guid, record_original_identifier, record_date_registered, title,
            to_char(reply_due_date, 'YYYY-MM-DD') AS reply_due_date, access_restricted, sender_code, sender_name,
            initiator_original_identifier, recipient_record_guids, recipient_original_identifiers, model, reply
       FROM inbound_documents WHERE capsule_id = $1`,
    [id],
  );
  const row = r.rows[0];
  return row ? { ...row, model: capsuleFromJson(row.model) } : undefined;
}

/** How the capsule came (`dhx`, `dvk`, `adit`); undefined when there is no such capsule. */
export async function inboundTransport(q: Pick<PoolClient, 'query'>, id: string): Promise<string | undefined> {
  const r = await q.query<{ transport: string }>('SELECT transport FROM inbound_capsules WHERE id = $1', [id]);
  return r.rows[0]?.transport;
}

/** Ids of capsules that stopped (failed or parked), oldest change first (`dhx failed list`, `dhx replay --all-failed`). */
export async function failedInboundIds(q: Pick<PoolClient, 'query'>): Promise<string[]> {
  const r = await q.query<{ id: string }>(`SELECT id FROM inbound_capsules WHERE state IN ('failed', 'parked') ORDER BY updated_at`);
  return r.rows.map((x) => x.id);
}

/**
 * A retryable failure: `attempts` + 1, code and message kept, `next_attempt_at` after an exponential
 * backoff (`backoffMs · 2^(attempts before)`); the state stays. The attempts now counted, or undefined
 * when the row is gone.
 */
export async function recordRetryableFailure(pool: Pool, id: string, failure: { code: string; message: string }, backoffMs: number): Promise<number | undefined> {
  const r = await pool.query<{ attempts: number }>(
    `UPDATE inbound_capsules SET attempts = attempts + 1, failure_code = $2, failure_message = $3,
            next_attempt_at = now() + make_interval(secs => $4::double precision / 1000 * power(2, attempts))
      WHERE id = $1 RETURNING attempts`,
    [id, failure.code, failure.message, backoffMs],
  );
  return r.rows[0]?.attempts;
}

/** A failure that stops the pipeline: `attempts` + 1 and a pending state → `to` (failed or parked) with code and message. */
export async function stopWithFailure(pool: Pool, id: string, to: InboundState, failure: { code: string; message: string }): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('UPDATE inbound_capsules SET attempts = attempts + 1 WHERE id = $1', [id]);
    await transition(client, id, PENDING_STATES, to, {}, failure);
  });
}
