import { CATEGORIES } from '../../src/cases/categories';
import { closeTextWorkers } from '../../src/content/text';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';
import { HELDOUT3 } from './heldout3-corpus';
import { classifyCorpus, expectTextRead, expectVerdicts, type Outcome } from './heldout-harness';
import { rulesWithModelWithout } from './training-letters';

/**
 * The third held-out corpus (./heldout3-corpus.ts) through the held-out harness (./heldout-harness.ts): each
 * letter's file, or an ASiC-E holding it, in a capsule with a generic title, read, unpacked, its text extracted,
 * classified by intake's classify. It was never used to tune the rules; the word model is trained on it: see below. Misses are printed for whoever tunes the rules.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout3', HELDOUT3);
}, 180_000);

afterAll(() => closeTextWorkers());

describe('the third held-out corpus: letters whose category is only in their files, some inside ASiC-E', () => {
  test('60 letters, 10 per category, every format used, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expect(HELDOUT3).toHaveLength(60);
    expect(new Set(HELDOUT3.map((l) => l.id)).size).toBe(60);
    for (const c of CATEGORIES) expect(HELDOUT3.filter((l) => l.category === c)).toHaveLength(10);
    expect(new Set(HELDOUT3.map((l) => l.format))).toEqual(new Set(['pdf', 'docx', 'odt', 'rtf', 'html', 'txt']));
    const boxed = HELDOUT3.filter((l) => l.container);
    expect(boxed).toHaveLength(12);
    for (const l of boxed) expect(['pdf', 'docx']).toContain(l.format);
    for (const l of HELDOUT3) {
      expect(['Kiri', 'Dokument', 'Pöördumine', 'Vastus', 'Info', 'Taotlus']).toContain(l.title);
      for (const m of l.paragraphs.join(' ').match(/\b\d{11}\b/g) ?? []) expect(isValidPersonalCode(m)).toBe(true);
    }
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });

  // This corpus was written apart from the rules and measured them unseen: 50/60 (83.3 %), none wrong with
  // confidence. Its misses were then read as classes of language (a doubled letter typed single, "arvel" read as
  // an invoice, a request for a user account) and the rules changed for those classes; the word model
  // (rules/content-model.json) is trained on it with the earlier corpora. It now holds the level reached,
  // 58/60, and never a confident mistake; heldout4- to heldout6-corpus.test.ts measure unseen letters.
  test('none is classified wrongly with confidence, and at least 58 of 60 right; misses printed', () => {
    expectVerdicts('held-out corpus 3', outcomes, 58);
  });

  // The model's part, measured without it: a word model trained on every training corpus but this one. When
  // the model was added (before the rules changes above) this was 55/60 (91.7 %), none wrong with confidence.
  test('with a word model trained without it: none wrongly confident, at least 58 of 60 right', async () => {
    expectVerdicts('held-out corpus 3, model trained without it', await classifyCorpus('heldout3-unseen', HELDOUT3, rulesWithModelWithout('heldout3-corpus')), 58);
  }, 180_000);
});
