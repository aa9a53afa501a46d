import { TextReadError } from './errors';
import type { TextSink } from './sink';

/**
 * RTF text (RTF 1.9.1 specification, "Conventions of an RTF reader"): one pass over the bytes with a stack
 * of groups. Destinations that are not body text — font, colour and style tables, document info, pictures,
 * objects, headers and footers, and every `{\*\...}` group — are skipped. `\'hh` is a byte of the document's
 * code page (`\ansicpgN`; windows-1252 when absent: Estonian letters come as windows-1257), `\uN` a UTF-16
 * unit followed by `\ucN` fallback characters that are dropped. `\binN` skips N raw bytes.
 */

const SKIPPED = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'objdata', 'header', 'headerl', 'headerr', 'headerf',
  'footer', 'footerl', 'footerr', 'footerf', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'generator',
  'xmlnstbl', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'pgdsctbl', 'filetbl', 'fldinst',
  'nonshppict', 'shpinst', 'bkmkstart', 'bkmkend', 'template', 'mmathPr', 'author', 'title', 'subject', 'operator',
  'keywords', 'comment', 'doccomm', 'company', 'userprops', 'footnote', 'annotation', 'atnid', 'atnauthor',
]);

const SYMBOLS: Record<string, string> = {
  par: '\n', line: '\n', sect: '\n\n', page: '\n\n', row: '\n', cell: '\t', tab: '\t', emdash: '—', endash: '–',
  bullet: '•', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', emspace: ' ', enspace: ' ', qmspace: ' ',
};

interface Group {
  skip: boolean;
  uc: number;
}

/** Code pages TextDecoder knows that RTF writers name in \ansicpg. */
function decoderFor(cp: number): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(cp === 65001 ? 'utf-8' : `windows-${cp}`);
  } catch {
    return new TextDecoder('windows-1252');
  }
}

const MAX_DEPTH = 256;

export function readRtf(bytes: Uint8Array, out: TextSink): void {
  if (bytes.length < 5 || String.fromCharCode(...bytes.subarray(0, 5)) !== '{\\rtf') throw new TextReadError('TEXT_MALFORMED', 'not an RTF document: it must begin with {\\rtf');
  let decoder = decoderFor(1252);
  const stack: Group[] = [];
  let group: Group = { skip: false, uc: 1 };
  let skipChars = 0; // fallback characters still to drop after \uN
  let pendingBytes: number[] = []; // \'hh bytes decoded together (a multi-byte code page needs them in one go)
  const flushBytes = (): void => {
    if (pendingBytes.length === 0) return;
    if (!group.skip) out.push(decoder.decode(Uint8Array.from(pendingBytes)));
    pendingBytes = [];
  };
  const emit = (s: string): void => {
    flushBytes();
    if (!group.skip) out.push(s);
  };
  let i = 0;
  const n = bytes.length;
  while (i < n && !out.full) {
    const c = bytes[i]!;
    if (c === 0x7b /* { */) {
      flushBytes();
      if (stack.length >= MAX_DEPTH) throw new TextReadError('TEXT_MALFORMED', `RTF groups nested deeper than ${MAX_DEPTH}`);
      stack.push(group);
      group = { ...group };
      skipChars = 0;
      i++;
      // {\* ...}: a destination a reader that does not know it must skip.
      if (bytes[i] === 0x5c && bytes[i + 1] === 0x2a) {
        group.skip = true;
        i += 2;
      }
      continue;
    }
    if (c === 0x7d /* } */) {
      flushBytes();
      group = stack.pop() ?? group;
      skipChars = 0;
      i++;
      continue;
    }
    if (c === 0x0d || c === 0x0a) {
      i++;
      continue;
    }
    if (c !== 0x5c /* \ */) {
      if (skipChars > 0) skipChars--;
      else if (c >= 0x80) pendingBytes.push(c);
      else {
        // A run of plain ASCII text at once.
        let j = i + 1;
        while (j < n) {
          const b = bytes[j]!;
          if (b === 0x5c || b === 0x7b || b === 0x7d || b === 0x0d || b === 0x0a || b >= 0x80) break;
          j++;
        }
        emit(String.fromCharCode(...bytes.subarray(i, Math.min(j, i + 4096))));
        i = Math.min(j, i + 4096);
        continue;
      }
      i++;
      continue;
    }
    // A control symbol or word.
    const next = bytes[i + 1];
    if (next === undefined) break;
    const isLetter = (b: number | undefined): boolean => b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a));
    if (!isLetter(next)) {
      i += 2;
      if (next === 0x27 /* ' */) {
        const hex = String.fromCharCode(bytes[i] ?? 0, bytes[i + 1] ?? 0);
        i += 2;
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) continue;
        if (skipChars > 0) skipChars--;
        else pendingBytes.push(parseInt(hex, 16));
      } else if (next === 0x5c || next === 0x7b || next === 0x7d) {
        if (skipChars > 0) skipChars--;
        else emit(String.fromCharCode(next));
      } else if (next === 0x7e /* ~ */) emit('\u00a0');
      else if (next === 0x5f /* _ */) emit('-');
      else if (next === 0x0a || next === 0x0d) emit('\n');
      continue;
    }
    let j = i + 1;
    while (j < n && isLetter(bytes[j]) && j - i <= 32) j++;
    const word = String.fromCharCode(...bytes.subarray(i + 1, j));
    let numText = '';
    if (bytes[j] === 0x2d /* - */) {
      numText = '-';
      j++;
    }
    while (j < n && bytes[j]! >= 0x30 && bytes[j]! <= 0x39 && numText.length < 11) numText += String.fromCharCode(bytes[j++]!);
    const num = numText && numText !== '-' ? Number(numText) : undefined;
    if (bytes[j] === 0x20) j++;
    i = j;
    if (word === 'bin') {
      flushBytes();
      i += Math.max(0, num ?? 0);
      continue;
    }
    if (word === 'u' && num !== undefined) {
      flushBytes();
      if (!group.skip) out.push(String.fromCharCode(num < 0 ? num + 65536 : num & 0xffff));
      skipChars = group.uc;
      continue;
    }
    if (word === 'uc' && num !== undefined) {
      group.uc = Math.max(0, Math.min(num, 10));
      continue;
    }
    if (word === 'ansicpg' && num !== undefined) {
      flushBytes();
      decoder = decoderFor(num);
      continue;
    }
    if (SKIPPED.has(word)) {
      flushBytes();
      group.skip = true;
      continue;
    }
    const symbol = SYMBOLS[word];
    if (symbol !== undefined) emit(symbol);
  }
  flushBytes();
}
