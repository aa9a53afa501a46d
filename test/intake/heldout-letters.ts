import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';

/** A letter of a held-out corpus: its category, the file it travels as, and what it says. */
export interface CorpusLetter {
  id: string;
  category: Category;
  title: string;
  format: DocumentFormat;
  fileName: string;
  /** The ASiC-E's name when the letter travels in one. */
  container?: string;
  paragraphs: string[];
}

/** The formats a corpus's letters rotate over by position (the six the document generator makes). */
export const FORMATS: readonly DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];

/** The generic titles KOV document systems give a letter: the subject is only in the file. */
export const GENERIC_TITLES: readonly string[] = ['Kiri', 'Dokument', 'Pöördumine', 'Vastus', 'Info', 'Taotlus'];

/** A letter as its author wrote it, before the rotation gives it a format. */
export interface CorpusDraft {
  id: string;
  category: Category;
  title: CorpusLetter['title'];
  /** The file's name without its extension (the format decides that). */
  base: string;
  /** Travels inside an ASiC-E named `<base>.asice`. */
  boxed?: true;
  paragraphs: string[];
}

/** The drafts with their formats (index modulo 6), file names and containers; only a PDF or DOCX is boxed. */
export function lettersOfDrafts(drafts: readonly CorpusDraft[]): CorpusLetter[] {
  return drafts.map((d, i) => {
    const format = FORMATS[i % FORMATS.length]!;
    if (d.boxed && format !== 'pdf' && format !== 'docx') throw new Error(`${d.id}: only a PDF or DOCX letter travels in an ASiC-E, not ${format}`);
    return {
      id: d.id,
      category: d.category,
      title: d.title,
      format,
      fileName: `${d.base}.${format}`,
      ...(d.boxed ? { container: `${d.base}.asice` } : {}),
      paragraphs: d.paragraphs,
    };
  });
}
