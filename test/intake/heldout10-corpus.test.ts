import { HELDOUT10 } from './heldout10-corpus';
import { describeRotatingCorpus } from './heldout-suite';

/**
 * The tenth held-out corpus (./heldout10-corpus.ts), written apart from the classification rules: its shape (the
 * letters, their categories, formats, containers, titles and fictional codes), and that each letter's file (or
 * the ASiC-E holding it) goes the way intake takes it and yields its text to the classifier.
 *
 * Measured unseen when it was written (rules frozen after tuning on corpus 9, never tuned on it; word model not
 * trained on it): 51/60 (85.0 %), 2 wrong with confidence (u4, a KOV asking only for SKA's form for requesting a
 * KLAT opinion, read as KLAT; u5, a KOV asking how many mentors there are, for planning, read as mentoring),
 * 7 to triage (n6 n8 t3 u1 u3 u6 u8).
 *
 * After it was measured, the rules were changed for what its misses showed (a declined clause weighs a quarter of
 * a background one, past tenses look back, planning and a document form are 'other'); then the word model
 * was trained on it too. It holds the level reached.
 */
describeRotatingCorpus({
  number: 10,
  title: 'the tenth held-out corpus: a confusable inbox of letters naming several services and asking for one, some inside ASiC-E',
  letters: HELDOUT10,
  right: 55,
  rightWithoutModel: 52,
});
