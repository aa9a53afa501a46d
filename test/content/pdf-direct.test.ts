import zlib from 'node:zlib';
import { readPdf } from '../../src/content/pdf';
import { readPdfDirect } from '../../src/content/pdf-direct';
import { finishText, rawCharsFor, TextSink } from '../../src/content/sink';
import { extractText, closeTextWorkers } from '../../src/content/text';
import { words } from '../../src/content/fold';
import { makePdf } from '../../src/sim/documents';
import { makeShapedPdf, PDF_SHAPES } from './pdf-shapes';

/**
 * The direct PDF reader (src/content/pdf-direct.ts) against pdf.js, the reader it stands in for: on every
 * shape it takes, the same words in the same order; everything else it leaves to pdf.js (undefined); hostile
 * or broken input never throws and stays within its caps.
 */

const CAP = 200_000;

async function byPdfjs(bytes: Buffer): Promise<string> {
  const sink = new TextSink(rawCharsFor(CAP));
  await readPdf(bytes, sink);
  return finishText(sink.text(), sink.truncated, CAP).text;
}

function direct(bytes: Buffer): string | undefined {
  const d = readPdfDirect(bytes, rawCharsFor(CAP), 8 * 1024 * 1024);
  return d && finishText(d.text, d.truncated, CAP).text;
}

/** A seeded generator (mulberry32): the same letters on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = (
  'Palume Sotsiaalkindlustusameti arvamust lapse suunamiseks kinnise lasteasutuse teenusele. Nõustamine lastekaitsejuhtumis, ' +
  'mentorlus alustavale spetsialistile; supervisioon: meeskond, töökoormus ja läbipõlemine. Šveitsi žürii „otsus“ – 2026. aasta ' +
  'jaanuaris nr 7-1/15 (kohus) määras istungi! Kas ÕÄÖÜ õäöü on loetud? Lugupidamisega Tartu Linnavalitsus'
).split(' ');

function letter(seed: number, lines: number): string[] {
  const r = random(seed);
  // Lines that fit the page (a longer one runs off its right edge, where pdf.js reads nothing: see 'off the page').
  return Array.from({ length: lines }, () => {
    let line = VOCABULARY[Math.floor(r() * VOCABULARY.length)]!;
    for (let n = 1 + Math.floor(r() * 8); n > 0; n--) {
      const w = VOCABULARY[Math.floor(r() * VOCABULARY.length)]!;
      if (line.length + w.length + 1 > 70) break;
      line += ` ${w}`;
    }
    return line;
  });
}

afterAll(() => closeTextWorkers());

/** The text without its white space: the characters and their order, whatever the word breaks. */
const squash = (t: string): string => t.replace(/\s+/g, '');

describe('the same words as pdf.js', () => {
  test.each(PDF_SHAPES)('%s', async (shape) => {
    for (let seed = 1; seed <= 6; seed++) {
      const lines = letter(seed * 7 + shape.length, seed === 6 ? 95 : 4 + seed * 3);
      const bytes = makeShapedPdf(lines, shape);
      const mine = direct(bytes);
      expect(mine).toBeDefined();
      // The letter's own words, in order, and the characters pdf.js reads, in order.
      expect(words(mine!)).toEqual(words(lines.join('\n')));
      const theirs = await byPdfjs(bytes);
      expect(squash(mine!)).toBe(squash(theirs));
      // A composite font whose program is not embedded: pdf.js places its glyphs by a substitute font's metrics
      // and breaks words elsewhere (and reads a NUL after each glyph); the same characters, in the same order.
      if (shape === 'composite') continue;
      expect(words(mine!)).toEqual(words(theirs));
      // Lines too: each line of the letter is a line of the text.
      expect(mine!.split('\n').filter(Boolean).length).toBe(theirs.split('\n').filter(Boolean).length);
    }
  });

  test('the simulator\'s letters (Type 1 Helvetica, WinAnsi, uncompressed), Estonian letters and quotes included', async () => {
    const bytes = makePdf(['Šokolaad žürii ÕÄÖÜ „jutumärgid“ – kriips', ...letter(99, 60)]);
    expect(direct(bytes)).toBe(await byPdfjs(bytes));
  });

  test('off the page: text beyond the page\'s edges is not read (as pdf.js, which shows only the page)', async () => {
    const long = `${'Nähtav '.repeat(6)}${'peidetud '.repeat(40)}`;
    for (const shape of PDF_SHAPES) {
      const bytes = makeShapedPdf(['Palume nõustamist.', long], shape);
      const mine = direct(bytes);
      // (Not the composite font: pdf.js places its glyphs by a substitute's metrics, see above.)
      if (shape !== 'composite') expect(squash(mine!)).toBe(squash(await byPdfjs(bytes)));
      expect(words(mine!).filter((w) => w === 'nahtav')).toHaveLength(6);
      expect(words(mine!).filter((w) => w === 'peidetud').length).toBeLessThan(40);
    }
  });

  test('the character cap: the text is cut and marked truncated', () => {
    const d = readPdfDirect(makeShapedPdf(letter(5, 200), 'composite'), 500, 8 * 1024 * 1024);
    expect(d).toMatchObject({ truncated: true });
    expect(d!.text.length).toBe(500);
  });
});

describe('left to pdf.js', () => {
  test('an encrypted PDF (pdf.js says TEXT_ENCRYPTED)', async () => {
    const bytes = makePdf(['Salajane'], { encrypted: true });
    expect(readPdfDirect(bytes, CAP, 1 << 20)).toBeUndefined();
    expect(await extractText(bytes, 'application/pdf', 'a.pdf')).toMatchObject({ kind: 'failed', code: 'TEXT_ENCRYPTED' });
  });

  test('a filter it does not read (ASCIIHexDecode): pdf.js reads the same words', async () => {
    const bytes = makePdf(['Palume nõustamist lastekaitsejuhtumis.'], { hexStreams: true });
    expect(readPdfDirect(bytes, CAP, 1 << 20)).toBeUndefined();
    const out = await extractText(bytes, 'application/pdf', 'a.pdf');
    expect(out).toMatchObject({ kind: 'text' });
    expect(out.kind === 'text' && words(out.text)).toEqual(words('Palume nõustamist lastekaitsejuhtumis.'));
  });

  const base = makeShapedPdf(['Palume nõustamist'], 'office-words').toString('latin1');
  test.each([
    ['a Type 3 font', base.replace('/Subtype /TrueType', '/Subtype /Type3')],
    ['rotated text', makePdf(['Palume']).toString('latin1').replace('56 790 Td', '0 1 -1 0 300 300 Tm')],
    ['a predictor on a content stream', base.replace(/\/Filter \/FlateDecode \/Length/, '/Filter /FlateDecode /DecodeParms << /Predictor 12 >> /Length')],
    ['a glyph name without a known meaning', makeShapedPdf(['abc'], 'differences').toString('latin1').replace('/a /b', '/a.alt /b')],
    ['a font that is not in the resources', base.replace('/F1 ', '/F9 ')],
  ])('%s', (_what, latin1) => {
    expect(readPdfDirect(Buffer.from(latin1, 'latin1'), CAP, 1 << 20)).toBeUndefined();
  });
});

describe('broken and hostile input', () => {
  test('random mutations and truncations never throw (fixed seed)', () => {
    const r = random(2026);
    const samples = [...PDF_SHAPES.map((s) => makeShapedPdf(letter(3, 12), s)), makePdf(letter(4, 10))];
    for (let round = 0; round < 1500; round++) {
      const src = samples[round % samples.length]!;
      const bytes = Buffer.from(src);
      const kind = round % 3;
      if (kind === 0) for (let k = 0; k < 1 + Math.floor(r() * 8); k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const input = kind === 1 ? bytes.subarray(0, Math.floor(r() * bytes.length)) : bytes;
      if (kind === 2) {
        // A run of the file repeated or cut out: objects, dictionaries and strings broken at random places.
        const at = Math.floor(r() * bytes.length);
        const len = Math.floor(r() * 200);
        const mixed = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + len))]);
        const d = readPdfDirect(mixed, 10_000, 1 << 20);
        if (d) expect(d.text.length).toBeLessThanOrEqual(10_000);
        continue;
      }
      const d = readPdfDirect(input, 10_000, 1 << 20);
      if (d) expect(d.text.length).toBeLessThanOrEqual(10_000);
    }
  });

  test('deep nesting, a huge code range, a decompression bomb and endless operators stay within the caps', () => {
    const pdf = (content: string, extra = ''): Buffer =>
      Buffer.from(
        `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
          `3 0 obj << /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >> endobj\n` +
          `4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding ${extra} >> endobj\n` +
          `5 0 obj << /Length ${content.length} >>\nstream\n${content}\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
        'latin1',
      );
    expect(readPdfDirect(pdf(`${'['.repeat(100_000)}`), CAP, 1 << 20)).toBeUndefined();
    expect(readPdfDirect(pdf(`${'q '.repeat(300_000)}BT /F1 10 Tf (x) Tj ET`), CAP, 1 << 20)).toBeUndefined();
    // Operators past the cap (200 000 per document): left to pdf.js, which has its thread's time cap.
    expect(readPdfDirect(pdf(`BT /F1 10 Tf ${'(a) Tj '.repeat(250_000)} ET`), CAP, 1 << 20)).toBeUndefined();
    expect(readPdfDirect(pdf(`BT /F1 10 Tf 12 TL 0 800 Td ${'(a) Tj T* '.repeat(60_000)} ET`), CAP, 1 << 20)).toBeDefined();
    // One string of a million glyphs: read until the character cap, not held whole.
    expect(readPdfDirect(pdf(`BT /F1 10 Tf 0 800 Td (${'a'.repeat(1_000_000)}) Tj ET`), 5000, 1 << 20)).toMatchObject({ truncated: true });
    // Glyphs without widths on one line: where the next one starts cannot be told, so pdf.js reads it.
    expect(readPdfDirect(pdf(`BT /F1 10 Tf 0 800 Td (a) Tj (b) Tj ET`), CAP, 1 << 20)).toBeUndefined();
    // A ToUnicode range over every two-byte code (65 536 entries at most, by the range cap): read, and the letters are its.
    const cmap = '1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0041> endbfrange';
    const tail = (n: number, data: Buffer, dict = ''): Buffer =>
      Buffer.concat([Buffer.from(`${n} 0 obj << /Length ${data.length} ${dict} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream endobj\n', 'latin1')]);
    const withRange = Buffer.concat([pdf('BT /F1 10 Tf (a) Tj ET', '/ToUnicode 6 0 R'), tail(6, Buffer.from(cmap, 'latin1'))]);
    expect(readPdfDirect(withRange, CAP, 1 << 20)).toBeDefined();
    // A ToUnicode map that inflates past the cap on decompressed data: left to pdf.js (its thread's heap cap).
    const bomb = zlib.deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const withBomb = Buffer.concat([pdf('BT /F1 10 Tf (a) Tj ET', '/ToUnicode 7 0 R'), tail(7, bomb, '/Filter /FlateDecode')]);
    expect(readPdfDirect(withBomb, CAP, 1 << 20)).toBeUndefined();
  });
});
