import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT12 } from './heldout12-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The twelfth held-out corpus (./heldout12-corpus.ts), a typical month's inbox written apart from the
 * classification rules: its shape (the letters, their categories, formats, containers, titles and fictional
 * codes), and that each letter's file (or the ASiC-E holding it) goes the way intake takes it and yields its text
 * to the classifier. Its verdicts are not asserted here: the corpus is kept for an honest measurement.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout12', HELDOUT12);
}, 180_000);

afterAll(() => closeTextWorkers());

describe("the twelfth held-out corpus: a typical month's inbox, some letters inside ASiC-E", () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT12);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });
});
