import zlib from 'node:zlib';
import { pdfLiteral, winAnsiByte } from '../../src/sim/documents';

/**
 * PDFs in the shapes word processors and document systems write, for testing the direct PDF reader
 * (src/content/pdf-direct.ts) against pdf.js: compressed content streams, simple TrueType fonts with their
 * widths and WinAnsi or Differences encodings, composite (Type0, Identity-H) fonts with a ToUnicode map, words
 * placed one by one or kerned with TJ, text inside a Form XObject, objects packed in an object stream with a
 * cross-reference stream. Fonts are not embedded (no font program is needed to read text). Everything here is
 * generated; no bytes of unknown origin.
 */

export type PdfShape = 'office-words' | 'office-kerned' | 'composite' | 'differences' | 'form' | 'object-streams';
export const PDF_SHAPES: PdfShape[] = ['office-words', 'office-kerned', 'composite', 'differences', 'form', 'object-streams'];

/** Widths (thousandths of an em) of a plausible proportional font: narrow i/l, wide m/w, space 278. */
function widthOf(ch: string): number {
  if (ch === ' ') return 278;
  if (/[ilj.,;:'!|]/.test(ch)) return 250;
  if (/[mwMW]/.test(ch)) return 833;
  if (/[A-ZÕÄÖÜŠŽ]/.test(ch)) return 667;
  if (/[0-9]/.test(ch)) return 556;
  return 500;
}

/** The WinAnsi characters outside Latin-1 that the letters use (their bytes are 0x80–0x9F). */
const WIN_EXTRA = 'ŠšŽž€„“”–—';

function hexOf(codes: number[]): string {
  return `<${codes.map((c) => c.toString(16).padStart(4, '0')).join('')}>`;
}

interface Obj {
  body: string;
  stream?: Buffer;
}

/** Serialises objects 1..n (index 0 unused): a classic xref table, or (`packed`) an object stream and an XRef stream. */
function serialise(objects: Obj[], packed: boolean): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  const inStream = new Map<number, number>();
  const write = (n: number, o: Obj): void => {
    offsets[n] = offset;
    const head = o.stream ? `${n} 0 obj\n<< ${o.body} /Length ${o.stream.length} >>\nstream\n` : `${n} 0 obj\n${o.body}\nendobj\n`;
    const chunk = o.stream ? Buffer.concat([Buffer.from(head, 'latin1'), o.stream, Buffer.from('\nendstream\nendobj\n', 'latin1')]) : Buffer.from(head, 'latin1');
    parts.push(chunk);
    offset += chunk.length;
  };
  let size = objects.length;
  if (packed) {
    // Dictionaries (no streams) go into one object stream; streams stay outside, as the format requires.
    const packable = objects.map((o, n) => (n > 0 && !o.stream ? n : 0)).filter(Boolean);
    let header = '';
    let body = '';
    packable.forEach((n, k) => {
      header += `${n} ${body.length} `;
      body += `${objects[n]!.body}\n`;
      inStream.set(n, k);
    });
    const objStm = objects.length;
    size = objects.length + 2;
    for (let n = 1; n < objects.length; n++) if (!inStream.has(n)) write(n, objects[n]!);
    const data = zlib.deflateSync(Buffer.from(header + body, 'latin1'));
    write(objStm, { body: `/Type /ObjStm /N ${packable.length} /First ${header.length} /Filter /FlateDecode`, stream: data });
    const xrefN = objStm + 1;
    offsets[xrefN] = offset;
    const rows: Buffer[] = [];
    for (let n = 0; n < size; n++) {
      const row = Buffer.alloc(7);
      if (n === 0) row.writeUInt8(0, 0);
      else if (inStream.has(n)) {
        row.writeUInt8(2, 0);
        row.writeUInt32BE(objStm, 1);
        row.writeUInt16BE(inStream.get(n)!, 5);
      } else {
        row.writeUInt8(1, 0);
        row.writeUInt32BE(offsets[n]!, 1);
      }
      rows.push(row);
    }
    const xref = zlib.deflateSync(Buffer.concat(rows));
    const xrefOffset = offset;
    write(xrefN, { body: `/Type /XRef /Size ${size} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode`, stream: xref });
    parts.push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(parts);
  }
  for (let n = 1; n < objects.length; n++) write(n, objects[n]!);
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** The characters of `lines` given codes 1.. in order of first use (a subset font's glyph ids). */
function glyphIds(lines: string[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const ch of lines.join('')) if (!ids.has(ch)) ids.set(ch, ids.size + 1);
  return ids;
}

function toUnicodeCMap(ids: Map<string, number>): string {
  const entries = [...ids].map(([ch, id]) => `${hexOf([id])} <${Buffer.from(ch, 'utf16le').swap16().toString('hex')}>`);
  // Half as bfchar, the rest as one-code bfranges: both forms readers must know.
  const half = Math.ceil(entries.length / 2);
  const chars = entries.slice(0, half);
  const ranges = [...ids].slice(half).map(([ch, id]) => `${hexOf([id])} ${hexOf([id])} <${Buffer.from(ch, 'utf16le').swap16().toString('hex')}>`);
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    `${chars.length} beginbfchar`,
    ...chars,
    'endbfchar',
    `${ranges.length} beginbfrange`,
    ...ranges,
    'endbfrange',
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

/** A one-or-more-page PDF of `lines` (about 40 per page) in the given shape. */
export function makeShapedPdf(lines: string[], shape: PdfShape): Buffer {
  const perPage = 40;
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));
  if (pages.length === 0) pages.push([]);
  const objects: Obj[] = [{ body: '' }];
  const add = (o: Obj): number => objects.push(o) - 1;
  const catalog = add({ body: '' });
  const pagesN = add({ body: '' });
  const ids = glyphIds(lines);
  const size = 11;
  let font: number;
  if (shape === 'composite') {
    const w = [...ids].map(([ch, id]) => `${id} [${widthOf(ch)}]`).join(' ');
    const cid = add({ body: `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Calibri /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 /W [${w}] >>` });
    const cmap = add({ body: '', stream: zlib.deflateSync(Buffer.from(toUnicodeCMap(ids), 'latin1')) });
    objects[cmap]!.body = '/Filter /FlateDecode';
    font = add({ body: `<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Calibri /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${cmap} 0 R >>` });
  } else if (shape === 'differences') {
    // Codes 1.. name their glyphs (a subset font's own order), as Differences.
    const names = [...ids].map(([ch]) => glyphName(ch));
    const widths = [...ids].map(([ch]) => widthOf(ch)).join(' ');
    font = add({ body: `<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Garamond /FirstChar 1 /LastChar ${ids.size} /Widths [${widths}] /Encoding << /Type /Encoding /Differences [1 ${names.map((n) => `/${n}`).join(' ')}] >> >>` });
  } else {
    const charOf = (b: number): string => [...WIN_EXTRA].find((ch) => winAnsiByte(ch) === b) ?? String.fromCharCode(b);
    const widths = Array.from({ length: 224 }, (_x, k) => widthOf(charOf(k + 32))).join(' ');
    font = add({ body: `<< /Type /Font /Subtype /TrueType /BaseFont /TimesNewRomanPSMT /FirstChar 32 /LastChar 255 /Widths [${widths}] /Encoding /WinAnsiEncoding >>` });
  }
  const encode = (text: string): string => {
    if (shape === 'composite') return hexOf([...text].map((ch) => ids.get(ch)!));
    if (shape === 'differences') return pdfLiteral([...text].map((ch) => ids.get(ch)!));
    return pdfLiteral([...text].map((ch) => winAnsiByte(ch) ?? 0x3f));
  };
  const pageRefs: number[] = [];
  for (const pl of pages) {
    const ops: string[] = [];
    let y = 800;
    for (const line of pl) {
      if (shape === 'office-words') {
        // Each word placed on its own (BT … Tm … ET), as a layout engine does: the space is a gap, not a character.
        let x = 56;
        for (const word of line.split(' ')) {
          if (word) ops.push(`BT /F1 ${size} Tf 1 0 0 1 ${x.toFixed(2)} ${y} Tm ${encode(word)} Tj ET`);
          x += ([...word].reduce((s, ch) => s + widthOf(ch), 0) / 1000) * size + (widthOf(' ') / 1000) * size;
        }
      } else if (shape === 'office-kerned') {
        // A line as one TJ: pairs kerned by small amounts inside words; spaces as characters; a flipped CTM.
        const pieces: string[] = [];
        for (const word of line.split(/(?<= )/)) {
          const chars = [...word];
          const cut = Math.max(1, Math.floor(chars.length / 2));
          pieces.push(encode(chars.slice(0, cut).join('')), '-12', encode(chars.slice(cut).join('')));
        }
        ops.push(`q 1 0 0 -1 0 842 cm BT /F1 ${size} Tf 1 0 0 -1 56 ${842 - y} Tm [${pieces.filter((p) => p !== '()').join(' ')}] TJ ET Q`);
      } else {
        ops.push(`BT /F1 ${size} Tf 56 ${y} Td ${encode(line)} Tj ET`);
      }
      y -= 16;
    }
    let resources = `<< /Font << /F1 ${font} 0 R >> >>`;
    let content = ops.join('\n');
    if (shape === 'form') {
      const form = add({ body: '', stream: zlib.deflateSync(Buffer.from(content, 'latin1')) });
      objects[form]!.body = `/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 0] /Resources << /Font << /F1 ${font} 0 R >> >> /Filter /FlateDecode`;
      resources = `<< /XObject << /Fm1 ${form} 0 R >> >>`;
      content = 'q 1 0 0 1 0 0 cm /Fm1 Do Q';
    }
    const stream = add({ body: '/Filter /FlateDecode', stream: zlib.deflateSync(Buffer.from(content, 'latin1')) });
    pageRefs.push(add({ body: `<< /Type /Page /Parent ${pagesN} 0 R /MediaBox [0 0 595 842] /Resources ${resources} /Contents ${stream} 0 R >>` }));
  }
  objects[catalog]!.body = `<< /Type /Catalog /Pages ${pagesN} 0 R >>`;
  objects[pagesN]!.body = `<< /Type /Pages /Kids [${pageRefs.map((p) => `${p} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`;
  return serialise(objects, shape === 'object-streams');
}

const NAMED: Record<string, string> = {
  ' ': 'space', '.': 'period', ',': 'comma', ':': 'colon', ';': 'semicolon', '-': 'hyphen', '/': 'slash', '(': 'parenleft', ')': 'parenright',
  '0': 'zero', '1': 'one', '2': 'two', '3': 'three', '4': 'four', '5': 'five', '6': 'six', '7': 'seven', '8': 'eight', '9': 'nine',
  õ: 'otilde', Õ: 'Otilde', ä: 'adieresis', Ä: 'Adieresis', ö: 'odieresis', Ö: 'Odieresis', ü: 'udieresis', Ü: 'Udieresis',
  š: 'scaron', Š: 'Scaron', ž: 'zcaron', Ž: 'Zcaron', '„': 'quotedblbase', '“': 'quotedblleft', '–': 'endash', '?': 'question', '!': 'exclam',
};

function glyphName(ch: string): string {
  if (/^[A-Za-z]$/.test(ch)) return ch;
  return NAMED[ch] ?? `uni${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
