import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT13 } from './heldout13-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The thirteenth held-out corpus (heldout13-corpus.ts): a typical month's inbox of January 2027 — ordinary letters
 * from KOV child-protection workers, social department heads, county courts, an embassy, foreign municipalities,
 * parents, an NGO, a vendor, a student and a journalist, each in its own voice and length — written from what each
 * category means and apart from the rules. Only the corpus's shape and that every letter reaches the classifier
 * as text are asserted here; the verdicts are not.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout13', HELDOUT13);
}, 180_000);

afterAll(() => closeTextWorkers());

describe("the thirteenth held-out corpus: a typical month's inbox, some letters inside ASiC-E", () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT13);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });
});
