import { closeTextWorkers, extractText, textWorkerThreads } from '../../src/content/text';
import { findPersonalCodes } from '../../src/log/personal-code';
import { MIME_TYPES, makeDocument, makeDocx, makeHtml, makeOdt, makePdf, makePlainText, makeRtf, type DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';

afterAll(() => closeTextWorkers());

const LETTERS = 'Õun, äädikas, öö, üle, šokolaad ja žürii — ÕÄÖÜŠŽ.';
const PARAS = ['Palume Sotsiaalkindlustusameti arvamust kinnise lasteasutuse teenuse kohta.', LETTERS];

async function textOf(bytes: Buffer, mime: string, name: string): Promise<string> {
  const out = await extractText(bytes, mime, name);
  if (out.kind !== 'text') throw new Error(`expected text, got ${JSON.stringify(out)}`);
  return out.text;
}

describe('text from each format', () => {
  const formats: [DocumentFormat, string][] = [
    ['pdf', 'kiri.pdf'],
    ['docx', 'kiri.docx'],
    ['odt', 'kiri.odt'],
    ['rtf', 'kiri.rtf'],
    ['html', 'kiri.html'],
    ['txt', 'kiri.txt'],
  ];
  it.each(formats)('%s: paragraphs and Estonian letters', async (format, name) => {
    const out = await extractText(makeDocument(format, PARAS), MIME_TYPES[format], name);
    expect(out).toMatchObject({ kind: 'text', truncated: false });
    if (out.kind !== 'text') return;
    expect(out.text).toContain('kinnise lasteasutuse teenuse');
    expect(out.text).toContain(LETTERS);
    expect(out.chars).toBe(out.text.length);
    // Paragraphs stay apart.
    expect(out.text).toMatch(/kohta\.\s*\n\s*Õun/);
  });

  it('reads by content when the declared type is generic or wrong', async () => {
    expect(await textOf(makePdf(PARAS), 'application/octet-stream', 'dokument')).toContain(LETTERS);
    expect(await textOf(makeRtf(PARAS), 'application/msword', 'kiri.doc')).toContain(LETTERS);
    expect((await extractText(makeDocx(PARAS), 'application/zip', 'x.zip')).kind).toBe('none');
  });

  it('a PDF of many pages is read whole', async () => {
    const paras = Array.from({ length: 200 }, (_, i) => `Lõik number ${i} räägib lapsest.`);
    const text = await textOf(makePdf(paras, { linesPerPage: 20 }), 'application/pdf', 'pikk.pdf');
    expect(text).toContain('Lõik number 0 ');
    expect(text).toContain('Lõik number 199 ');
  });

  it('DOCX: runs split inside a word are joined; deleted text and field codes are not text', async () => {
    const docx = makeDocx(['Kinnine lasteasutus']);
    expect(await textOf(docx, MIME_TYPES.docx, 'a.docx')).toBe('Kinnine lasteasutus');
  });

  it('ODT: text:s is a space', async () => {
    expect(await textOf(makeOdt(['Tere maailm']), MIME_TYPES.odt, 'a.odt')).toBe('Tere maailm');
  });

  it('RTF: windows-1252 documents, \\uN with fallback, skipped destinations, escaped braces', async () => {
    expect(await textOf(makeRtf(['Õ ä ö ü š ž'], 1252), 'application/rtf', 'a.rtf')).toBe('Õ ä ö ü š ž');
    const rtf = Buffer.from("{\\rtf1\\ansi\\ansicpg1257{\\fonttbl{\\f0 Arial;}}{\\*\\shppict x}\\uc2 Ka\\u353\\'9a\\'9a si \\{sulg\\} {\\info{\\title Pealkiri}}l\\'f5pp\\par}", 'latin1');
    expect(await textOf(rtf, 'application/rtf', 'a.rtf')).toBe('Kaš si {sulg} lõpp');
  });

  it('HTML: script, style and comments are not text; entities are decoded', async () => {
    const text = await textOf(makeHtml(['Tere & <b>head</b> õ']), 'text/html', 'a.html');
    expect(text).toContain('Tere & <b>head</b> õ');
    expect(text).not.toMatch(/skriptitekst|color|kommentaar|Kiri/);
    expect(await textOf(Buffer.from('<p>a&nbsp;b &otilde &#x17E;<script>x</script>c</p><style>p{}</STYLE>d'), 'text/html', 'a.htm')).toBe('a b õ žc\nd');
  });

  it('plain text: UTF-8 with a BOM, and windows-1257 when the bytes are not UTF-8', async () => {
    expect(await textOf(makePlainText([LETTERS], 'utf8-bom'), 'text/plain', 'a.txt')).toBe(LETTERS);
    expect(await textOf(makePlainText([LETTERS], 'windows-1257'), 'text/plain', 'a.txt')).toBe(LETTERS);
  });

  it('the careless sender: names with traversal or no extension, empty or odd MIME types', async () => {
    expect(await textOf(makePdf(['Tere']), '', '../../etc/passwd')).toBe('Tere');
    expect(await textOf(makeDocx(['Tere']), 'APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT; charset=binary', 'x')).toBe('Tere');
    expect(await textOf(makePlainText(['Tere õ']), 'application/octet-stream', 'C:\\kaust\\..\\KIRI.TXT')).toBe('Tere õ');
    expect(await extractText(Buffer.alloc(0), 'text/plain', 'tühi.txt')).toMatchObject({ kind: 'text', text: '', chars: 0 });
    // A "PDF" that is 25 bytes of text (as older demo files were) is a failed value.
    expect(await extractText(Buffer.from('See on PDF-i asemel tekst'), 'application/pdf', 'kiri.pdf')).toMatchObject({ kind: 'failed', code: 'TEXT_MALFORMED' });
  });

  it('types without a reader give none', async () => {
    expect(await extractText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'image/png', 'foto.png')).toMatchObject({ kind: 'none' });
    expect(await extractText(Buffer.from('abc'), 'application/octet-stream', 'x.bin')).toMatchObject({ kind: 'none' });
  });
});

describe('caps', () => {
  it('characters: the text is cut at maxChars and marked truncated', async () => {
    const paras = Array.from({ length: 100 }, (_, i) => `Lõik ${i} ${'sõna '.repeat(20)}`);
    for (const format of ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'] as DocumentFormat[]) {
      const out = await extractText(makeDocument(format, paras), MIME_TYPES[format], `a.${format}`, { maxChars: 500 });
      expect(out).toMatchObject({ kind: 'text', truncated: true, chars: 500 });
    }
  });

  it('input bytes: a file over maxInputBytes is not read', async () => {
    const out = await extractText(makePlainText(['x'.repeat(5000)]), 'text/plain', 'a.txt', { maxInputBytes: 1000 });
    expect(out).toMatchObject({ kind: 'failed', code: 'TEXT_TOO_LARGE' });
  });

  it('a DOCX whose body part unpacks larger than allowed is TEXT_TOO_LARGE (zip bomb)', async () => {
    const big = makeDocx(['a'.repeat(400_000)]);
    expect(big.length).toBeLessThan(5000);
    const out = await extractText(big, MIME_TYPES.docx, 'pomm.docx', { maxInputBytes: 100_000 });
    expect(out).toMatchObject({ kind: 'failed', code: 'TEXT_TOO_LARGE' });
  });
});

describe('time', () => {
  it('a document that takes longer than timeoutMs is TEXT_TIMEOUT, its thread ended, and the caller keeps ticking', async () => {
    // A 5 MB RTF: reading it takes over a second in a warm thread, so a 50 ms cap must end it.
    const rtf = makeRtf(Array.from({ length: 40_000 }, (_, i) => `Lõik ${i}: ${'\u0161\u017e '.repeat(10)}`));
    expect(await textOf(makeRtf(['soe']), 'application/rtf', 'soe.rtf')).toBe('soe');
    expect(textWorkerThreads()).toBe(1);
    let ticks = 0;
    const interval = setInterval(() => ticks++, 1);
    try {
      const started = ticks;
      const out = await extractText(rtf, 'application/rtf', 'suur.rtf', { timeoutMs: 50, maxChars: 50_000_000 });
      expect(out).toMatchObject({ kind: 'failed', code: 'TEXT_TIMEOUT' });
      // The event loop of the caller ran while the worker was busy.
      expect(ticks).toBeGreaterThan(started);
      // The busy thread was ended, not left reading.
      expect(textWorkerThreads()).toBe(0);
    } finally {
      clearInterval(interval);
    }
    // The pool is usable afterwards: a fresh thread reads the next document.
    expect(await textOf(makePdf(['Järgmine']), 'application/pdf', 'a.pdf')).toBe('Järgmine');
  });

  it('documents wait for a free thread and each gets its answer', async () => {
    const docs = Array.from({ length: 6 }, (_, i) => makeDocument((['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'] as const)[i]!, [`Dokument ${i}`]));
    const outs = await Promise.all(docs.map((d, i) => extractText(d, MIME_TYPES[(['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'] as const)[i]!], `d${i}`)));
    outs.forEach((o, i) => expect(o).toMatchObject({ kind: 'text', text: `Dokument ${i}` }));
    expect(textWorkerThreads()).toBeLessThanOrEqual(1);
  });
});

describe('malformed and hostile input', () => {
  it('an encrypted PDF is TEXT_ENCRYPTED', async () => {
    const out = await extractText(makePdf(['Salajane'], { encrypted: true }), 'application/pdf', 'salajane.pdf');
    expect(out).toMatchObject({ kind: 'failed', code: 'TEXT_ENCRYPTED' });
  });

  it('broken files are failed values, not throws', async () => {
    expect(await extractText(Buffer.from('%PDF-1.4\nnonsense'), 'application/pdf', 'a.pdf')).toMatchObject({ kind: 'failed', code: 'TEXT_MALFORMED' });
    expect(await extractText(Buffer.from('PK\x03\x04garbage'), MIME_TYPES.docx, 'a.docx')).toMatchObject({ kind: 'failed', code: 'TEXT_MALFORMED' });
    expect(await extractText(makeOdt(['x']), MIME_TYPES.docx, 'a.docx')).toMatchObject({ kind: 'failed', code: 'TEXT_MALFORMED' });
    expect(await extractText(Buffer.from('{\\rtf1 ' + '{'.repeat(10_000)), 'application/rtf', 'a.rtf')).toMatchObject({ kind: 'failed', code: 'TEXT_MALFORMED' });
  });

  it('random mutations of every format give a value within the caps (fixed seed)', async () => {
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const formats = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'] as const;
    for (let round = 0; round < 60; round++) {
      const format = formats[round % formats.length]!;
      const bytes = Buffer.from(makeDocument(format, PARAS));
      const edits = 1 + rand(8);
      for (let e = 0; e < edits; e++) {
        const at = rand(bytes.length);
        if (rand(2)) bytes[at] = rand(256);
        else bytes.fill(rand(256), at, Math.min(bytes.length, at + rand(16)));
      }
      const out = await extractText(bytes, MIME_TYPES[format], `m.${format}`, { maxChars: 1000, timeoutMs: 5000 });
      expect(['text', 'none', 'failed']).toContain(out.kind);
      if (out.kind === 'text') expect(out.chars).toBeLessThanOrEqual(1000);
    }
  });
});

describe('personal codes in text', () => {
  it('counts valid codes only', () => {
    const a = personalCode('F', '2015-03-04', 12);
    const b = personalCode('M', '2012-11-30', 7);
    const wrongCheck = `${a.slice(0, 10)}${(Number(a[10]) + 1) % 10}`;
    expect(findPersonalCodes(`Laps ${a}, vend ${b}; vale ${wrongCheck}; pikem 9${a}; tel 5551234`)).toBe(2);
    expect(findPersonalCodes('')).toBe(0);
  });
});
