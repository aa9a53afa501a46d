import { closeTextWorkers } from '../../src/content/text';
import { HELDOUT15 } from './heldout15-corpus';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, type Outcome } from './heldout-harness';

/**
 * The fifteenth held-out corpus (heldout15-corpus.ts): a typical month's inbox (March 2027) — 60 letters from KOV
 * workers, courts, a hospital, embassies, foreign authorities, parents, NGOs, a vendor, a student and a journalist,
 * written apart from the rules. Its verdicts are reported by the harness, not asserted here.
 */

let outcomes: Outcome[] = [];

beforeAll(async () => {
  outcomes = await classifyCorpus('heldout15', HELDOUT15);
}, 180_000);

afterAll(() => closeTextWorkers());

describe("the fifteenth held-out corpus: a typical month's inbox, some letters inside ASiC-E", () => {
  test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
    expectRotatingCorpus(HELDOUT15);
  });

  test('every letter reaches the classifier as text read from its file', () => {
    expectTextRead(outcomes, 60);
  });
});
