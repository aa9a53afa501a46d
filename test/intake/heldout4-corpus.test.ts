import { HELDOUT4 } from './heldout4-corpus';
import { describeRotatingCorpus } from './heldout-suite';

/**
 * The fourth held-out corpus (./heldout4-corpus.ts), written apart from the classification rules, through the
 * held-out harness (./heldout-harness.ts): each letter's file, or an ASiC-E holding it, in a capsule with a
 * generic title, read, unpacked and its text extracted, then classified by intake's classify.
 *
 * Measured unseen when it was written (rules and word model never tuned or trained on it): 53/60 (88.3 %),
 * 1 wrong with confidence (a letter thanking for the mentoring programme, "soovime tänada", read as asking
 * for mentoring), 6 to triage. Its misses were then read as classes of language (courtesy in a request's verb,
 * an attachment line, an example in the background, "on vaja" as a request) and the rules changed for those;
 * the word model is trained on it. It now holds the level reached, 59/60, and never a confident mistake.
 */
describeRotatingCorpus({
  number: 4,
  title: 'the fourth held-out corpus: letters whose category is only in their files, some inside ASiC-E',
  letters: HELDOUT4,
  right: 59,
  rightWithoutModel: 59,
});
