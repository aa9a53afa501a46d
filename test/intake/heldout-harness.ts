import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { unpackContainer } from '../../src/capsule/container';
import { makeDraft } from '../../src/capsule/draft';
import { readCapsuleBuffer } from '../../src/capsule/read';
import { CATEGORIES } from '../../src/cases/categories';
import { extractText } from '../../src/content/text';
import type { ClassificationRecord } from '../../src/inbound/steps';
import { loadRules, type Rules } from '../../src/intake/rules';
import { classify, parse } from '../../src/intake/stages';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';
import { FORMATS, GENERIC_TITLES, type CorpusLetter } from './heldout-letters';
import { buildAsice, fictionalSigner } from '../fixtures-gen/containers';
import { MIME_TYPES, makeDocument } from '../fixtures-gen/documents';
import { KOVS, SKA_CODE } from './kov';

/**
 * The harness of the held-out corpora (heldout2-, heldout3-corpus.test.ts): each letter goes the way intake
 * takes it — its file (or an ASiC-E holding it) in a capsule with a generic title, the capsule read and parsed,
 * a container unpacked and its data files' text extracted, then the public classify of the intake stages —
 * and the verdicts are scored and reported (right, wrong with confidence, triage, the misses).
 */

export type { CorpusLetter } from './heldout-letters';

const defaultRules = loadRules();
const NOW = new Date('2026-11-25T10:00:00Z');
const ASICE_MIME = 'application/vnd.etsi.asic-e+zip';
const SIGNER = fictionalSigner('KATRIN', 'KUUSEMETS', 40);

export interface Outcome {
  letter: CorpusLetter;
  textChars: number;
  verdict: ClassificationRecord;
}

/** The file the capsule carries: the document itself, or an ASiC-E signed by a fictional official holding it. */
function carried(letter: CorpusLetter, bytes: Buffer): { name: string; mimeType: string; content: Buffer } {
  const mimeType = MIME_TYPES[letter.format];
  if (!letter.container) return { name: letter.fileName, mimeType, content: bytes };
  const content = buildAsice({
    files: [{ name: letter.fileName, bytes, mimeType }],
    signers: [SIGNER],
    signingTime: NOW,
  });
  return { name: letter.container, mimeType: ASICE_MIME, content };
}

async function textOf(file: { name: string; mimeType: string; content: Buffer }): Promise<string> {
  const parts: { name: string; mimeType: string; bytes: Buffer }[] = [];
  if (file.mimeType === ASICE_MIME) {
    const unpacked = unpackContainer(file.name, file.content);
    expect(unpacked.problems).toEqual([]);
    expect(unpacked.signatures.map((s) => s.digest)).toEqual(['ok']);
    for (const f of unpacked.files) parts.push({ name: f.name, mimeType: f.declaredMimeType || f.sniffedMimeType, bytes: f.bytes });
  } else parts.push({ name: file.name, mimeType: file.mimeType, bytes: file.content });
  const texts: string[] = [];
  for (const p of parts) {
    const out = await extractText(p.bytes, p.mimeType, p.name);
    if (out.kind === 'text') texts.push(out.text);
  }
  return texts.join('\n');
}

/** A letter as intake has it before classifying: the parsed capsule and the text of its file. */
export interface PreparedLetter {
  letter: CorpusLetter;
  doc: ReturnType<typeof parse>['doc'];
  text: string;
}

/** A letter taken the way intake takes it, up to classification (its capsule built, read, parsed; its text read). */
export async function prepareLetter(label: string, letter: CorpusLetter, i: number): Promise<PreparedLetter> {
  const bytes = makeDocument(letter.format, letter.paragraphs);
  const file = carried(letter, bytes);
  const kov = KOVS[i % KOVS.length]!;
  const draft = makeDraft(
    {
      sender: { code: kov.code, name: kov.name, ...(kov.unit ? { structuralUnit: kov.unit } : {}) },
      recipients: [{ code: SKA_CODE, name: 'Sotsiaalkindlustusamet', structuralUnit: 'Laste heaolu osakond' }],
      recordType: 'Kiri',
      title: letter.title,
      originalIdentifier: `7-2/2026-${1200 + i}`,
      registeredAt: NOW,
      access: { code: 'AK' },
      files: [file],
    },
    { now: NOW },
  );
  const read = await readCapsuleBuffer(await buildCapsuleToBuffer(draft));
  const { doc } = parse(`${label}-${letter.id}`, read);
  return { letter, doc, text: await textOf(file) };
}

/** A prepared letter classified (by `rules`). */
export function classifyPrepared({ letter, doc, text }: PreparedLetter, rules: Rules = defaultRules): Outcome {
  return { letter, textChars: text.length, verdict: classify(doc, rules, undefined, text) };
}

async function run(label: string, letter: CorpusLetter, i: number, rules: Rules): Promise<Outcome> {
  return classifyPrepared(await prepareLetter(label, letter, i), rules);
}

/** The rules' best guess, non-zero scores and matched words, from the verdict's reasons (for the table of misses). */
function bestGuess(v: ClassificationRecord): string {
  const r = (v.reasons ?? {}) as { best?: string | null; scores?: Record<string, number>; matches?: { category?: string; matched?: string }[] };
  const scores = Object.entries(r.scores ?? {})
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c}=${n}`)
    .join(' ');
  const words = (r.matches ?? []).map((m) => `${m.category ?? '?'}:"${m.matched ?? ''}"`).join(', ');
  return `best=${r.best ?? '-'} ${scores || 'no score'}${words ? ` (${words})` : ''}`;
}

/** Every letter of the corpus through the harness, one after another (by the default rules, or `rules`). */
export async function classifyCorpus(label: string, letters: readonly CorpusLetter[], rules: Rules = defaultRules): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [i, letter] of letters.entries()) outcomes.push(await run(label, letter, i, rules));
  return outcomes;
}

/** The score of a corpus run and its printed report (per category, then each miss with the rules' best guess). */
export function scoreCorpus(title: string, outcomes: readonly Outcome[]): { right: number; total: number; wrongConfident: string[]; report: string } {
    const rows = outcomes.map(({ letter, verdict }) => ({
      id: letter.id,
      format: `${letter.format}${letter.container ? '+asice' : ''}`,
      expected: letter.category,
      got: verdict.category ?? '(triage)',
      confident: verdict.confident,
      right: verdict.confident && verdict.category === letter.category,
      best: bestGuess(verdict),
    }));
    const perCategory = CATEGORIES.map((c) => {
      const of = rows.filter((r) => r.expected === c);
      return {
        category: c,
        letters: of.length,
        right: of.filter((r) => r.right).length,
        wrongConfident: of.filter((r) => r.confident && !r.right).length,
        triage: of.filter((r) => !r.confident).length,
      };
    });
    const right = rows.filter((r) => r.right).length;
    const wrongConfident = rows.filter((r) => r.confident && !r.right);
    const misses = rows.filter((r) => !r.right);
    const report = (
      [
        `${title}: ${right}/${rows.length} right (${((100 * right) / rows.length).toFixed(1)} %), ${wrongConfident.length} wrong with confidence, ${rows.length - right - wrongConfident.length} to triage`,
        'category         letters right wrong-confident triage',
        ...perCategory.map((p) => `${p.category.padEnd(16)} ${String(p.letters).padStart(7)} ${String(p.right).padStart(5)} ${String(p.wrongConfident).padStart(15)} ${String(p.triage).padStart(6)}`),
        misses.length ? "misses (id, format, expected, got, confident, the rules' best guess and scores):" : 'no misses',
        ...misses.map((m) => `  ${m.id.padEnd(4)} ${m.format.padEnd(10)} ${m.expected.padEnd(15)} ${m.got.padEnd(15)} ${String(m.confident).padEnd(5)} ${m.best}`),
      ].join('\n')
    );
  return { right, total: rows.length, wrongConfident: wrongConfident.map((r) => `${r.id}: ${r.expected} -> ${r.got}`), report };
}

/**
 * The shape of a held-out corpus whose formats rotate by position (heldout-letters.ts): 60 letters, 10 per
 * category, unique ids, formats in rotation, 12 inside an ASiC-E named after the file (2 per category, each a PDF
 * or DOCX), generic titles, and only fictional personal codes (valid checksums).
 */
export function expectRotatingCorpus(letters: readonly CorpusLetter[]): void {
  expect(letters).toHaveLength(60);
  expect(new Set(letters.map((l) => l.id)).size).toBe(60);
  for (const c of CATEGORIES) expect(letters.filter((l) => l.category === c)).toHaveLength(10);
  letters.forEach((l, i) => {
    expect([l.id, l.format]).toEqual([l.id, FORMATS[i % FORMATS.length]]);
    expect(l.fileName.endsWith(`.${l.format}`)).toBe(true);
  });
  const boxed = letters.filter((l) => l.container);
  expect(boxed).toHaveLength(12);
  for (const c of CATEGORIES) expect(boxed.filter((l) => l.category === c)).toHaveLength(2);
  for (const l of boxed) {
    expect(['pdf', 'docx']).toContain(l.format);
    expect(l.container).toBe(`${l.fileName.replace(/\.[a-z]+$/, '')}.asice`);
  }
  for (const l of letters) {
    expect(GENERIC_TITLES).toContain(l.title);
    for (const m of l.paragraphs.join(' ').match(/\b\d{11}\b/g) ?? []) expect(isValidPersonalCode(m)).toBe(true);
  }
}

/** Every letter of the corpus reached the classifier as text read from its file (or from the ASiC-E holding it). */
export function expectTextRead(outcomes: readonly Outcome[], count: number): void {
  expect(outcomes).toHaveLength(count);
  const empty = outcomes.filter((o) => o.textChars < 50).map((o) => `${o.letter.id} (${o.letter.format}${o.letter.container ? ' in asice' : ''})`);
  expect(empty).toEqual([]);
}

/** The verdicts scored and their report printed: none wrong with confidence, at least `minRight` of 60 right. */
export function expectVerdicts(title: string, outcomes: readonly Outcome[], minRight: number): void {
  const { right, total, wrongConfident, report } = scoreCorpus(title, outcomes);
  console.log(report);
  expect(wrongConfident).toEqual([]);
  expect(right / total).toBeGreaterThanOrEqual(minRight / 60);
}
