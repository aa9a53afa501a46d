import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { tallinnDate } from '../../src/capsule/dates';
import { addDays } from '../../src/intake/stages';
import { dhx, dhxProcess } from '../cli/run';
import { buildAsice, buildDdoc, fictionalSigner } from '../fixtures-gen/containers';
import { makeDocx, makePdf } from '../fixtures-gen/documents';
import { startIntakeAdapter, type IntakeHarness } from './harness';
import { KOVS, SKA_CODE } from './kov';

/**
 * Attachments' content end to end over POST /dhx (docs/intake.md, "Content"): signed containers unpacked
 * beside themselves with their signatures' digests, text read for search, classification from the files when
 * the title says nothing, `dhx show` and `dhx cases search`.
 */

let h: IntakeHarness;
beforeAll(async () => {
  h = await startIntakeAdapter();
});
afterAll(() => h.close());

const ASICE = 'application/vnd.etsi.asic-e+zip';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface ShownFile {
  name: string;
  size: number;
  mimeType: string;
  sha256: string;
  from: string | null;
  textChars: number;
  textError: string | null;
  signatures?: Array<{ signer: string | null; signedAt: string | null; digest: string }>;
}
interface Shown {
  state: string;
  category: string | null;
  subKind: string | null;
  caseId: string | null;
  caseNumber: string | null;
  dueAt: string | null;
  receivedAt: string;
  files: ShownFile[];
}

async function show(id: string): Promise<Shown> {
  const r = await dhx(['show', id, '--json'], h.env);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Shown;
}

async function send(title: string, files: Array<{ name: string; mimeType: string; content: Buffer }>, kov = KOVS[0]!, access: 'AK' | 'Avalik' = 'Avalik'): Promise<string> {
  const draft = makeDraft({
    sender: { code: kov.code, name: kov.name },
    recipients: [{ code: SKA_CODE, name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Kiri',
    title,
    originalIdentifier: `7-1/${Math.floor(Math.random() * 90000 + 10000)}`,
    access: { code: access },
    files: files.map((f, i) => ({ ...f, main: i === 0 })),
  });
  const r = await h.send(kov.code, await buildCapsuleToBuffer(draft));
  expect(r.receiptId).toBeDefined();
  return r.receiptId!;
}

/** Waits until the text step has read every stored file of the capsule. */
async function textsRead(id: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const r = await h.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM attachments a WHERE a.capsule_id = $1
          AND NOT EXISTS (SELECT 1 FROM attachment_texts x WHERE x.capsule_id = a.capsule_id AND x.file_index = a.file_index)`,
      [id],
    );
    if (r.rows[0]!.n === '0') return;
    if (Date.now() > until) throw new Error(`texts of ${id} not read`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const signer = fictionalSigner();
const DOCX_WORDS = ['Otsus nr 17: pere kohtumine toimub pilvelambaaias.', 'Lapse heaolu hinnang on lisatud.'];
const PDF_WORDS = ['Lisa 1. Juhtumiplaan', 'Perekonna tugivõrgustik on kaardistatud.'];

describe('signed containers arriving over POST /dhx', () => {
  let asiceId: string;

  test('an ASiC-E holding a DOCX and a PDF: both become attachments beside the container (from), signature digest ok, text read', async () => {
    const asice = buildAsice({
      files: [
        { name: 'otsus.docx', bytes: makeDocx(DOCX_WORDS), mimeType: DOCX },
        { name: 'juhtumiplaan.pdf', bytes: makePdf(PDF_WORDS), mimeType: 'application/pdf' },
      ],
      signers: [signer],
      signingTime: new Date('2026-11-20T09:15:00Z'),
    });
    asiceId = await send('Nõustamise taotlus lastekaitsejuhtumis', [{ name: 'taotlus.asice', mimeType: ASICE, content: asice }]);
    expect(await h.waitFor(asiceId)).toBe('done');
    await textsRead(asiceId);
    const doc = await show(asiceId);
    expect(doc.category).toBe('noustamine');
    expect(doc.files.map((f) => [f.name, f.from])).toEqual([
      ['taotlus.asice', null],
      ['otsus.docx', 'taotlus.asice'],
      ['juhtumiplaan.pdf', 'taotlus.asice'],
    ]);
    const [container, docx, pdf] = doc.files as [ShownFile, ShownFile, ShownFile];
    expect(container.signatures).toEqual([{ signer: 'Mari Maasikas', signedAt: '2026-11-20T09:15:00.000Z', digest: 'ok' }]);
    expect(container.textChars).toBe(0);
    expect(docx).toMatchObject({ mimeType: DOCX, size: makeDocx(DOCX_WORDS).length });
    expect(docx.signatures).toBeUndefined();
    expect(docx.textChars).toBeGreaterThan(40);
    expect(pdf.textChars).toBeGreaterThan(20);
    // The container itself kept untouched, the data files stored as blobs with their own sha256.
    const blobs = await h.db.pool.query<{ sha256: string; size: string }>('SELECT sha256, size FROM blobs WHERE sha256 = ANY($1)', [doc.files.map((f) => f.sha256)]);
    expect(blobs.rows).toHaveLength(3);
    expect(Number(blobs.rows.find((b) => b.sha256 === container.sha256)!.size)).toBe(asice.length);
    // The signer's personal code is stored (personal data) and never shown.
    const sig = await h.db.pool.query<{ signer_personal_code: string; references_digests: unknown }>('SELECT signer_personal_code, references_digests FROM attachment_signatures WHERE capsule_id = $1', [asiceId]);
    expect(sig.rows[0]!.signer_personal_code).toBe(signer.personalCode);
    expect(sig.rows[0]!.references_digests).toEqual(expect.arrayContaining([{ file: 'otsus.docx', digest: 'ok' }]));
    const human = await dhx(['show', asiceId], h.env);
    expect(human.out).toContain('from taotlus.asice');
    expect(human.out).toContain('signed by Mari Maasikas');
    expect(human.out + JSON.stringify(doc)).not.toContain(signer.personalCode);
  });

  test('dhx cases search (its own process) finds the case by a word only inside the DOCX inside the ASiC-E', async () => {
    const doc = await show(asiceId);
    const r = await dhxProcess(['cases', 'search', 'pilvelambaaias', '--json'], h.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ caseId: doc.caseId, caseNumber: doc.caseNumber, category: 'noustamine', matchedIn: ['text:otsus.docx'] }]);
    // Folded as the classifier folds: without diacritics, in capitals, inflected the same.
    const folded = await dhx(['cases', 'search', 'TUGIVORGUSTIK', '--json'], h.env);
    expect(JSON.parse(folded.out)).toEqual([expect.objectContaining({ caseId: doc.caseId, matchedIn: ['text:juhtumiplaan.pdf'] })]);
    const title = await dhx(['cases', 'search', 'noustamise', '--json'], h.env);
    expect(JSON.parse(title.out)).toEqual([expect.objectContaining({ caseId: doc.caseId, matchedIn: ['title', 'metadata'] })]);
    const none = await dhx(['cases', 'search', 'olematusõna'], h.env);
    expect([none.code, none.out]).toEqual([0, 'no case matches']);
    const table = await dhx(['cases', 'search', 'pilvelambaaias'], h.env);
    expect(table.out).toContain(doc.caseNumber!);
    expect(table.out).toContain('text:otsus.docx');
  });

  test('a careless or hostile query is a usage error or matches literally, never SQL', async () => {
    for (const bad of ['', '   ', '!!! ---', '""']) expect((await dhx(['cases', 'search', bad], h.env)).code).toBe(2);
    expect((await dhx(['cases', 'search', 'pilvelambaaias', '--limit', '0'], h.env)).code).toBe(2);
    expect((await dhx(['cases', 'search', 'pilvelambaaias', '--limit', 'x'], h.env)).code).toBe(2);
    const inj = await dhx(['cases', 'search', "x'); DROP TABLE cases; --", '--json'], h.env);
    expect([inj.code, inj.out]).toEqual([0, '[]']);
    const phrase = await dhx(['cases', 'search', '"pere kohtumine" -supervisioon', '--json'], h.env);
    expect(JSON.parse(phrase.out)).toHaveLength(1);
    const excluded = await dhx(['cases', 'search', 'pilvelambaaias -kohtumine', '--json'], h.env);
    expect(JSON.parse(excluded.out)).toEqual([]);
  });

  test('a tampered data file: the signature digest is mismatch, and so is the file', async () => {
    const asice = buildAsice({
      files: [{ name: 'otsus.docx', bytes: makeDocx(DOCX_WORDS), mimeType: DOCX }],
      signers: [signer],
      tamper: 'otsus.docx',
    });
    const id = await send('Nõustamise taotlus', [{ name: 'kiri.asice', mimeType: ASICE, content: asice }]);
    expect(await h.waitFor(id)).toBe('done');
    const doc = await show(id);
    expect(doc.files[0]!.signatures).toEqual([expect.objectContaining({ digest: 'mismatch' })]);
    const digest = await h.db.pool.query<{ digest: string }>('SELECT digest FROM attachments WHERE capsule_id = $1 AND from_container IS NOT NULL', [id]);
    expect(digest.rows).toEqual([{ digest: 'mismatch' }]);
  });

  test('a DDOC: its data files unpacked with digest ok', async () => {
    const ddoc = buildDdoc({ files: [{ name: 'kiri.pdf', bytes: makePdf(PDF_WORDS), mimeType: 'application/pdf' }], signers: [signer] });
    const id = await send('Supervisiooni taotlus', [{ name: 'kiri.ddoc', mimeType: 'application/x-ddoc', content: ddoc }]);
    expect(await h.waitFor(id)).toBe('done');
    const doc = await show(id);
    expect(doc.files.map((f) => [f.name, f.from])).toEqual([
      ['kiri.ddoc', null],
      ['kiri.pdf', 'kiri.ddoc'],
    ]);
    expect(doc.files[0]!.signatures).toEqual([expect.objectContaining({ signer: 'Mari Maasikas', digest: 'ok' })]);
  });

  test('a broken container is kept with its problem recorded; the capsule is not failed', async () => {
    const broken = buildAsice({ files: [{ name: 'a.txt', bytes: Buffer.from('tere') }] }).subarray(0, 200);
    const id = await send('Nõustamise taotlus', [{ name: 'katki.asice', mimeType: ASICE, content: broken }]);
    expect(await h.waitFor(id)).toBe('done');
    const r = await h.db.pool.query<{ file_name: string; error_code: string | null }>('SELECT file_name, error_code FROM attachments WHERE capsule_id = $1', [id]);
    expect(r.rows).toEqual([{ file_name: 'katki.asice', error_code: 'ZIP_INVALID' }]);
  });
});

describe('a restricted (AK) document', () => {
  test('its container name and signer read [restricted] in dhx show and search names no file, unless revealed', async () => {
    const asice = buildAsice({ files: [{ name: 'maasikas-otsus.docx', bytes: makeDocx(['Kohtumine toimub kaselehemajas.']), mimeType: DOCX }], signers: [signer] });
    const id = await send('Nõustamise taotlus', [{ name: 'maasikas.asice', mimeType: ASICE, content: asice }], KOVS[1]!, 'AK');
    expect(await h.waitFor(id)).toBe('done');
    await textsRead(id);
    const doc = await show(id);
    expect(doc.files.map((f) => [f.name, f.from])).toEqual([
      ['[restricted]', null],
      ['[restricted]', '[restricted]'],
    ]);
    expect(doc.files[0]!.signatures).toEqual([expect.objectContaining({ signer: '[restricted]', digest: 'ok' })]);
    expect(JSON.stringify(doc)).not.toMatch(/maasikas|Mari/i);
    const hits = await dhx(['cases', 'search', 'kaselehemajas', '--json'], h.env);
    expect(JSON.parse(hits.out)).toEqual([expect.objectContaining({ caseId: doc.caseId, matchedIn: ['text:[restricted]'] })]);
    const revealed = await dhx(['cases', 'search', 'kaselehemajas', '--json', '--reveal'], { ...h.env, DHX_ACTOR: 'auditor' });
    expect(JSON.parse(revealed.out)).toEqual([expect.objectContaining({ matchedIn: ['text:maasikas-otsus.docx'] })]);
  });
});

describe('classification from the files when the title says nothing', () => {
  test('"Kiri" whose PDF asks for SKA\'s KLAT opinion is klat_arvamus with a 30-day due date; the reasons name the words in content', async () => {
    const pdf = makePdf([
      'Palume Sotsiaalkindlustusameti arvamust lapse paigutamiseks kinnise lasteasutuse teenusele (KLAT).',
      'Arvamus on vajalik kohtule esitamiseks.',
    ]);
    const id = await send('Kiri', [{ name: 'kiri.pdf', mimeType: 'application/pdf', content: pdf }]);
    expect(await h.waitFor(id)).toBe('done');
    const doc = await show(id);
    expect(doc.category).toBe('klat_arvamus');
    expect(doc.dueAt).toBe(addDays(tallinnDate(new Date(doc.receivedAt)), 30));
    const k = await h.db.pool.query<{ reasons: { matches: Array<{ field: string; rule: string; matched: string }> } }>('SELECT reasons FROM classifications WHERE capsule_id = $1', [id]);
    const content = k.rows[0]!.reasons.matches.filter((m) => m.field === 'content');
    expect(content.map((m) => m.matched)).toContain('kinnise lasteasutuse');
    // The text read for classification is stored with the files (not read twice).
    expect(doc.files[0]!.textChars).toBeGreaterThan(50);
  });

  test('a weak title whose file cannot be read goes to triage, not failed', async () => {
    const id = await send('Dokument', [{ name: 'kiri.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4\nnot really a pdf\n%%EOF') }]);
    expect(await h.waitFor(id)).toBe('triage');
  });

  test('a confident title with a malformed PDF: done, the failure recorded on the file', async () => {
    const id = await send('Supervisiooni taotlus', [{ name: 'kiri.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4\ngarbage\n%%EOF') }]);
    expect(await h.waitFor(id)).toBe('done');
    await textsRead(id);
    const doc = await show(id);
    expect(doc.files[0]).toMatchObject({ textChars: 0, textError: 'TEXT_MALFORMED' });
  });
});
