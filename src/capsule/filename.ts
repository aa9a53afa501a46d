/**
 * File names in capsules come from other systems: they are kept as data, but a name used for storage
 * or extraction must not escape its folder, hide characters or collide with reserved device names.
 * A name may be as long as the capsule allows, so every step here is one pass over it (no regex that
 * backtracks over the whole name, no loop that re-measures it).
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
// Control characters, bidirectional overrides and zero-width characters can disguise a name.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE = /[<>:"/\\|?*]/g;
/** One character that is trimmed from either end (a dot or white space, as `\s` counts it). */
const DOT_OR_SPACE = /^[.\s]$/;
const MAX_BYTES = 200;
/** Longest tail after the last dot that is kept as the extension when a name is cut. */
const MAX_EXTENSION_CHARS = 16;

/** A name safe to create inside a folder; `fallback` is used when nothing usable is left. */
export function sanitizeFileName(original: string, fallback = 'file'): string {
  let name = original.normalize('NFC').replace(INVISIBLE, '');
  // Keep only the last path segment of either separator style.
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = trimDotsAndSpaces(name.replace(UNSAFE, '_'));
  if (name === '') name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  return truncateUtf8(name, MAX_BYTES);
}

/** Removes dots and white space from both ends by walking in from each end once. */
function trimDotsAndSpaces(name: string): string {
  let start = 0;
  let end = name.length;
  while (start < end && DOT_OR_SPACE.test(name[start]!)) start++;
  while (end > start && DOT_OR_SPACE.test(name[end - 1]!)) end--;
  return start === 0 && end === name.length ? name : name.slice(start, end);
}

/** UTF-8 bytes of one code point (a lone surrogate is written as U+FFFD: 3 bytes, as Buffer does). */
function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Truncates to a byte length, keeping the extension and never cutting a character in two: the longest
 * prefix that fits is found by walking at most `maxBytes` bytes from the start, whatever the name's length.
 */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= MAX_EXTENSION_CHARS ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(ext);
  let used = 0;
  let cut = 0;
  while (cut < name.length - ext.length) {
    const cp = name.codePointAt(cut)!;
    const bytes = utf8Bytes(cp);
    if (used + bytes > budget) break;
    used += bytes;
    cut += cp > 0xffff ? 2 : 1;
  }
  return name.slice(0, cut) + ext;
}
