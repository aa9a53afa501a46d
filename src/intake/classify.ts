import type { Capsule } from '../capsule/model';
import type { Category, SubKind } from '../cases/categories';
import { words } from './fold';
import { FIELDS, type CompiledPattern, type CompiledRule, type Field, type Rules } from './rules';

/**
 * Classification by rules: the fields a KOV fills in — RecordType, RecordTitle, RecordAbstract,
 * file names, DecSender/StructuralUnit and the sender's unit, MessageForRecipient and
 * RecordTypeSpecificMetadata — folded and matched against rules.ts patterns. The result names the winning
 * rule, the score and every reason, so an operator can see why. When the metadata is weak (no confident
 * verdict) and the files' extracted text is given, the content rules (rules.ts, `content`) read it as one
 * more field, `content`, with its own weight and a stricter threshold and margin.
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
}

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

/** Where in `ws` the pattern's tokens match consecutive words, or -1. */
function findPattern(ws: string[], p: CompiledPattern, excluded: (w: string) => boolean): number {
  const n = p.tokens.length;
  outer: for (let i = 0; i + n <= ws.length; i++) {
    for (let j = 0; j < n; j++) {
      const w = ws[i + j]!;
      const t = p.tokens[j]!;
      if (excluded(w)) continue outer;
      const ok = t.mode === 'prefix' ? w.startsWith(t.text) : t.mode === 'infix' ? w.includes(t.text) : w === t.text;
      if (!ok) continue outer;
    }
    return i;
  }
  return -1;
}

/** The best reason of `rule` among `fields` (each with its folded words and weight), or undefined. */
function matchRule(rule: CompiledRule, fields: readonly { field: ReasonField; words: string[]; weight: number }[]): Reason | undefined {
  const excluded = (w: string): boolean => rule.excludeWords.some((x) => w.startsWith(x));
  let best: Reason | undefined;
  for (const { field, words: ws, weight: fw } of fields) {
    if (fw <= 0 || (best && best.score >= rule.weight * fw)) continue;
    for (const p of rule.patterns) {
      const at = findPattern(ws, p, excluded);
      if (at < 0) continue;
      best = { rule: rule.id, category: rule.category, pattern: p.source, field, matched: ws.slice(at, at + p.tokens.length).join(' '), score: rule.weight * fw };
      break;
    }
  }
  return best;
}

/** Scores per category (each rule once, its best reason) and the reasons, best first. */
function score(rulesList: readonly CompiledRule[], fieldsOf: (rule: CompiledRule) => { field: ReasonField; words: string[]; weight: number }[]): { scores: Partial<Record<Category, number>>; reasons: Reason[] } {
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

/** The verdict of `scores`: the best category, confident when it reaches `threshold` and leads by `margin`. */
function decide(scores: Partial<Record<Category, number>>, reasons: Reason[], threshold: number, margin: number): Classification {
  const ranked = (Object.entries(scores) as [Category, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  reasons.sort((a, b) => b.score - a.score);
  if (!first) return { confident: false, score: 0, scores, reasons };
  const confident = first[1] >= threshold && first[1] - (second?.[1] ?? 0) >= margin;
  const winning = reasons.find((r) => r.category === first[0])!;
  const result: Classification = { confident, best: first[0], rule: winning.rule, score: first[1], scores, reasons };
  if (confident) result.category = first[0];
  return result;
}

/**
 * The verdict on a capsule's metadata and, when given, the text extracted from its files. The text is read
 * only when the metadata alone is not confident; its matches are reasons of field `content`.
 */
export function classify(input: ClassifyInput, rules: Rules, text?: string): Classification {
  const fieldWords = Object.fromEntries(FIELDS.map((f) => [f, words(input[f])])) as Record<Field, string[]>;
  const meta = score(rules.rules, (rule) => rule.fields.map((f) => ({ field: f, words: fieldWords[f], weight: rules.fieldWeights[f] })));
  let result = decide(meta.scores, meta.reasons, rules.threshold, rules.margin);
  let contentWords: string[] | undefined;
  const content = rules.content;
  if (!result.confident && content && text && text.trim()) {
    contentWords = words(text);
    const fromText = score(content.rules, () => [{ field: 'content', words: contentWords!, weight: content.weight }]);
    if (fromText.reasons.length > 0) {
      const scores = { ...meta.scores };
      for (const [c, v] of Object.entries(fromText.scores) as [Category, number][]) scores[c] = (scores[c] ?? 0) + v;
      result = decide(scores, [...meta.reasons, ...fromText.reasons], content.threshold, content.margin);
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
