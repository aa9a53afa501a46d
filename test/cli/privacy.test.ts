import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { KOVS, kovDraftInput } from '../intake/kov';
import { dhx } from './run';

/**
 * docs/operations.md, "Privacy": the CLI prints personal codes masked unless --reveal, and a reveal is
 * audit-logged.
 */

const CODE = makeTestPersonalCode(314); // fictional, valid checksum
const MASKED = maskedForm(CODE);

let db: TestDatabase;
let dir: string;
let file: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-privacy-cli-'));
  const input = kovDraftInput({ kov: KOVS[0], title: 'Nõustamise taotlus', abstract: `Laps isikukoodiga ${CODE} vajab abi.`, access: 'Avalik' });
  const draft = makeDraft({ ...input, recipients: [...input.recipients, { code: 'adit', name: 'Lapsevanem', personalIdCode: CODE }] });
  file = path.join(dir, 'request.xml');
  fs.writeFileSync(file, await buildCapsuleToBuffer(draft));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const reveals = async (): Promise<Array<{ actor: string; subject_type: string; subject_id: string; detail: { command: string } }>> =>
  (await db.pool.query(`SELECT actor, subject_type, subject_id, detail FROM audit_log WHERE action = 'reveal' ORDER BY id`)).rows;

describe('dhx capsule inspect|extract: personal codes masked unless --reveal', () => {
  test('a capsule with a personal code in its metadata is printed with the code masked, in text and in JSON', async () => {
    const text = await dhx(['capsule', 'inspect', file]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`person ${MASKED}`);
    expect(text.out).toContain(`Abstract:    Laps isikukoodiga ${MASKED} vajab abi.`);
    expect(text.out).not.toContain(CODE);

    const json = await dhx(['capsule', 'inspect', file, '--json']);
    expect(json.code).toBe(0);
    expect(json.out).not.toContain(CODE);
    const doc = JSON.parse(json.out) as { recipients: Array<{ personalIdCode?: string }>; recordMetadata: { recordAbstract: string } };
    expect(doc.recipients.map((r) => r.personalIdCode).filter(Boolean)).toEqual([MASKED]);
    expect(doc.recordMetadata.recordAbstract).toContain(MASKED);
  });

  test('--reveal prints the code and records who saw which file in the audit log', async () => {
    const r = await dhx(['capsule', 'inspect', file, '--reveal', '--json'], { DATABASE_URL: db.url, DHX_ACTOR: 'inspector' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { recipients: Array<{ personalIdCode?: string }> };
    expect(doc.recipients.map((x) => x.personalIdCode).filter(Boolean)).toEqual([CODE]);
    expect(await reveals()).toEqual([expect.objectContaining({ actor: 'inspector', subject_type: 'file', subject_id: path.resolve(file), detail: expect.objectContaining({ command: 'capsule inspect' }) })]);
  });

  test('--reveal without a reachable audit log is refused: exit 1, nothing of the capsule printed', async () => {
    const r = await dhx(['capsule', 'inspect', file, '--reveal'], { DATABASE_URL: 'postgres://root@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/audit log/);
    expect(r.err).not.toContain(CODE);
  });

  test('errors are masked too: a personal code in a bad argument is not echoed back', async () => {
    const r = await dhx(['capsule', 'inspect', path.join(dir, `${CODE}.xml`)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(MASKED);
    expect(r.err).not.toContain(CODE);
  });

  test('extract prints file names masked unless --reveal; a refused --reveal (no audit log) writes nothing', async () => {
    const named = path.join(dir, 'named.xml');
    fs.writeFileSync(named, await buildCapsuleToBuffer(makeDraft(kovDraftInput({ title: 'Otsus', access: 'Avalik', fileNames: [`otsus-${CODE}.pdf`] }))));
    const masked = await dhx(['capsule', 'extract', named, '--out', path.join(dir, 'a')]);
    expect(masked.code).toBe(0);
    expect(masked.out).toContain(`otsus-${MASKED}.pdf`);
    expect(masked.out).not.toContain(CODE);
    expect(fs.readdirSync(path.join(dir, 'a'))).toEqual([`otsus-${CODE}.pdf`]); // on disk under its real name

    const refused = await dhx(['capsule', 'extract', named, '--out', path.join(dir, 'b'), '--reveal'], { DATABASE_URL: 'postgres://root@127.0.0.1:1/none' });
    expect(refused.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'b'))).toBe(false);

    const shown = await dhx(['capsule', 'extract', named, '--out', path.join(dir, 'c'), '--reveal'], { DATABASE_URL: db.url });
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`otsus-${CODE}.pdf`);
    expect((await reveals()).map((r) => r.detail.command)).toContain('capsule extract');
  });
});
