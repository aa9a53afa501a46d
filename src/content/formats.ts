/**
 * Which text reader a file goes to (docs/content.md): by its declared MIME type, then its name's extension,
 * then its first bytes. A declared type is a hint from the sender — the bytes decide when they disagree
 * (a "document.pdf" that is a ZIP is not read as a PDF).
 */

export type TextFormat = 'pdf' | 'docx' | 'odt' | 'rtf' | 'html' | 'text';

const BY_MIME: Record<string, TextFormat> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/rtf': 'rtf',
  'application/x-rtf': 'rtf',
  'text/rtf': 'rtf',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'text',
  'text/csv': 'text',
};

const BY_EXTENSION: Record<string, TextFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  odt: 'odt',
  rtf: 'rtf',
  htm: 'html',
  html: 'html',
  xhtml: 'html',
  txt: 'text',
  csv: 'text',
};

function startsWith(bytes: Buffer, ascii: string): boolean {
  return bytes.length >= ascii.length && bytes.toString('latin1', 0, ascii.length) === ascii;
}

/** What the first bytes say, when they say something. */
function sniff(bytes: Buffer): 'pdf' | 'zip' | 'rtf' | 'html' | 'binary' | undefined {
  const head = bytes.subarray(0, 1024);
  if (head.includes('%PDF-', 0, 'latin1')) return 'pdf';
  if (startsWith(bytes, 'PK\x03\x04')) return 'zip';
  if (startsWith(bytes, '{\\rtf')) return 'rtf';
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html';
  // NUL bytes outside UTF-16 text: not a text file.
  if (head.includes(0) && !startsWith(bytes, '\xff\xfe') && !startsWith(bytes, '\xfe\xff')) return 'binary';
  return undefined;
}

/** The reader for a file, or undefined when none of ours reads it. */
export function detectFormat(bytes: Buffer, mimeType: string, name: string): TextFormat | undefined {
  const mime = mimeType.split(';')[0]!.trim().toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const declared = BY_MIME[mime] ?? BY_EXTENSION[ext];
  const sniffed = sniff(bytes);
  switch (sniffed) {
    case 'pdf':
      return 'pdf';
    case 'rtf':
      return 'rtf';
    case 'zip':
      // A ZIP is read only as the office document it was declared as (docx or odt; the reader checks the parts).
      return declared === 'docx' || declared === 'odt' ? declared : undefined;
    case 'html':
      return 'html';
    case 'binary':
      return undefined;
    default:
      // Text-like bytes: read as declared when the declared kind is a text kind; a declared binary kind whose
      // bytes do not show it is still given to its reader, which reports it malformed.
      return declared;
  }
}
