/**
 * Estonian personal identification codes (isikukood, EVS 585): 11 digits — century-and-sex digit 1–6,
 * birth date YYMMDD, serial number, and a check digit (two-pass mod 11).
 */

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];

export function personalCodeCheckDigit(first10: string): number {
  const digits = [...first10].map(Number);
  const sum = (w: number[]): number => digits.reduce((s, d, i) => s + d * w[i]!, 0);
  let check = sum(WEIGHTS_1) % 11;
  if (check === 10) {
    check = sum(WEIGHTS_2) % 11;
    if (check === 10) check = 0;
  }
  return check;
}

export function isValidPersonalCode(s: string): boolean {
  if (!/^[1-6]\d{10}$/.test(s)) return false;
  const century = [1800, 1800, 1900, 1900, 2000, 2000][Number(s[0]) - 1]!;
  const year = century + Number(s.slice(1, 3));
  const month = Number(s.slice(3, 5));
  const day = Number(s.slice(5, 7));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return personalCodeCheckDigit(s.slice(0, 10)) === Number(s[10]);
}

// Eleven digits not part of a longer run of digits.
const CANDIDATE = /(?<!\d)[1-6]\d{10}(?!\d)/g;

/** Replaces every valid personal code in the text with `3*********8` (first and last digit kept). */
export function maskPersonalCodes(text: string): string {
  return text.replace(CANDIDATE, (m) => (isValidPersonalCode(m) ? `${m[0]}*********${m[10]}` : m));
}

/**
 * How many valid personal codes the text holds (a case whose documents hold any is flagged as holding
 * personal data). Only the count leaves this function: the codes themselves are never returned or logged.
 */
export function findPersonalCodes(text: string): number {
  let n = 0;
  for (const m of text.matchAll(CANDIDATE)) if (isValidPersonalCode(m[0])) n++;
  return n;
}
