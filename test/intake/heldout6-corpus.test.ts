import { CATEGORIES } from '../../src/cases/categories';
import { closeTextWorkers } from '../../src/content/text';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';
import { HELDOUT6 } from './heldout6-corpus';
import { classifyCorpus, type Outcome } from './heldout-harness';

/**
 * The sixth held-out corpus (./heldout6-corpus.ts), written apart from the classification rules, checked for
 * its shape only: the letters, their categories, formats, containers, titles and fictional codes, and that each
 * letter's file (or the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier.
 * It holds no score: the corpus is kept unseen for measuring the rules, and its verdicts are not asserted here.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout6', HELDOUT6);
}, 180_000);

afterAll(() => closeTextWorkers());

describe('the sixth held-out corpus: letters whose category is only in their files, some inside ASiC-E', () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expect(HELDOUT6).toHaveLength(60);
    expect(new Set(HELDOUT6.map((l) => l.id)).size).toBe(60);
    for (const c of CATEGORIES) expect(HELDOUT6.filter((l) => l.category === c)).toHaveLength(10);
    const formats = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
    HELDOUT6.forEach((l, i) => {
      expect(l.format).toBe(formats[i % formats.length]);
      expect(l.fileName.endsWith(`.${l.format}`)).toBe(true);
    });
    const boxed = HELDOUT6.filter((l) => l.container);
    expect(boxed).toHaveLength(12);
    for (const c of CATEGORIES) expect(boxed.filter((l) => l.category === c)).toHaveLength(2);
    for (const l of boxed) {
      expect(['pdf', 'docx']).toContain(l.format);
      expect(l.container).toMatch(/\.asice$/);
    }
    for (const l of HELDOUT6) {
      expect(['Kiri', 'Dokument', 'Pöördumine', 'Vastus', 'Info', 'Taotlus']).toContain(l.title);
      for (const m of l.paragraphs.join(' ').match(/\b\d{11}\b/g) ?? []) expect(isValidPersonalCode(m)).toBe(true);
    }
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expect(outcomes).toHaveLength(60);
    const empty = outcomes.filter((o) => o.textChars < 50).map((o) => `${o.letter.id} (${o.letter.format}${o.letter.container ? ' in asice' : ''})`);
    expect(empty).toEqual([]);
  });
});
