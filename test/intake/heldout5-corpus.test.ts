import { HELDOUT5 } from './heldout5-corpus';
import { describeRotatingCorpus } from './heldout-suite';

/**
 * The fifth held-out corpus (./heldout5-corpus.ts) through the held-out harness (./heldout-harness.ts): file, or
 * ASiC-E holding it, in a capsule with a generic title, read, unpacked, text extracted, classified by intake's
 * classify.
 *
 * Measured unseen when it was written (rules never tuned on it, word model not trained on it): 58/60
 * (96.7 %), 1 wrong with confidence (a request to open a new worker's e-learning access, read as mentoring from
 * "uuele töötajale"), 1 to triage. Then "a new worker" became a word that only supports mentoring words, an
 * access request muu, "soovime teile" courtesy; the word model is trained on it. It holds the level reached.
 */
describeRotatingCorpus({
  number: 5,
  title: 'the fifth held-out corpus: letters whose category is only in their files, some inside ASiC-E',
  letters: HELDOUT5,
  right: 59,
  rightWithoutModel: 59,
});
