/**
 * Streaming base64 decoder for `ZipBase64Content`. The text arrives from the XML parser in pieces of any
 * length, with line breaks anywhere; only whole 4-character groups are decoded, the rest is carried over.
 * Node's decoder skips whitespace natively (about 1 GB/s), so the only per-piece work done here
 * is counting whitespace to find where the last whole group ends.
 */

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

function isWhitespace(code: number): boolean {
  return code === LF || code === CR || code === SPACE || code === TAB;
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function countWhitespace(s: string): number {
  return countChar(s, '\n') + countChar(s, '\r') + countChar(s, ' ') + countChar(s, '\t');
}

/** Counts trailing '=' characters, ignoring whitespace. */
function trailingPadding(s: string): number {
  let pad = 0;
  for (let i = s.length - 1; i >= 0 && pad < 3; i--) {
    const c = s.charCodeAt(i);
    if (isWhitespace(c)) continue;
    if (c === 61 /* = */) pad++;
    else break;
  }
  return pad;
}

export class Base64StreamDecoder {
  private carry = '';
  /** Significant (non-whitespace) characters seen. */
  characters = 0;
  /** Set when the text held characters outside the base64 alphabet or misplaced padding. */
  invalid = false;
  private finished = false;

  /** Decodes every whole group in `piece` (plus what was carried over). */
  write(piece: string): Buffer {
    if (this.finished && piece.trim() !== '') this.invalid = true;
    const s = this.carry === '' ? piece : this.carry + piece;
    const significant = s.length - countWhitespace(s);
    const rest = significant % 4;
    let cut = s.length;
    for (let k = rest; k > 0; ) {
      cut--;
      if (!isWhitespace(s.charCodeAt(cut))) k--;
    }
    // A copy, never a slice: a slice would keep the whole previous piece (and through it every earlier one) alive.
    this.carry = cut === s.length ? '' : s.slice(cut).replace(/[\r\n\t ]/g, '');
    this.characters += significant - rest;
    return this.decodeGroups(cut === s.length ? s : s.slice(0, cut), significant - rest);
  }

  /** Flushes the end; a dangling partial group makes the content invalid. */
  end(): Buffer {
    const tail = this.carry;
    this.carry = '';
    if (tail.trim() !== '') this.invalid = true;
    return Buffer.alloc(0);
  }

  private decodeGroups(text: string, significant: number): Buffer {
    if (significant === 0) return Buffer.alloc(0);
    const pad = trailingPadding(text);
    const out = Buffer.from(text, 'base64');
    // Node silently skips characters outside the alphabet; a length mismatch reveals them.
    if (out.length !== (significant / 4) * 3 - pad) this.invalid = true;
    if (pad > 0) this.finished = true; // padding may only end the content
    return out;
  }
}
