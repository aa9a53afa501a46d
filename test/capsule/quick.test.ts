import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/capsule/content';
import { readCapsule } from '../../src/capsule/read';
import { loadCapsuleSchema, type CapsuleSchema } from '../../src/capsule/schema';
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

  test('an invalid capsule is declined, so the full reader explains it', async () => {
    const { quick, full } = await both(fs.readFileSync(path.join(FIXTURES, 'invalid', 'no-transport.xml')));
    expect(quick).toBeUndefined();
    expect(full.valid).toBe(false);
    expect(full.issues[0]?.message).toMatch(/Transport/);
  });
});
