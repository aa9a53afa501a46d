import { closeTextWorkers } from '../../src/content/text';
import { classifyCorpus, expectRotatingCorpus, expectTextRead, expectVerdicts, type CorpusLetter, type Outcome } from './heldout-harness';
import { rulesWithModelWithout } from './training-letters';

/** A held-out corpus whose formats rotate (heldout-letters.ts), and the levels its verdicts hold. */
export interface RotatingCorpusSuite {
  /** Its number (the corpus is `heldout<number>-corpus.ts`, its training name `heldout<number>-corpus`). */
  number: number;
  /** What the describe block calls it. */
  title: string;
  letters: readonly CorpusLetter[];
  /** At least this many of the 60 right, none wrong with confidence. */
  right: number;
  /** When the word model is trained on it: at least this many right with a model trained without it. */
  rightWithoutModel?: number;
  /** Tests of the corpus's own slant, run beside the shape tests (`outcomes` once classified). */
  more?: (outcomes: () => readonly Outcome[]) => void;
}

/**
 * The tests of a held-out corpus whose formats rotate (heldout4- … heldout15-corpus.test.ts): its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), that each letter's file (or the
 * ASiC-E holding it) goes the way intake takes it and yields its text to the classifier, and the verdicts —
 * also with a word model trained without the corpus, when the model is trained on it.
 */
export function describeRotatingCorpus(s: RotatingCorpusSuite): void {
  const name = `heldout${s.number}`;
  let outcomes: Outcome[] = [];

  beforeAll(async () => {
    outcomes = await classifyCorpus(name, s.letters);
  }, 180_000);

  afterAll(() => closeTextWorkers());

  describe(s.title, () => {
    test('60 letters, 10 per category, formats rotating, 12 in containers, unique ids, generic titles, fictional codes', () => {
      expectRotatingCorpus(s.letters);
    });

    test('every letter reaches the classifier as text read from its file', () => {
      expectTextRead(outcomes, 60);
    });

    s.more?.(() => outcomes);

    test(`none is classified wrongly with confidence, and at least ${s.right} of 60 right; misses printed`, () => {
      expectVerdicts(`held-out corpus ${s.number}`, outcomes, s.right);
    });

    const without = s.rightWithoutModel;
    if (without !== undefined) {
      test(`with a word model trained without it: none wrongly confident, at least ${without} of 60 right`, async () => {
        expectVerdicts(`held-out corpus ${s.number}, model trained without it`, await classifyCorpus(`${name}-unseen`, s.letters, rulesWithModelWithout(`${name}-corpus`)), without);
      }, 180_000);
    }
  });
}
