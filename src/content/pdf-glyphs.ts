/**
 * Glyph names to text, for the Differences of a simple font's encoding (pdf-direct.ts): the Adobe Glyph List's
 * names for ASCII, Latin-1, the Latin Extended-A letters (Estonian õ ä ö ü š ž among them) and common
 * punctuation, and the `uniXXXX` / `uXXXX` forms. A name not here makes the document go to pdf.js.
 */
const NAMES: Record<string, string> = {
  space: ' ', exclam: '!', quotedbl: '"', numbersign: '#', dollar: '$', percent: '%', ampersand: '&', quotesingle: "'",
  parenleft: '(', parenright: ')', asterisk: '*', plus: '+', comma: ',', hyphen: '-', period: '.', slash: '/',
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  colon: ':', semicolon: ';', less: '<', equal: '=', greater: '>', question: '?', at: '@', bracketleft: '[',
  backslash: '\\', bracketright: ']', asciicircum: '^', underscore: '_', grave: '`', braceleft: '{', bar: '|',
  braceright: '}', asciitilde: '~', quoteleft: '\u2018', quoteright: '\u2019', quotesinglbase: '\u201a',
  quotedblleft: '\u201c', quotedblright: '\u201d', quotedblbase: '\u201e', guillemotleft: '\u00ab',
  guillemotright: '\u00bb', guilsinglleft: '\u2039', guilsinglright: '\u203a', endash: '\u2013', emdash: '\u2014',
  bullet: '\u2022', ellipsis: '\u2026', dagger: '\u2020', daggerdbl: '\u2021', perthousand: '\u2030', Euro: '\u20ac',
  trademark: '\u2122', fi: 'fi', fl: 'fl', ff: 'ff', ffi: 'ffi', ffl: 'ffl', minus: '\u2212', fraction: '\u2044',
  exclamdown: '\u00a1', cent: '\u00a2', sterling: '\u00a3', currency: '\u00a4', yen: '\u00a5', brokenbar: '\u00a6',
  section: '\u00a7', dieresis: '\u00a8', copyright: '\u00a9', ordfeminine: '\u00aa', logicalnot: '\u00ac',
  registered: '\u00ae', macron: '\u00af', degree: '\u00b0', plusminus: '\u00b1', twosuperior: '\u00b2',
  threesuperior: '\u00b3', acute: '\u00b4', mu: '\u00b5', paragraph: '\u00b6', periodcentered: '\u00b7',
  cedilla: '\u00b8', onesuperior: '\u00b9', ordmasculine: '\u00ba', onequarter: '\u00bc', onehalf: '\u00bd',
  threequarters: '\u00be', questiondown: '\u00bf', multiply: '\u00d7', divide: '\u00f7', germandbls: '\u00df',
  nbspace: '\u00a0', sfthyphen: '\u00ad', circumflex: '\u02c6', tilde: '\u02dc', caron: '\u02c7', breve: '\u02d8',
  dotaccent: '\u02d9', ring: '\u02da', ogonek: '\u02db', hungarumlaut: '\u02dd', dotlessi: '\u0131', florin: '\u0192',
  AE: '\u00c6', ae: '\u00e6', OE: '\u0152', oe: '\u0153', Oslash: '\u00d8', oslash: '\u00f8', Eth: '\u00d0', eth: '\u00f0',
  Thorn: '\u00de', thorn: '\u00fe', Lslash: '\u0141', lslash: '\u0142',
};

/** Letters with a mark, by the mark's name in glyph names: "otilde" is o + tilde, "Scaron" S + caron. */
const MARKS: Record<string, string> = {
  grave: '\u0300', acute: '\u0301', circumflex: '\u0302', tilde: '\u0303', macron: '\u0304', breve: '\u0306',
  dotaccent: '\u0307', dieresis: '\u0308', ring: '\u030a', hungarumlaut: '\u030b', caron: '\u030c', cedilla: '\u0327',
  ogonek: '\u0328', commaaccent: '\u0326',
};

export function glyphUnicode(name: string): string | undefined {
  const known = NAMES[name];
  if (known !== undefined) return known;
  if (/^[A-Za-z]$/.test(name)) return name;
  let m = /^uni([0-9A-Fa-f]{4})$/.exec(name);
  if (m) return String.fromCharCode(parseInt(m[1]!, 16));
  m = /^u([0-9A-Fa-f]{4,6})$/.exec(name);
  if (m) {
    const cp = parseInt(m[1]!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  m = /^([A-Za-z])([a-z]+)$/.exec(name);
  if (m && MARKS[m[2]!]) {
    const composed = (m[1]! + MARKS[m[2]!]!).normalize('NFC');
    return composed.length === 1 ? composed : undefined;
  }
  return undefined;
}
