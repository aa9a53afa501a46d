import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';

/**
 * Small but real office documents, written here byte by byte so that no fixture is a blob of unknown origin:
 * PDF (hand-written objects, Helvetica with WinAnsiEncoding, a text content stream, exact xref offsets),
 * DOCX and ODT (zip with the parts a word processor writes), RTF (code page 1257 and \uN escapes) and HTML.
 * Every generator takes paragraphs of plain text (Estonian letters õ ä ö ü š ž included) and gives the bytes.
 */

// ---- PDF ----

/** WinAnsiEncoding byte of a character, or undefined when it has none. */
export function winAnsiByte(ch: string): number | undefined {
  const special: Record<string, number> = { 'Š': 0x8a, 'š': 0x9a, 'Ž': 0x8e, 'ž': 0x9e, '€': 0x80, '„': 0x84, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  if (special[ch] !== undefined) return special[ch];
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c < 0x7f) return c;
  if (c >= 0xa0 && c <= 0xff) return c;
  return undefined;
}

/** A PDF literal string of `bytes`, with ( ) \ and bytes outside printable ASCII escaped as octal. */
export function pdfLiteral(bytes: readonly number[]): string {
  let out = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

/** A PDF literal string in WinAnsi bytes (a character without one as "?"). */
function pdfString(text: string): string {
  return pdfLiteral([...text].map((ch) => winAnsiByte(ch) ?? 0x3f));
}

export interface PdfOptions {
  /** Adds an /Encrypt dictionary (standard handler, a user password we do not know): readers must ask for it. */
  encrypted?: boolean;
  /** Lines per page (default 45); more paragraphs make more pages. */
  linesPerPage?: number;
  /**
   * Content streams written in hexadecimal (/ASCIIHexDecode), as some older generators do: a filter only pdf.js
   * reads here (src/content/pdf-direct.ts leaves such a document to it).
   */
  hexStreams?: boolean;
}

/** Wraps a paragraph at about `width` characters. */
function wrap(p: string, width = 90): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of p.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  out.push(line);
  return out;
}

/** A PDF 1.4 of the paragraphs, one text object per page, Helvetica 11 pt. */
export function makePdf(paragraphs: string[], opts: PdfOptions = {}): Buffer {
  const per = opts.linesPerPage ?? 45;
  const lines = paragraphs.flatMap((p) => [...wrap(p), '']);
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += per) pages.push(lines.slice(i, i + per));
  if (pages.length === 0) pages.push(['']);

  // Object numbers: 1 catalog, 2 pages, 3 font, then per page: page, content.
  const objects: string[] = [];
  const pageRefs = pages.map((_, i) => `${4 + i * 2} 0 R`);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((pl, i) => {
    const stream = ['BT', '/F1 11 Tf', '14 TL', '56 790 Td', ...pl.map((l) => `${pdfString(l)} Tj T*`), 'ET'].join('\n');
    const data = opts.hexStreams ? `${Buffer.from(stream, 'latin1').toString('hex')}>` : stream;
    const len = Buffer.from(data, 'latin1').length;
    objects[4 + i * 2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`;
    objects[5 + i * 2] = `<< /Length ${len}${opts.hexStreams ? ' /Filter /ASCIIHexDecode' : ''} >>\nstream\n${data}\nendstream`;
  });
  let encryptRef = '';
  if (opts.encrypted) {
    const n = objects.length;
    const hex32 = (seed: number): string => Array.from({ length: 32 }, (_, k) => ((seed * 31 + k * 17) & 0xff).toString(16).padStart(2, '0')).join('');
    objects[n] = `<< /Filter /Standard /V 1 /R 2 /O <${hex32(7)}> /U <${hex32(11)}> /P -4 >>`;
    encryptRef = ` /Encrypt ${n} 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]`;
  }

  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = Buffer.byteLength(body, 'latin1');
    body += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n++) body += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptRef} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// ---- XML helpers ----

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function zip(entries: Record<string, string>, storedFirst?: string): Buffer {
  const z: Zippable = {};
  if (storedFirst) z[storedFirst] = [strToU8(entries[storedFirst]!), { level: 0 }];
  for (const [name, text] of Object.entries(entries)) if (name !== storedFirst) z[name] = strToU8(text);
  return Buffer.from(zipSync(z, { mtime: new Date('2026-01-15T10:00:00Z') }));
}

// ---- DOCX ----

/** A DOCX (WordprocessingML): each paragraph a w:p; words split over two runs, a tab and a break inside. */
export function makeDocx(paragraphs: string[]): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const para = (p: string): string => {
    // Split the paragraph into two runs in the middle of a word: a reader must join runs without a space.
    const cut = Math.floor(p.length / 2);
    const runs = [p.slice(0, cut), p.slice(cut)].filter(Boolean);
    return `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>${runs.map((r, i) => `<w:r>${i ? '<w:rPr><w:b/></w:rPr>' : ''}<w:t xml:space="preserve">${xmlEscape(r)}</w:t></w:r>`).join('')}</w:p>`;
  };
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>${paragraphs.map(para).join('')}<w:sectPr/></w:body></w:document>`;
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/_rels/document.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    'word/document.xml': document,
  });
}

// ---- ODT ----

/** An ODT (OpenDocument text): mimetype stored first, content.xml with text:p, a span and a text:s. */
export function makeOdt(paragraphs: string[]): Buffer {
  const para = (p: string): string => {
    const i = p.indexOf(' ');
    if (i < 0) return `<text:p>${xmlEscape(p)}</text:p>`;
    return `<text:p><text:span text:style-name="T1">${xmlEscape(p.slice(0, i))}</text:span><text:s/>${xmlEscape(p.slice(i + 1))}</text:p>`;
  };
  const content = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text>${paragraphs.map(para).join('')}</office:text></office:body></office:document-content>`;
  return zip(
    {
      mimetype: 'application/vnd.oasis.opendocument.text',
      'META-INF/manifest.xml':
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
      'content.xml': content,
    },
    'mimetype',
  );
}

// ---- RTF ----

/**
 * An RTF 1.x document as Word writes Estonian text: \ansicpg1257, letters of code page 1257 as \'hh, anything
 * outside it as \uN with a "?" fallback, a font table and a header group the reader must skip.
 */
export function makeRtf(paragraphs: string[], codePage: 1257 | 1252 = 1257): Buffer {
  const decoder = new TextDecoder(`windows-${codePage}`);
  const table = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  const esc = (p: string): string => {
    let out = '';
    for (const ch of p) {
      const c = ch.codePointAt(0)!;
      if (ch === '\\' || ch === '{' || ch === '}') out += `\\${ch}`;
      else if (c < 0x80) out += ch;
      else if (table.has(ch)) out += `\\'${table.get(ch)!.toString(16)}`;
      else out += `\\u${c > 32767 ? c - 65536 : c}?`;
    }
    return out;
  };
  const body = paragraphs.map((p) => `\\pard\\plain\\f0\\fs22 ${esc(p)}\\par`).join('\n');
  return Buffer.from(
    `{\\rtf1\\ansi\\ansicpg${codePage}\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset186 Arial;}}{\\*\\generator Dokumendigeneraator 1.0;}{\\info{\\title Kiri}{\\author Ametnik}}\n\\viewkind4\\uc1\n${body}\n}`,
    'latin1',
  );
}

// ---- HTML ----

/** An HTML page: a head with a style and a script that must not be read, entities, paragraphs. */
export function makeHtml(paragraphs: string[]): Buffer {
  const enc = (p: string): string => xmlEscape(p).replace(/õ/g, '&otilde;').replace(/ä/g, '&auml;').replace(/š/g, '&#353;').replace(/ž/g, '&#x17E;');
  return Buffer.from(
    `<!DOCTYPE html>\n<html lang="et"><head><meta charset="utf-8"><title>Kiri</title><style>p { color: red } .salajane { }</style><script>var skriptitekst = "ära loe";</script></head><body>\n${paragraphs.map((p) => `<p>${enc(p)}</p>`).join('\n')}\n<!-- kommentaar ei ole tekst --></body></html>`,
    'utf8',
  );
}

/** Plain text in UTF-8 with a BOM, or in windows-1257 (Estonian letters as single bytes). */
export function makePlainText(paragraphs: string[], encoding: 'utf8-bom' | 'windows-1257' = 'utf8-bom'): Buffer {
  const text = paragraphs.join('\r\n\r\n');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const decoder = new TextDecoder('windows-1257');
  const table = new Map<string, number>();
  for (let b = 0; b <= 0xff; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((ch) => table.get(ch) ?? 0x3f));
}

export type DocumentFormat = 'pdf' | 'docx' | 'odt' | 'rtf' | 'html' | 'txt';

export const MIME_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  html: 'text/html',
  txt: 'text/plain',
};

/** The document of `format` holding `paragraphs`. */
export function makeDocument(format: DocumentFormat, paragraphs: string[]): Buffer {
  switch (format) {
    case 'pdf':
      return makePdf(paragraphs);
    case 'docx':
      return makeDocx(paragraphs);
    case 'odt':
      return makeOdt(paragraphs);
    case 'rtf':
      return makeRtf(paragraphs);
    case 'html':
      return makeHtml(paragraphs);
    case 'txt':
      return makePlainText(paragraphs);
  }
}

// ---- ASiC-E (shaped like a signed container) ----

/**
 * An ASiC-E shaped like the signed containers KOV document systems send (for the demo and the simulator):
 * `mimetype` stored first, the data files, `META-INF/manifest.xml` and `META-INF/signatures0.xml` with one
 * XAdES signature whose references carry the data files' SHA-256 digests and a signing time. It carries no
 * certificate and no real signature value (nothing here signs): the adapter checks the digests (`ok`) and
 * shows no signer. Tests that need a signer's certificate use test/fixtures-gen/containers.ts.
 */
export function makeAsice(files: Array<{ name: string; bytes: Buffer; mimeType: string }>, signingTime = new Date('2026-11-20T09:15:00Z')): Buffer {
  const uri = (name: string): string => encodeURIComponent(name).replace(/%2F/g, '/');
  const refs = files
    .map(
      (f, i) =>
        `<ds:Reference Id="S0-RefId${i}" URI="${xmlEscape(uri(f.name))}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>` +
        `<ds:DigestValue>${createHash('sha256').update(f.bytes).digest('base64')}</ds:DigestValue></ds:Reference>`,
    )
    .join('');
  const signatures =
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` +
    `<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">` +
    `<ds:Signature Id="S0"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>${refs}</ds:SignedInfo>` +
    `<ds:SignatureValue Id="S0-SIG"></ds:SignatureValue>` +
    `<ds:Object><xades:QualifyingProperties Target="#S0"><xades:SignedProperties Id="S0-SignedProperties"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z')}</xades:SigningTime>` +
    `</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></asic:XAdESSignatures>`;
  const manifest =
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` +
    `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">` +
    `<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>` +
    files.map((f) => `<manifest:file-entry manifest:full-path="${xmlEscape(f.name)}" manifest:media-type="${xmlEscape(f.mimeType)}"/>`).join('') +
    `</manifest:manifest>`;
  const z: Zippable = { mimetype: [strToU8('application/vnd.etsi.asic-e+zip'), { level: 0 }] };
  for (const f of files) z[f.name] = new Uint8Array(f.bytes);
  z['META-INF/manifest.xml'] = strToU8(manifest);
  z['META-INF/signatures0.xml'] = strToU8(signatures);
  return Buffer.from(zipSync(z, { mtime: new Date('2026-01-15T10:00:00Z') }));
}
