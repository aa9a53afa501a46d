import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { DEFAULT_LIMITS, type CapsuleLimits } from '../../src/capsule/content';
import { readCapsule, readCapsuleBuffer, type FileStart, type ReadResult } from '../../src/capsule/read';
import { loadCapsuleSchema, type CapsuleSchema } from '../../src/capsule/schema';
import { gzipBase64 } from './helpers';
import { HAVE_SPEC, OFFICIAL_VERDICTS, specPath } from '../conformance/spec';

/**
 * The receive path's quick whole-document check must never call valid what the full one-pass reader
 * calls invalid, and must see the same transport parties; everything it declines goes to the full reader.
 */
const FIXTURES = path.resolve(__dirname, '../../fixtures/capsules');
const fixtureFiles = ['valid', 'invalid'].flatMap((d) => fs.readdirSync(path.join(FIXTURES, d)).map((f) => path.join(FIXTURES, d, f)));
const specFiles = HAVE_SPEC ? OFFICIAL_VERDICTS.map(([f]) => specPath(f)) : [];

let schema: CapsuleSchema;
beforeAll(async () => {
  schema = await loadCapsuleSchema();
});

async function both(bytes: Buffer, limits = DEFAULT_LIMITS) {
  const quick = schema.quickTransport!(bytes, limits);
  const full = await readCapsule(Readable.from([bytes]), { decode: false, limits, schema });
  return { quick, full };
}

describe('quick capsule check beside the full reader', () => {
  test.each([...fixtureFiles, ...specFiles].map((f) => [path.relative(path.resolve(__dirname, '../../..'), f), f]))(
    '%s: a quick valid verdict is the full reader’s, with the same transport',
    async (_name, file) => {
      const { quick, full } = await both(fs.readFileSync(file));
      if (quick) {
        expect(full.valid).toBe(true);
        expect(quick).toEqual(full.capsule!.transport);
      }
    },
  );

  test('every valid UTF-8 fixture takes the quick path', async () => {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'valid'))) {
      const { quick, full } = await both(fs.readFileSync(path.join(FIXTURES, 'valid', f)));
      expect([f, full.valid, quick !== undefined]).toEqual([f, true, true]);
    }
  });

  test('declined: a DOCTYPE, another encoding, XML 1.1, too many files, more than the metadata limit', async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'valid', 'counselling-request.xml'), 'utf8');
    const body = valid.replace(/^<\?xml[^>]*\?>\s*/, '');
    expect(schema.quickTransport!(Buffer.from(valid), DEFAULT_LIMITS)).toBeDefined();
    expect(schema.quickTransport!(Buffer.from(`<!DOCTYPE DecContainer>\n${body}`), DEFAULT_LIMITS)).toBeUndefined();
    expect(schema.quickTransport!(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${body}`, 'latin1'), DEFAULT_LIMITS)).toBeUndefined();
    expect(schema.quickTransport!(Buffer.from(`<?xml version="1.1" encoding="UTF-8"?>\n${body}`), DEFAULT_LIMITS)).toBeUndefined();
    expect(schema.quickTransport!(Buffer.from(valid), { ...DEFAULT_LIMITS, maxFiles: 0 })).toBeUndefined();
    expect(schema.quickTransport!(Buffer.from(valid), { ...DEFAULT_LIMITS, maxMetadataBytes: 100 })).toBeUndefined();
  });

  test('the text limit: a text at it passes both ways, one byte past it is declined and the full reader refuses it', async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'valid', 'counselling-request.xml'), 'utf8');
    const limits = { ...DEFAULT_LIMITS, maxTextBytes: 600 };
    const withTitle = (t: string) => Buffer.from(valid.replace(/<RecordTitle>[^<]*<\/RecordTitle>/, `<RecordTitle>${t}</RecordTitle>`));
    const at = await both(withTitle('õ'.repeat(300)), limits);
    expect(at.quick).toBeDefined();
    expect(at.full.valid).toBe(true);
    for (const over of [withTitle(`${'õ'.repeat(300)}a`), withTitle(`${'x'.repeat(300)}<![CDATA[${'y'.repeat(301)}]]>`)]) {
      const r = await both(over, limits);
      expect(r.quick).toBeUndefined();
      expect(r.full.issues[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', path: 'DecContainer/RecordMetadata/RecordTitle' });
    }
    // Carriage returns (kept in text by the one-pass reader, dropped by libxml2) count against the limit.
    const crlf = (b: Buffer) => Buffer.from(b.toString('utf8').replace(/\n/g, '\r\n'));
    expect(schema.quickTransport!(crlf(withTitle('õ'.repeat(300))), limits)).toBeUndefined();
    expect(schema.quickTransport!(crlf(withTitle('short')), limits)).toBeDefined();
    expect((await both(crlf(withTitle('õ'.repeat(300))), limits)).full.valid).toBe(true);
    // A limit below the fixture's own texts (its title) declines it too.
    expect(schema.quickTransport!(Buffer.from(valid), { ...DEFAULT_LIMITS, maxTextBytes: 10 })).toBeUndefined();
  });

  test('an invalid capsule is declined, so the full reader explains it', async () => {
    const { quick, full } = await both(fs.readFileSync(path.join(FIXTURES, 'invalid', 'no-transport.xml')));
    expect(quick).toBeUndefined();
    expect(full.valid).toBe(false);
    expect(full.issues[0]?.message).toMatch(/Transport/);
  });
});

/**
 * The intake's reader for a capsule held in memory (readCapsuleBuffer) must give what the one-pass reader
 * gives — verdict, issues, model and every file's outcome and bytes — whichever path it takes.
 */
describe('reading a capsule in memory beside the one-pass reader', () => {
  const KOV = path.join(FIXTURES, 'kov');
  const kovFiles = fs.readdirSync(KOV).filter((f) => f.endsWith('.xml')).map((f) => path.join(KOV, f));
  const collect = () => {
    const stored = new Map<number, Buffer[]>();
    return {
      stored,
      sink: (f: FileStart): Writable => {
        const chunks: Buffer[] = [];
        stored.set(f.index, chunks);
        return new Writable({
          write(c: Buffer, _e, cb) {
            chunks.push(c);
            cb();
          },
        });
      },
    };
  };
  async function compare(bytes: Buffer, limits: CapsuleLimits = DEFAULT_LIMITS) {
    const a = collect();
    const b = collect();
    const inMemory = await readCapsuleBuffer(bytes, { limits, schema, sink: a.sink });
    const oneQuick = schema.quickTree!(bytes, limits) !== undefined;
    const onePass = await readCapsule(Readable.from([bytes]), { limits, schema, sink: b.sink });
    const shape = (r: ReadResult, s: Map<number, Buffer[]>) => ({
      valid: r.valid,
      issues: r.issues,
      capsule: r.capsule,
      files: r.files,
      bytesRead: r.bytesRead,
      stored: r.valid ? [...s].map(([i, c]) => [i, Buffer.concat(c).toString('base64')]) : [],
    });
    expect(shape(inMemory, a.stored)).toEqual(shape(onePass, b.stored));
    return oneQuick;
  }

  test.each([...fixtureFiles, ...kovFiles, ...specFiles].map((f) => [path.relative(path.resolve(__dirname, '../../..'), f), f]))(
    '%s: the same result',
    async (_name, file) => {
      await compare(fs.readFileSync(file));
    },
  );

  test('the KOV corpus and the valid fixtures without RecordTypeSpecificMetadata take the quick path', async () => {
    let quick = 0;
    for (const f of kovFiles) if (await compare(fs.readFileSync(f))) quick++;
    expect(quick).toBeGreaterThanOrEqual(kovFiles.length * 0.8);
  });

  test('a file that passes a limit on the quick path is refused as the one-pass reader refuses it', async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'valid', 'counselling-request.xml'));
    expect(schema.quickTree!(valid, DEFAULT_LIMITS)).toBeDefined();
    const r = await readCapsuleBuffer(valid, { schema, limits: { ...DEFAULT_LIMITS, maxFileBytes: 10 } });
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.code).toBe('LIMIT_EXCEEDED');
    await compare(valid, { ...DEFAULT_LIMITS, maxFileBytes: 10 });
    await compare(valid, { ...DEFAULT_LIMITS, maxTotalBytes: 10 });
  });

  test('a text past the limit is refused as the one-pass reader refuses it; file content is not counted', async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'valid', 'counselling-request.xml'), 'utf8');
    const withName = (n: string) => Buffer.from(valid.replace(/<FileName>[^<]*<\/FileName>/, `<FileName>${n}</FileName>`));
    const limits = { ...DEFAULT_LIMITS, maxTextBytes: 400 };
    expect(await compare(withName(`${'ä'.repeat(198)}.pdf`), limits)).toBe(true);
    expect(await compare(withName(`${'ä'.repeat(199)}.pdf`), limits)).toBe(false);
    expect((await readCapsuleBuffer(withName(`${'ä'.repeat(199)}.pdf`), { schema, limits })).issues[0]?.code).toBe('LIMIT_EXCEEDED');
    const content = gzipBase64(randomBytes(3000));
    const bigFile = Buffer.from(valid.replace(/<ZipBase64Content>[^<]*<\/ZipBase64Content>/, `<ZipBase64Content>${content}</ZipBase64Content>`));
    expect(content.length).toBeGreaterThan(4 * 400);
    expect(await compare(bigFile, limits)).toBe(true);
  });

  test('declined: carriage returns, RecordTypeSpecificMetadata', async () => {
    const valid = fs.readFileSync(path.join(FIXTURES, 'valid', 'counselling-request.xml'), 'utf8');
    expect(schema.quickTree!(Buffer.from(valid), DEFAULT_LIMITS)).toBeDefined();
    expect(schema.quickTree!(Buffer.from(valid.replace(/\n/g, '\r\n')), DEFAULT_LIMITS)).toBeUndefined();
    await compare(Buffer.from(valid.replace(/\n/g, '\r\n')));
  });
});
