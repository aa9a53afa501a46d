import { foldedForSearch } from '../content/fold';
import type { PoolClient } from '../db/pool';
import { RESTRICTED } from '../log/privacy';

/**
 * Search of cases (docs/intake.md, "Search"; `dhx cases search`, the dashboard): PostgreSQL full-text search
 * (`simple` configuration, GIN indexes) over case titles, the documents' metadata (title, sender name, original
 * identifiers) and the text read from their files — all indexed folded as the classifier folds
 * (src/content/fold.ts), and the query folded the same way, so "ohutus" finds "õhutus" and the reverse. The
 * query is a parameter of websearch_to_tsquery: quotes for a phrase, `-word` to exclude, `or`.
 */

export interface CaseHit {
  caseId: string;
  caseNumber: string;
  category: string;
  /** Where it matched: `title`, `metadata`, `text:<file name>` (`text:[restricted]` for a restricted case). */
  matchedIn: string[];
}

export class EmptyQueryError extends Error {
  constructor() {
    super('the query has no words to search for');
  }
}

/** The folded query, or EmptyQueryError when it holds no word. */
export function searchQuery(query: string): string {
  // Folded word by word, keeping websearch syntax: a quoted phrase and a leading minus.
  const words: string[] = [];
  for (const m of query.matchAll(/"[^"]*"|-?[^\s"]+/g)) {
    const t = m[0];
    if (t.startsWith('"')) {
      const inner = foldedForSearch(t);
      if (inner) words.push(`"${inner}"`);
    } else {
      const neg = t.startsWith('-') ? '-' : '';
      const w = foldedForSearch(neg ? t.slice(1) : t);
      if (w) words.push(neg ? `-${w.split(' ')[0]!}` : w);
    }
  }
  if (words.length === 0) throw new EmptyQueryError();
  return words.join(' ');
}

/** Cases matching `query`, newest first, at most `limit`. Throws EmptyQueryError on a query without words. */
export async function searchCases(q: Pick<PoolClient, 'query'>, query: string, o: { limit?: number; reveal?: boolean } = {}): Promise<CaseHit[]> {
  const folded = searchQuery(query);
  const r = await q.query<{ id: string; case_number: string; category: string; access_restricted: boolean; matched: string[] }>(
    `WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q),
     hits AS (
       SELECT c.id AS case_id, 'title' AS m, 0 AS o FROM cases c, q WHERE c.search_tsv @@ q.q
       UNION ALL
       SELECT i.case_id, 'metadata', 1 FROM inbound_documents d JOIN inbound_capsules i ON i.id = d.capsule_id, q
        WHERE i.case_id IS NOT NULL AND d.search_tsv @@ q.q
       UNION ALL
       SELECT i.case_id, 'text:' || a.file_name, 2 FROM attachment_texts x
         JOIN attachments a ON a.capsule_id = x.capsule_id AND a.file_index = x.file_index
         JOIN inbound_capsules i ON i.id = x.capsule_id, q
        WHERE i.case_id IS NOT NULL AND x.tsv @@ q.q)
     SELECT c.id, c.case_number, c.category, c.access_restricted, array_agg(DISTINCT h.m) AS matched, c.received_at
       FROM hits h JOIN cases c ON c.id = h.case_id
      GROUP BY c.id
      ORDER BY c.received_at DESC, c.case_number DESC
      LIMIT $2`,
    [folded, o.limit ?? 50],
  );
  const order = (m: string): number => (m === 'title' ? 0 : m === 'metadata' ? 1 : 2);
  return r.rows.map((x) => {
    const hide = x.access_restricted && !o.reveal;
    const matched = [...new Set(x.matched.map((m) => (hide && m.startsWith('text:') ? `text:${RESTRICTED}` : m)))];
    matched.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    return { caseId: x.id, caseNumber: x.case_number, category: x.category, matchedIn: matched };
  });
}
