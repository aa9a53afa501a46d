import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { readCapsule } from '../../src/capsule/read';
import { CHILD_A, CHILD_B, makeFixtures, readme } from './make-fixtures';
import { isValidPersonalCode } from './personal-code';

/**
 * `MAKE_FIXTURES=1 npm test -- test/fixtures-gen` rewrites fixtures/capsules from ./make-fixtures.ts.
 * The other tests here hold the checked-in corpus to what its names and README promise.
 */

const ROOT = path.resolve(__dirname, '../../fixtures/capsules');
const KINDS = ['valid', 'invalid'] as const;
const MAX_FIXTURE_BYTES = 50 * 1024;

const listed = (kind: (typeof KINDS)[number]): string[] =>
  fs.readdirSync(path.join(ROOT, kind)).filter((f) => !f.startsWith('.')).sort();

const generate = process.env.MAKE_FIXTURES === '1' ? test : test.skip;

generate('writes fixtures/capsules from make-fixtures.ts', async () => {
  const fixtures = await makeFixtures();
  for (const kind of KINDS) {
    fs.mkdirSync(path.join(ROOT, kind), { recursive: true });
    for (const old of listed(kind)) fs.rmSync(path.join(ROOT, kind, old)); // no stale files left behind
  }
  for (const f of fixtures) fs.writeFileSync(path.join(ROOT, f.file), f.bytes);
  fs.writeFileSync(path.join(ROOT, 'README.md'), readme(fixtures));
});

/** Reads a fixture, collecting every decoded file's bytes. */
async function read(file: string): Promise<{ result: Awaited<ReturnType<typeof readCapsule>>; contents: Buffer[] }> {
  const contents: Buffer[] = [];
  const result = await readCapsule(path.join(ROOT, file), {
    sink: ({ index }) => {
      const chunks: Buffer[] = [];
      return new Writable({
        write(chunk: Buffer, _enc, cb) {
          chunks.push(chunk);
          cb();
        },
        final(cb) {
          contents[index - 1] = Buffer.concat(chunks);
          cb();
        },
      });
    },
  });
  return { result, contents };
}

describe('fixtures/capsules', () => {
  test.each(listed('valid'))('valid/%s is a valid capsule whose files all decode', async (name) => {
    const { result } = await read(`valid/${name}`);
    expect(result.issues).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.files.length).toBeGreaterThan(0);
    for (const f of result.files) expect(f.error).toBeUndefined();
  });

  const expectedIssue: Record<string, string> = {
    'doctype-entity.xml': 'DTD_FORBIDDEN',
    'billion-laughs.xml': 'DTD_FORBIDDEN',
    'external-entity.xml': 'DTD_FORBIDDEN',
    'not-xml.txt': 'NOT_XML',
    'gzip-base64-wrapped.txt': 'NOT_XML',
    'truncated.xml': 'MALFORMED',
  };
  test.each(listed('invalid'))('invalid/%s is refused, for the reason its name gives', async (name) => {
    const { result } = await read(`invalid/${name}`);
    expect(result.valid).toBe(false);
    expect(result.issues[0]?.code).toBe(expectedIssue[name] ?? 'SCHEMA');
    expect(JSON.stringify(result)).not.toMatch(/root:x?:0:0/); // external-entity.xml: /etc/passwd never read
  });

  test('two-files-pdf-docx.xml decodes to a PDF and a .docx, by their magic bytes', async () => {
    const { result, contents } = await read('valid/two-files-pdf-docx.xml');
    expect(result.files.map((f) => f.sniffedMimeType)).toEqual([
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]);
    expect(contents[0]?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(contents[1]?.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  });

  test('raw-payload.xml and zip-payload.xml are read as raw and ZIP payloads, the others as gzip', async () => {
    const raw = await read('valid/raw-payload.xml');
    expect(raw.result.files.map((f) => [f.encoding, f.sniffedMimeType])).toEqual([['raw', 'text/plain']]);
    const zip = await read('valid/zip-payload.xml');
    expect(zip.result.files.map((f) => [f.encoding, f.sniffedMimeType])).toEqual([['zip', 'application/pdf']]);
    const gz = await read('valid/counselling-request.xml');
    expect(gz.result.files.map((f) => f.encoding)).toEqual(['gzip']);
  });

  test('every personal code in the corpus (metadata and decoded files) is a fictional one with a valid checksum', async () => {
    const found = new Set<string>();
    const scan = (text: string): void => {
      for (const m of text.matchAll(/(?<!\d)[1-6]\d{10}(?!\d)/g)) found.add(m[0]);
    };
    for (const kind of KINDS) {
      for (const name of listed(kind)) {
        const xml = fs.readFileSync(path.join(ROOT, kind, name), 'utf8');
        scan(xml.replace(/<(\w+:)?ZipBase64Content>[^<]*/g, ''));
        if (kind === 'valid') for (const c of (await read(`${kind}/${name}`)).contents) scan(c.toString('latin1'));
      }
    }
    expect([...found].sort()).toEqual([CHILD_A, CHILD_B].sort());
    for (const code of found) expect(isValidPersonalCode(code)).toBe(true);
  });

  test('every fixture is small (< 50 KB) and README.md has one line per file', () => {
    const readmeText = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const described = [...readmeText.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]).sort();
    const files = KINDS.flatMap((kind) => listed(kind).map((n) => `${kind}/${n}`)).sort();
    expect(described).toEqual(files);
    for (const f of files) expect(fs.statSync(path.join(ROOT, f)).size).toBeLessThan(MAX_FIXTURE_BYTES);
    expect(listed('valid').length).toBeGreaterThanOrEqual(6);
  });
});
