import { unzipSync } from 'fflate';
import sax from 'sax';
import { TextReadError } from './errors';
import type { TextSink } from './sink';

/**
 * DOCX and ODT text: the one part that holds the body (`word/document.xml`, `content.xml`) is inflated from
 * the ZIP (fflate; its declared size is checked first, and the worker's memory is capped) and read with sax.
 * DOCX: text of `w:t` runs joined, `w:tab` a tab, `w:br`/`w:cr` and the end of each `w:p` a newline; deleted
 * text (`w:delText`) and field codes (`w:instrText`) are not text. ODT: text of `text:p`/`text:h`,
 * `text:s` spaces, `text:tab`, `text:line-break`; notes' citations kept, annotations skipped.
 */

export function zipPart(bytes: Uint8Array, part: string, maxBytes: number): Uint8Array {
  let found: Uint8Array | undefined;
  let tooBig = 0;
  let encrypted = false;
  try {
    const files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name !== part) return false;
        if (f.originalSize > maxBytes) {
          tooBig = f.originalSize;
          return false;
        }
        return true;
      },
    });
    found = files[part];
  } catch (err) {
    const message = (err as Error).message;
    if (/encrypt/i.test(message)) encrypted = true;
    else throw new TextReadError('TEXT_MALFORMED', `the ZIP cannot be read: ${message}`);
  }
  if (encrypted) throw new TextReadError('TEXT_ENCRYPTED', 'the document is encrypted');
  if (tooBig) throw new TextReadError('TEXT_TOO_LARGE', `${part} would unpack to ${tooBig} bytes (limit ${maxBytes})`);
  if (!found) throw new TextReadError('TEXT_MALFORMED', `the document has no ${part}`);
  return found;
}

function readXml(xml: Uint8Array, out: TextSink, handlers: { open(name: string, attrs: Record<string, string>): void; close(name: string): void; text(t: string): void }): void {
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false });
  parser.onopentag = (t): void => handlers.open(t.name, t.attributes as Record<string, string>);
  parser.onclosetag = (name): void => handlers.close(name);
  parser.ontext = (t): void => handlers.text(t);
  parser.oncdata = (t): void => handlers.text(t);
  parser.onerror = (err): void => {
    throw new TextReadError('TEXT_MALFORMED', `the document's XML is malformed: ${err.message.split('\n')[0]}`);
  };
  const text = new TextDecoder('utf-8').decode(xml);
  const STEP = 1 << 16;
  for (let k = 0; k < text.length && !out.full; k += STEP) parser.write(text.slice(k, k + STEP));
  if (!out.full) parser.close();
}

export function readDocx(bytes: Uint8Array, out: TextSink, maxPartBytes: number): void {
  const xml = zipPart(bytes, 'word/document.xml', maxPartBytes);
  let inText = 0;
  let skip = 0;
  readXml(xml, out, {
    open(name) {
      if (name === 'w:t') inText++;
      else if (name === 'w:delText' || name === 'w:instrText' || name === 'w:delInstrText') skip++;
      else if (name === 'w:tab') out.push('\t');
      else if (name === 'w:br' || name === 'w:cr') out.push('\n');
    },
    close(name) {
      if (name === 'w:t') inText--;
      else if (name === 'w:delText' || name === 'w:instrText' || name === 'w:delInstrText') skip--;
      else if (name === 'w:p') out.push('\n');
    },
    text(t) {
      if (inText > 0 && skip === 0) out.push(t);
    },
  });
}

export function readOdt(bytes: Uint8Array, out: TextSink, maxPartBytes: number): void {
  const xml = zipPart(bytes, 'content.xml', maxPartBytes);
  let inBody = 0;
  let skip = 0;
  readXml(xml, out, {
    open(name, attrs) {
      if (name === 'office:body') inBody++;
      else if (name === 'office:annotation' || name === 'text:tracked-changes') skip++;
      else if (name === 'text:s') out.push(' '.repeat(Math.min(Number(attrs['text:c'] ?? 1) || 1, 100)));
      else if (name === 'text:tab') out.push('\t');
      else if (name === 'text:line-break') out.push('\n');
    },
    close(name) {
      if (name === 'office:body') inBody--;
      else if (name === 'office:annotation' || name === 'text:tracked-changes') skip--;
      else if (name === 'text:p' || name === 'text:h') out.push('\n');
    },
    text(t) {
      if (inBody > 0 && skip === 0) out.push(t);
    },
  });
}
