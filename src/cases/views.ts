import { findCase, type CaseRow } from './repo';
import type { Pool } from '../db/pool';
import { RESTRICTED } from '../log/privacy';

/** Case listings and statistics for the CLI (dhx cases, dhx stats) and, later, the dashboard. */

export interface CaseSummary {
  id: string;
  caseNumber: string;
  category: string;
  subKind: string | null;
  kovCode: string;
  kovName: string;
  title: string;
  receivedAt: string;
  kovRegNumber: string;
  kovRegDate: string;
  accessRestricted: boolean;
  status: string;
  dueAt: string | null;
  deadlineStatus: string;
}

/** The columns listings read (CASE_COLUMNS). */
type ListedCase = Omit<CaseRow, 'opened_by' | 'answered_at'>;

const CASE_COLUMNS = `id, case_number, category, sub_kind, kov_code, kov_name, title, received_at, kov_reg_number, kov_reg_date,
  access_restricted, status, to_char(due_date, 'YYYY-MM-DD') AS due_date, deadline_status`;

/**
 * Whether listings may show what a restricted case's documents say: only when an operator asked with
 * `--reveal` (audit-logged by the CLI). Otherwise titles and file names read {@link RESTRICTED}.
 */
export interface RevealOption {
  reveal?: boolean;
}

function summary(r: ListedCase, o: RevealOption): CaseSummary {
  return {
    id: r.id,
    caseNumber: r.case_number,
    category: r.category,
    subKind: r.sub_kind,
    kovCode: r.kov_code,
    kovName: r.kov_name,
    title: r.access_restricted && !o.reveal ? RESTRICTED : r.title,
    receivedAt: r.received_at.toISOString(),
    kovRegNumber: r.kov_reg_number,
    kovRegDate: r.kov_reg_date.toISOString(),
    accessRestricted: r.access_restricted,
    status: r.status,
    dueAt: r.due_date,
    deadlineStatus: r.deadline_status,
  };
}

/** Cases, newest first; `overdue`: open cases past their due date (Tallinn calendar), whatever the last watch said. */
export async function listCases(pool: Pool, o: { overdue?: boolean; limit?: number } & RevealOption = {}): Promise<CaseSummary[]> {
  const where = o.overdue
    ? `WHERE status <> 'closed' AND answered_at IS NULL AND due_date < (now() AT TIME ZONE 'Europe/Tallinn')::date`
    : '';
  const r = await pool.query<ListedCase>(`SELECT ${CASE_COLUMNS} FROM cases ${where} ORDER BY received_at DESC, case_number DESC LIMIT $1`, [o.limit ?? 1000]);
  return r.rows.map((x) => summary(x, o));
}

/**
 * Open cases whose deadline needs a look (the dashboard's *Now*): unanswered, due within `soonDays` days or
 * already past due (Tallinn calendar), the earliest due first.
 */
export async function casesNeedingAnswer(pool: Pool, o: { soonDays: number; limit?: number } & RevealOption): Promise<CaseSummary[]> {
  const r = await pool.query<ListedCase>(
    `SELECT ${CASE_COLUMNS} FROM cases
      WHERE status <> 'closed' AND answered_at IS NULL AND due_date IS NOT NULL
        AND due_date <= (now() AT TIME ZONE 'Europe/Tallinn')::date + $1::int
      ORDER BY due_date, case_number LIMIT $2`,
    [o.soonDays, o.limit ?? 200],
  );
  return r.rows.map((x) => summary(x, o));
}

export interface CaseDetail extends CaseSummary {
  documents: Array<{ id: string; direction: 'inbound' | 'outbound'; kind: string; state: string; title: string; at: string }>;
}

/** One case by id or case number, with its inbound and outbound documents (a restricted case's titles only with `reveal`). */
export async function showCase(pool: Pool, idOrNumber: string, o: RevealOption = {}): Promise<CaseDetail | undefined> {
  const row = await findCase(pool, idOrNumber);
  if (!row) return undefined;
  const d = await pool.query<{ id: string; direction: 'inbound' | 'outbound'; kind: string; state: string; title: string; at: Date }>(
    `SELECT i.id, 'inbound' AS direction, CASE WHEN i.id = c.opened_by THEN 'request' ELSE 'reply' END AS kind, i.state,
            coalesce(d.title, '') AS title, i.received_at AS at
       FROM inbound_capsules i JOIN cases c ON c.id = i.case_id LEFT JOIN inbound_documents d ON d.capsule_id = i.id
      WHERE i.case_id = $1
     UNION ALL
     SELECT o.id, 'outbound', o.kind, o.state, o.title, o.created_at FROM outbound_documents o WHERE o.case_id = $1
     ORDER BY at`,
    [row.id],
  );
  const hide = row.access_restricted && !o.reveal;
  return { ...summary(row, o), documents: d.rows.map((x) => ({ ...x, title: hide ? RESTRICTED : x.title, at: x.at.toISOString() })) };
}

export interface StatsRow {
  month: string;
  category: string;
  kovCode: string;
  kovName: string;
  count: number;
  onTime: number;
  late: number;
  overdueOpen: number;
  open: number;
}

export interface Stats {
  from: string | null;
  to: string | null;
  /**
   * Requests (cases opened) by month (Tallinn), category and KOV, with how those of them that have a due
   * date stand: answered on time, answered late, open past due, open within it.
   */
  requests: StatsRow[];
  /** Cases with a due date: answered on time, late, still open past the due date, open within it. */
  opinions: { onTime: number; late: number; overdueOpen: number; open: number };
  triage: number;
}

/** `from`/`to`: `YYYY-MM-DD`, inclusive, on the receipt date in Tallinn. */
export async function stats(pool: Pool, o: { from?: string; to?: string } = {}): Promise<Stats> {
  const params = [o.from ?? null, o.to ?? null];
  const range = `($1::date IS NULL OR (received_at AT TIME ZONE 'Europe/Tallinn')::date >= $1::date)
             AND ($2::date IS NULL OR (received_at AT TIME ZONE 'Europe/Tallinn')::date <= $2::date)`;
  const standing = `count(*) FILTER (WHERE answered_at IS NOT NULL AND (answered_at AT TIME ZONE 'Europe/Tallinn')::date <= due_date) AS on_time,
            count(*) FILTER (WHERE answered_at IS NOT NULL AND (answered_at AT TIME ZONE 'Europe/Tallinn')::date > due_date) AS late,
            count(*) FILTER (WHERE answered_at IS NULL AND due_date < (now() AT TIME ZONE 'Europe/Tallinn')::date) AS overdue_open,
            count(*) FILTER (WHERE answered_at IS NULL AND due_date >= (now() AT TIME ZONE 'Europe/Tallinn')::date) AS open`;
  type Standing = { on_time: string; late: string; overdue_open: string; open: string };
  const req = await pool.query<{ month: string; category: string; kov_code: string; kov_name: string; count: string } & Standing>(
    `SELECT to_char(received_at AT TIME ZONE 'Europe/Tallinn', 'YYYY-MM') AS month, category, kov_code, max(kov_name) AS kov_name, count(*) AS count,
            ${standing}
       FROM cases WHERE ${range} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params,
  );
  const op = await pool.query<Standing>(`SELECT ${standing} FROM cases WHERE due_date IS NOT NULL AND ${range}`, params);
  const tri = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_capsules WHERE state = 'triage' AND ${range}`, params);
  const x = op.rows[0]!;
  return {
    from: o.from ?? null,
    to: o.to ?? null,
    requests: req.rows.map((r) => ({
      month: r.month,
      category: r.category,
      kovCode: r.kov_code,
      kovName: r.kov_name,
      count: Number(r.count),
      onTime: Number(r.on_time),
      late: Number(r.late),
      overdueOpen: Number(r.overdue_open),
      open: Number(r.open),
    })),
    opinions: { onTime: Number(x.on_time), late: Number(x.late), overdueOpen: Number(x.overdue_open), open: Number(x.open) },
    triage: Number(tri.rows[0]!.n),
  };
}

const CSV_HEADER = ['month', 'category', 'kov_code', 'kov_name', 'requests', 'answered_on_time', 'answered_late', 'open_past_due', 'open'];

/** A CSV field: quoted when it holds a separator, a quote or a line break; a leading formula character defused. */
function csvField(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The figures of {@link stats} as CSV (RFC 4180 quoting, lines ending in LF): one row per month × category × KOV (`dhx stats --csv`, /admin/report.csv). */
export function statsCsv(s: Stats): string {
  const rows = s.requests.map((r) => [r.month, r.category, r.kovCode, r.kovName, r.count, r.onTime, r.late, r.overdueOpen, r.open]);
  return [CSV_HEADER, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
