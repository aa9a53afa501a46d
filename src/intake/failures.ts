import type { ReadResult } from '../capsule/read';
import type { PoolClient } from '../db/pool';
import { DhxError } from '../errors';
import { storableMessage, type Confidential } from '../log/privacy';

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

/** A stage's failure as it may be logged and stored (the one boundary: docs/operations.md, "Privacy"). */
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
