import { z } from 'zod';
import { CATEGORIES, type Category } from '../cases/categories';
import { words } from './fold';

/**
 * The word model (docs/intake.md, "Content: the word model"): a naive Bayes model over word stems (the first
 * `stemLength` letters of each folded word), trained on labelled letters whose category is stated only in their
 * files. It never decides alone: when the content rules' verdict is not confident, it may confirm the category
 * the rules scored highest (classify.ts, `confirmByModel`). Stems are counted once per letter (a letter that
 * repeats a word says it once), every category is equally likely before the words are read.
 */

export const wordModelSchema = z.object({
  version: z.literal(1),
  /** Letters of a folded word kept as its stem (Estonian inflects at the end: "mentorluse" → "mento"). */
  stemLength: z.number().int().min(3).max(12),
  /** Shorter words are not read (particles, abbreviations). */
  minWordLength: z.number().int().min(1).max(6),
  /** Additive smoothing of the counts. */
  alpha: z.number().positive(),
  /** What the counts were taken from (corpus names and sizes), for whoever reads the file. */
  trainedOn: z.array(z.string()),
  categories: z.array(z.enum(CATEGORIES as [Category, ...Category[]])).min(2),
  /** Per stem: in how many letters of each category (in `categories` order) it occurs. */
  stems: z.record(z.string(), z.array(z.number().int().nonnegative())),
});
export type WordModelFile = z.output<typeof wordModelSchema>;

/** A labelled letter to train on. */
export interface TrainingLetter {
  category: Category;
  text: string;
}

export interface WordModel {
  stemLength: number;
  minWordLength: number;
  categories: Category[];
  /** log P(stem | category), per stem, in `categories` order. */
  logp: Map<string, Float64Array>;
}

export interface ModelVerdict {
  category: Category;
  /** P(category | the letter's stems), with every category equally likely before. */
  posterior: number;
  /** The letter's stems that weigh most for `category` against the runner-up, most first. */
  evidence: string[];
}

/** The distinct stems of `text`, in order of first occurrence. */
export function stemsOf(text: string, stemLength: number, minWordLength: number): string[] {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (w.length < minWordLength || !/^\p{L}+$/u.test(w)) continue;
    out.add(w.slice(0, stemLength));
  }
  return [...out];
}

/** Counts `letters` into a model file (stems sorted, so the same letters give the same bytes). */
export function trainWordModel(
  letters: readonly TrainingLetter[],
  options: { trainedOn: string[]; stemLength?: number; minWordLength?: number; alpha?: number },
): WordModelFile {
  const stemLength = options.stemLength ?? 5;
  const minWordLength = options.minWordLength ?? 3;
  const categories = [...CATEGORIES];
  const counts = new Map<string, number[]>();
  for (const l of letters) {
    const ci = categories.indexOf(l.category);
    for (const s of stemsOf(l.text, stemLength, minWordLength)) {
      let row = counts.get(s);
      if (!row) counts.set(s, (row = categories.map(() => 0)));
      row[ci]!++;
    }
  }
  const stems = Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { version: 1, stemLength, minWordLength, alpha: options.alpha ?? 0.5, trainedOn: options.trainedOn, categories, stems };
}

/** The file's counts as log-probabilities. */
export function compileWordModel(file: WordModelFile): WordModel {
  const n = file.categories.length;
  const vocabulary = Object.keys(file.stems).length;
  const totals = new Float64Array(n);
  for (const row of Object.values(file.stems)) {
    if (row.length !== n) throw new Error(`word model: a stem has ${row.length} counts for ${n} categories`);
    row.forEach((c, i) => (totals[i]! += c));
  }
  const logp = new Map<string, Float64Array>();
  for (const [stem, row] of Object.entries(file.stems)) {
    logp.set(stem, Float64Array.from(row, (c, i) => Math.log((c + file.alpha) / (totals[i]! + file.alpha * vocabulary))));
  }
  return { stemLength: file.stemLength, minWordLength: file.minWordLength, categories: file.categories, logp };
}

/** The model's verdict on `text`, or undefined when none of its stems is known. */
export function predictCategory(model: WordModel, text: string): ModelVerdict | undefined {
  const known = stemsOf(text, model.stemLength, model.minWordLength).filter((s) => model.logp.has(s));
  if (known.length === 0) return undefined;
  const n = model.categories.length;
  const score = new Float64Array(n);
  for (const s of known) model.logp.get(s)!.forEach((v, i) => (score[i]! += v));
  const order = [...score.keys()].sort((a, b) => score[b]! - score[a]!);
  const [best, second] = [order[0]!, order[1]!];
  const top = score[best]!;
  let sum = 0;
  for (const v of score) sum += Math.exp(v - top);
  const evidence = known
    .map((s) => ({ s, d: model.logp.get(s)![best]! - model.logp.get(s)![second]! }))
    .filter((e) => e.d > 0)
    .sort((a, b) => b.d - a.d || (a.s < b.s ? -1 : 1))
    .slice(0, 6)
    .map((e) => e.s);
  return { category: model.categories[best]!, posterior: 1 / sum, evidence };
}

/** The model file as text: one stem per line, so a retrained model's change reads as a diff. */
export function formatWordModel(file: WordModelFile): string {
  const { stems, ...head } = file;
  const lines = Object.entries(stems).map(([s, row]) => `    ${JSON.stringify(s)}: ${JSON.stringify(row)}`);
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "stems": {\n${lines.join(',\n')}\n  }\n}\n`;
}
