import type { ReadResult } from '../capsule/read';
import type { PoolClient } from '../db/pool';
import { DhxError, FailureCode, failureCodeOf, isFailureCode } from '../errors';
import { storableMessage, type Confidential } from '../log/privacy';

/**
 * The failure code of anything an intake stage throws (STYLE habit 2): our own codes by value, a lost
 * PostgreSQL connection as DB_UNAVAILABLE (retry), a capsule limit as permanent; anything else INTERNAL
 * (ambiguous: the capsule is parked for an operator).
 */
const PG_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '40001', '40P01']);

export function intakeFailureCode(err: unknown): FailureCode {
  const code = failureCodeOf(err);
  if (code !== FailureCode.INTERNAL) return code;
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e.code === 'string') {
      if (isFailureCode(e.code)) return e.code;
      if (PG_UNAVAILABLE.has(e.code) || e.code.startsWith('08')) return FailureCode.DB_UNAVAILABLE;
      if (e.code === 'LIMIT_EXCEEDED') return FailureCode.CAPSULE_LIMIT_EXCEEDED;
    }
    if (typeof e.message === 'string' && /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(e.message)) {
      return FailureCode.DB_UNAVAILABLE;
    }
  }
  return FailureCode.INTERNAL;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export { DhxError };

/**
 * What a failure message about capsule `id` must not name: when the document or its case is restricted
 * (access `AK`), its title and file names (declared, stored and made safe). `read` is what the failing run
 * read of the capsule, the only source before the parse stage has stored the document.
 */
export async function confidentialOf(q: Pick<PoolClient, 'query'>, id: string, read?: ReadResult): Promise<Confidential> {
  const r = await q.query<{ restricted: boolean; names: string[] }>(
    `SELECT coalesce(d.access_restricted, false) OR coalesce(k.access_restricted, false) AS restricted,
            array_remove(ARRAY[d.title]
              || ARRAY(SELECT f ->> 'fileName' FROM jsonb_array_elements(coalesce(d.model -> 'files', '[]'::jsonb)) f)
              || ARRAY(SELECT a.file_name FROM attachments a WHERE a.capsule_id = i.id)
              || ARRAY(SELECT a.safe_name FROM attachments a WHERE a.capsule_id = i.id), NULL) AS names
       FROM inbound_capsules i LEFT JOIN inbound_documents d ON d.capsule_id = i.id LEFT JOIN cases k ON k.id = i.case_id
      WHERE i.id = $1`,
    [id],
  );
  const stored = r.rows[0] ?? { restricted: false, names: [] };
  const seen = confidentialOfRead(read);
  return { restricted: stored.restricted || seen.restricted, names: [...stored.names, ...seen.names] };
}

function confidentialOfRead(read: ReadResult | undefined): Confidential {
  const c = read?.capsule;
  const names = [
    ...(c ? [c.recordMetadata.recordTitle, ...c.files.map((f) => f.fileName)] : []),
    ...(read?.files.flatMap((f) => [f.fileName, f.safeName]) ?? []),
  ];
  return { restricted: c?.access.accessConditionsCode === 'AK', names: names.filter((n): n is string => typeof n === 'string' && n !== '') };
}

/** A stage's failure as it may be logged and stored (the one boundary: README "Privacy"). */
export async function storableFailure(q: Pick<PoolClient, 'query'>, id: string, err: unknown, read?: ReadResult): Promise<string> {
  const message = messageOf(err);
  try {
    return storableMessage(message, await confidentialOf(q, id, read));
  } catch {
    // The database is away (the failure itself, perhaps): nothing is stored; the log line is masked with
    // what the run itself read.
    return storableMessage(message, confidentialOfRead(read));
  }
}
