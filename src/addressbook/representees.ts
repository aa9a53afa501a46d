import type { Pool } from '../db/pool';

/** Organisations SKA serves as a DHX intermediary (representationList), active when start ≤ now < end. */

export interface Representee {
  memberCode: string;
  name: string;
  system: string | null;
  startDate: Date;
  endDate: Date | null;
}

const COLUMNS = 'member_code AS "memberCode", name, system, start_date AS "startDate", end_date AS "endDate"';

export async function listRepresentees(pool: Pool, opts: { activeOnly?: boolean } = {}): Promise<Representee[]> {
  const where = opts.activeOnly ? 'WHERE start_date <= now() AND (end_date IS NULL OR end_date > now())' : '';
  const r = await pool.query<Representee>(`SELECT ${COLUMNS} FROM representees ${where} ORDER BY member_code, system NULLS FIRST, start_date`);
  return r.rows;
}

export async function findActiveRepresentee(pool: Pool, code: string, system?: string): Promise<Representee | undefined> {
  const r = await pool.query<Representee>(
    `SELECT ${COLUMNS} FROM representees
      WHERE member_code = $1 AND ($2::text IS NULL OR system = $2)
        AND start_date <= now() AND (end_date IS NULL OR end_date > now())
      ORDER BY start_date DESC LIMIT 1`,
    [code, system ?? null],
  );
  return r.rows[0];
}

export async function addRepresentee(pool: Pool, r: { memberCode: string; name: string; system?: string; start?: Date; end?: Date }): Promise<Representee> {
  const row = await pool.query<Representee>(
    `INSERT INTO representees (member_code, name, system, start_date, end_date)
     VALUES ($1, $2, $3, coalesce($4, now()), $5) RETURNING ${COLUMNS}`,
    [r.memberCode, r.name, r.system ?? null, r.start ?? null, r.end ?? null],
  );
  return row.rows[0]!;
}

/** Ends every open representation of `code` now; returns how many were ended. */
export async function endRepresentee(pool: Pool, code: string, at = new Date()): Promise<number> {
  const r = await pool.query(
    `UPDATE representees SET end_date = greatest($2, start_date + interval '1 millisecond')
      WHERE member_code = $1 AND (end_date IS NULL OR end_date > $2)`,
    [code, at],
  );
  return r.rowCount ?? 0;
}
