import type { PoolClient } from '../db/pool';

/**
 * The cases table's reads and writes outside intake's filing (migration 0004): finding a case by id or
 * number, marking it answered, and the case views the CLI, the demo and /metrics show. Other statements
 * that write `cases` live beside this file in src/cases/.
 */

type Queryable = Pick<PoolClient, 'query'>;

/** A case as stored; `due_date` as `YYYY-MM-DD` (a calendar date, no time zone). */
export interface CaseRow {
  id: string;
  case_number: string;
  opened_by: string;
  category: string;
  sub_kind: string | null;
  kov_code: string;
  kov_name: string;
  title: string;
  received_at: Date;
  kov_reg_number: string;
  kov_reg_date: Date;
  access_restricted: boolean;
  status: string;
  due_date: string | null;
  deadline_status: string;
  answered_at: Date | null;
}

const CASE_COLUMNS = `id, case_number, opened_by, category, sub_kind, kov_code, kov_name, title, received_at, kov_reg_number, kov_reg_date,
  access_restricted, status, to_char(due_date, 'YYYY-MM-DD') AS due_date, deadline_status, answered_at`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One case by its id (a uuid) or its case number; undefined when there is none. */
export async function findCase(q: Queryable, idOrNumber: string): Promise<CaseRow | undefined> {
  const r = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${UUID.test(idOrNumber) ? 'id = $1::uuid' : 'case_number = $1'}`, [idOrNumber]);
  return r.rows[0];
}

/** The first case (by number) of a category, e.g. the first KLAT case the demo answers. */
export async function firstCaseOfCategory(q: Queryable, category: string): Promise<CaseRow | undefined> {
  const r = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE category = $1 ORDER BY case_number LIMIT 1`, [category]);
  return r.rows[0];
}

/**
 * The statement that marks a case answered (a delivered opinion answers its case: feeds the deadline watch and
 * dhx stats, on time or late), for the case whose id `caseIdSql` gives (a parameter or a subquery of the
 * caller's statement; no row when it is NULL). The first answer counts: a later one keeps `answered_at`.
 */
export function markAnsweredStatement(caseIdSql: string): string {
  return `UPDATE cases SET answered_at = coalesce(answered_at, now()), deadline_status = CASE WHEN due_date IS NULL THEN deadline_status ELSE 'answered' END,
            updated_at = now() WHERE id = ${caseIdSql}`;
}

/** Marks the case answered, in the caller's transaction (an operator confirming an ambiguous opinion). */
export async function markAnswered(q: Queryable, caseId: string): Promise<void> {
  await q.query(markAnsweredStatement('$1'), [caseId]);
}

/** Whether a case was answered, and on or before its due date (Tallinn calendar; null without a due date or answer). */
export async function answerOfCase(q: Queryable, caseId: string): Promise<{ answered: boolean; onTime: boolean | null } | undefined> {
  const r = await q.query<{ answered: boolean; on_time: boolean | null }>(
    `SELECT answered_at IS NOT NULL AS answered, (answered_at AT TIME ZONE 'Europe/Tallinn')::date <= due_date AS on_time FROM cases WHERE id = $1`,
    [caseId],
  );
  const row = r.rows[0];
  return row && { answered: row.answered, onTime: row.on_time };
}

/** How many cases there are. */
export async function countCases(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return r.rows[0]!.n;
}

/** Cases by the status the deadline watch last gave them (the /metrics gauges). */
export async function deadlineStatusCounts(q: Queryable): Promise<{ dueSoon: number; overdue: number }> {
  const r = await q.query<{ due_soon: string; overdue: string }>(
    `SELECT (SELECT count(*) FROM cases WHERE deadline_status = 'due_soon') AS due_soon,
            (SELECT count(*) FROM cases WHERE deadline_status = 'overdue') AS overdue`,
  );
  const row = r.rows[0]!;
  return { dueSoon: Number(row.due_soon), overdue: Number(row.overdue) };
}
