import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT11 } from './heldout11-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The eleventh held-out corpus (./heldout11-corpus.ts), written apart from the classification rules: its shape
 * (the letters, their categories, formats, containers, titles and fictional codes), and that each letter's file
 * (or the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier. No verdicts are
 * asserted here: the corpus is kept for measuring the classifier unseen.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout11', HELDOUT11);
}, 180_000);

afterAll(() => closeTextWorkers());

describe("the eleventh held-out corpus: a typical month's inbox, the category only in the files, some inside ASiC-E", () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT11);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });
});
