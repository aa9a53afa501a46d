import { TextReadError } from './errors';
import type { TextFormat } from './formats';
import { readHtml } from './html';
import { readDocx, readOdt } from './office';
import { readPdf } from './pdf';
import { decodePlainText } from './plain';
import { readRtf } from './rtf';
import { finishText, rawCharsFor, TextSink } from './sink';

/** What a reader gives back: the text (tidied, at most maxChars) and whether it was cut. */
export interface ParsedText {
  text: string;
  truncated: boolean;
}

type Decode = (s: string) => string;
let decodeHtml: Promise<Decode> | undefined;

/** `entities` is ESM-only: a real import(), kept by TypeScript under module node16. */
function htmlDecoder(): Promise<Decode> {
  decodeHtml ??= import('entities').then((m) => (s: string) => m.decodeHTML(s));
  return decodeHtml;
}

/**
 * Reads the text of a document of a known format. Runs in a text worker (text.ts), never on the intake
 * worker's event loop. Throws TextReadError for a document it refuses.
 */
export async function parseText(bytes: Uint8Array, format: TextFormat, maxChars: number, maxPartBytes: number): Promise<ParsedText> {
  const sink = new TextSink(rawCharsFor(maxChars));
  switch (format) {
    case 'pdf':
      await readPdf(bytes, sink);
      break;
    case 'docx':
      readDocx(bytes, sink, maxPartBytes);
      break;
    case 'odt':
      readOdt(bytes, sink, maxPartBytes);
      break;
    case 'rtf':
      readRtf(bytes, sink);
      break;
    case 'html':
      readHtml(decodePlainText(bytes), await htmlDecoder(), sink);
      break;
    case 'text':
      sink.push(decodePlainText(bytes));
      break;
    default:
      throw new TextReadError('TEXT_MALFORMED', `no reader for ${String(format satisfies never)}`);
  }
  return finishText(sink.text(), sink.truncated, maxChars);
}
