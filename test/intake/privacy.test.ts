import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { attemptIntake, runIntake } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { dhx } from '../cli/run';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { intakeDepsOf } from './deps';
import { KOVS, kovCapsule } from './kov';
import { insertInbound } from './seed';

/**
 * docs/operations.md, "Privacy": failure messages and history details are stored with personal codes masked;
 * an AK (restricted) document's title and file names stay out of stored messages, logs and listings, and its
 * case stays restricted; `--reveal` shows them, and is audit-logged.
 */

const CODE = makeTestPersonalCode(271); // fictional, valid checksum
const MASKED = maskedForm(CODE);
const SECRET_TITLE = 'Nõustamise taotlus: Mari Maasikas perevägivalla juhtum';
const SECRET_FILE = 'maasikas-kodukulastus-akt.pdf';

let db: TestDatabase;
let deps: IntakeDeps;
let dataDir: string;
let env: NodeJS.ProcessEnv;
const logged: string[] = [];
const log = makeLogger({
  level: 'debug',
  destination: new Writable({
    write: (c: Buffer, _e, cb) => {
      logged.push(c.toString());
      cb();
    },
  }),
});

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-privacy-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  deps = await intakeDepsOf(config, db.pool, makeBlobStore(dataDir), log);
  env = { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', DHX_ACTOR: 'auditor' };
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A capsule whose file is larger than intake allows: the parse stage fails naming the file. */
const tooLarge = (): IntakeDeps => ({ ...deps, limits: { ...deps.limits, maxFileBytes: 64 } });
const audits = async (type: string, id: string): Promise<number> =>
  Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'reveal' AND subject_type = $1 AND subject_id = $2`, [type, id])).rows[0]!.n);

describe('stored failure messages', () => {
  test('a failure whose text holds a personal code is stored masked (row and history), and dhx show --json shows it masked', async () => {
    const capsule = await kovCapsule({ title: 'Nõustamise taotlus', access: 'Avalik', fileNames: [`otsus-${CODE}.pdf`] });
    const id = await insertInbound(db.pool, capsule, KOVS[1]!.code);
    expect(await attemptIntake(tooLarge(), id, log)).toMatchObject({ kind: 'stopped', code: 'CAPSULE_INVALID', state: 'failed' });

    const row = (await db.pool.query<{ failure_message: string }>('SELECT failure_message FROM inbound_capsules WHERE id = $1', [id])).rows[0]!;
    expect(row.failure_message).toContain(`otsus-${MASKED}.pdf`); // a public document's file name stays: it is what failed
    expect(row.failure_message).not.toContain(CODE);
    const hist = await db.pool.query<{ detail: unknown }>('SELECT detail FROM inbound_state_history WHERE capsule_id = $1', [id]);
    expect(JSON.stringify(hist.rows)).not.toContain(CODE);

    const shown = await dhx(['show', id, '--json'], env);
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.out) as { state: string; faultCode: string; failureMessage: string };
    expect(doc).toMatchObject({ state: 'failed', faultCode: 'CAPSULE_INVALID' });
    expect(doc.failureMessage).toContain(MASKED);
    expect(shown.out).not.toContain(CODE);
    expect(logged.join('')).not.toContain(CODE);
  });

  test('a restricted (AK) capsule that fails: its file name and title are in neither the stored message, dhx failed list, nor the log', async () => {
    logged.length = 0;
    const capsule = await kovCapsule({ title: SECRET_TITLE, access: 'AK', fileNames: [SECRET_FILE] });
    const id = await insertInbound(db.pool, capsule, KOVS[2]!.code);
    expect(await attemptIntake(tooLarge(), id, log)).toMatchObject({ kind: 'stopped', code: 'CAPSULE_INVALID', state: 'failed' });

    const row = (await db.pool.query<{ failure_message: string }>('SELECT failure_message FROM inbound_capsules WHERE id = $1', [id])).rows[0]!;
    expect(row.failure_message).toMatch(/decodes to more than 64 bytes/);
    expect(row.failure_message).toContain('[restricted]');
    expect(row.failure_message).not.toContain(SECRET_FILE);
    const hist = await db.pool.query<{ detail: unknown }>('SELECT detail FROM inbound_state_history WHERE capsule_id = $1', [id]);
    expect(JSON.stringify(hist.rows)).not.toContain(SECRET_FILE);

    for (const args of [['failed', 'list'], ['failed', 'list', '--json']]) {
      const r = await dhx(args, env);
      expect(r.code).toBe(0);
      expect(r.out).toContain(id);
      expect(r.out).not.toContain(SECRET_FILE);
      expect(r.out).not.toContain(SECRET_TITLE);
    }
    expect(logged.join('')).toMatch(/intake stage failed/);
    expect(logged.join('')).not.toContain(SECRET_FILE);
  });
});

describe('AK (restricted) documents and their cases', () => {
  let id: string;
  let caseId: string;
  let caseNumber: string;

  test('an AK request opens a restricted case; its title and file names are not in dhx cases list, cases show or show, nor in the log', async () => {
    logged.length = 0;
    id = await insertInbound(db.pool, await kovCapsule({ title: SECRET_TITLE, access: 'AK', fileNames: [SECRET_FILE] }), KOVS[0]!.code);
    expect(await attemptIntake(deps, id, log)).toMatchObject({ kind: 'finished', state: 'done' });
    const k = (await db.pool.query<{ id: string; case_number: string; access_restricted: boolean }>('SELECT id, case_number, access_restricted FROM cases WHERE opened_by = $1', [id])).rows[0]!;
    expect(k.access_restricted).toBe(true);
    caseId = k.id;
    caseNumber = k.case_number;

    for (const args of [['cases', 'list'], ['cases', 'list', '--json'], ['cases', 'show', caseNumber], ['cases', 'show', caseNumber, '--json'], ['show', id, '--json'], ['stats', '--json']]) {
      const r = await dhx(args, env);
      expect(r.code).toBe(0);
      expect(r.out).not.toContain(SECRET_TITLE);
      expect(r.out).not.toContain(SECRET_FILE);
    }
    const list = JSON.parse((await dhx(['cases', 'list', '--json'], env)).out) as Array<{ id: string; title: string; accessRestricted: boolean }>;
    expect(list.find((c) => c.id === caseId)).toMatchObject({ title: '[restricted]', accessRestricted: true });
    const shown = JSON.parse((await dhx(['show', id, '--json'], env)).out) as { accessRestricted: boolean; files: Array<{ name: string }> };
    expect(shown).toMatchObject({ accessRestricted: true, files: [{ name: '[restricted]' }] });
    expect(logged.join('')).not.toContain(SECRET_TITLE);
    expect(logged.join('')).not.toContain(SECRET_FILE);
    expect(await audits('case', caseId)).toBe(0);
  });

  test('--reveal shows them, and each reveal leaves an audit row naming who and what', async () => {
    const list = JSON.parse((await dhx(['cases', 'list', '--json', '--reveal'], env)).out) as Array<{ id: string; title: string }>;
    expect(list.find((c) => c.id === caseId)?.title).toBe(SECRET_TITLE);
    const a = (await db.pool.query<{ actor: string; detail: { restrictedCases: string[] } }>(`SELECT actor, detail FROM audit_log WHERE action = 'reveal' AND subject_type = 'cases'`)).rows;
    expect(a).toEqual([{ actor: 'auditor', detail: expect.objectContaining({ command: 'cases list', restrictedCases: [caseId] }) }]);

    const c = await dhx(['cases', 'show', caseNumber, '--reveal'], env);
    expect(c.out).toContain(SECRET_TITLE);
    expect(await audits('case', caseId)).toBe(1);

    const s = JSON.parse((await dhx(['show', id, '--json', '--reveal'], env)).out) as { files: Array<{ name: string }> };
    expect(s.files.map((f) => f.name)).toEqual([SECRET_FILE]);
    expect(await audits('inbound', id)).toBe(1);
  });

  test('a case once restricted stays restricted when a public reply joins it', async () => {
    const reply = await insertInbound(db.pool, await kovCapsule({ title: 'Täiendavad andmed', access: 'Avalik', initiator: caseNumber }), KOVS[0]!.code);
    expect(await runIntake(deps, reply)).toBe('done');
    const k = (await db.pool.query<{ access_restricted: boolean }>('SELECT access_restricted FROM cases WHERE id = $1', [caseId])).rows[0]!;
    expect(k.access_restricted).toBe(true);
    const r = await dhx(['cases', 'show', caseNumber, '--json'], env);
    expect(r.out).not.toContain('Täiendavad andmed'); // a document of a restricted case is listed under the placeholder too
  });

  test('a public case becomes restricted when an AK reply joins it, and its titles and file names are then hidden', async () => {
    const open = await insertInbound(db.pool, await kovCapsule({ title: 'Mentorluse taotlus', access: 'Avalik', fileNames: ['taotlus.pdf'] }), KOVS[3]!.code);
    expect(await runIntake(deps, open)).toBe('done');
    const k = (await db.pool.query<{ id: string; case_number: string; access_restricted: boolean }>('SELECT id, case_number, access_restricted FROM cases WHERE opened_by = $1', [open])).rows[0]!;
    expect(k.access_restricted).toBe(false);
    const before = JSON.parse((await dhx(['cases', 'list', '--json'], env)).out) as Array<{ id: string; title: string }>;
    expect(before.find((c) => c.id === k.id)?.title).toBe('Mentorluse taotlus');

    const reply = await insertInbound(db.pool, await kovCapsule({ title: SECRET_TITLE, access: 'AK', initiator: k.case_number, fileNames: [SECRET_FILE] }), KOVS[3]!.code);
    expect(await runIntake(deps, reply)).toBe('done');
    expect((await db.pool.query<{ access_restricted: boolean }>('SELECT access_restricted FROM cases WHERE id = $1', [k.id])).rows[0]!.access_restricted).toBe(true);
    const after = await dhx(['cases', 'list', '--json'], env);
    expect((JSON.parse(after.out) as Array<{ id: string; title: string }>).find((c) => c.id === k.id)?.title).toBe('[restricted]');
    const shown = await dhx(['cases', 'show', k.case_number, '--json'], env);
    expect(shown.out).not.toContain(SECRET_TITLE);
    expect(shown.out).not.toContain('Mentorluse taotlus');
    const opener = JSON.parse((await dhx(['show', open, '--json'], env)).out) as { files: Array<{ name: string }> };
    expect(opener.files.map((f) => f.name)).toEqual(['[restricted]']);
  });
});
