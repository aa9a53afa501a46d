import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Each table has one owner folder that holds every statement writing it (docs/architecture.md), and the
 * entry points (the CLI, the demo, app.ts) hold no SQL at all: they call functions, so a dashboard can call
 * the same ones. This test reads every string and template literal under src/ (a template's holes read as
 * `?`) and fails on a write to an owned table outside its owner, or a statement in an entry point.
 */

const ROOT = path.resolve(__dirname, '../..');

/** Table → the folder that alone may INSERT INTO / UPDATE / DELETE FROM it. */
const OWNERS: Record<string, string> = {
  cases: 'src/cases/',
  outbound_documents: 'src/outbound/',
  outbound_state_history: 'src/outbound/',
  inbound_capsules: 'src/inbound/',
  inbound_state_history: 'src/inbound/',
  inbound_documents: 'src/inbound/',
  classifications: 'src/inbound/',
  attachments: 'src/inbound/',
  attachment_signatures: 'src/inbound/',
  attachment_texts: 'src/inbound/',
  addressbook_members: 'src/addressbook/',
  addressbook_intermediaries: 'src/addressbook/',
  addressbook_representees: 'src/addressbook/',
  addressbook_refreshes: 'src/addressbook/',
  representees: 'src/addressbook/',
  poll_results: 'src/inbound/',
};

/**
 * Writes allowed outside an owner, each file with the tables it may write. Empty: every owned table is
 * written from its owner folder only. The test fails on an entry that no longer applies.
 */
const PENDING: Record<string, readonly string[]> = {};

/** Files that must hold no SQL: they call the owners' functions. */
const NO_SQL = (file: string): boolean => file.startsWith('src/cli/') || file === 'src/app.ts';

interface Literal {
  text: string;
  line: number;
}

/** Every string and template literal of a TypeScript source, a template's substitutions read as `?`. */
export function literalsOf(fileName: string, source: string): Literal[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Literal[] = [];
  const line = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push({ text: n.text, line: line(n) });
    else if (ts.isTemplateExpression(n)) out.push({ text: [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ? '), line: line(n) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The tables a piece of SQL writes. */
export function tablesWritten(sql: string): string[] {
  return [...sql.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)\b/gi)].map((m) => m[1]!.toLowerCase());
}

/** Whether a literal is (or holds) an SQL statement: SELECT, INSERT, UPDATE, DELETE or WITH (or DDL: CREATE, DROP, …). */
export function isSql(text: string): boolean {
  return (
    /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE)\s/.test(text) ||
    /\bSELECT\b[\s\S]*\bFROM\s+[a-z_]/i.test(text) ||
    /\bINSERT\s+INTO\s+[a-z_]/i.test(text) ||
    /\bUPDATE\s+[a-z_][a-z0-9_]*(\s+[a-z_][a-z0-9_]*)?\s+SET\b/i.test(text) ||
    /\bDELETE\s+FROM\s+[a-z_]/i.test(text) ||
    /\bWITH\s+[a-z_][a-z0-9_]*\s+AS\s*\(/i.test(text)
  );
}

interface Finding {
  file: string;
  line: number;
  problem: string;
}

/** The writes outside their owner (less the pending ones) and the SQL in entry points of one file. */
export function findingsOf(file: string, source: string, pending: Record<string, readonly string[]> = {}): { findings: Finding[]; written: Set<string> } {
  const findings: Finding[] = [];
  const written = new Set<string>();
  for (const lit of literalsOf(file, source)) {
    for (const table of tablesWritten(lit.text)) {
      const owner = OWNERS[table];
      if (!owner || file.startsWith(owner)) continue;
      written.add(table);
      if (!pending[file]?.includes(table)) findings.push({ file, line: lit.line, problem: `writes ${table}, which only ${owner} may write` });
    }
    if (NO_SQL(file) && isSql(lit.text)) findings.push({ file, line: lit.line, problem: `holds SQL (${lit.text.trim().slice(0, 60)}…): call a function of the table's owner` });
  }
  return { findings, written };
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('table ownership and SQL-free entry points', () => {
  const files = sourceFiles('src');
  const results = new Map(files.map((f) => [f, findingsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8'), PENDING)]));

  test('owned tables are written only from their owner folder; the CLI, the demo and app.ts hold no SQL', () => {
    const problems = [...results.values()].flatMap((r) => r.findings).map((f) => `${f.file}:${f.line} ${f.problem}`);
    expect(problems).toEqual([]);
  });

  test('every entry of the temporary allow-list still applies (delete the ones that do not)', () => {
    const stale = Object.entries(PENDING).flatMap(([file, tables]) =>
      tables.filter((t) => !results.get(file)?.written.has(t)).map((t) => `${file} no longer writes ${t}`),
    );
    expect(stale).toEqual([]);
  });

  test('the scan sees what it must', () => {
    // It finds the owners' own statements (a scan that read nothing would pass everything).
    expect(results.get('src/outbound/repo.ts')?.written.size).toBe(0);
    expect(literalsOf('src/outbound/repo.ts', fs.readFileSync(path.join(ROOT, 'src/outbound/repo.ts'), 'utf8')).some((l) => tablesWritten(l.text).includes('outbound_documents'))).toBe(true);
    // A write outside the owner, in a string, a template and a template with holes.
    const foreign = [
      "await q.query('UPDATE cases SET title = $1 WHERE id = $2', [t, id]);",
      'await q.query(`INSERT INTO outbound_documents (id) VALUES ($1)`, [id]);',
      'await q.query(`WITH x AS (DELETE FROM inbound_capsules WHERE id = ${p}) SELECT 1`, []);',
    ].join('\n');
    expect(findingsOf('src/intake/new.ts', foreign).findings.map((f) => f.problem)).toEqual([
      'writes cases, which only src/cases/ may write',
      'writes outbound_documents, which only src/outbound/ may write',
      'writes inbound_capsules, which only src/inbound/ may write',
    ]);
    // The owner may; an allow-listed file may write only the tables listed for it.
    expect(findingsOf('src/cases/new.ts', "q.query('UPDATE cases SET title = $1')").findings).toEqual([]);
    expect(findingsOf('src/x/a.ts', foreign, { 'src/x/a.ts': ['cases'] }).findings).toHaveLength(2);
    // SQL in an entry point, reads included; prose and SQL-looking words in it are not statements.
    const cli = [
      "pool.query('SELECT 1');",
      'pool.query(`SELECT id FROM cases WHERE ${w}`);',
      "const s = 'with Redis away the row stays queued; select a case with --case';",
      "const t = 'Update the address book from the global configuration';",
    ].join('\n');
    expect(findingsOf('src/cli/new.ts', cli).findings.map((f) => f.line)).toEqual([1, 2]);
    expect(findingsOf('src/app.ts', "db.query('WITH t AS (SELECT 1) SELECT * FROM t')").findings).toHaveLength(1);
    expect(findingsOf('src/cli/demo.ts', 'admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)').findings).toHaveLength(1);
    expect(findingsOf('src/http/new.ts', "db.query('SELECT 1')").findings).toEqual([]);
  });
});
