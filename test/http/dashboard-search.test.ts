import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { buildAsice, fictionalSigner } from '../fixtures-gen/containers';
import { makeDocx, makePdf } from '../fixtures-gen/documents';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { startIntakeAdapter, type IntakeHarness } from '../intake/harness';
import { KOVS, SKA_CODE } from '../intake/kov';

/**
 * /admin/search and the files of /admin/inbound/ID at the HTTP level: search of cases by the words of their
 * files (as `dhx cases search`), a restricted case naming no file, personal codes masked, hostile queries
 * escaped; the inbound page's files with their container, text read and signatures (never a signer's code).
 */

const TOKEN = 'dashboard-search-admin-token-01';
const bearer = { authorization: `Bearer ${TOKEN}` };
const ASICE = 'application/vnd.etsi.asic-e+zip';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** A child's code in a file name (the sender's text): masked wherever the dashboard shows the name. */
const CHILD = makeTestPersonalCode(52);
const signer = fictionalSigner();

let h: IntakeHarness;
let publicCase: { capsuleId: string; caseId: string; caseNumber: string };
let restrictedCase: { capsuleId: string; caseId: string; caseNumber: string };
let tamperedId: string;

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

/** Waits until the capsule is done and the text step has read every one of its files; its case. */
async function filed(id: string): Promise<{ capsuleId: string; caseId: string; caseNumber: string }> {
  expect(await h.waitFor(id)).toBe('done');
  const until = Date.now() + 20_000;
  for (;;) {
    const r = await h.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM attachments a WHERE a.capsule_id = $1
          AND NOT EXISTS (SELECT 1 FROM attachment_texts x WHERE x.capsule_id = a.capsule_id AND x.file_index = a.file_index)`,
      [id],
    );
    if (r.rows[0]!.n === '0') break;
    if (Date.now() > until) throw new Error(`texts of ${id} not read`);
    await new Promise((res) => setTimeout(res, 50));
  }
  const c = await h.db.pool.query<{ id: string; case_number: string }>('SELECT c.id, c.case_number FROM inbound_capsules i JOIN cases c ON c.id = i.case_id WHERE i.id = $1', [id]);
  return { capsuleId: id, caseId: c.rows[0]!.id, caseNumber: c.rows[0]!.case_number };
}

beforeAll(async () => {
  h = await startIntakeAdapter({ ADMIN_TOKEN: TOKEN });
  const asice = buildAsice({
    files: [
      { name: `otsus-${CHILD}.docx`, bytes: makeDocx(['Otsus: pere kohtumine toimub pilvelambaaias.']), mimeType: DOCX },
      { name: 'juhtumiplaan.pdf', bytes: makePdf(['Perekonna tugivõrgustik on kaardistatud.']), mimeType: 'application/pdf' },
    ],
    signers: [signer],
    signingTime: new Date('2026-11-20T09:15:00Z'),
  });
  publicCase = await filed(await send('Nõustamise taotlus lastekaitsejuhtumis', [{ name: 'taotlus.asice', mimeType: ASICE, content: asice }]));
  const secret = buildAsice({ files: [{ name: 'maasikas-otsus.docx', bytes: makeDocx(['Kohtumine toimub kaselehemajas.']), mimeType: DOCX }], signers: [signer] });
  restrictedCase = await filed(await send('Nõustamise taotlus', [{ name: 'maasikas.asice', mimeType: ASICE, content: secret }], KOVS[1]!, 'AK'));
  const tampered = buildAsice({ files: [{ name: 'kiri.docx', bytes: makeDocx(['Muudetud kiri.']), mimeType: DOCX }], signers: [signer], tamper: 'kiri.docx' });
  tamperedId = await send('Supervisiooni taotlus', [{ name: 'kiri.asice', mimeType: ASICE, content: tampered }], KOVS[2]!);
  expect(await h.waitFor(tamperedId)).toBe('done');
});
afterAll(() => h.close());

const get = (path: string, headers: Record<string, string> = bearer): Promise<Response> => fetch(`${h.url}${path}`, { headers, redirect: 'manual' });
const search = (q: string): Promise<Response> => get(`/admin/search?q=${encodeURIComponent(q)}`);
/** The results table's rows as [case number, category, matched in] (tags stripped, entities as they are). */
function rows(page: string): string[][] {
  const table = /<table id="results">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr data-id[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

test('without credentials the search page answers 401 and searches nothing', async () => {
  for (const p of ['/admin/search', '/admin/search?q=pilvelambaaias']) {
    const r = await get(p, {});
    expect([p, r.status]).toEqual([p, 401]);
    const text = await r.text();
    expect(text).not.toContain(publicCase.caseNumber);
  }
  expect((await get('/admin/search?q=pilvelambaaias', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
});

test('Search is in the navigation; without a query it is the form only', async () => {
  expect(await (await get('/admin')).text()).toContain('<a href="/admin/search">Search</a>');
  for (const p of ['/admin/search', '/admin/search?q=', '/admin/search?q=%20%20']) {
    const r = await get(p);
    expect([p, r.status]).toEqual([p, 200]);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const page = await r.text();
    expect(page).toContain('<form method="get" action="/admin/search"');
    expect(page).not.toContain('<table id="results">');
    expect(page).not.toMatch(/No case matches/);
  }
});

test('a word only in the text of a DOCX inside an ASiC-E finds its case, linked to the case page; the file name is masked', async () => {
  const r = await search('pilvelambaaias');
  expect(r.status).toBe(200);
  const page = await r.text();
  expect(rows(page)).toEqual([[publicCase.caseNumber, 'noustamine', `text of otsus-${maskedForm(CHILD)}.docx`]]);
  expect(page).toContain(`<a href="/admin/case/${publicCase.caseId}">${publicCase.caseNumber}</a>`);
  expect(page).not.toContain(CHILD);
  // Folded as the classifier folds; the title and the metadata are named as such.
  expect(rows(await (await search('TUGIVORGUSTIK')).text())).toEqual([[publicCase.caseNumber, 'noustamine', 'text of juhtumiplaan.pdf']]);
  expect(rows(await (await search('lastekaitsejuhtumis')).text())).toEqual([[publicCase.caseNumber, 'noustamine', 'case title, document metadata']]);
  const none = await (await search('olematusõna')).text();
  expect(none).toContain('No case matches.');
  expect(none).not.toContain('<table id="results">');
  // The case page the result links to opens.
  expect((await get(`/admin/case/${publicCase.caseId}`)).status).toBe(200);
});

test('a restricted (AK) case is found but names no file, as the CLI does; nothing is revealed or audited', async () => {
  const page = await (await search('kaselehemajas')).text();
  expect(rows(page)).toEqual([[restrictedCase.caseNumber, 'noustamine', 'text of [restricted]']]);
  expect(page).not.toMatch(/maasikas/i);
  const audit = await h.db.pool.query('SELECT 1 FROM audit_log');
  expect(audit.rows).toEqual([]);
});

test('hostile and careless queries: escaped, matched literally, a clear 400 for no words or too long, never a 500', async () => {
  const script = await search('<script>alert(1)</script>');
  expect(script.status).toBe(200);
  const s = await script.text();
  expect(s).not.toContain('<script>');
  expect(s).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  const attr = await search('"><img src=x onerror=alert(1)>');
  expect(attr.status).toBe(200);
  const a = await attr.text();
  expect(a).not.toContain('<img');
  expect(a).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  const inj = await search("' OR 1=1 --");
  expect(inj.status).toBe(200);
  expect(await inj.text()).toContain('value="&#39; OR 1=1 --"');
  const drop = await search("x'); DROP TABLE cases; --");
  expect(drop.status).toBe(200);
  expect(rows(await drop.text())).toEqual([]);
  expect((await h.db.pool.query('SELECT count(*)::int AS n FROM cases')).rows[0]).toEqual({ n: 3 });
  for (const q of ['!!! ---', '""', '-', '\u0000\u0001']) {
    const r = await search(q);
    expect([q, r.status]).toEqual([q, 400]);
    expect(await r.text()).toContain('the query has no words to search for');
  }
  const long = await search('pilvelambaaias '.repeat(400));
  expect(long.status).toBe(400);
  expect(await long.text()).toContain('the query is too long');
  // A personal code typed as a query is not echoed back.
  const code = await (await search(CHILD)).text();
  expect(code).not.toContain(CHILD);
  // A query with a NUL between words still searches (only letters and digits reach PostgreSQL).
  expect((await search('pilvelambaaias\u0000')).status).toBe(200);
});

test('the inbound page lists the data files with their container, the text read, and the signature with its digest; no signer code', async () => {
  const page = await (await get(`/admin/inbound/${publicCase.capsuleId}`)).text();
  const files = /<table id="files">([\s\S]*?)<\/table>/.exec(page)![1]!;
  const cells = [...files.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
  expect(cells.map((c) => [c[0], c[1], c[5]])).toEqual([
    ['taotlus.asice', '', 'no text'],
    [`otsus-${maskedForm(CHILD)}.docx`, 'taotlus.asice', expect.stringMatching(/^\d+ characters$/)],
    ['juhtumiplaan.pdf', 'taotlus.asice', expect.stringMatching(/^\d+ characters$/)],
  ]);
  expect(cells[0]![7]).toBe('Mari Maasikas · 2026-11-20 09:15 UTC · digest ok');
  expect(cells[1]![7]).toBe('');
  expect(page).not.toContain(signer.personalCode);
  expect(page).not.toContain(CHILD);
  const tampered = await (await get(`/admin/inbound/${tamperedId}`)).text();
  expect(tampered).toContain('<span class="state failed">digest mismatch</span>');
  expect(tampered).not.toContain(signer.personalCode);
});

test('a restricted capsule\'s page names no file, container or signer until revealed (audited), and never the signer\'s code', async () => {
  const page = await (await get(`/admin/inbound/${restrictedCase.capsuleId}`)).text();
  expect(page).not.toMatch(/maasikas/i);
  expect(page).toContain('[restricted] · ');
  expect(page).toContain('digest ok');
  const shown = await fetch(`${h.url}/admin/inbound/${restrictedCase.capsuleId}/reveal`, {
    method: 'POST',
    body: new URLSearchParams({}),
    headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(shown.status).toBe(200);
  const revealed = await shown.text();
  expect(revealed).toContain('maasikas-otsus.docx');
  expect(revealed).toContain('Mari Maasikas');
  expect(revealed).not.toContain(signer.personalCode);
  const audit = await h.db.pool.query<{ action: string; subject_id: string }>('SELECT action, subject_id FROM audit_log');
  expect(audit.rows).toEqual([{ action: 'reveal', subject_id: restrictedCase.capsuleId }]);
});
