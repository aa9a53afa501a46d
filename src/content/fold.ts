/**
 * Estonian-aware text folding for classification and search: lower case, diacritics removed (õ ä ö ü → o a o u,
 * š ž → s z, and any other combining mark), so "Nõustamine", "NOUSTAMINE" and "noustamine" are one word.
 */
export function fold(text: string): string {
  return text
    .toLocaleLowerCase('et')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

/** Folded words of `text` (letters and digits; everything else separates). */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The folded words of `text` joined by spaces: what search indexes (to_tsvector('simple', …)) and queries. */
export function foldedForSearch(text: string): string {
  return words(text).join(' ');
}
