import { HELDOUT9 } from './heldout9-corpus';
import { describeRotatingCorpus } from './heldout-suite';

/**
 * The ninth held-out corpus (./heldout9-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier.
 *
 * Measured unseen when it was written (rules never tuned on it, word model not trained on it): 51/60 (85.0 %),
 * 1 wrong with confidence (u3, a KOV declining SKA's mentoring offer, read as mentoring), 8 to triage
 * (n2 n4 n6 m2 u1 u7 u9 u10).
 *
 * After it was measured, the rules were changed for what its misses showed (a quoted letter is background, a
 * decline or withdrawal asking for nothing is 'other', a signature's contact person and a suggestion are not,
 * a case network's round table is counselling); then the word model was trained on it too. It holds the level
 * reached.
 */
describeRotatingCorpus({
  number: 9,
  title: 'the ninth held-out corpus: formal letters, reply chains and cover letters with annexes, some inside ASiC-E',
  letters: HELDOUT9,
  right: 59,
  rightWithoutModel: 55,
});
