import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractCapsule } from '../../src/capsule/extract';
import { sanitizeFileName } from '../../src/capsule/filename';
import { capsuleXml, chunked, fileXml, gzipBase64 } from './helpers';

describe('file names are made safe for storage, the original kept as data', () => {
  test.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['/absolute/path/otsus.pdf', 'otsus.pdf'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1.pdf', '_com1.pdf'],
    ['lisa\u0000.pdf', 'lisa.pdf'],
    ['arve\u202Efdp.exe', 'arvefdp.exe'],
    ['a\u200Bb.pdf', 'ab.pdf'],
    ['kiri: "vastus"?.docx', 'kiri_ _vastus__.docx'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['otsus.pdf. ', 'otsus.pdf'],
    ['Nõustamise taotlus (lõplik).pdf', 'Nõustamise taotlus (lõplik).pdf'],
  ])('%j → %j', (original, safe) => {
    expect(sanitizeFileName(original)).toBe(safe);
  });

  test('a very long name is cut to 200 bytes, keeping the extension and whole characters', () => {
    const name = `${'õ'.repeat(300)}.pdf`;
    const safe = sanitizeFileName(name);
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(200);
    expect(safe.endsWith('õ.pdf')).toBe(true);
  });

  test('a cut keeps whole four-byte characters and the longest prefix that fits', () => {
    const safe = sanitizeFileName(`${'😀'.repeat(100)}.pdf`);
    expect(safe).toBe(`${'😀'.repeat(49)}.pdf`);
    expect(sanitizeFileName('a'.repeat(300))).toBe('a'.repeat(200));
  });

  // The work is one pass over the name: a name of megabytes (only the capsule's limits bound it) takes
  // milliseconds. A quadratic cut or a backtracking trim took minutes here and held the event loop.
  test.each([
    ['a long name', (n: number) => `${'a'.repeat(n)}.pdf`, 'a'.repeat(196) + '.pdf'],
    ['a name of white space between two letters', (n: number) => `a${' '.repeat(n)}b`, `a${' '.repeat(199)}`],
    ['a name of dots and spaces', (n: number) => `x${'. '.repeat(n / 2)}.pdf`, `x${'. '.repeat(97)}..pdf`],
  ])('%s of 1 MB and 10 MB is made safe in one pass', (_what, make, expected) => {
    for (const n of [1_000_000, 10_000_000]) {
      const name = make(n);
      const started = process.hrtime.bigint();
      const safe = sanitizeFileName(name);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(safe).toBe(expected);
      expect(ms).toBeLessThan(2000);
    }
  }, 20_000);
});

describe('extracting a capsule', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-extract-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('files land inside the folder under safe, distinct names; the folder is 0700 and files 0600', async () => {
    const out = path.join(dir, 'out');
    const files = [
      fileXml(gzipBase64('%PDF-1.4 one'), '../../escape.pdf'),
      fileXml(gzipBase64('%PDF-1.4 two'), 'escape.pdf'),
      fileXml(gzipBase64('kolm'), 'CON', 'text/plain'),
    ];
    const r = await extractCapsule(chunked(capsuleXml({ files }), 4096), out);
    expect(r.valid).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual(['_CON', 'escape (2).pdf', 'escape.pdf']);
    expect(fs.readdirSync(dir)).toEqual(['out']);
    expect(r.files.map((f) => f.fileName)).toEqual(['../../escape.pdf', 'escape.pdf', 'CON']);
    expect(fs.readFileSync(path.join(out, 'escape.pdf'), 'utf8')).toBe('%PDF-1.4 one');
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(out)) expect(fs.statSync(path.join(out, f)).mode & 0o777).toBe(0o600);
    expect(r.files[0]).toMatchObject({ declaredMimeType: 'application/pdf', sniffedMimeType: 'application/pdf', size: 12 });
  });

  test('an invalid capsule leaves nothing behind', async () => {
    const out = path.join(dir, 'out');
    const r = await extractCapsule(chunked(capsuleXml({ recordGuid: 'x' }), 4096), out);
    expect(r.valid).toBe(false);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('a capsule stopped by a limit leaves nothing behind, not even a partial file', async () => {
    const out = path.join(dir, 'out');
    const bomb = gzipBase64(Buffer.alloc(8 * 1024 * 1024));
    const r = await extractCapsule(chunked(capsuleXml({ files: [fileXml(bomb)] }), 65536), out, { limits: { maxFileBytes: 1024 * 1024 } });
    expect(r.issues[0]?.code).toBe('LIMIT_EXCEEDED');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('a file whose content cannot be decoded is reported and not written; the others are', async () => {
    const out = path.join(dir, 'out');
    const files = [fileXml(gzipBase64('%PDF-1.4 ok'), 'ok.pdf'), fileXml('H4sIAAAAAAAAA0tMSgYA', 'broken.pdf')];
    const r = await extractCapsule(chunked(capsuleXml({ files }), 4096), out);
    expect(r.valid).toBe(true);
    expect(fs.readdirSync(out)).toEqual(['ok.pdf']);
    expect(r.files[1]?.error?.code).toBe('DECOMPRESS_FAILED');
    expect(r.files[1]?.path).toBeUndefined();
  });
});
