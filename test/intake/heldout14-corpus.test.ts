import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT14 } from './heldout14-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The fourteenth held-out corpus (heldout14-corpus.ts): a typical month's inbox (February 2027), written apart
 * from the rules. It is classified the way intake takes each letter; the verdicts are reported, not asserted here.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout14', HELDOUT14);
}, 180_000);

afterAll(() => closeTextWorkers());

describe("the fourteenth held-out corpus: a typical month's inbox, some letters inside ASiC-E", () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT14);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });
});
