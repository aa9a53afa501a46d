import { CATEGORIES } from '../../src/cases/categories';
import { closeTextWorkers } from '../../src/content/text';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';
import { HELDOUT8 } from './heldout8-corpus';
import { classifyCorpus, type Outcome } from './heldout-harness';

/**
 * The eighth held-out corpus (./heldout8-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier. No verdict is
 * asserted or printed here.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout8', HELDOUT8);
}, 180_000);

afterAll(() => closeTextWorkers());

describe('the eighth held-out corpus: short letters whose category is only in their files, some inside ASiC-E', () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expect(HELDOUT8).toHaveLength(60);
    expect(new Set(HELDOUT8.map((l) => l.id)).size).toBe(60);
    for (const c of CATEGORIES) expect(HELDOUT8.filter((l) => l.category === c)).toHaveLength(10);
    const formats = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
    HELDOUT8.forEach((l, i) => {
      expect(l.format).toBe(formats[i % formats.length]);
      expect(l.fileName.endsWith(`.${l.format}`)).toBe(true);
    });
    const boxed = HELDOUT8.filter((l) => l.container);
    expect(boxed).toHaveLength(12);
    for (const c of CATEGORIES) expect(boxed.filter((l) => l.category === c)).toHaveLength(2);
    for (const l of boxed) {
      expect(['pdf', 'docx']).toContain(l.format);
      expect(l.container).toMatch(/\.asice$/);
    }
    for (const l of HELDOUT8) {
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
