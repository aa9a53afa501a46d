/**
 * File names in capsules come from other systems: they are kept as data, but a name used for storage
 * or extraction must not escape its folder, hide characters or collide with reserved device names.
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
// Control characters, bidirectional overrides and zero-width characters can disguise a name.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE = /[<>:"/\\|?*]/g;
const MAX_BYTES = 200;

/** A name safe to create inside a folder; `fallback` is used when nothing usable is left. */
export function sanitizeFileName(original: string, fallback = 'file'): string {
  let name = original.normalize('NFC').replace(INVISIBLE, '');
  // Keep only the last path segment of either separator style.
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(UNSAFE, '_').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  if (name === '' || /^\.+$/.test(name)) name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  return truncateUtf8(name, MAX_BYTES);
}

/** Truncates to a byte length, keeping the extension and never cutting a character in two. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let base = name.slice(0, name.length - ext.length);
  while (Buffer.byteLength(base + ext) > maxBytes) base = Array.from(base).slice(0, -1).join('');
  return base + ext;
}
