import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeBlobStore } from '../../src/blob/store';
import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { loadConfig } from '../../src/config';
import { closeTextWorkers } from '../../src/content/text';
import { runTextStep, runTextSteps, type StoredFile } from '../../src/intake/content';
import { makeTextRunner } from '../../src/intake/text-step';
import { attemptIntake } from '../../src/intake/pipeline';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { dhx } from '../cli/run';
import zlib from 'node:zlib';
import { asiceEntries, buildAsice, fictionalSigner, writeZip } from '../fixtures-gen/containers';
import { MIME_TYPES, makeDocument, makeDocx, makePdf } from '../fixtures-gen/documents';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { countedPool } from '../helpers/statements';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { contentCorpus } from './content-corpus';
import { intakeDepsOf } from './deps';
import { KOVS, SKA_CODE } from './kov';
import { insertInbound } from './seed';

/**
 * The content steps run in this process (docs/intake.md, "Content", "Text"): the text step off the intake
 * path, its failures recorded and never fatal, personal codes in text flagging the case without reaching the
 * logs, and a corpus of generic-titled requests classified end to end from their files.
 */

const CODE = makeTestPersonalCode(314); // fictional, valid checksum
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-content-'));
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir });
  deps = { ...(await intakeDepsOf(config, db.pool, makeBlobStore(dataDir), log)), text: { timeoutMs: 10_000 } };
  env = { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' };
});
afterAll(async () => {
  await closeTextWorkers();
  await db.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function seed(title: string, files: Array<{ name: string; mimeType: string; content: Buffer }>): Promise<string> {
  const draft = makeDraft({
    sender: { code: KOVS[1]!.code, name: KOVS[1]!.name },
    recipients: [{ code: SKA_CODE, name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Kiri',
    title,
    originalIdentifier: `7-1/${Math.floor(Math.random() * 90000 + 10000)}`,
    access: { code: 'Avalik' },
    files: files.map((f, i) => ({ ...f, main: i === 0 })),
  });
  return insertInbound(db.pool, await buildCapsuleToBuffer(draft), KOVS[1]!.code);
}

const texts = async (id: string): Promise<Array<{ file_index: number; state: string; chars: number; error_code: string | null; personal_codes: number }>> =>
  (await db.pool.query('SELECT file_index, state, chars, error_code, personal_codes FROM attachment_texts WHERE capsule_id = $1 ORDER BY file_index', [id])).rows;
const holdsPersonalData = async (id: string): Promise<boolean | undefined> =>
  (await db.pool.query<{ h: boolean }>('SELECT c.holds_personal_data AS h FROM cases c JOIN inbound_capsules i ON i.case_id = c.id WHERE i.id = $1', [id])).rows[0]?.h;

describe('the text step', () => {
  test('confident metadata: intake stores the files without reading text; the text step reads it afterwards', async () => {
    const id = await seed('Supervisiooni taotlus', [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: makePdf(['Palume supervisiooni meeskonnale.']) }]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    expect(await texts(id)).toEqual([]);
    expect(await runTextStep(deps, id)).toEqual({ files: 1, failed: 0, personalData: false });
    expect(await texts(id)).toEqual([expect.objectContaining({ file_index: 1, state: 'text', error_code: null })]);
    // Run again: nothing left to read.
    expect(await runTextStep(deps, id)).toMatchObject({ files: 0 });
  });

  test('the files intake hands over are read as given: no lookup, no read back; a weak title\'s texts are not handed again', async () => {
    const pdf = makePdf(['Palume supervisiooni meeskonnale.']);
    const id = await seed('Supervisiooni taotlus', [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: pdf }]);
    let handed: StoredFile[] | undefined;
    expect(await attemptIntake(deps, id, log, (f) => (handed = f))).toEqual({ kind: 'finished', state: 'done' });
    expect(handed).toEqual([expect.objectContaining({ index: 1, name: 'taotlus.pdf', mime: 'application/pdf', size: pdf.length, bytes: pdf })]);
    const { pool, texts: statements } = countedPool(db.pool);
    expect((await runTextSteps({ ...deps, pool }, [id], new Map([[id, handed!]]))).get(id)).toEqual({ files: 1, failed: 0, personalData: false });
    expect(statements.filter((t) => /FROM attachments a|FROM blobs/.test(t))).toEqual([]);
    expect(statements.filter((t) => t.includes('INSERT INTO attachment_texts'))).toHaveLength(1);
    expect(await texts(id)).toEqual([expect.objectContaining({ file_index: 1, state: 'text' })]);

    // A generic title: intake read (and stored) the PDF's text to classify it, so nothing is handed over.
    const weak = await seed('Dokument', [{ name: 'kiri.pdf', mimeType: 'application/pdf', content: makePdf(['Palume arvamust kinnise lasteasutuse teenuse kohta.']) }]);
    let again: StoredFile[] | undefined;
    await attemptIntake(deps, weak, log, (f) => (again = f));
    expect(again).toEqual([]);
    expect(await texts(weak)).toEqual([expect.objectContaining({ file_index: 1, state: 'text' })]);
  });

  test('a timeout is recorded on the file; the capsule stays done', async () => {
    // Hexadecimal content streams: read by pdf.js in a text thread, where the time cap applies (a PDF the direct
    // reader takes is read on the spot, in well under a millisecond).
    const id = await seed('Supervisiooni taotlus', [{ name: 'suur.pdf', mimeType: 'application/pdf', content: makePdf(Array.from({ length: 400 }, (_x, i) => `Rida ${i} supervisioon`), { hexStreams: true }) }]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    expect(await runTextStep({ ...deps, text: { timeoutMs: 1 } }, id)).toMatchObject({ files: 1, failed: 1 });
    expect(await texts(id)).toEqual([expect.objectContaining({ state: 'failed', error_code: 'TEXT_TIMEOUT', chars: 0 })]);
    const state = await db.pool.query<{ state: string }>('SELECT state FROM inbound_capsules WHERE id = $1', [id]);
    expect(state.rows[0]!.state).toBe('done');
  });

  test('a file past TEXT_MAX_INPUT_BYTES is not read (TEXT_TOO_LARGE); a file whose blob is gone is recorded, not retried forever', async () => {
    const id = await seed('Supervisiooni taotlus', [
      { name: 'a.pdf', mimeType: 'application/pdf', content: makePdf(['Esimene fail supervisiooni kohta.']) },
      { name: 'b.txt', mimeType: 'text/plain', content: Buffer.from('Teine fail, mis kaob kettalt.') },
    ]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    const files = await db.pool.query<{ sha256: string; size: string }>('SELECT sha256, size FROM attachments WHERE capsule_id = $1 ORDER BY file_index', [id]);
    fs.rmSync(deps.store.fileOf(files.rows[1]!.sha256));
    const small = Number(files.rows[0]!.size) - 1;
    expect(await runTextStep({ ...deps, text: { maxInputBytes: small } }, id)).toMatchObject({ files: 2, failed: 2 });
    expect((await texts(id)).map((t) => [t.state, t.error_code])).toEqual([
      ['failed', 'TEXT_TOO_LARGE'],
      ['failed', 'TEXT_UNREADABLE'],
    ]);
  });

  test('weak metadata whose only file times out: triage, not failed', async () => {
    // As above: a PDF that only pdf.js reads, so that the time cap is what decides.
    const id = await seed('Dokument', [{ name: 'kiri.pdf', mimeType: 'application/pdf', content: makePdf(['Palume arvamust kinnise lasteasutuse teenuse kohta.'], { hexStreams: true }) }]);
    expect(await attemptIntake({ ...deps, text: { timeoutMs: 1 } }, id, log)).toEqual({ kind: 'finished', state: 'triage' });
  });

  test('a personal code in a DOCX inside an ASiC-E flags the case (count only) and never reaches the logs', async () => {
    const asice = buildAsice({
      files: [{ name: 'otsus.docx', bytes: makeDocx([`Laps isikukoodiga ${CODE} vajab nõustamist.`]), mimeType: MIME_TYPES.docx }],
      signers: [fictionalSigner()],
    });
    const id = await seed('Nõustamise taotlus', [{ name: 'kiri.asice', mimeType: 'application/vnd.etsi.asic-e+zip', content: asice }]);
    logged.length = 0;
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    expect(await holdsPersonalData(id)).toBe(false);
    expect(await runTextStep(deps, id)).toMatchObject({ personalData: true });
    expect(await holdsPersonalData(id)).toBe(true);
    expect((await texts(id)).find((t) => t.file_index === 2)).toMatchObject({ state: 'text', personal_codes: 1 });
    const shown = await dhx(['show', id, '--json'], env);
    expect(shown.out).not.toContain(CODE);
    expect(logged.join('')).not.toContain(CODE);
    expect(logged.join('')).not.toContain(fictionalSigner().personalCode);
  });

  test('a verdict resting on the file name alone: intake reads the file, and its text decides', async () => {
    const id = await seed('Kiri', [
      { name: 'noustamise_pakkumine.pdf', mimeType: 'application/pdf', content: makePdf(['Juhtumi nõustamist me praegu ei vaja.', 'Palume meie meeskonnale supervisiooni, et toimunut läbi töötada.']) },
    ]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    const v = await db.pool.query<{ category: string; confident: boolean }>('SELECT category, confident FROM classifications WHERE capsule_id = $1', [id]);
    expect(v.rows).toEqual([{ category: 'toonoustamine', confident: true }]);
    // Read by intake, before classifying: nothing left for the text step.
    expect(await texts(id)).toEqual([expect.objectContaining({ file_index: 1, state: 'text' })]);
  });

  test('a personal code read before classification (weak title) flags the case when it opens', async () => {
    const id = await seed('Kiri', [
      { name: 'kiri.pdf', mimeType: 'application/pdf', content: makePdf(['Palume nõustamist lastekaitsejuhtumis.', `Lapse isikukood ${CODE}.`, 'Vajame juhtumikorralduse nõustamist ja konsultatsiooni.']) },
    ]);
    logged.length = 0;
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    expect(await holdsPersonalData(id)).toBe(true);
    expect(logged.join('')).not.toContain(CODE);
  });
});

describe('the text step in rounds', () => {
  const confident = (words: string): Promise<string> =>
    seed('Supervisiooni taotlus', [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: makePdf([`Palume supervisiooni. ${words}`]) }]);

  test('capsules queued together are read in one round: each gets its own texts, only the one holding a code is flagged', async () => {
    const ids = [await confident('Esimene.'), await confident(`Lapse isikukood ${CODE}.`), await confident('Kolmas.')];
    for (const id of ids) expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    const runner = makeTextRunner(deps, log);
    for (const id of ids) runner.add(id);
    await runner.idle();
    await runner.stop();
    for (const id of ids) expect(await texts(id)).toEqual([expect.objectContaining({ file_index: 1, state: 'text' })]);
    expect(await Promise.all(ids.map(holdsPersonalData))).toEqual([false, true, false]);
  });

  test('when the joint write fails, each capsule is written alone: nothing is lost and nothing written twice', async () => {
    const ids = [await confident('Üks.'), await confident(`Isikukood ${CODE}.`)];
    for (const id of ids) expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    let failed = 0;
    // The pool as the step sees it: the first write of more than one capsule's texts fails once.
    const pool = new Proxy(db.pool, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
        return (q: { text?: string; values?: unknown[] }, ...rest: unknown[]) => {
          const ids = q.values?.at(-1);
          if (failed === 0 && q.text?.includes('INSERT INTO attachment_texts') && Array.isArray(ids) && new Set(ids).size > 1) {
            failed++;
            return Promise.reject(new Error('connection lost'));
          }
          return (target.query as (...a: unknown[]) => unknown)(q, ...rest);
        };
      },
    });
    const results = await runTextSteps({ ...deps, pool }, ids);
    expect(failed).toBe(1);
    expect([...results.values()]).toEqual([
      { files: 1, failed: 0, personalData: false },
      { files: 1, failed: 0, personalData: true },
    ]);
    for (const id of ids) expect(await texts(id)).toHaveLength(1);
    expect(await Promise.all(ids.map(holdsPersonalData))).toEqual([false, true]);
  });
});

describe('hostile containers in a capsule', () => {
  test('a ZIP bomb container keeps its row with LIMIT_EXCEEDED; a traversal name is stored as data with a safe name; the capsule is done', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const files = [{ name: 'otsus.pdf', bytes: makePdf(['x']) }];
    const base = asiceEntries({ files });
    const bomb = writeZip([base[0]!, { name: 'otsus.pdf', bytes: zeros, compressed: zlib.deflateRawSync(zeros, { level: 9 }) }, ...base.slice(2)]);
    const traversal = buildAsice({ files: [{ name: '../../etc/passwd', bytes: Buffer.from('root:x:0:0') }] });
    const id = await seed('Nõustamise taotlus', [
      { name: 'pomm.asice', mimeType: 'application/vnd.etsi.asic-e+zip', content: bomb },
      { name: 'nimi.asice', mimeType: 'application/vnd.etsi.asic-e+zip', content: traversal },
    ]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    const rows = await db.pool.query<{ file_name: string; safe_name: string; from_container: string | null; error_code: string | null }>(
      'SELECT file_name, safe_name, from_container, error_code FROM attachments WHERE capsule_id = $1 ORDER BY file_index',
      [id],
    );
    expect(rows.rows).toEqual([
      { file_name: 'pomm.asice', safe_name: 'pomm.asice', from_container: null, error_code: 'LIMIT_EXCEEDED' },
      { file_name: 'nimi.asice', safe_name: 'nimi.asice', from_container: null, error_code: 'UNSAFE_NAME' },
      { file_name: '../../etc/passwd', safe_name: 'passwd', from_container: 'nimi.asice', error_code: null },
    ]);
  });
});

describe('nested containers', () => {
  test('an ASiC-E inside an ASiC-E: both levels unpacked, each signature on its own container row', async () => {
    const inner = buildAsice({ files: [{ name: 'otsus.docx', bytes: makeDocx(['Sisemine otsus.']), mimeType: MIME_TYPES.docx }], signers: [fictionalSigner('JAAN', 'TAMM', 21)] });
    const outer = buildAsice({ files: [{ name: 'sisemine.asice', bytes: inner, mimeType: 'application/vnd.etsi.asic-e+zip' }], signers: [fictionalSigner()] });
    const id = await seed('Nõustamise taotlus', [{ name: 'valimine.asice', mimeType: 'application/vnd.etsi.asic-e+zip', content: outer }]);
    expect(await attemptIntake(deps, id, log)).toEqual({ kind: 'finished', state: 'done' });
    const rows = await db.pool.query<{ file_index: number; file_name: string; from_container: string | null }>(
      'SELECT file_index, file_name, from_container FROM attachments WHERE capsule_id = $1 ORDER BY file_index',
      [id],
    );
    expect(rows.rows.map((r) => [r.file_name, r.from_container])).toEqual([
      ['valimine.asice', null],
      ['sisemine.asice', 'valimine.asice'],
      ['otsus.docx', 'sisemine.asice'],
    ]);
    const sigs = await db.pool.query<{ file_index: number; signer: string; digest: string }>('SELECT file_index, signer, digest FROM attachment_signatures WHERE capsule_id = $1 ORDER BY file_index', [id]);
    expect(sigs.rows).toEqual([
      { file_index: 1, signer: 'Mari Maasikas', digest: 'ok' },
      { file_index: 2, signer: 'Jaan Tamm', digest: 'ok' },
    ]);
  });
});

describe('a corpus through intake: generic titles, the category only in the files', () => {
  test('≥ 90 % classified right, none wrong with confidence, the rest in triage', async () => {
    const corpus = contentCorpus();
    const formats = ['pdf', 'docx', 'asice'] as const;
    let right = 0;
    const wrong: string[] = [];
    for (const [i, req] of corpus.entries()) {
      const kind = formats[i % formats.length]!;
      const fmt = kind === 'asice' ? 'docx' : req.format === 'pdf' || req.format === 'docx' ? req.format : kind;
      const doc = makeDocument(fmt, req.body);
      const file =
        kind === 'asice'
          ? { name: 'kiri.asice', mimeType: 'application/vnd.etsi.asic-e+zip', content: buildAsice({ files: [{ name: 'kiri.docx', bytes: doc, mimeType: MIME_TYPES.docx }] }) }
          : { name: `kiri.${fmt}`, mimeType: MIME_TYPES[fmt], content: doc };
      const id = await seed(req.title, [file]);
      const out = await attemptIntake(deps, id, log);
      const k = await db.pool.query<{ category: string | null; confident: boolean }>('SELECT category, confident FROM classifications WHERE capsule_id = $1', [id]);
      const v = k.rows[0]!;
      if (out.kind === 'finished' && out.state === 'done' && v.category === req.category) right++;
      else if (v.confident) wrong.push(`${req.id} (${kind}) → ${v.category}`);
    }
    expect(wrong).toEqual([]);
    expect(right / corpus.length).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
