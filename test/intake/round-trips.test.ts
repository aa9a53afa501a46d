import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { classifyByOperator } from '../../src/intake/operator';
import { runIntake } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { intakeDepsOf } from './deps';
import { KOVS, kovCapsule } from './kov';
import { insertInbound } from './seed';
import { countedPool } from '../helpers/statements';

/**
 * Round trips to PostgreSQL per capsule (the pipeline is benchmarked on them, docs/intake.md): a new
 * request costs four statements (three when its category gets no receipt), a reply seven; the reply lookup runs once per capsule and a run loads
 * the parsed document at most once.
 */

let db: TestDatabase;
let deps: IntakeDeps;
let dataDir: string;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-trips-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  deps = await intakeDepsOf(config, db.pool, makeBlobStore(dataDir), log);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const isReplyLookup = (t: string): boolean => t.includes('JOIN cases c ON c.id = m.case_id');
const isDocumentLoad = (t: string): boolean => /FROM inbound_documents WHERE capsule_id = \$1/.test(t);

async function run(id: string): Promise<{ state: string | undefined; texts: string[] }> {
  const c = countedPool(db.pool);
  const state = await runIntake({ ...deps, pool: c.pool }, id);
  return { state, texts: c.texts };
}

test('a new request: its row with its bytes, parse + classify + extract, route, receipt', async () => {
  const id = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus' }), KOVS[0]!.code);
  const r = await run(id);
  expect(r.state).toBe('done');
  expect(r.texts).toHaveLength(4);
  expect(r.texts.filter(isReplyLookup)).toHaveLength(0);
  expect(r.texts.filter(isDocumentLoad)).toHaveLength(0);
});

test('a new request whose category gets no receipt: routed and done in one statement, both history rows', async () => {
  const id = await insertInbound(db.pool, await kovCapsule({ title: 'Mentorluse taotlus alustavale lastekaitsetöötajale' }), KOVS[0]!.code);
  expect(deps.intake.receiptCategories).not.toContain('mentorlus');
  const r = await run(id);
  expect(r.state).toBe('done');
  expect(r.texts).toHaveLength(3);
  const h = await db.pool.query<{ state: string; detail: Record<string, unknown> }>('SELECT state, detail FROM inbound_state_history WHERE capsule_id = $1 ORDER BY id', [id]);
  expect(h.rows.map((x) => x.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
  expect(h.rows[4]!.detail).toMatchObject({ opened: true });
  expect(h.rows[5]!.detail).toEqual({ receipt: false });
  const c = await db.pool.query<{ case_id: string | null; category: string }>(
    'SELECT i.case_id, k.category FROM inbound_capsules i JOIN cases k ON k.id = i.case_id WHERE i.id = $1',
    [id],
  );
  expect(c.rows[0]).toMatchObject({ category: 'mentorlus' });
  expect(Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbound_documents WHERE inbound_id = $1', [id])).rows[0]!.n)).toBe(0);
});

test('a reply: the reply lookup runs once, the document is not loaded again, no receipt query', async () => {
  const request = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus' }), KOVS[0]!.code);
  expect(await runIntake(deps, request)).toBe('done');
  const caseNumber = (await db.pool.query<{ case_number: string }>('SELECT case_number FROM cases WHERE opened_by = $1', [request])).rows[0]!.case_number;
  const reply = await insertInbound(db.pool, await kovCapsule({ title: 'Täiendavad andmed', initiator: caseNumber }), KOVS[0]!.code);
  const r = await run(reply);
  expect(r.state).toBe('done');
  // row, parse, lookup, classify, extract, route, done
  expect(r.texts).toHaveLength(7);
  expect(r.texts.filter(isReplyLookup)).toHaveLength(1);
  expect(r.texts.filter(isDocumentLoad)).toHaveLength(0);
});

test('a run resuming after triage loads the document once, and does not look the reply up again', async () => {
  // Names another organisation's case: refused, to triage; an operator then decides.
  const request = await insertInbound(db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus' }), KOVS[0]!.code);
  expect(await runIntake(deps, request)).toBe('done');
  const caseNumber = (await db.pool.query<{ case_number: string }>('SELECT case_number FROM cases WHERE opened_by = $1', [request])).rows[0]!.case_number;
  const other = await insertInbound(db.pool, await kovCapsule({ kov: KOVS[1]!, title: 'KLAT arvamuse taotlus', initiator: caseNumber }), KOVS[1]!.code);
  expect(await runIntake(deps, other)).toBe('triage');
  expect(await classifyByOperator(db.pool, other, 'klat_arvamus', undefined, 'tester')).toEqual({ kind: 'ok', state: 'classified' });
  const r = await run(other);
  expect(r.state).toBe('done');
  expect(r.texts.filter(isReplyLookup)).toHaveLength(0);
  expect(r.texts.filter(isDocumentLoad)).toHaveLength(1);
  // It opened a case of its own, with a receipt.
  expect(Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbound_documents WHERE inbound_id = $1', [other])).rows[0]!.n)).toBe(1);
});
