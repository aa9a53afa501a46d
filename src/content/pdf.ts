import { TextReadError } from './errors';
import type { TextSink } from './sink';

/**
 * PDF text with unpdf (pdf.js, Mozilla's reader, built to run without a browser or a pdf.js worker; chosen
 * by measurement: docs/packages.md). unpdf is ESM-only: loaded with a real import(), which TypeScript keeps
 * in a CommonJS module under `module: node16`. Pages are read in order until the sink is full. A PDF that
 * needs a password is TEXT_ENCRYPTED; one pdf.js cannot open is TEXT_MALFORMED.
 */

/** The part of unpdf's pdf.js document proxy read here. */
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup(): void }>;
  destroy(): Promise<void>;
}
interface Unpdf {
  getDocumentProxy(data: Uint8Array, options: { verbosity: number; isEvalSupported: boolean; stopAtErrors: boolean }): Promise<PdfDocument>;
}
let loading: Promise<Unpdf> | undefined;

function unpdf(): Promise<Unpdf> {
  return (loading ??= import('unpdf').then((m): Unpdf => m));
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function readPdf(bytes: Uint8Array, out: TextSink): Promise<void> {
  const { getDocumentProxy } = await unpdf();
  let doc: PdfDocument;
  try {
    // A copy: pdf.js takes over (detaches) the buffer it is given.
    doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException') throw new TextReadError('TEXT_ENCRYPTED', 'the PDF is encrypted with a password');
    throw new TextReadError('TEXT_MALFORMED', `the PDF cannot be opened: ${e.name}: ${e.message}`);
  }
  try {
    for (let p = 1; p <= doc.numPages && !out.full; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      for (const item of content.items as TextItemLike[]) {
        if (typeof item.str === 'string') out.push(item.str);
        if (item.hasEOL) out.push('\n');
      }
      out.push('\n\n');
      page.cleanup();
    }
  } catch (err) {
    const e = err as Error;
    throw new TextReadError('TEXT_MALFORMED', `the PDF cannot be read: ${e.name}: ${e.message}`);
  } finally {
    await doc.destroy();
  }
}
