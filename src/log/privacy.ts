import { maskPersonalCodes } from './personal-code';

/**
 * What may be stored or shown of a document (docs/operations.md, "Privacy"): personal codes are masked
 * everywhere they leave the process or are kept in free text (log lines, CLI output, failure messages and
 * history details in PostgreSQL), and the title and file names of a restricted document (access `AK`,
 * asutusesiseseks kasutamiseks) give way to a placeholder wherever they are not the document itself.
 */

/** Shown instead of a restricted document's title, file names or extracted content. */
export const RESTRICTED = '[restricted]';

// A JSON value that is a personal code written as a bare number (`"code":<11 digits>`): masking it keeps
// the text valid JSON by making it a string.
const BARE_NUMBER_CODE = /([:[,]\s*)([1-6]\d{10})(?=\s*[,\]}])/g;

/** Masks every personal code in a text, JSON included (a code written as a bare number becomes a string). */
export function maskText(text: string): string {
  const bare = text.replace(BARE_NUMBER_CODE, (m, pre: string, code: string) => {
    const masked = maskPersonalCodes(code);
    return masked === code ? m : `${pre}"${masked}"`;
  });
  return maskPersonalCodes(bare);
}

/** What a stored message must not carry beyond personal codes: the names of a restricted document. */
export interface Confidential {
  restricted: boolean;
  /** Its title, file names (as sent and as made safe), anything else naming its content. */
  names: readonly string[];
}

// Shorter texts are too likely to be parts of ordinary words: replacing them would garble the message
// and protect nothing (a file name that short says little).
const MIN_NAME_LENGTH = 3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The one function every failure or fault message, and every history detail holding one, passes through
 * before PostgreSQL keeps it: personal codes masked, and for a restricted document each of its names
 * replaced by {@link RESTRICTED}. Masking is idempotent, so a message masked twice is the same.
 */
export function storableMessage(text: string, confidential?: Confidential): string {
  let out = text;
  if (confidential?.restricted) {
    const names = [...new Set(confidential.names.filter((n) => n.length >= MIN_NAME_LENGTH))].sort((a, b) => b.length - a.length);
    if (names.length) out = out.replace(new RegExp(names.map(escapeRegExp).join('|'), 'g'), RESTRICTED);
  }
  return maskText(out);
}

/** A history or audit detail as stored: every string in it through {@link storableMessage}. */
export function storableDetail<T>(value: T, confidential?: Confidential, depth = 0): T {
  if (typeof value === 'string') return storableMessage(value, confidential) as T;
  if (value === null || typeof value !== 'object' || depth > 20) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => storableDetail(v, confidential, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storableDetail(v, confidential, depth + 1)])) as T;
}
