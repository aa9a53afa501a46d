import { CATEGORIES } from '../../src/cases/categories';
import { closeTextWorkers } from '../../src/content/text';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';
import { HELDOUT8 } from './heldout8-corpus';
import { classifyCorpus, scoreCorpus, type Outcome } from './heldout-harness';
import { rulesWithModelWithout } from './training-letters';

/**
 * The eighth held-out corpus (./heldout8-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier, and the verdicts.
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

  // Measured unseen when it was written (rules never tuned on it, word model not trained on it): 52/60
  // (86.7 %), 3 wrong with confidence (advice asked on whether a closed institution makes sense, read as KLAT;
  // a complaint about a KOV worker with "vajan abi", read as counselling; a student researching the mentoring
  // programme, read as mentoring), 5 to triage.
  // Then the same changes as for corpus 7, and "juhtumit arutada" became counselling; the word model is
  // trained on it. It holds the level reached.
  test('none is classified wrongly with confidence, and at least 57 of 60 right; misses printed', () => {
    const { right, total, wrongConfident, report } = scoreCorpus('held-out corpus 8', outcomes);
    console.log(report);
    expect(wrongConfident).toEqual([]);
    expect(right / total).toBeGreaterThanOrEqual(57 / 60);
  });

  test('with a word model trained without it: none wrongly confident, at least 52 of 60 right', async () => {
    const unseen = await classifyCorpus('heldout8-unseen', HELDOUT8, rulesWithModelWithout('heldout8-corpus'));
    const { right, total, wrongConfident, report } = scoreCorpus('held-out corpus 8, model trained without it', unseen);
    console.log(report);
    expect(wrongConfident).toEqual([]);
    expect(right / total).toBeGreaterThanOrEqual(52 / 60);
  }, 180_000);
});
