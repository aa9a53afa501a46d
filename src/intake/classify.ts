import type { Capsule } from '../capsule/model';
import type { Category, SubKind } from '../cases/categories';
import { fold, words } from './fold';
import { FIELDS, singleLetters, type CompiledPattern, type CompiledRule, type ContentEmphasis, type ContentModel, type ContentRules, type Field, type Rules, type Token } from './rules';
import { predictCategory, type ModelVerdict } from './word-model';

/**
 * Classification by rules: the fields a KOV fills in — RecordType, RecordTitle, RecordAbstract,
 * file names, DecSender/StructuralUnit and the sender's unit, MessageForRecipient and
 * RecordTypeSpecificMetadata — folded and matched against rules.ts patterns. The result names the winning
 * rule, the score and every reason, so an operator can see why. When the metadata is weak (no confident
 * verdict) and the files' extracted text is given, the content rules (rules.ts, `content`) read it as one
 * more field, `content`, with its own weight and a stricter threshold and margin. Within the text, the sentence
 * that carries the request decides: words in its clauses weigh more, words in background clauses (past,
 * hypothetical) less (contentClauses).
 */

export type ClassifyInput = Record<Field, string>;

/** Where a reason's words were found: a metadata field, or the extracted text of the files. */
export type ReasonField = Field | 'content';

export interface Reason {
  rule: string;
  category: Category;
  pattern: string;
  field: ReasonField;
  /** The folded words that matched. */
  matched: string;
  score: number;
  /** Content only: the clause the words were in carried the request, or was background (past, hypothetical). */
  emphasis?: Emphasis;
  /** The word model's reason only: its posterior for the category (the words it names are in `matched`). */
  posterior?: number;
}

/** A clause's emphasis (contentClauses): asks, looks back or aside, or declines what it names. */
export type Emphasis = 'request' | 'background' | 'declined';

export interface Classification {
  /** Undefined when no category is confident: the capsule goes to triage. */
  category?: Category;
  subKind?: SubKind;
  confident: boolean;
  /** The best category even when not confident (for the triage view). */
  best?: Category;
  rule?: string;
  score: number;
  scores: Partial<Record<Category, number>>;
  reasons: Reason[];
  /** Confident on metadata words that do not settle a verdict alone (content.readWhenOnly): the text decides. */
  readContent?: true;
}

function stripTags(xml: string): string {
  return xml.replace(/<[^<>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/gi, ' ');
}

/** The text fields of a capsule that classification reads. */
export function classifyInputOf(capsule: Capsule): ClassifyInput {
  const units = [
    capsule.transport.sender.structuralUnit,
    capsule.recordCreator?.organisation?.structuralUnit,
    capsule.recordSenderToDec?.organisation?.structuralUnit,
    capsule.recordCreator?.organisation?.positionTitle,
  ];
  return {
    recordType: capsule.recordMetadata.recordType,
    title: capsule.recordMetadata.recordTitle,
    abstract: capsule.recordMetadata.recordAbstract ?? '',
    fileNames: capsule.files.map((f) => f.fileName.replace(/[_.-]+/g, ' ')).join(' \n '),
    // DecSender's code and the sender's names (a rule may single out, e.g., a foreign central authority).
    sender: [
      capsule.transport.sender.organisationCode,
      capsule.recordSenderToDec?.organisation?.name,
      capsule.recordCreator?.organisation?.name,
    ]
      .filter(Boolean)
      .join(' \n '),
    senderUnit: units.filter(Boolean).join(' \n '),
    messageForRecipient: capsule.recipients.map((r) => r.messageForRecipient ?? '').join(' \n '),
    typeSpecific: capsule.recordTypeSpecificMetadata ? stripTags(capsule.recordTypeSpecificMetadata) : '',
  };
}

/** Whether word `w` matches token `t` (a long prefix token also with doubled letters made single: rules.ts `loose`). */
function tokenMatches(w: string, t: Token): boolean {
  if (t.mode === 'exact') return w === t.text;
  if (t.mode === 'infix') return w.includes(t.text);
  if (w.startsWith(t.text)) return true;
  return t.loose !== undefined && w.startsWith(t.looseHead!) && w.length >= t.loose.length && singleLetters(w).startsWith(t.loose);
}

/** Where in `ws` the pattern's tokens match consecutive words, or -1. */
function findPattern(ws: string[], p: CompiledPattern, excluded: (w: string, at: number) => boolean, from = 0): number {
  const n = p.tokens.length;
  outer: for (let i = from; i + n <= ws.length; i++) {
    for (let j = 0; j < n; j++) {
      const w = ws[i + j]!;
      // The token first: the exclusion (a closure) is asked only of words that would match.
      if (!tokenMatches(w, p.tokens[j]!) || excluded(w, i + j)) continue outer;
    }
    return i;
  }
  return -1;
}

/** The positions in `ws` of the words inside an occurrence of one of `phrases`. */
function phraseWords(ws: string[], phrases: readonly CompiledPattern[]): Set<number> {
  const at = new Set<number>();
  for (const p of phrases) {
    for (let i = findPattern(ws, p, () => false); i >= 0; i = findPattern(ws, p, () => false, i + 1)) {
      for (let j = 0; j < p.tokens.length; j++) at.add(i + j);
    }
  }
  return at;
}

/** A list of folded words to score, with its field, weight and (content) emphasis. */
interface Scored {
  field: ReasonField;
  words: string[];
  weight: number;
  emphasis?: Emphasis | undefined;
}

/** The best reason of `rule` among `fields` (each with its folded words and weight), or undefined. */
function matchRule(rule: CompiledRule, fields: readonly Scored[]): Reason | undefined {
  let best: Reason | undefined;
  for (const { field, words: ws, weight: fw, emphasis } of fields) {
    if (fw <= 0 || (best && best.score >= rule.weight * fw)) continue;
    const inPhrase = rule.excludePhrases.length > 0 ? phraseWords(ws, rule.excludePhrases) : undefined;
    const excluded = (w: string, at: number): boolean => inPhrase?.has(at) === true || rule.excludeWords.some((x) => w.startsWith(x));
    // One-word patterns look at each distinct word once (a long text repeats its words); phrases scan in order.
    const distinct = inPhrase ? undefined : distinctWords(ws);
    for (const p of rule.patterns) {
      // A phrase is scanned for only when each of its words occurs (checked over the distinct words: fast).
      if (p.tokens.length > 1 && !p.tokens.every((t) => someWord(distinctWords(ws), t))) continue;
      const at = p.tokens.length === 1 && distinct ? findPattern(distinct, p, excluded) : findPattern(ws, p, excluded);
      if (at < 0) continue;
      const list = p.tokens.length === 1 && distinct ? distinct : ws;
      best = { rule: rule.id, category: rule.category, pattern: p.source, field, matched: list.slice(at, at + p.tokens.length).join(' '), score: rule.weight * fw };
      if (emphasis) best.emphasis = emphasis;
      break;
    }
  }
  return best;
}

/** Whether a word of `ws` matches the token. */
function someWord(ws: string[], t: Token): boolean {
  return ws.some((w) => tokenMatches(w, t));
}

const distinctCache = new WeakMap<string[], string[]>();

/** The distinct words of `ws`, in order of first occurrence (cached per list). */
function distinctWords(ws: string[]): string[] {
  let d = distinctCache.get(ws);
  if (!d) {
    d = [...new Set(ws)];
    distinctCache.set(ws, d);
  }
  return d;
}

/** Scores per category (each rule once, its best reason) and the reasons, best first. */
function score(rulesList: readonly CompiledRule[], fieldsOf: (rule: CompiledRule) => Scored[]): { scores: Partial<Record<Category, number>>; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const scores: Partial<Record<Category, number>> = {};
  for (const rule of rulesList) {
    const best = matchRule(rule, fieldsOf(rule));
    if (!best) continue;
    reasons.push(best);
    scores[rule.category] = (scores[rule.category] ?? 0) + best.score;
  }
  return { scores, reasons };
}

/**
 * The verdict of `scores`: the best category, confident when it reaches `threshold` and leads by `margin`
 * (for content: × the emphasis of the leader's words, so that a margin is counted in words of the same weight).
 */
function decide(scores: Partial<Record<Category, number>>, reasons: Reason[], threshold: number, margin: number | ((c: Category) => number)): Classification {
  const ranked = (Object.entries(scores) as [Category, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  reasons.sort((a, b) => b.score - a.score);
  if (!first) return { confident: false, score: 0, scores, reasons };
  // Without a second category the threshold alone decides (the margin only separates two candidates).
  const needed = !second ? 0 : typeof margin === 'number' ? margin : margin(first[0]);
  const confident = first[1] >= threshold && first[1] - (second?.[1] ?? 0) >= needed;
  const winning = reasons.find((r) => r.category === first[0])!;
  const result: Classification = { confident, best: first[0], rule: winning.rule, score: first[1], scores, reasons };
  if (confident) result.category = first[0];
  return result;
}

/**
 * The verdict on a capsule's metadata and, when given, the text extracted from its files. The text is read
 * only when the metadata alone is not confident, or is confident only on words of `content.readWhenOnly` fields
 * (`readContent`); its matches are reasons of field `content`. When the text matches nothing, the metadata's
 * verdict stands.
 */
export function classify(input: ClassifyInput, rules: Rules, text?: string): Classification {
  const fieldWords = Object.fromEntries(FIELDS.map((f) => [f, words(input[f])])) as Record<Field, string[]>;
  const meta = score(rules.rules, (rule) => rule.fields.map((f) => ({ field: f, words: fieldWords[f], weight: rules.fieldWeights[f] })));
  let result = decide(meta.scores, meta.reasons, rules.threshold, rules.margin);
  let contentWords: string[] | undefined;
  const content = rules.content;
  const weakMeta = !result.confident || (content !== undefined && restsOnly(result, content.readWhenOnly));
  // Confident, but on words that do not settle it: the caller reads the files and asks again with their text.
  if (result.confident && weakMeta && text === undefined) result.readContent = true;
  if (weakMeta && content && text && text.trim()) {
    contentWords = words(text);
    // The clauses of one emphasis as one list of words, a separator between clauses that no pattern matches (fast).
    const all = contentClauses(text, content.emphasis);
    const clauses: Scored[] = (['request', undefined, 'background', 'declined'] as const).map((e) => ({
      field: 'content' as const,
      words: all
        .filter((c) => c.emphasis === e)
        .flatMap((c) => [...c.words, CLAUSE_BREAK]),
      weight: content.weight * factorOf(e, content.emphasis),
      emphasis: e,
    }));
    const fromText = settle(score(content.rules, () => clauses), content);
    const nothingAsked = askingNothing(clauses, content);
    if (nothingAsked) {
      fromText.reasons.push(nothingAsked);
      fromText.scores[nothingAsked.category] = (fromText.scores[nothingAsked.category] ?? 0) + nothingAsked.score;
    }
    if (fromText.reasons.length > 0) {
      const scores = { ...meta.scores };
      for (const [c, v] of Object.entries(fromText.scores) as [Category, number][]) scores[c] = (scores[c] ?? 0) + v;
      const marginOf = (c: Category): number =>
        content.margin * Math.max(1, ...fromText.reasons.filter((r) => r.category === c).map((r) => factorOf(r.emphasis, content.emphasis)));
      result = decide(scores, [...meta.reasons, ...fromText.reasons], content.threshold, marginOf);
      // The model reads what a letter is about, not what it asks: a letter that asks for nothing is not confirmed.
      if (!result.confident && content.model && !nothingAsked) confirmByModel(result, content.model, text);
      // A letter that asks for nothing is no child's case asking for a service, whatever case it thanks for or declines.
      if (result.confident && !(nothingAsked && result.category === nothingAsked.category)) guard(result, content, contentWords, text);
    }
  }
  if (!result.confident || !result.category) return result;
  const sub = subKindOf(fieldWords, result.category, rules, contentWords);
  if (sub) {
    result.subKind = sub.subKind;
    result.reasons.push(sub.reason);
  }
  return result;
}

/** Whether every reason for the verdict's category is in `fields`. */
function restsOnly(result: Classification, fields: readonly ReasonField[]): boolean {
  return fields.length > 0 && result.reasons.every((r) => r.category !== result.category || fields.includes(r.field));
}

/** The sub-kind stated most prominently: fields by weight (title first), rules in file order within a field. */
function subKindOf(fieldWords: Record<Field, string[]>, category: Category, rules: Rules, contentWords?: string[]): { subKind: SubKind; reason: Reason } | undefined {
  const fields: ReasonField[] = [...FIELDS].filter((f) => rules.fieldWeights[f] > 0).sort((a, b) => rules.fieldWeights[b] - rules.fieldWeights[a]);
  // The extracted text last: a sub-kind stated in the metadata wins over one the letter's body mentions.
  if (contentWords) fields.push('content');
  for (const field of fields) {
    const ws = field === 'content' ? contentWords! : fieldWords[field];
    for (const rule of rules.subKinds) {
      if (rule.category !== category || (field !== 'content' && !rule.fields.includes(field))) continue;
      for (const p of rule.patterns) {
        const at = findPattern(ws, p, () => false);
        if (at >= 0) {
          return {
            subKind: rule.subKind,
            reason: { rule: rule.id, category, pattern: p.source, field, matched: ws.slice(at, at + p.tokens.length).join(' '), score: 0 },
          };
        }
      }
    }
  }
  return undefined;
}

/**
 * The content's scores after context and generic words are weighed: a `support` rule's reason is dropped when no
 * other rule of its category matched (court and opinion words do not make a KLAT request alone); a `yieldsTo`
 * rule's score is × `yieldFactor` when a category it yields to scores more than its own category in the text, or
 * at least `yieldAt`.
 */
function settle(found: { scores: Partial<Record<Category, number>>; reasons: Reason[] }, content: ContentRules): { scores: Partial<Record<Category, number>>; reasons: Reason[] } {
  const byId = new Map(content.rules.map((r) => [r.id, r]));
  const core = new Set(found.reasons.filter((r) => !byId.get(r.rule)?.support).map((r) => r.category));
  const reasons = found.reasons.filter((r) => !byId.get(r.rule)?.support || core.has(r.category));
  const sum = (rs: readonly Reason[]): Partial<Record<Category, number>> => {
    const out: Partial<Record<Category, number>> = {};
    for (const r of rs) out[r.category] = (out[r.category] ?? 0) + r.score;
    return out;
  };
  const before = sum(reasons);
  for (const r of reasons) {
    const yieldsTo = byId.get(r.rule)?.yieldsTo;
    const yields = (c: Category): boolean => (before[c] ?? 0) > (before[r.category] ?? 0) || (content.yieldAt !== undefined && (before[c] ?? 0) >= content.yieldAt);
    if (yieldsTo?.some(yields)) r.score *= content.yieldFactor;
  }
  return { scores: sum(reasons), reasons };
}

/**
 * An unsure content verdict confirmed by the word model (rules file `content.model`, word-model.ts): the model's
 * category is one the rules scored highest (ties included), with at least `minScore`, and the model's posterior
 * reaches `posterior`. The model never brings a category the rules did not find; its reason names the stems
 * that weighed most.
 */
function confirmByModel(result: Classification, model: ContentModel, text: string): void {
  const top = Math.max(0, ...Object.values(result.scores));
  if (top < model.minScore) return;
  const verdict = predictCategory(model.words, text);
  if (!verdict || verdict.posterior < model.posterior || result.scores[verdict.category] !== top) return;
  result.confident = true;
  result.category = verdict.category;
  result.best = verdict.category;
  result.score = top;
  result.rule = result.reasons.find((r) => r.category === verdict.category)?.rule ?? model.id;
  result.reasons.push(modelReason(model, verdict));
}

/** The word model's verdict as a reason: the stems that weighed most, and the posterior. */
function modelReason(model: ContentModel, verdict: ModelVerdict): Reason {
  return {
    rule: model.id,
    category: verdict.category,
    pattern: 'word model',
    field: 'content',
    matched: verdict.evidence.join(' '),
    score: 0,
    posterior: Math.round(verdict.posterior * 1000) / 1000,
  };
}

/** Between clauses: not a word (fold.ts words are letters and digits), so no pattern matches across it. */
const CLAUSE_BREAK = '\u0000';

/**
 * A letter that asks for nothing (no request clause) and thanks, or declines or withdraws: the reason of the
 * rules file's `content.emphasis.thanks` or `declines` (a decline first: "we decline, thank you" declines), or
 * undefined.
 */
function askingNothing(clauses: readonly Scored[], content: ContentRules): Reason | undefined {
  const e = content.emphasis;
  if (!e || clauses.some((c) => c.emphasis === 'request' && c.words.length > 0)) return undefined;
  for (const t of [e.declines, e.thanks]) {
    if (!t) continue;
    for (const c of clauses) {
      for (const p of t.markers) {
        const at = findPattern(c.words, p, () => false);
        if (at >= 0) return { rule: t.id, category: t.category, pattern: p.source, field: 'content', matched: c.words.slice(at, at + p.tokens.length).join(' '), score: t.weight * content.weight };
      }
    }
  }
  return undefined;
}

/** The weight factor of a clause's emphasis. */
function factorOf(emphasis: Emphasis | undefined, e: ContentEmphasis | undefined): number {
  if (!e || !emphasis) return 1;
  return emphasis === 'request' ? e.request : emphasis === 'declined' ? e.declined : e.background;
}

/**
 * A guard of the content section names the verdict's category and one of its words occurs: not confident —
 * unless the word model names the same category with its posterior (the guard's words are then the letter's
 * subject, as a parent's request for the data kept about their child).
 */
function guard(result: Classification, content: ContentRules, contentWords: string[], text: string): void {
  for (const g of content.guards) {
    if (g.category !== result.category) continue;
    for (const p of g.patterns) {
      const at = findPattern(contentWords, p, () => false);
      if (at < 0) continue;
      result.reasons.push({ rule: g.id, category: g.category, pattern: p.source, field: 'content', matched: contentWords.slice(at, at + p.tokens.length).join(' '), score: 0 });
      const m = content.model;
      const verdict = m && predictCategory(m.words, text);
      if (m && verdict && verdict.category === result.category && verdict.posterior >= m.posterior) {
        if (!result.reasons.some((r) => r.rule === m.id)) result.reasons.push(modelReason(m, verdict));
        return;
      }
      result.confident = false;
      delete result.category;
      return;
    }
  }
}

/** Words before a full stop that do not end a sentence: abbreviations (folded). Numbers: see sentencesOf. */
const ABBREVIATIONS = new Set(['nr', 'nt', 'jne', 'jm', 'jms', 'vms', 'vm', 'sh', 'lk', 'lg', 'lp', 'hr', 'pr', 'dr', 'ca', 'u', 'tel', 'mob', 'jt', 'vt', 'st', 'ka', 'va', 'so', 'ehk', 'mh', 'nn', 'kl', 'vrd', 'tn', 'mnt', 'pst']);

/** How far back sentencesOf looks for the word before a full stop (longer than any abbreviation). */
const WORD_LOOKBACK = 64;

/** White space then a capital, at `lastIndex` (sticky: nothing after it is read). */
const CAPITAL_NEXT = /\s*\p{Lu}/uy;

/**
 * The sentences of `text`: split after ".", "!" or "?" followed by white space, and at blank lines. A full stop
 * after a number followed by a small letter ("1. jaanuaril", "2025. aasta") or after an abbreviation ("nr.", "nt.")
 * or an initial ("K. Tamm") does not end a sentence; after a number followed by a capital ("kuni 10.12.2026.
 * Lisatud: ...") it does. Single line breaks do not either: PDF text breaks lines inside sentences.
 */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]+(?=\s)|\n[ \t]*\n/g)) {
    const end = m.index + m[0].length;
    if (m[0].startsWith('.') && m[0].length === 1) {
      // The word before the stop, from at most WORD_LOOKBACK characters: copying the whole sentence so far at each
      // stop made a text of many "1." or "nr." quadratic. A longer word is no abbreviation, an initial or a
      // number any less for being cut.
      const prev = /([\p{L}\p{N}]+)$/u.exec(text.slice(Math.max(start, m.index - WORD_LOOKBACK), m.index))?.[1];
      if (prev) {
        // After a number, only a capital ends the sentence ("hiljemalt 10.12.2026. Lisatud:"), not "2025. aastal".
        CAPITAL_NEXT.lastIndex = end;
        const continues = /^\p{N}+$/u.test(prev) ? !CAPITAL_NEXT.test(text) : prev.length === 1 || ABBREVIATIONS.has(fold(prev));
        if (continues) continue;
      }
    }
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Markers split for speed: one-word whole-word markers in a set, the rest matched as patterns. */
interface MarkerSet {
  exact: Set<string>;
  byFirst: Map<string, CompiledPattern[]>;
  other: CompiledPattern[];
}

/** Whether `p` matches `ws` at `i`. */
function matchesAt(ws: string[], p: CompiledPattern, i: number): boolean {
  return p.tokens.every((t, j) => {
    const w = ws[i + j];
    return w !== undefined && tokenMatches(w, t);
  });
}

interface MarkerSets {
  request: MarkerSet;
  background: MarkerSet;
  courtesy: MarkerSet;
  negation: MarkerSet;
}

const markerCache = new WeakMap<ContentEmphasis, MarkerSets>();

function markerSets(e: ContentEmphasis): MarkerSets {
  let m = markerCache.get(e);
  if (!m) {
    const split = (ps: CompiledPattern[]): MarkerSet => {
      const single = (p: CompiledPattern): boolean => p.tokens.length === 1 && p.tokens[0]!.mode === 'exact';
      // Phrases whose first word is exact ("aastat$ tagasi$") are looked up by that word.
      const byFirst = new Map<string, CompiledPattern[]>();
      for (const p of ps) {
        if (single(p) || p.tokens[0]!.mode !== 'exact') continue;
        byFirst.set(p.tokens[0]!.text, [...(byFirst.get(p.tokens[0]!.text) ?? []), p]);
      }
      return { exact: new Set(ps.filter(single).map((p) => p.tokens[0]!.text)), byFirst, other: ps.filter((p) => !single(p) && p.tokens[0]!.mode !== 'exact') };
    };
    m = { request: split(e.requestMarkers), background: split(e.backgroundMarkers), courtesy: split(e.courtesyMarkers), negation: split(e.negationMarkers) };
    markerCache.set(e, m);
  }
  return m;
}

export interface Clause {
  words: string[];
  emphasis?: Emphasis;
}

/**
 * A passage quoted from another letter: between Estonian („…“) or French («…») quotation marks, or straight
 * ones within a line, and at least 40 characters long (a name or a title in quotation marks is shorter).
 */
const QUOTED = /„[^„“”]{40,3000}[“”]|«[^«»]{40,3000}»|"[^"\n]{40,3000}"/g;

/** The text cut at its quoted passages, each piece marked quoted or not. */
function quotedPieces(text: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(QUOTED)) {
    out.push({ text: text.slice(at, m.index), quoted: false }, { text: m[0], quoted: true });
    at = m.index + m[0].length;
  }
  out.push({ text: text.slice(at), quoted: false });
  return out;
}

/**
 * The clauses of `text` (its sentences split at commas, semicolons, colons, dashes and brackets — Estonian
 * puts a comma before every subordinate clause and before "kuid"/"aga") with their emphasis: a clause with a
 * negation marker is `declined` ("mentorit me ei vaja"); else one with a courtesy marker is `background`; else
 * one with a request marker is `request`; else one with a background marker is `background`; else it takes its
 * sentence's: `request` when another clause of the sentence carries a request or the sentence is a question,
 * `background` when one is background or declined, none otherwise. A passage quoted from another letter (QUOTED:
 * the letter being answered, say) is background whatever it asks: it is someone else's request. Without
 * `emphasis` markers, one clause per sentence and no emphasis.
 */
export function contentClauses(text: string, emphasis?: ContentEmphasis): Clause[] {
  if (!emphasis) return sentencesOf(text).map((sentence) => ({ words: words(sentence) }));
  const out: Clause[] = [];
  for (const piece of quotedPieces(text)) {
    if (piece.quoted) {
      for (const ws of clausesOf(piece.text)) out.push({ words: ws, emphasis: 'background' });
    } else out.push(...weighedClauses(piece.text, emphasis));
  }
  return out;
}

/** The words of each clause of each sentence of `text`. */
function clausesOf(text: string): string[][] {
  return sentencesOf(text).flatMap((sentence) => sentenceClauses(sentence));
}

/** The words of each clause of a sentence (split at commas, semicolons, colons, dashes and brackets). */
function sentenceClauses(sentence: string): string[][] {
  return sentence
    .split(/[,;:()\u2013\u2014]|\s-\s/)
    .map((part) => words(part))
    .filter((ws) => ws.length > 0);
}

/** The clauses of `text` with their emphasis by the markers (contentClauses). */
function weighedClauses(text: string, emphasis: ContentEmphasis): Clause[] {
  const out: Clause[] = [];
  const has = (ws: string[], ps: MarkerSet): boolean =>
    ws.some((w, i) => ps.exact.has(w) || ps.byFirst.get(w)?.some((p) => matchesAt(ws, p, i)) === true) || ps.other.some((p) => findPattern(ws, p, () => false) >= 0);
  const { request, background, courtesy, negation } = markerSets(emphasis);
  for (const sentence of sentencesOf(text)) {
    const parts = sentenceClauses(sentence);
    const own = parts.map((ws): Emphasis | undefined =>
      has(ws, negation) ? 'declined' : has(ws, courtesy) ? 'background' : has(ws, request) ? 'request' : has(ws, background) ? 'background' : undefined,
    );
    // A question to the addressee asks as a request does ("Mida peaksime tegema?").
    const asks = own.includes('request') || /\?\s*$/.test(sentence);
    // The rest of a sentence that declines is background ("mentorit me ei vaja, sest ta on kogenud").
    const inherited: Emphasis | undefined = asks ? 'request' : own.includes('background') || own.includes('declined') ? 'background' : undefined;
    parts.forEach((ws, i) => {
      const e = own[i] ?? inherited;
      out.push(e ? { words: ws, emphasis: e } : { words: ws });
    });
  }
  return out;
}
