import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Category } from '../../src/cases/categories';
import { compileRules, defaultRulesPath, rulesFileSchema, type Rules } from '../../src/intake/rules';
import { formatWordModel, trainWordModel, type TrainingLetter } from '../../src/intake/word-model';
import { contentCorpus } from './content-corpus';
import { HELDOUT } from './heldout-corpus';
import { HELDOUT2 } from './heldout2-corpus';
import { HELDOUT3 } from './heldout3-corpus';
import { HELDOUT4 } from './heldout4-corpus';
import { HELDOUT5 } from './heldout5-corpus';
import { HELDOUT6 } from './heldout6-corpus';
import { HELDOUT8 } from './heldout8-corpus';
import { HELDOUT9 } from './heldout9-corpus';
import { HELDOUT10 } from './heldout10-corpus';

/**
 * The labelled letters the word model (rules/content-model.json) is trained on, by corpus. Corpora kept apart to
 * measure classification on unseen letters are not listed: heldout7-corpus.ts (trained on as well, it cost corpus 4
 * a letter when each corpus was measured with a model trained without it, and gained nothing overall) and
 * heldout11-corpus.ts (a typical month's inbox, kept unseen by the model). word-model.test.ts checks that the
 * checked-in model is what these letters count; `rulesWithModelWithout` gives the default rules with a model trained without one
 * corpus, to measure the model on letters it has not seen.
 */

const asTraining = (ls: readonly { category: Category; paragraphs: string[] }[]): TrainingLetter[] =>
  ls.map((l) => ({ category: l.category, text: l.paragraphs.join('\n') }));

export const TRAINING: readonly (readonly [name: string, letters: TrainingLetter[]])[] = [
  ['content-corpus', contentCorpus().map((l) => ({ category: l.category, text: l.body.join('\n') }))],
  ['heldout-corpus', asTraining(HELDOUT)],
  ['heldout2-corpus', asTraining(HELDOUT2)],
  ['heldout3-corpus', asTraining(HELDOUT3)],
  ['heldout4-corpus', asTraining(HELDOUT4)],
  ['heldout5-corpus', asTraining(HELDOUT5)],
  ['heldout6-corpus', asTraining(HELDOUT6)],
  ['heldout8-corpus', asTraining(HELDOUT8)],
  ['heldout9-corpus', asTraining(HELDOUT9)],
  ['heldout10-corpus', asTraining(HELDOUT10)],
];

/** The model file the training letters (all, or all but corpus `except`) count, as text. */
export function trainedModel(except?: string): string {
  const used = TRAINING.filter(([name]) => name !== except);
  return formatWordModel(trainWordModel(used.flatMap(([, ls]) => ls), { trainedOn: used.map(([n, ls]) => `test/intake/${n}.ts (${ls.length} letters)`) }));
}

/** The default rules, their word model trained without corpus `except` (written to a temporary folder). */
export function rulesWithModelWithout(except: string): Rules {
  if (!TRAINING.some(([name]) => name === except)) throw new Error(`no training corpus ${except}`);
  const file = rulesFileSchema.parse(JSON.parse(fs.readFileSync(defaultRulesPath(), 'utf8')));
  const model = file.content?.model;
  if (!model) throw new Error('the default rules name no word model');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-model-'));
  try {
    fs.writeFileSync(path.join(dir, model.file), trainedModel(except));
    return compileRules(file, `rules trained without ${except}`, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
