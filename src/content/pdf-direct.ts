import zlib from 'node:zlib';
import { glyphUnicode } from './pdf-glyphs';
import { TextSink } from './sink';

/**
 * PDF text read directly, without pdf.js, for the documents whose text can be read exactly by the PDF
 * specification's own rules: not encrypted, streams plain or FlateDecode, fonts that say what their codes
 * are (a ToUnicode map, or a simple font's standard encoding with its differences) and give their widths,
 * horizontal text. That is what word processors and document systems write for a letter, and reading it
 * here takes a few hundredths of a millisecond where pdf.js takes over a millisecond (docs/performance.md,
 * "Simple PDFs read directly"). Anything else — an encryption dictionary, another filter, a predictor, a
 * Type 3 font, a code without a meaning, rotated text, text whose position cannot be known, a malformed
 * object — makes readPdfDirect answer `undefined`, and the document is read by pdf.js (pdf.ts) in a text
 * worker thread as before. Lines and spaces follow pdf.js's rules for its text items (a new line when the
 * baseline moves by more than the font's size, a space for a gap of more than 0.102 em), so either reader
 * gives the same words.
 *
 * The work is bounded by the input: every loop advances through the bytes or through a counted structure,
 * nesting is capped, decompressed data is capped at `maxDecodedBytes` in all, and Form XObjects are entered
 * at most DEPTH deep, each once per page.
 */

/** Why a document is left to pdf.js. Internal: readPdfDirect answers undefined. */
class NotDirect extends Error {}

class Name {
  constructor(readonly n: string) {}
}
class Ref {
  constructor(
    readonly n: number,
    readonly g: number,
  ) {}
}
class Op {
  constructor(readonly op: string) {}
}
/** A PDF string: its bytes as a latin1 JavaScript string (one char per byte). */
class Str {
  constructor(readonly b: string) {}
}
type Dict = Map<string, Value>;
interface Stream {
  dict: Dict;
  start: number;
  end: number;
}
type Value = null | boolean | number | Name | Ref | Str | Value[] | Dict | StreamObj;
class StreamObj {
  constructor(readonly s: Stream) {}
}

/** Nesting of arrays and dictionaries, Form XObjects, and the page tree, at most. */
const DEPTH = 32;
const FORM_DEPTH = 8;
/** Pages read at most (a longer document goes to pdf.js, which reads until the character cap). */
const MAX_PAGES = 2000;
/**
 * Content operators per document and Form XObjects drawn per page, at most: past that, pdf.js in its thread,
 * with its time cap. With the callers' caps on input and decompressed data, this keeps a hostile document's
 * time on the caller's event loop to a fraction of a second.
 */
const MAX_OPERATORS = 200_000;
const MAX_FORMS = 256;

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

/** A lexer over a latin1 string (objects or a content stream). */
class Lexer {
  pos: number;
  constructor(
    readonly src: string,
    start = 0,
    readonly end = src.length,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const s = this.src;
    while (this.pos < this.end) {
      const c = s.charCodeAt(this.pos);
      if (WS[c]) this.pos++;
      else if (c === 37 /* % */) {
        while (this.pos < this.end) {
          const d = s.charCodeAt(this.pos);
          if (d === 10 || d === 13) break;
          this.pos++;
        }
      } else break;
    }
  }

  /** The next value or operator; undefined at the end. `refs`: `n g R` read as a reference (objects, not content). */
  next(refs: boolean, depth = 0): Value | Op | undefined {
    if (depth > DEPTH) throw new NotDirect('nesting');
    this.skipSpace();
    if (this.pos >= this.end) return undefined;
    const s = this.src;
    const c = s.charCodeAt(this.pos);
    switch (c) {
      case 40 /* ( */:
        return this.literal();
      case 60 /* < */:
        if (s.charCodeAt(this.pos + 1) === 60) {
          this.pos += 2;
          return this.dict(refs, depth);
        }
        return this.hex();
      case 91 /* [ */: {
        this.pos++;
        const out: Value[] = [];
        for (;;) {
          this.skipSpace();
          if (this.pos >= this.end) throw new NotDirect('unterminated array');
          if (s.charCodeAt(this.pos) === 93) {
            this.pos++;
            return out;
          }
          const v = this.next(refs, depth + 1);
          if (v instanceof Op) throw new NotDirect(`operator ${v.op} in an array`);
          out.push(v === undefined ? null : v);
        }
      }
      case 47 /* / */:
        return this.name();
      case 41 /* ) */:
      case 62 /* > */:
      case 93 /* ] */:
      case 123 /* { */:
      case 125 /* } */:
        this.pos++;
        throw new NotDirect('stray delimiter');
      default: {
        const start = this.pos;
        while (this.pos < this.end) {
          const d = s.charCodeAt(this.pos);
          if (WS[d] || DELIM[d]) break;
          this.pos++;
        }
        const word = s.slice(start, this.pos);
        const first = word.charCodeAt(0);
        if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) {
          const n = Number(word);
          if (Number.isNaN(n)) {
            // pdf.js reads "--1" or "1.2.3" leniently; nothing here does.
            throw new NotDirect('number');
          }
          if (refs && Number.isInteger(n) && n >= 0) return this.maybeRef(n);
          return n;
        }
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'null') return null;
        return new Op(word);
      }
    }
  }

  /** After a non-negative integer: `g R` makes it a reference, else the integer stands alone. */
  private maybeRef(n: number): Value {
    const save = this.pos;
    const m = /^\s+(\d+)\s+R(?=[\s()<>[\]{}/%]|$)/.exec(this.src.slice(this.pos, Math.min(this.end, this.pos + 32)));
    if (m) {
      this.pos = save + m[0].length;
      return new Ref(n, Number(m[1]));
    }
    return n;
  }

  private dict(refs: boolean, depth: number): Dict {
    const d: Dict = new Map();
    const s = this.src;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.end) throw new NotDirect('unterminated dictionary');
      if (s.charCodeAt(this.pos) === 62 && s.charCodeAt(this.pos + 1) === 62) {
        this.pos += 2;
        return d;
      }
      const k = this.next(refs, depth + 1);
      if (!(k instanceof Name)) throw new NotDirect('dictionary key');
      this.skipSpace();
      if (s.charCodeAt(this.pos) === 62 && s.charCodeAt(this.pos + 1) === 62) {
        d.set(k.n, null);
        continue;
      }
      const v = this.next(refs, depth + 1);
      if (v === undefined || v instanceof Op) throw new NotDirect('dictionary value');
      d.set(k.n, v);
    }
  }

  private name(): Name {
    const s = this.src;
    const start = ++this.pos;
    while (this.pos < this.end) {
      const d = s.charCodeAt(this.pos);
      if (WS[d] || DELIM[d]) break;
      this.pos++;
    }
    const raw = s.slice(start, this.pos);
    return new Name(raw.includes('#') ? raw.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : raw);
  }

  private hex(): Str {
    const s = this.src;
    const close = s.indexOf('>', this.pos + 1);
    if (close < 0 || close >= this.end) throw new NotDirect('unterminated hex string');
    const digits = s.slice(this.pos + 1, close).replace(/[\0\t\n\f\r ]+/g, '');
    this.pos = close + 1;
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw new NotDirect('hex string');
    const even = digits.length % 2 ? `${digits}0` : digits;
    let out = '';
    for (let i = 0; i < even.length; i += 2) out += String.fromCharCode(parseInt(even.slice(i, i + 2), 16));
    return new Str(out);
  }

  private literal(): Str {
    const s = this.src;
    let depth = 1;
    let out = '';
    let i = this.pos + 1;
    let run = i;
    for (;;) {
      if (i >= this.end) throw new NotDirect('unterminated string');
      const c = s.charCodeAt(i);
      if (c === 40) depth++;
      else if (c === 41) {
        if (--depth === 0) break;
      } else if (c === 92 /* \ */) {
        out += s.slice(run, i);
        const e = s.charCodeAt(i + 1);
        i += 2;
        switch (e) {
          case 110:
            out += '\n';
            break;
          case 114:
            out += '\r';
            break;
          case 116:
            out += '\t';
            break;
          case 98:
            out += '\b';
            break;
          case 102:
            out += '\f';
            break;
          case 13:
            if (s.charCodeAt(i) === 10) i++;
            break;
          case 10:
            break;
          default:
            if (e >= 48 && e <= 55) {
              let v = e - 48;
              for (let k = 0; k < 2 && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 55; k++) v = v * 8 + s.charCodeAt(i++) - 48;
              out += String.fromCharCode(v & 0xff);
            } else if (!Number.isNaN(e)) out += String.fromCharCode(e);
        }
        run = i;
        continue;
      }
      i++;
    }
    out += s.slice(run, i);
    this.pos = i + 1;
    return new Str(out);
  }
}

// ---- the document's objects ----

const OBJ = /(\d+)\s+(\d+)\s+obj\b/g;

class Document {
  readonly objects = new Map<number, Value>();
  readonly trailers: Dict[] = [];
  /** Decompressed bytes and content operators read so far (capped: maxDecodedBytes, MAX_OPERATORS). */
  decoded = 0;
  operators = 0;
  private readonly streamCache = new Map<Stream, string>();

  /** The bytes as a latin1 string: one character per byte, what the lexer reads. */
  readonly src: string;

  constructor(
    readonly bytes: Buffer,
    readonly maxDecodedBytes: number,
  ) {
    const src = (this.src = bytes.toString('latin1'));
    const objectStreams: Stream[] = [];
    OBJ.lastIndex = 0;
    for (let m = OBJ.exec(src); m; m = OBJ.exec(src)) {
      const lex = new Lexer(src, m.index + m[0].length);
      let v: Value | Op | undefined;
      try {
        v = lex.next(true);
      } catch (err) {
        if (err instanceof NotDirect) continue;
        throw err;
      }
      if (v === undefined || v instanceof Op) continue;
      if (v instanceof Map) {
        lex.skipSpace();
        if (src.startsWith('stream', lex.pos)) {
          const stream = this.streamAt(v, lex.pos + 6);
          v = new StreamObj(stream);
          OBJ.lastIndex = stream.end;
          const type = v.s.dict.get('Type');
          if (type instanceof Name && type.n === 'ObjStm') objectStreams.push(stream);
          if (type instanceof Name && type.n === 'XRef') this.trailers.push(v.s.dict);
        } else OBJ.lastIndex = lex.pos;
      } else OBJ.lastIndex = lex.pos;
      // A later definition (an incremental update) replaces an earlier one.
      this.objects.set(Number(m[1]), v);
    }
    for (let at = src.indexOf('trailer'); at >= 0; at = src.indexOf('trailer', at + 7)) {
      const lex = new Lexer(src, at + 7);
      try {
        const t = lex.next(true);
        if (t instanceof Map) this.trailers.push(t);
      } catch (err) {
        if (!(err instanceof NotDirect)) throw err;
      }
    }
    if (objectStreams.length > 0) {
      // Without the cross-reference table's word on which definition is current, an update beside object
      // streams is ambiguous: left to pdf.js.
      if (src.indexOf('startxref') !== src.lastIndexOf('startxref')) throw new NotDirect('an updated document with object streams');
      for (const os of objectStreams) this.readObjectStream(os);
    }
  }

  /** A stream's data bounds: by /Length when it ends there, else up to `endstream`. */
  private streamAt(dict: Dict, after: number): Stream {
    const s = this.src;
    let start = after;
    if (s.charCodeAt(start) === 13) start++;
    if (s.charCodeAt(start) === 10) start++;
    const len = dict.get('Length');
    if (typeof len === 'number' && len >= 0 && start + len <= s.length && /^\s*endstream/.test(s.slice(start + len, start + len + 20))) {
      return { dict, start, end: start + len };
    }
    const e = s.indexOf('endstream', start);
    if (e < 0) throw new NotDirect('unterminated stream');
    let end = e;
    if (s.charCodeAt(end - 1) === 10) end--;
    if (s.charCodeAt(end - 1) === 13) end--;
    return { dict, start, end: Math.max(start, end) };
  }

  private readObjectStream(os: Stream): void {
    const n = this.resolve(os.dict.get('N'));
    const first = this.resolve(os.dict.get('First'));
    if (typeof n !== 'number' || typeof first !== 'number') throw new NotDirect('object stream');
    const data = this.data(os);
    const head = new Lexer(data, 0, Math.min(first, data.length));
    const entries: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      const num = head.next(false);
      const off = head.next(false);
      if (typeof num !== 'number' || typeof off !== 'number') throw new NotDirect('object stream header');
      entries.push([num, off]);
    }
    for (const [num, off] of entries) {
      if (this.objects.has(num)) continue;
      const v = new Lexer(data, first + off).next(true);
      if (v === undefined || v instanceof Op) throw new NotDirect('object stream entry');
      this.objects.set(num, v);
    }
  }

  resolve(v: Value | undefined): Value | undefined {
    let hops = 0;
    while (v instanceof Ref) {
      if (++hops > DEPTH) throw new NotDirect('reference chain');
      v = this.objects.get(v.n);
    }
    return v;
  }

  dict(v: Value | undefined): Dict | undefined {
    const r = this.resolve(v);
    if (r instanceof Map) return r;
    if (r instanceof StreamObj) return r.s.dict;
    return undefined;
  }

  /** A stream's decoded data (latin1), within the document's cap on decoded bytes. */
  data(s: Stream): string {
    const cached = this.streamCache.get(s);
    if (cached !== undefined) return cached;
    let filter = this.resolve(s.dict.get('Filter'));
    if (Array.isArray(filter)) {
      if (filter.length > 1) throw new NotDirect('filter chain');
      filter = this.resolve(filter[0]);
    }
    const raw = this.bytes.subarray(s.start, s.end);
    let out: string;
    if (filter === undefined || filter === null) out = this.src.slice(s.start, s.end);
    else if (filter instanceof Name && (filter.n === 'FlateDecode' || filter.n === 'Fl')) {
      let parms = this.resolve(s.dict.get('DecodeParms'));
      if (Array.isArray(parms)) parms = this.resolve(parms[0]);
      const predictor = parms instanceof Map ? this.resolve(parms.get('Predictor')) : undefined;
      if (typeof predictor === 'number' && predictor > 1) throw new NotDirect('predictor');
      const room = this.maxDecodedBytes - this.decoded;
      if (room <= 0) throw new NotDirect('decoded data cap');
      let buf: Buffer;
      try {
        buf = zlib.inflateSync(raw, { maxOutputLength: room, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch {
        throw new NotDirect('flate data');
      }
      this.decoded += buf.length;
      out = buf.toString('latin1');
    } else throw new NotDirect('filter');
    this.streamCache.set(s, out);
    return out;
  }
}

// ---- fonts ----


interface Font {
  /** Bytes per code (1 or 2). */
  bytes: 1 | 2;
  decode(code: number): string | undefined;
  width(code: number): number;
}

/** WinAnsiEncoding: Latin-1, and Windows-1252's letters and punctuation at 0x80–0x9F (Š š Ž ž among them). */
const WIN_ANSI_80 = '\u20ac\u2022\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u2022\u017d\u2022\u2022\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u2022\u017e\u0178';
const WIN_ANSI: Array<string | undefined> = Array.from({ length: 256 }, (_x, i) => (i >= 0x80 && i < 0xa0 ? WIN_ANSI_80[i - 0x80] : String.fromCharCode(i)));
const MAC_ROMAN: Array<string | undefined> = decodeTable('macintosh');

function decodeTable(encoding: string): Array<string | undefined> {
  const d = new TextDecoder(encoding);
  return Array.from({ length: 256 }, (_x, i) => d.decode(Uint8Array.of(i)));
}

/** Standard encoding where it differs from ASCII in the printable range; its upper half only by Differences. */
function standardChar(code: number): string | undefined {
  if (code === 0x27) return '\u2019';
  if (code === 0x60) return '\u2018';
  if (code >= 0x20 && code < 0x7f) return String.fromCharCode(code);
  return undefined;
}

function utf16be(b: string): string {
  let out = '';
  for (let i = 0; i + 1 < b.length; i += 2) out += String.fromCharCode((b.charCodeAt(i) << 8) | b.charCodeAt(i + 1));
  return out;
}

function codeOf(b: string): number {
  let v = 0;
  for (let i = 0; i < b.length; i++) v = v * 256 + b.charCodeAt(i);
  return v;
}

/** A ToUnicode CMap: codes to text, and the code length its code space ranges give. */
function readToUnicode(data: string): { map: Map<number, string>; bytes: 1 | 2 } {
  const map = new Map<number, string>();
  const lex = new Lexer(data);
  const ops: Value[] = [];
  let lengths = new Set<number>();
  for (let t = lex.next(false); t !== undefined; t = lex.next(false)) {
    if (!(t instanceof Op)) {
      ops.push(t);
      continue;
    }
    switch (t.op) {
      case 'endcodespacerange':
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const lo = ops[i];
          if (lo instanceof Str) lengths.add(lo.b.length);
        }
        break;
      case 'endbfchar':
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const src = ops[i];
          const dst = ops[i + 1];
          if (src instanceof Str && dst instanceof Str) map.set(codeOf(src.b), utf16be(dst.b));
        }
        break;
      case 'endbfrange':
        for (let i = 0; i + 2 < ops.length; i += 3) {
          const lo = ops[i];
          const hi = ops[i + 1];
          const dst = ops[i + 2];
          if (!(lo instanceof Str) || !(hi instanceof Str)) continue;
          const a = codeOf(lo.b);
          const b = codeOf(hi.b);
          if (b < a || b - a > 0xffff) throw new NotDirect('bfrange');
          if (dst instanceof Str) {
            // The last byte counts up (the specification's rule), the text's last UTF-16 unit with it.
            const base = utf16be(dst.b);
            if (base.length === 0) continue;
            const last = base.charCodeAt(base.length - 1);
            for (let c = a; c <= b; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + (c - a)));
          } else if (Array.isArray(dst)) {
            for (let c = a; c <= b && c - a < dst.length; c++) {
              const d = dst[c - a];
              if (d instanceof Str) map.set(c, utf16be(d.b));
            }
          }
        }
        break;
      case 'usecmap':
        throw new NotDirect('usecmap');
      default:
        break;
    }
    ops.length = 0;
  }
  if (lengths.size === 0) lengths = new Set([map.size > 0 && [...map.keys()].some((k) => k > 0xff) ? 2 : 1]);
  if (lengths.size !== 1) throw new NotDirect('mixed code lengths');
  const len = [...lengths][0];
  if (len !== 1 && len !== 2) throw new NotDirect('code length');
  return { map, bytes: len };
}

const STANDARD_14 = /^(Times|Helvetica|Courier|Arial|TimesNewRoman)/;

function loadFont(doc: Document, fontDict: Dict): Font {
  const subtype = doc.resolve(fontDict.get('Subtype'));
  const kind = subtype instanceof Name ? subtype.n : '';
  const tu = doc.resolve(fontDict.get('ToUnicode'));
  const toUnicode = tu instanceof StreamObj ? readToUnicode(doc.data(tu.s)) : undefined;
  if (kind === 'Type0') {
    if (!toUnicode) throw new NotDirect('composite font without ToUnicode');
    const enc = doc.resolve(fontDict.get('Encoding'));
    if (!(enc instanceof Name) || enc.n !== 'Identity-H') throw new NotDirect('composite font encoding');
    const descendants = doc.resolve(fontDict.get('DescendantFonts'));
    const cid = Array.isArray(descendants) ? doc.dict(descendants[0]) : undefined;
    if (!cid) throw new NotDirect('descendant font');
    const dw = doc.resolve(cid.get('DW'));
    const widths = cidWidths(doc, doc.resolve(cid.get('W')));
    const fallback = typeof dw === 'number' ? dw : 1000;
    const map = toUnicode.map;
    return { bytes: 2, decode: (c) => map.get(c), width: (c) => widths.get(c) ?? fallback };
  }
  if (kind !== 'Type1' && kind !== 'TrueType' && kind !== 'MMType1') throw new NotDirect(`font ${kind || 'without subtype'}`);
  const widths = simpleWidths(doc, fontDict);
  if (toUnicode) {
    if (toUnicode.bytes !== 1) throw new NotDirect('simple font with two-byte codes');
    const map = toUnicode.map;
    const base = simpleEncoding(doc, fontDict, true);
    return { bytes: 1, decode: (c) => map.get(c) ?? base?.[c], width: widths };
  }
  const enc = simpleEncoding(doc, fontDict, false);
  if (!enc) throw new NotDirect('simple font without a known encoding');
  return { bytes: 1, decode: (c) => enc[c], width: widths };
}

/** A simple font's codes as text: its /Encoding (a standard one, with Differences), or undefined when unknown. */
function simpleEncoding(doc: Document, fontDict: Dict, lenient: boolean): Array<string | undefined> | undefined {
  const enc = doc.resolve(fontDict.get('Encoding'));
  const baseFont = doc.resolve(fontDict.get('BaseFont'));
  const fontName = baseFont instanceof Name ? baseFont.n.replace(/^[A-Z]{6}\+/, '') : '';
  const table = (name: string | undefined): Array<string | undefined> | undefined => {
    if (name === 'WinAnsiEncoding') return WIN_ANSI.slice();
    if (name === 'MacRomanEncoding') return MAC_ROMAN.slice();
    if (name === 'StandardEncoding' || (name === undefined && STANDARD_14.test(fontName))) return Array.from({ length: 256 }, (_x, i) => standardChar(i));
    return undefined;
  };
  if (enc instanceof Name) {
    const t = table(enc.n);
    if (!t && !lenient) throw new NotDirect(`encoding ${enc.n}`);
    return t;
  }
  if (enc instanceof Map) {
    const base = doc.resolve(enc.get('BaseEncoding'));
    // Without a base encoding (the font program's own), only the codes the Differences name have a meaning.
    const t = table(base instanceof Name ? base.n : undefined) ?? new Array<string | undefined>(256);
    const diffs = doc.resolve(enc.get('Differences'));
    if (Array.isArray(diffs)) {
      let code = 0;
      for (const d of diffs) {
        const v = doc.resolve(d);
        if (typeof v === 'number') code = v;
        else if (v instanceof Name) {
          const u = glyphUnicode(v.n);
          if (u === undefined && !lenient) throw new NotDirect(`glyph ${v.n}`);
          if (code >= 0 && code < 256) t[code] = u;
          code++;
        }
      }
    }
    return t;
  }
  const t = table(undefined);
  if (!t && !lenient) throw new NotDirect('font without an encoding');
  return t;
}

function simpleWidths(doc: Document, fontDict: Dict): (code: number) => number {
  const first = doc.resolve(fontDict.get('FirstChar'));
  const ws = doc.resolve(fontDict.get('Widths'));
  if (typeof first !== 'number' || !Array.isArray(ws)) return () => NaN;
  const arr = ws.map((w) => {
    const v = doc.resolve(w);
    return typeof v === 'number' ? v : NaN;
  });
  const desc = doc.dict(fontDict.get('FontDescriptor'));
  const missing = desc ? doc.resolve(desc.get('MissingWidth')) : undefined;
  const miss = typeof missing === 'number' ? missing : 0;
  return (c) => arr[c - first] ?? miss;
}

function cidWidths(doc: Document, w: Value | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!Array.isArray(w)) return out;
  for (let i = 0; i < w.length; ) {
    const a = doc.resolve(w[i]);
    const b = doc.resolve(w[i + 1]);
    if (typeof a !== 'number') throw new NotDirect('W');
    if (Array.isArray(b)) {
      b.forEach((x, k) => {
        const v = doc.resolve(x);
        if (typeof v === 'number') out.set(a + k, v);
      });
      i += 2;
    } else {
      const c = doc.resolve(w[i + 2]);
      if (typeof b !== 'number' || typeof c !== 'number' || b < a || b - a > 0xffff) throw new NotDirect('W range');
      for (let k = a; k <= b; k++) out.set(k, c);
      i += 3;
    }
  }
  return out;
}

// ---- content streams ----

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function mul(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]];
}

interface Graphics {
  ctm: Matrix;
  tc: number;
  tw: number;
  th: number;
  tl: number;
  tfs: number;
  font: Font | undefined;
}

/** Where a page's reading emits its text and line ends, as pdf.js's items give them. */
type DirectOut = Pick<TextSink, 'push' | 'full'>;

class PageReader {
  private g: Graphics = { ctm: IDENTITY, tc: 0, tw: 0, th: 1, tl: 0, tfs: 0, font: undefined };
  private stack: Graphics[] = [];
  private tm: Matrix = IDENTITY;
  private tlm: Matrix = IDENTITY;
  /** Where the last glyph shown ended (device space), and whether that is known (its font gave widths). */
  private last: { x: number; y: number; known: boolean } | undefined;
  private fonts = new Map<Dict, Font>();
  /** The Form XObjects being drawn (a form that draws itself is refused), and how many were drawn. */
  private forms = new Set<Stream>();
  private formsDrawn = 0;


  constructor(
    private readonly doc: Document,
    private readonly out: DirectOut,
    /** The page's visible box (CropBox within MediaBox): glyphs outside it are not text, as in pdf.js. */
    private readonly view: [number, number, number, number] | undefined,
  ) {}

  run(content: string, resources: Dict | undefined, depth: number): void {
    const lex = new Lexer(content);
    const operands: Value[] = [];
    for (let t = lex.next(false); t !== undefined; t = lex.next(false)) {
      if (this.out.full) return;
      if (!(t instanceof Op)) {
        if (operands.length > 64) throw new NotDirect('operands');
        operands.push(t);
        continue;
      }
      if (++this.doc.operators > MAX_OPERATORS) throw new NotDirect('operators');
      this.op(t.op, operands, resources, depth, lex);
      operands.length = 0;
    }
  }

  private num(v: Value | undefined): number {
    if (typeof v !== 'number') throw new NotDirect('operand');
    return v;
  }

  private op(op: string, a: Value[], resources: Dict | undefined, depth: number, lex: Lexer): void {
    const g = this.g;
    switch (op) {
      case 'q':
        if (this.stack.length > 256) throw new NotDirect('graphics stack');
        this.stack.push({ ...g });
        return;
      case 'Q':
        this.g = this.stack.pop() ?? g;
        return;
      case 'cm':
        g.ctm = mul(this.matrix(a), g.ctm);
        return;
      case 'BT':
        this.tm = IDENTITY;
        this.tlm = IDENTITY;
        return;
      case 'ET':
        return;
      case 'Tc':
        g.tc = this.num(a[0]);
        return;
      case 'Tw':
        g.tw = this.num(a[0]);
        return;
      case 'Tz':
        g.th = this.num(a[0]) / 100;
        return;
      case 'TL':
        g.tl = this.num(a[0]);
        return;
      case 'Tf': {
        const name = a[0];
        g.tfs = this.num(a[1]);
        if (!(name instanceof Name)) throw new NotDirect('Tf');
        g.font = this.font(resources, name.n);
        return;
      }
      case 'Td':
        this.moveLine(this.num(a[0]), this.num(a[1]));
        return;
      case 'TD':
        g.tl = -this.num(a[1]);
        this.moveLine(this.num(a[0]), this.num(a[1]));
        return;
      case 'Tm':
        this.tlm = this.matrix(a);
        this.tm = this.tlm;
        return;
      case 'T*':
        this.moveLine(0, -g.tl);
        return;
      case 'Tj':
        this.show(a[0]);
        return;
      case "'":
        this.moveLine(0, -g.tl);
        this.show(a[0]);
        return;
      case '"':
        g.tw = this.num(a[0]);
        g.tc = this.num(a[1]);
        this.moveLine(0, -g.tl);
        this.show(a[2]);
        return;
      case 'TJ': {
        const arr = a[0];
        if (!Array.isArray(arr)) throw new NotDirect('TJ');
        for (const e of arr) {
          if (typeof e === 'number') this.advance((-e / 1000) * g.tfs * g.th);
          else this.show(e);
        }
        return;
      }
      case 'Do':
        this.xobject(a[0], resources, depth);
        return;
      case 'BI':
        this.skipInlineImage(lex);
        return;
      default:
        return;
    }
  }

  private matrix(a: Value[]): Matrix {
    if (a.length < 6) throw new NotDirect('matrix');
    return [this.num(a[0]), this.num(a[1]), this.num(a[2]), this.num(a[3]), this.num(a[4]), this.num(a[5])];
  }

  private moveLine(tx: number, ty: number): void {
    this.tlm = mul([1, 0, 0, 1, tx, ty], this.tlm);
    this.tm = this.tlm;
  }

  private advance(tx: number): void {
    const m = this.tm;
    this.tm = [m[0], m[1], m[2], m[3], m[4] + tx * m[0], m[5] + tx * m[1]];
  }

  private font(resources: Dict | undefined, name: string): Font {
    const fonts = resources && this.doc.dict(resources.get('Font'));
    const fd = fonts && this.doc.dict(fonts.get(name));
    if (!fd) throw new NotDirect(`font ${name} not found`);
    let f = this.fonts.get(fd);
    if (!f) {
      f = loadFont(this.doc, fd);
      this.fonts.set(fd, f);
    }
    return f;
  }

  private show(v: Value | undefined): void {
    if (!(v instanceof Str)) throw new NotDirect('text operand');
    const g = this.g;
    const font = g.font;
    if (!font) throw new NotDirect('text without a font');
    const b = v.b;
    if (b.length < font.bytes) return;
    // The text matrix only moves along its own line while a string is shown: each glyph's device position is
    // the run's start plus how far it has advanced (acc) times the rendering matrix's direction.
    const m = this.rendering();
    const h = Math.abs(g.tfs) * Math.hypot(m[2], m[3]);
    const view = this.view;
    let acc = 0;
    let text = '';
    let known = true;
    let shown = false;
    // One pass, glyph by glyph: a long string is not held as glyphs, and reading stops once the text is full.
    for (let i = 0; i + font.bytes <= b.length; i += font.bytes) {
      if (text.length >= 1024) {
        this.emit(text);
        text = '';
        if (this.out.full) break;
      }
      const code = font.bytes === 1 ? b.charCodeAt(i) : (b.charCodeAt(i) << 8) | b.charCodeAt(i + 1);
      const ch = font.decode(code);
      if (ch === undefined) throw new NotDirect(`code ${code} without a meaning`);
      const width = font.width(code);
      const advance = ((Number.isNaN(width) ? 0 : width) / 1000) * g.tfs * g.th;
      const x = m[4] + acc * m[0];
      const y = m[5] + acc * m[1];
      const visible = !view || !(x + advance * m[0] < view[0] || x > view[2] || y < view[1] || y > view[3]);
      if (visible && !shown) {
        this.separate(x, y, h);
        shown = true;
      }
      acc += advance;
      if (visible) {
        text += ch;
        if (Number.isNaN(width)) known = false;
        this.last = { x: m[4] + acc * m[0], y: m[5] + acc * m[1], known };
      }
      acc += (g.tc + (font.bytes === 1 && code === 32 ? g.tw : 0)) * g.th;
    }
    this.advance(acc);
    this.emit(text);
  }

  /** Text shown; a control character is no text (pdf.js shows none either). */
  private emit(text: string): void {
    // eslint-disable-next-line no-control-regex
    if (text) this.out.push(text.replace(/[\u0000-\u0008\u000b-\u001f]/g, ''));
  }

  /** The text rendering matrix (text matrix × CTM); horizontal, left-to-right text only. */
  private rendering(): Matrix {
    const m = mul(this.tm, this.g.ctm);
    if (Math.abs(m[1]) > 1e-6 * Math.abs(m[0]) || Math.abs(m[2]) > 1e-6 * Math.abs(m[3]) || m[0] <= 0) throw new NotDirect('rotated or mirrored text');
    return m;
  }

  /**
   * Before a run of glyphs: a line end or a space from the position, by pdf.js's rules for its text items: the
   * baseline moved by more than the font's height is a new line; a gap (in text space) of more than 0.102 em
   * is a space; a step back of more than 0.2 em starts another item (a new line when the baseline moved by
   * half the height), with nothing between. `x`, `y`: where the run's first visible glyph starts; `h`: the
   * font's height in device space.
   */
  private separate(x: number, y: number, h: number): void {
    const last = this.last;
    if (!last) return;
    const dy = Math.abs(y - last.y);
    if (dy > h) {
      this.out.push('\n');
      return;
    }
    // Where the last glyph ended is not known (no widths): only a line change can be told.
    if (!last.known) throw new NotDirect('a move on a line after text without widths');
    const ctm = this.g.ctm;
    const scale = Math.hypot(ctm[0], ctm[1]) * Math.hypot(this.tlm[0], this.tlm[1]);
    const gap = (x - last.x) / (scale || 1);
    const em = Math.abs(this.g.tfs);
    if (gap < -0.2 * em) {
      if (dy > 0.5 * h) this.out.push('\n');
      return;
    }
    if (gap > 0.102 * em) this.out.push(' ');
  }

  private xobject(nameV: Value | undefined, resources: Dict | undefined, depth: number): void {
    if (!(nameV instanceof Name)) return;
    const xobjects = resources && this.doc.dict(resources.get('XObject'));
    const x = xobjects && this.doc.resolve(xobjects.get(nameV.n));
    if (!(x instanceof StreamObj)) return;
    const subtype = this.doc.resolve(x.s.dict.get('Subtype'));
    if (!(subtype instanceof Name) || subtype.n !== 'Form') return;
    if (depth >= FORM_DEPTH || this.forms.has(x.s) || ++this.formsDrawn > MAX_FORMS) throw new NotDirect('form nesting');
    this.forms.add(x.s);
    const m = this.doc.resolve(x.s.dict.get('Matrix'));
    const saved = { ...this.g };
    const savedStack = this.stack.length;
    if (Array.isArray(m) && m.length === 6) this.g.ctm = mul(this.matrix(m), this.g.ctm);
    const own = this.doc.dict(x.s.dict.get('Resources'));
    this.run(this.doc.data(x.s), own ?? resources, depth + 1);
    this.forms.delete(x.s);
    this.g = saved;
    this.stack.length = Math.min(this.stack.length, savedStack);
  }

  /** Past an inline image's data: its dictionary up to ID, then the data up to the EI that ends it. */
  private skipInlineImage(lex: Lexer): void {
    for (let t = lex.next(false); ; t = lex.next(false)) {
      if (t === undefined) throw new NotDirect('inline image');
      if (t instanceof Op && t.op === 'ID') break;
    }
    const re = /\sEI(?=\s|$)/g;
    re.lastIndex = lex.pos + 1;
    const m = re.exec(lex.src);
    if (!m) throw new NotDirect('inline image end');
    lex.pos = m.index + m[0].length;
  }
}

type Box = [number, number, number, number];

/** A rectangle (normalised: lower left, upper right), or undefined. */
function boxOf(doc: Document, v: Value | undefined): Box | undefined {
  const a = doc.resolve(v);
  if (!Array.isArray(a) || a.length !== 4) return undefined;
  const n = a.map((x) => doc.resolve(x));
  if (!n.every((x): x is number => typeof x === 'number')) return undefined;
  return [Math.min(n[0]!, n[2]!), Math.min(n[1]!, n[3]!), Math.max(n[0]!, n[2]!), Math.max(n[1]!, n[3]!)];
}

/** What pdf.js shows of a page: the CropBox within the MediaBox (the MediaBox alone when there is no CropBox). */
function viewOf(media: Box | undefined, crop: Box | undefined): Box | undefined {
  if (!media) return crop;
  if (!crop) return media;
  const v: Box = [Math.max(media[0], crop[0]), Math.max(media[1], crop[1]), Math.min(media[2], crop[2]), Math.min(media[3], crop[3])];
  return v[0] < v[2] && v[1] < v[3] ? v : media;
}

/** What readPdfDirect read: the text (lines and spaces as pdf.js's items give them) and whether it was cut. */
export interface DirectText {
  text: string;
  truncated: boolean;
}

/**
 * The text of a PDF, page by page (each ending with a blank line, as readPdf's), read directly; undefined when
 * the document needs pdf.js (see above). Reading stops past `maxChars` characters (`truncated`).
 * `maxDecodedBytes` caps the data decompressed for it in all.
 */
export function readPdfDirect(bytes: Uint8Array, maxChars: number, maxDecodedBytes: number): DirectText | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 1024).indexOf('%PDF-') < 0) return undefined;
  const out = new TextSink(maxChars);
  try {
    const doc = new Document(buf, maxDecodedBytes);
    if (doc.trailers.some((t) => t.has('Encrypt'))) return undefined;
    const root = doc.trailers
      .slice()
      .reverse()
      .map((t) => doc.dict(t.get('Root')))
      .find((r) => r !== undefined);
    const pagesRoot = root && doc.dict(root.get('Pages'));
    if (!pagesRoot) return undefined;
    interface Inherited {
      resources: Dict | undefined;
      media: Box | undefined;
      crop: Box | undefined;
    }
    const pages: Array<{ page: Dict; resources: Dict | undefined; view: Box | undefined }> = [];
    const seen = new Set<Dict>();
    const walk = (node: Dict, up: Inherited, depth: number): void => {
      if (depth > DEPTH || seen.has(node) || pages.length > MAX_PAGES) throw new NotDirect('page tree');
      seen.add(node);
      const own: Inherited = {
        resources: doc.dict(node.get('Resources')) ?? up.resources,
        media: boxOf(doc, node.get('MediaBox')) ?? up.media,
        crop: boxOf(doc, node.get('CropBox')) ?? up.crop,
      };
      const kids = doc.resolve(node.get('Kids'));
      if (Array.isArray(kids)) {
        for (const k of kids) {
          const kid = doc.dict(k);
          if (kid) walk(kid, own, depth + 1);
        }
      } else pages.push({ page: node, resources: own.resources, view: viewOf(own.media, own.crop) });
    };
    walk(pagesRoot, { resources: undefined, media: undefined, crop: undefined }, 0);
    for (const { page, resources, view } of pages) {
      if (out.full) break;
      const contents = doc.resolve(page.get('Contents'));
      const streams = Array.isArray(contents) ? contents.map((c) => doc.resolve(c)) : [contents];
      let content = '';
      for (const s of streams) if (s instanceof StreamObj) content += `${doc.data(s.s)}\n`;
      new PageReader(doc, out, view).run(content, resources, 0);
      out.push('\n\n');
    }
  } catch (err) {
    // RangeError: a stack or string past the engine's limits on a hostile document; pdf.js has its own.
    if (err instanceof NotDirect || err instanceof RangeError) return undefined;
    throw err;
  }
  return { text: out.text(), truncated: out.truncated };
}
