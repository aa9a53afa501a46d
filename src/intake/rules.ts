import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DhxError, FailureCode } from '../errors';
import { CATEGORIES, SUB_KINDS, type Category, type SubKind } from '../cases/categories';
import { words } from './fold';
import { compileWordModel, wordModelSchema, type WordModel } from './word-model';

/**
 * The classification rules file (JSON; path in config INTAKE_RULES_FILE, default rules/classification.json).
 *
 * A pattern is a phrase of word stems, matched against folded words (fold.ts): a token matches a word
 * that starts with it ("noustamis" matches "nõustamisele"); `*token` matches anywhere inside a word
 * (compounds: "*noustam" in "lastekaitsenõustamine"); `token$` matches the whole word only ("klat$").
 * A rule scores its weight × the highest weight of the fields it matched in, once. A category's score is
 * the sum of its rules'; the best category wins when its score reaches `threshold` and leads the next
 * by at least `margin`, else the capsule goes to triage. A long prefix token with a doubled letter also
 * matches a word typed with it single (`Token.loose`). The `content` section reads the text of the files when
 * the metadata is not confident: its rules, the emphasis of the clause a word is in, guards, and a word model
 * that may confirm an unsure verdict (word-model.ts; docs/intake.md, "Content").
 */

export const FIELDS = ['recordType', 'title', 'abstract', 'fileNames', 'sender', 'senderUnit', 'messageForRecipient', 'typeSpecific'] as const;
export type Field = (typeof FIELDS)[number];

const category = z.enum(CATEGORIES as [Category, ...Category[]]);
const subKind = z.enum(SUB_KINDS as [SubKind, ...SubKind[]]);
const pattern = z.string().trim().min(1).refine((s) => words(s.replace(/[*$]/g, '')).length > 0, 'must contain a word');

const ruleSchema = z.object({
  id: z.string().min(1),
  category,
  weight: z.number().positive(),
  patterns: z.array(pattern).min(1),
  /** Words starting with one of these are ignored by this rule (e.g. "toonoustam" for counselling). */
  excludeWords: z.array(z.string().min(1)).optional(),
  /** Words inside one of these phrases are ignored by this rule (e.g. "lapse$ arvamus", the child's views, for SKA's opinion). */
  excludePhrases: z.array(pattern).optional(),
  fields: z.array(z.enum(FIELDS)).optional(),
});

/** A kind of letter that asks for nothing, told by its markers (content.emphasis `thanks`, `declines`). */
const nothingAskedSchema = z.object({ id: z.string().min(1), category, weight: z.number().positive(), markers: z.array(pattern).min(1) });

const subKindRuleSchema = z.object({
  id: z.string().min(1),
  category,
  subKind,
  patterns: z.array(pattern).min(1),
  fields: z.array(z.enum(FIELDS)).optional(),
});

/**
 * Rules over the text extracted from the files (docs/intake.md, "Content"). Read only when the metadata is
 * weak (its verdict is not confident, or rests only on `readWhenOnly` fields): each rule scores its weight ×
 * `weight` once, added to the metadata's scores, and the verdict needs `threshold` and `margin` (default: the file's) — usually set stricter, since
 * a letter's body says more than its subject.
 */
const contentSchema = z.object({
  weight: z.number().positive(),
  /**
   * Metadata fields whose words do not settle a verdict alone (a file's name says what the file is about, not
   * what the letter asks): when every word for a confident metadata verdict is in these fields, the text is read
   * and decides with them.
   */
  readWhenOnly: z.array(z.enum(FIELDS)).optional(),
  threshold: z.number().positive().optional(),
  margin: z.number().nonnegative().optional(),
  rules: z
    .array(
      ruleSchema.omit({ fields: true }).extend({
        /** Context words: they count only when another rule of the same category matched the text. */
        support: z.boolean().optional(),
        /**
         * A generic request word ("nõustamist"): its score × `yieldFactor` when one of these categories' own
         * words score more in the text (the specialised department files the letter).
         */
        yieldsTo: z.array(category).optional(),
      }),
    )
    .min(1),
  /** The factor of a rule's score when it yields (`yieldsTo`); default 0.5. */
  yieldFactor: z.number().min(0).max(1).optional(),
  /**
   * A rule yields also when a category it yields to scores at least this much in the text, however much its
   * own scores (a case that is cross-border is the international unit's even when it asks for advice). Absent:
   * only when the other category scores more.
   */
  yieldAt: z.number().positive().optional(),
  /**
   * The sentence that carries the request decides (docs/intake.md, "Content"): words in a clause of a sentence
   * with a request marker ("palume", "soovime", "kas oleks võimalik") score × `request`; words in a clause with a
   * background marker (past: "varem", "elas"; hypothetical: "võib-olla", "tulevikus") × `background`.
   */
  emphasis: z
    .object({
      request: z.number().positive(),
      background: z.number().positive(),
      /** The factor of a clause that declines what it names (`negationMarkers`); by default `background`'s. */
      declined: z.number().nonnegative().optional(),
      requestMarkers: z.array(pattern).min(1),
      backgroundMarkers: z.array(pattern).min(1),
      /**
       * A letter that thanks ("täname", "tänan"; better listed among the background markers too: thanks look back)
       * and asks for nothing (no request clause) is a letter of thanks: it scores `weight` for `category`.
       */
      thanks: nothingAskedSchema.optional(),
      /**
       * A letter that declines or withdraws ("loobume", "võtame taotluse tagasi") and asks for nothing is a
       * letter of its own kind, as a letter of thanks is: it scores `weight` for `category`. Its markers are
       * better listed among the negation markers too, so that a clause declining a service never asks for it.
       */
      declines: nothingAskedSchema.optional(),
      /**
       * Courtesy that uses a request's verb ("soovime tänada", "soovime teile edu"): a clause with one of these
       * is background, never a request.
       */
      courtesyMarkers: z.array(pattern).default([]),
      /** A request's verb negated ("arvamust ei küsi", "mentorit ei taotle", "pole vaja"): the clause is `declined`. */
      negationMarkers: z.array(pattern).default([]),
    })
    .optional(),
  /** A content verdict of `category` is not confident when one of `patterns` occurs in the text (e.g. `muu` and a child's case). */
  guards: z.array(z.object({ id: z.string().min(1), category, patterns: z.array(pattern).min(1) })).default([]),
  /**
   * The word model (word-model.ts) that may confirm a verdict the rules leave unsure: when the category the rules
   * score highest (at least `minScore`, ties included) is also the model's, with a posterior of at least `posterior`,
   * the verdict is confident. `file` is read relative to the rules file.
   */
  model: z
    .object({
      id: z.string().min(1),
      file: z.string().min(1),
      posterior: z.number().gt(0).max(1),
      minScore: z.number().nonnegative(),
    })
    .optional(),
});

export const rulesFileSchema = z.object({
  version: z.literal(1),
  threshold: z.number().positive(),
  margin: z.number().nonnegative(),
  // Fields left out weigh 1.
  fieldWeights: z.partialRecord(z.enum(FIELDS), z.number().nonnegative()),
  rules: z.array(ruleSchema).min(1),
  subKinds: z.array(subKindRuleSchema).default([]),
  content: contentSchema.optional(),
});
export type RulesFile = z.output<typeof rulesFileSchema>;

/** A pattern token, compiled. */
export interface Token {
  text: string;
  mode: 'prefix' | 'infix' | 'exact';
  /**
   * A long prefix token with a doubled letter, its text with doubled letters made single ("kinnis" → "kinis"):
   * a word whose doubled letters made single starts with it matches too, the typo people make most ("kinisesse").
   */
  loose?: string;
  /** The token's text up to its first doubled letter, once: a word must start with it to be compared loosely (fast). */
  looseHead?: string;
}

/** Shortest prefix token that also matches with its doubled letters made single. */
const LOOSE_MIN = 6;

/** `w` with every run of one letter made single. */
export function singleLetters(w: string): string {
  return w.replace(/(.)\1+/gu, '$1');
}

export interface CompiledPattern {
  source: string;
  tokens: Token[];
}

export interface CompiledRule {
  id: string;
  category: Category;
  weight: number;
  patterns: CompiledPattern[];
  excludeWords: string[];
  excludePhrases: CompiledPattern[];
  fields: readonly Field[];
  /** Content only: counts only beside another matching rule of its category. */
  support?: boolean;
  /** Content only: scores × the content's `yieldFactor` when one of these categories scores more. */
  yieldsTo?: Category[];
}

export interface CompiledSubKindRule {
  id: string;
  category: Category;
  subKind: SubKind;
  patterns: CompiledPattern[];
  fields: readonly Field[];
}

/** A kind of letter that asks for nothing (rules file `content.emphasis.thanks` / `declines`), compiled. */
export interface NothingAskedRule {
  id: string;
  category: Category;
  weight: number;
  markers: CompiledPattern[];
}

/** Emphasis of the content's clauses (rules file `content.emphasis`), compiled. */
export interface ContentEmphasis {
  request: number;
  background: number;
  declined: number;
  requestMarkers: CompiledPattern[];
  backgroundMarkers: CompiledPattern[];
  thanks?: NothingAskedRule;
  declines?: NothingAskedRule;
  courtesyMarkers: CompiledPattern[];
  negationMarkers: CompiledPattern[];
}

/** A category the content may not decide when one of the patterns occurs in the text. */
export interface ContentGuard {
  id: string;
  category: Category;
  patterns: CompiledPattern[];
}

/** The content section, compiled; its rules have no fields (they read the extracted text only). */
export interface ContentRules {
  weight: number;
  /** Metadata fields that do not settle a verdict alone (empty: any confident metadata verdict stands). */
  readWhenOnly: readonly Field[];
  threshold: number;
  margin: number;
  rules: CompiledRule[];
  yieldFactor: number;
  yieldAt?: number;
  /** Absent: every clause weighs 1. */
  emphasis?: ContentEmphasis;
  guards: ContentGuard[];
  /** Absent: an unsure content verdict stays unsure. */
  model?: ContentModel;
}

/** The word model of the content section (rules file `content.model`), loaded and compiled. */
export interface ContentModel {
  id: string;
  file: string;
  posterior: number;
  minScore: number;
  words: WordModel;
}

export interface Rules {
  source: string;
  threshold: number;
  margin: number;
  fieldWeights: Record<Field, number>;
  rules: CompiledRule[];
  subKinds: CompiledSubKindRule[];
  /** Absent: extracted text is not read. */
  content?: ContentRules;
}

export function compilePattern(source: string): CompiledPattern {
  const tokens = source
    .trim()
    .split(/\s+/)
    .flatMap((raw): Token[] => {
      const infix = raw.startsWith('*');
      const exact = raw.endsWith('$');
      const text = words(raw.replace(/[*$]/g, '')).join('');
      if (!text) return [];
      const double = /(.)\1/u.exec(text);
      if (infix || exact || text.length < LOOSE_MIN || !double) return [{ text, mode: infix ? 'infix' : exact ? 'exact' : 'prefix' }];
      return [{ text, mode: 'prefix', loose: singleLetters(text), looseHead: text.slice(0, double.index + 1) }];
    });
  return { source, tokens };
}

/** One rule's patterns and exclusions compiled (metadata and content rules alike); `fields` it reads. */
function compileRule(r: z.infer<typeof ruleSchema>, fields: readonly Field[]): CompiledRule {
  return {
    id: r.id,
    category: r.category,
    weight: r.weight,
    patterns: r.patterns.map(compilePattern),
    excludeWords: (r.excludeWords ?? []).map((w) => words(w).join('')),
    excludePhrases: (r.excludePhrases ?? []).map(compilePattern),
    fields,
  };
}

function compileNothingAsked(r: z.infer<typeof nothingAskedSchema>): NothingAskedRule {
  return { ...r, markers: r.markers.map(compilePattern) };
}

/**
 * The rules file compiled; a word model it names is read from `baseDir` (the rules file's folder; by default the
 * folder of the default rules).
 */
export function compileRules(file: RulesFile, source = '(inline)', baseDir = path.dirname(defaultRulesPath())): Rules {
  const fieldWeights = Object.fromEntries(FIELDS.map((f) => [f, file.fieldWeights[f] ?? 1])) as Record<Field, number>;
  const ids = new Set<string>();
  const e = file.content?.emphasis;
  const nothingAsked = [e?.thanks, e?.declines].filter((r) => r !== undefined);
  for (const r of [...file.rules, ...file.subKinds, ...(file.content?.rules ?? []), ...(file.content?.guards ?? []), ...nothingAsked]) {
    if (ids.has(r.id)) throw new DhxError(FailureCode.CONFIG_INVALID, `${source}: rule id '${r.id}' is used twice`);
    ids.add(r.id);
  }
  return {
    source,
    threshold: file.threshold,
    margin: file.margin,
    fieldWeights,
    rules: file.rules.map((r) => compileRule(r, r.fields ?? FIELDS)),
    subKinds: file.subKinds.map((r) => ({
      id: r.id,
      category: r.category,
      subKind: r.subKind,
      patterns: r.patterns.map(compilePattern),
      fields: r.fields ?? FIELDS,
    })),
    ...(file.content
      ? {
          content: {
            weight: file.content.weight,
            readWhenOnly: file.content.readWhenOnly ?? [],
            threshold: file.content.threshold ?? file.threshold,
            margin: file.content.margin ?? file.margin,
            rules: file.content.rules.map((r) => ({
              ...compileRule(r, []),
              ...(r.support ? { support: true } : {}),
              ...(r.yieldsTo?.length ? { yieldsTo: r.yieldsTo } : {}),
            })),
            yieldFactor: file.content.yieldFactor ?? 0.5,
            ...(file.content.yieldAt !== undefined ? { yieldAt: file.content.yieldAt } : {}),
            ...(file.content.emphasis
              ? {
                  emphasis: {
                    request: file.content.emphasis.request,
                    background: file.content.emphasis.background,
                    declined: file.content.emphasis.declined ?? file.content.emphasis.background,
                    requestMarkers: file.content.emphasis.requestMarkers.map(compilePattern),
                    backgroundMarkers: file.content.emphasis.backgroundMarkers.map(compilePattern),
                    courtesyMarkers: file.content.emphasis.courtesyMarkers.map(compilePattern),
                    negationMarkers: file.content.emphasis.negationMarkers.map(compilePattern),
                    ...(file.content.emphasis.thanks ? { thanks: compileNothingAsked(file.content.emphasis.thanks) } : {}),
                    ...(file.content.emphasis.declines ? { declines: compileNothingAsked(file.content.emphasis.declines) } : {}),
                  },
                }
              : {}),
            guards: file.content.guards.map((g) => ({ id: g.id, category: g.category, patterns: g.patterns.map(compilePattern) })),
            ...(file.content.model ? { model: loadContentModel(file.content.model, baseDir, source) } : {}),
          },
        }
      : {}),
  };
}

/** Reads and checks the word model a rules file names (`content.model.file`, relative to `baseDir`). */
function loadContentModel(m: NonNullable<RulesFile['content']>['model'] & object, baseDir: string, source: string): ContentModel {
  const file = path.resolve(baseDir, m.file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DhxError(FailureCode.CONFIG_INVALID, `${source}: word model ${file}: ${(err as Error).message}`);
  }
  const parsed = wordModelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DhxError(FailureCode.CONFIG_INVALID, `${source}: word model ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  try {
    return { id: m.id, file, posterior: m.posterior, minScore: m.minScore, words: compileWordModel(parsed.data) };
  } catch (err) {
    throw new DhxError(FailureCode.CONFIG_INVALID, `${source}: word model ${file}: ${(err as Error).message}`);
  }
}

/** Finds the package root (the folder with package.json) above this file, in src/ or dist/src/. */
function packageRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error('package root not found');
  }
}

export function defaultRulesPath(): string {
  return path.join(packageRoot(), 'rules', 'classification.json');
}

/** Reads and checks a rules file; every problem is listed in one CONFIG_INVALID error. */
export function loadRules(file: string = defaultRulesPath()): Rules {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DhxError(FailureCode.CONFIG_INVALID, `classification rules ${file}: ${(err as Error).message}`);
  }
  const parsed = rulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DhxError(FailureCode.CONFIG_INVALID, `classification rules ${file} are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return compileRules(parsed.data, file, path.dirname(path.resolve(file)));
}
