import { TextReadError } from './errors';
import type { TextSink } from './sink';

/**
 * PDF text with unpdf (pdf.js, Mozilla's reader, built to run without a browser or a pdf.js worker; chosen
 * by measurement: docs/packages.md). unpdf is ESM-only: loaded with a real import(), which TypeScript keeps
 * in a CommonJS module under `module: node16`. Documents are opened with pdf.js's own getDocument and the
 * options below, fixed once: unpdf's getDocumentProxy looks for a `pdfjs-dist` package on every call (a module
 * resolution that fails here, as only unpdf's bundled pdf.js is installed), which was a quarter of the time
 * of a one-page PDF (docs/performance.md, "Real PDFs"). Pages are read in order until the sink is full. A PDF
 * that needs a password is TEXT_ENCRYPTED; one pdf.js cannot open is TEXT_MALFORMED.
 */

/** The part of unpdf's pdf.js document proxy read here. */
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup(): void }>;
  destroy(): Promise<void>;
}
/** pdf.js's getDocument, as far as it is used here. */
type GetDocument = (src: { data: Uint8Array } & typeof OPEN_OPTIONS) => { promise: Promise<PdfDocument> };

/**
 * What every document is opened with: no eval (fonts are not compiled to code), no font faces (no DOM), the
 * fonts a document names but does not embed taken as system fonts (what unpdf sets for Node), no console
 * output, and a broken object skipped rather than the whole document refused.
 */
const OPEN_OPTIONS = { verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: true, stopAtErrors: false } as const;

let loading: Promise<GetDocument> | undefined;

function pdfjs(): Promise<GetDocument> {
  return (loading ??= import('unpdf').then(async (m): Promise<GetDocument> => {
    const { getDocument } = await m.getResolvedPDFJS();
    return getDocument as unknown as GetDocument;
  }));
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function readPdf(bytes: Uint8Array, out: TextSink): Promise<void> {
  const getDocument = await pdfjs();
  let doc: PdfDocument;
  try {
    // A copy: pdf.js takes over (detaches) the buffer it is given.
    doc = await getDocument({ data: new Uint8Array(bytes), ...OPEN_OPTIONS }).promise;
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
