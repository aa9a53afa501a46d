import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { blobLocation, openBlob, readBlob } from '../../src/blob/read';
import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { makeBlobStore } from '../../src/blob/store';
import { readCapsule } from '../../src/capsule/read';
import { tallinnDate } from '../../src/capsule/dates';
import { addDays } from '../../src/intake/stages';
import { watchDeadlines } from '../../src/cases/deadlines';
import { dhx } from '../cli/run';
import { startIntakeAdapter, type IntakeHarness } from './harness';
import { KOVS, kovCapsule, kovDraftInput } from './kov';

let h: IntakeHarness;
beforeAll(async () => {
  h = await startIntakeAdapter({ ADMIN_TOKEN: 'metrics-scraper-token-0123' });
});
afterAll(() => h.close());

interface Shown {
  id: string;
  state: string;
  category: string | null;
  subKind: string | null;
  caseId: string | null;
  caseNumber: string | null;
  dueAt: string | null;
  files: Array<{ name: string; size: number; sha256: string; main: boolean; mimeType: string }>;
}

async function show(id: string, ...more: string[]): Promise<Shown> {
  const r = await dhx(['show', id, '--json', ...more], h.env);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Shown;
}

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await h.db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

describe('intake end to end (POST /dhx → case record)', () => {
  let klatId: string;
  let klatCase: string;

  test('a KLAT request posted to /dhx becomes a KLAT case with its files, a 30-day due date and a business receipt queued for sending', async () => {
    const capsule = await kovCapsule({
      kov: KOVS[0],
      title: 'Taotlus arvamuse saamiseks kinnise lasteasutuse teenuse osutamiseks (esmane)',
      abstract: 'Palume Sotsiaalkindlustusameti arvamust lapse paigutamiseks kinnisesse lasteasutusse.',
      fileNames: ['taotlus.pdf', 'lisa-juhtumiplaan.pdf'],
      originalIdentifier: '7-1/2026-101',
    });
    const r = await h.send(KOVS[0]!.code, capsule);
    expect(r.receiptId).toBeDefined();
    klatId = r.receiptId!;
    expect(await h.waitFor(klatId)).toBe('done');
    const doc = await show(klatId);
    expect(doc).toMatchObject({ state: 'done', category: 'klat_arvamus', subKind: 'esmane' });
    expect(doc.caseId).toBeTruthy();
    klatCase = doc.caseId!;
    const received = (await h.db.pool.query<{ received_at: Date }>('SELECT received_at FROM inbound_capsules WHERE id = $1', [klatId])).rows[0]!.received_at;
    expect(doc.dueAt).toBe(addDays(tallinnDate(received), 30));
    // Files: content-addressed blobs, main component marked; these are small, so they are kept in
    // PostgreSQL beside their rows (DHX_INLINE_BLOB_BYTES; the next test has one that goes to DATA_DIR).
    // The request is restricted (AK): its file names only with --reveal (docs/operations.md, "Privacy").
    expect(doc.files.map((f) => [f.name, f.main, f.mimeType])).toEqual([
      ['[restricted]', true, 'application/pdf'],
      ['[restricted]', false, 'application/pdf'],
    ]);
    expect((await show(klatId, '--reveal')).files.map((f) => [f.name, f.main, f.mimeType])).toEqual([
      ['taotlus.pdf', true, 'application/pdf'],
      ['lisa-juhtumiplaan.pdf', false, 'application/pdf'],
    ]);
    const store = makeBlobStore(h.dataDir);
    for (const f of doc.files) {
      expect(await blobLocation(h.db.pool, f.sha256)).toBe('inline');
      const bytes = await readBlob(h.db.pool, store, f.sha256);
      expect(bytes.length).toBe(f.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(fs.existsSync(store.pathOf(f.sha256))).toBe(false);
    }
    // The case record.
    const c = await dhx(['cases', 'show', klatCase, '--json'], h.env);
    expect(c.code).toBe(0);
    const kase = JSON.parse(c.out) as Record<string, unknown> & { documents: Array<{ direction: string; kind: string; state: string; id: string }> };
    expect(kase).toMatchObject({
      category: 'klat_arvamus',
      kovCode: KOVS[0]!.code,
      kovName: KOVS[0]!.name,
      kovRegNumber: '7-1/2026-101',
      accessRestricted: true,
      status: 'registered',
      dueAt: doc.dueAt,
    });
    // The business receipt: queued for sending (and handed to the send queue at once, so the sending side
    // takes it up without waiting for its scheduler), a reply (Initiator) to the request naming the case
    // number and due date.
    const receipt = kase.documents.find((d) => d.direction === 'outbound')!;
    expect(receipt).toMatchObject({ kind: 'receipt' });
    const out = await dhx(['show', receipt.id, '--json'], h.env);
    const outDoc = JSON.parse(out.out) as { sha256: string; consignmentId: string; recipient: string; history: Array<{ state: string }> };
    expect(outDoc).toMatchObject({ recipient: KOVS[0]!.code });
    expect(outDoc.history[0]!.state).toBe('queued');
    const until = Date.now() + 5000;
    let attempts = 0;
    while (attempts === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      attempts = (await h.db.pool.query<{ attempts: number }>('SELECT attempts FROM outbound_documents WHERE id = $1', [receipt.id])).rows[0]!.attempts;
    }
    expect(attempts).toBeGreaterThan(0); // the send worker tried it (no security server here: it retries later)
    const read = await readCapsule(await openBlob(h.db.pool, store, outDoc.sha256), {});
    expect(read.valid).toBe(true);
    expect(read.capsule!.initiator?.recordOriginalIdentifier).toBe('7-1/2026-101');
    expect(read.capsule!.recordMetadata.recordTitle).toBe('Teade dokumendi kättesaamise kohta');
    expect(read.capsule!.recordMetadata.recordOriginalIdentifier).toBe(kase.caseNumber);
    expect(read.capsule!.transport.recipients[0]!.organisationCode).toBe(KOVS[0]!.code);
    expect(read.capsule!.recipients[0]!.messageForRecipient).toContain(String(kase.caseNumber));
  });

  test('a reply naming the case number in Initiator lands on the existing case: no new case, no second receipt', async () => {
    const caseNumber = (await h.db.pool.query<{ case_number: string }>('SELECT case_number FROM cases WHERE id = $1', [klatCase])).rows[0]!.case_number;
    const cases = await count('SELECT count(*) AS n FROM cases');
    const receipts = await count('SELECT count(*) AS n FROM outbound_documents');
    const capsule = await kovCapsule({ kov: KOVS[0], title: 'Täiendavad andmed', initiator: caseNumber, originalIdentifier: '7-1/2026-101-2' });
    const r = await h.send(KOVS[0]!.code, capsule);
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    const doc = await show(r.receiptId!);
    expect(doc.caseId).toBe(klatCase);
    expect(doc.category).toBe('klat_arvamus');
    expect(await count('SELECT count(*) AS n FROM cases')).toBe(cases);
    expect(await count('SELECT count(*) AS n FROM outbound_documents')).toBe(receipts);
  });

  test('a reply pointing at our receipt (RecipientRecordGuid) lands on the case too', async () => {
    const guid = (await h.db.pool.query<{ record_guid: string }>(`SELECT record_guid FROM outbound_documents WHERE case_id = $1`, [klatCase])).rows[0]!.record_guid;
    const capsule = await kovCapsule({ kov: KOVS[0], title: 'Vastus teatele', recipientRecordGuid: guid });
    const r = await h.send(KOVS[0]!.code, capsule);
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect((await show(r.receiptId!)).caseId).toBe(klatCase);
  });

  test('a duplicate consignment creates nothing: DHX.Duplicate, no capsule, no case, no receipt', async () => {
    const consignmentId = randomUUID();
    const capsule = await kovCapsule({ kov: KOVS[1], title: 'Nõustamise taotlus lastekaitsejuhtumis', originalIdentifier: '12-3/55' });
    const first = await h.send(KOVS[1]!.code, capsule, consignmentId);
    expect(await h.waitFor(first.receiptId!)).toBe('done');
    const before = await Promise.all(['inbound_capsules', 'cases', 'outbound_documents', 'attachments'].map((t) => count(`SELECT count(*) AS n FROM ${t}`)));
    const again = await h.send(KOVS[1]!.code, capsule, consignmentId);
    expect(again.faultCode).toBe('DHX.Duplicate');
    await new Promise((r) => setTimeout(r, 300));
    const after = await Promise.all(['inbound_capsules', 'cases', 'outbound_documents', 'attachments'].map((t) => count(`SELECT count(*) AS n FROM ${t}`)));
    expect(after).toEqual(before);
    // The counselling request itself got its case and (counselling is a receipt category) a receipt, without a due date.
    const doc = await show(first.receiptId!);
    expect(doc).toMatchObject({ category: 'noustamine', dueAt: null });
    expect(await count(`SELECT count(*) AS n FROM outbound_documents WHERE inbound_id = $1 AND kind = 'receipt'`, [first.receiptId])).toBe(1);
  });

  test("a KOV's follow-up naming its own earlier request (Initiator = its registration number) lands on that request's case", async () => {
    const first = (await h.db.pool.query<{ case_id: string }>(`SELECT i.case_id FROM inbound_capsules i JOIN inbound_documents d ON d.capsule_id = i.id WHERE d.record_original_identifier = '12-3/55'`)).rows[0]!.case_id;
    const r = await h.send(KOVS[1]!.code, await kovCapsule({ kov: KOVS[1], title: 'Lisainfo', initiator: '12-3/55', originalIdentifier: '12-3/55-1' }));
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect(await show(r.receiptId!)).toMatchObject({ caseId: first, category: 'noustamine' });
    // Another KOV using the same number is not the same request.
    const other = await h.send(KOVS[2]!.code, await kovCapsule({ kov: KOVS[2], title: 'Lisainfo', initiator: '12-3/55' }));
    expect(await h.waitFor(other.receiptId!)).toBe('triage');
  });

  test('a mentoring request gets a case without a receipt (not a receipt category by default)', async () => {
    const r = await h.send(KOVS[2]!.code, await kovCapsule({ kov: KOVS[2], title: 'Mentorluse taotlus alustavale lastekaitsetöötajale' }));
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    const doc = await show(r.receiptId!);
    expect(doc.category).toBe('mentorlus');
    expect(doc.caseId).toBeTruthy();
    expect(await count(`SELECT count(*) AS n FROM outbound_documents WHERE inbound_id = $1`, [r.receiptId])).toBe(0);
  });

  test('a KOV ReplyDueDate earlier than 30 days becomes the due date', async () => {
    const received = new Date();
    const early = addDays(tallinnDate(received), 10);
    const r = await h.send(
      KOVS[3]!.code,
      await kovCapsule({ kov: KOVS[3], title: 'KLAT arvamuse taotlus: teenuse pikendamine', replyDueDate: early }),
    );
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect(await show(r.receiptId!)).toMatchObject({ category: 'klat_arvamus', subKind: 'pikendamine', dueAt: early });
  });

  test('an unclassifiable capsule waits in triage; dhx classify decides (audit-logged) and the pipeline completes', async () => {
    const r = await h.send(KOVS[4]!.code, await kovCapsule({ kov: KOVS[4], title: 'Dokument', abstract: 'Edastame dokumendi.' }));
    const id = r.receiptId!;
    expect(await h.waitFor(id)).toBe('triage');
    expect(await show(id)).toMatchObject({ state: 'triage', category: null, caseId: null });
    expect(await count('SELECT count(*) AS n FROM cases WHERE opened_by = $1', [id])).toBe(0);

    const bad = await dhx(['classify', id, 'nonsense'], h.env);
    expect(bad.code).toBe(2);
    const ok = await dhx(['classify', id, 'noustamine', '--actor', 'test-operator'], h.env);
    expect(ok.code).toBe(0);
    expect(await h.waitFor(id)).toBe('done');
    const doc = await show(id);
    expect(doc.category).toBe('noustamine');
    expect(doc.caseId).toBeTruthy();
    const audit = await h.db.pool.query<{ actor: string; action: string; detail: { category: string } }>(
      `SELECT actor, action, detail FROM audit_log WHERE subject_id = $1`,
      [id],
    );
    expect(audit.rows).toEqual([expect.objectContaining({ actor: 'test-operator', action: 'classify', detail: expect.objectContaining({ category: 'noustamine' }) })]);
    // Not in triage any more: a second decision is refused.
    expect((await dhx(['classify', id, 'muu'], h.env)).code).toBe(1);
  });

  test('every state change has a history row, in pipeline order', async () => {
    const hist = await h.db.pool.query<{ state: string }>('SELECT state FROM inbound_state_history WHERE capsule_id = $1 ORDER BY id', [klatId]);
    expect(hist.rows.map((r) => r.state)).toEqual(['received', 'parsed', 'classified', 'extracted', 'routed', 'done']);
  });

  test('dhx cases list and dhx stats list what came in', async () => {
    const list = await dhx(['cases', 'list', '--json'], h.env);
    expect(list.code).toBe(0);
    const cases = JSON.parse(list.out) as Array<{ category: string }>;
    expect(cases.map((c) => c.category).sort()).toEqual(['klat_arvamus', 'klat_arvamus', 'mentorlus', 'noustamine', 'noustamine']);
    const overdue = await dhx(['cases', 'list', '--overdue', '--json'], h.env);
    expect(JSON.parse(overdue.out)).toEqual([]);
    const s = await dhx(['stats', '--json'], h.env);
    expect(s.code).toBe(0);
    const st = JSON.parse(s.out) as { requests: Array<{ category: string; count: number }>; opinions: { open: number } };
    expect(st.requests.filter((x) => x.category === 'klat_arvamus').reduce((a, x) => a + x.count, 0)).toBe(2);
    expect(st.opinions.open).toBe(2);
  });

  test('cases the deadline watch marks overdue or due soon are counted in /metrics', async () => {
    await watchDeadlines(h.db.pool, 5, '2099-01-01');
    const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-scraper-token-0123' } })).text();
    expect(text).toMatch(/^dhx_cases_overdue 2$/m);
    expect(text).toMatch(/^dhx_cases_due_soon 0$/m);
    expect(text).toMatch(/^dhx_inbound_triage 1$/m); // the follow-up from another KOV
    const overdue = JSON.parse((await dhx(['cases', 'list', '--overdue', '--json'], h.env)).out) as unknown[];
    expect(overdue).toEqual([]); // by the calendar of today they are not overdue yet
  });

  test('a file larger than DHX_INLINE_BLOB_BYTES is extracted into DATA_DIR: content-addressed, file 0600, folders 0700, nothing left in tmp/', async () => {
    // 1.5 MB of hex text: gzip halves it, so the capsule and the file are both past the 1 MiB default.
    const big = Buffer.from(randomBytes(768 * 1024).toString('hex'));
    const draft = makeDraft({
      ...kovDraftInput({ kov: KOVS[3], title: 'Nõustamise taotlus lastekaitsejuhtumis', originalIdentifier: '7-1/2026-777' }),
      files: [{ name: 'toimik.txt', mimeType: 'text/plain', content: big, main: true }],
    });
    const r = await h.send(KOVS[3]!.code, await buildCapsuleToBuffer(draft));
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    const [f] = (await show(r.receiptId!, '--reveal')).files; // AK: the file name only with --reveal
    expect(f).toMatchObject({ name: 'toimik.txt', size: big.length, sha256: createHash('sha256').update(big).digest('hex') });
    expect(await blobLocation(h.db.pool, f!.sha256)).toBe('file');
    const store = makeBlobStore(h.dataDir);
    const st = fs.statSync(store.pathOf(f!.sha256));
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(big.length);
    for (let dir = path.dirname(store.pathOf(f!.sha256)); dir !== h.dataDir; dir = path.dirname(dir)) {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(path.join(h.dataDir, 'tmp'))).toEqual([]);
  });
});
