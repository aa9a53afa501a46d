import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT10 } from './heldout10-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The tenth held-out corpus (./heldout10-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier. Its verdicts are
 * measured apart from this file.
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
});
