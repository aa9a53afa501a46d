import type { PoolClient } from '../db/pool';
import { foldedForSearch } from '../content/fold';
import { fragment, type Fragment } from '../db/statement';

/**
 * The writes of `cases` that intake's routing statement makes, as statement fragments
 * (src/db/statement.ts). The contract between fragments is the names of their CTEs: routing's `moved`
 * (the capsule's row as it moved: `id`, `received_at`; src/inbound/steps.ts) and `k` (its
 * classification: `category`, `sub_kind`), and `t` made here (the case the capsule goes to).
 */

/** A case as the business receipt names it. */
export interface CaseForReceipt {
  id: string;
  case_number: string;
  category: string;
  /** `YYYY-MM-DD`, or null when the case has no due date. */
  due_date: string | null;
  opened_by: string;
  kov_code: string;
  kov_name: string;
}

const CASE_FOR_RECEIPT = `id, case_number, category, to_char(due_date, 'YYYY-MM-DD') AS due_date, opened_by, kov_code, kov_name`;

/**
 * `own` and `t`: the case capsule `capsuleId` goes to. The case it opened already (a replay after a
 * later failure keeps it), else the reply's case, else a new one with id `newCaseId`. `t` has `case_id`,
 * `opens` (a new case) and `kept` (the capsule's own earlier case).
 */
export function caseChoice(capsuleId: string, replyCaseId: string | null, newCaseId: string): Fragment[] {
  return [
    fragment(`own AS (SELECT id FROM cases WHERE opened_by = @1)`, [capsuleId]),
    fragment(
      `t AS (SELECT coalesce((SELECT id FROM own), @1::uuid, @2::uuid) AS case_id, (SELECT id FROM own) IS NULL AND @1::uuid IS NULL AS opens,
                  (SELECT id FROM own) IS NOT NULL AS kept)`,
      [replyCaseId, newCaseId],
    ),
  ];
}

/** What a request brings to the case it opens. */
export interface CaseOpening {
  kovCode: string;
  kovName: string;
  title: string;
  kovRegNumber: string;
  kovRegDate: Date;
  accessRestricted: boolean;
  /** Calendar days to answer, by category (INTAKE_DUE_DAYS). */
  dueDays: Record<string, number>;
  /** The KOV's ReplyDueDate (`YYYY-MM-DD`): the due date when earlier. */
  replyDueDate: string | null;
}

/**
 * `c`: opens case `t` when `t.opens` (status registered): number `LHO-<year>-<seq>`, the category of `k`,
 * due date `dueDays` calendar days after the receipt date in Tallinn or the KOV's ReplyDueDate when
 * earlier. Returns the case as the receipt names it. Its title is indexed for search (folded as the classifier
 * folds, src/content/fold.ts); it holds personal data when the text read from the capsule's files before
 * routing held a personal code (the text step marks it later otherwise: markHoldsPersonalData).
 */
export function openCase(o: CaseOpening): Fragment[] {
  return [
    fragment(
      `c AS (
         INSERT INTO cases (id, case_number, opened_by, kov_code, kov_name, category, sub_kind, title, received_at,
            kov_reg_number, kov_reg_date, access_restricted, due_date, deadline_status, search_tsv, holds_personal_data)
         SELECT t.case_id, 'LHO-' || to_char(m.received_at AT TIME ZONE 'Europe/Tallinn', 'YYYY') || '-' || lpad(nextval('case_number_seq')::text, 6, '0'),
                m.id, @1::text, @2::text, k.category, k.sub_kind, @3::text, m.received_at, @4::text, @5::timestamptz, @6::boolean,
                due.d, CASE WHEN due.d IS NULL THEN 'none' ELSE 'on_track' END, to_tsvector('simple', @9::text),
                EXISTS (SELECT 1 FROM attachment_texts x WHERE x.capsule_id = m.id AND x.personal_codes > 0)
           FROM moved m CROSS JOIN k CROSS JOIN t
           CROSS JOIN LATERAL (SELECT least((m.received_at AT TIME ZONE 'Europe/Tallinn')::date + (@7::jsonb ->> k.category)::int, @8::date) AS d) due
          WHERE t.opens
         RETURNING ${CASE_FOR_RECEIPT})`,
      [o.kovCode, o.kovName, o.title, o.kovRegNumber, o.kovRegDate, o.accessRestricted, JSON.stringify(o.dueDays), o.replyDueDate, foldedForSearch(o.title)],
    ),
  ];
}

/** `rc`: a restricted (AK) document makes the existing case it joins restricted; nothing ever lifts it. */
export function restrictJoinedCase(restricted: boolean): Fragment[] {
  return [
    fragment(
      `rc AS (
         UPDATE cases SET access_restricted = true, updated_at = now() FROM moved m, t
          WHERE @1::boolean AND NOT t.opens AND cases.id = t.case_id AND NOT cases.access_restricted)`,
      [restricted],
    ),
  ];
}

/** The case capsule `capsuleId` is on, as the receipt names it. */
export async function caseOfCapsule(q: Pick<PoolClient, 'query'>, capsuleId: string): Promise<CaseForReceipt | undefined> {
  const r = await q.query<CaseForReceipt>(`SELECT ${CASE_FOR_RECEIPT} FROM cases WHERE id = (SELECT case_id FROM inbound_capsules WHERE id = $1)`, [capsuleId]);
  return r.rows[0];
}

/**
 * Flags the cases capsules `capsuleIds` are on as holding personal data (a personal code was found in the text
 * of one of their files). A capsule not yet on a case: openCase reads the texts when it opens one.
 */
export async function markHoldsPersonalData(q: Pick<PoolClient, 'query'>, capsuleIds: readonly string[]): Promise<void> {
  if (capsuleIds.length === 0) return;
  await q.query(
    `UPDATE cases SET holds_personal_data = true, updated_at = now()
      WHERE id IN (SELECT case_id FROM inbound_capsules WHERE id = ANY($1::uuid[])) AND NOT holds_personal_data`,
    [capsuleIds],
  );
}
