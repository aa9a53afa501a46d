import { Readable } from 'node:stream';
import { readCapsule } from '../../src/capsule/read';
import { loadCapsuleSchema, type CapsuleSchema } from '../../src/capsule/schema';

/**
 * A capsule is whatever the sender attached (up to DHX_MAX_CAPSULE_BYTES, read at receive time on the
 * event loop): input that is not XML, or stops being XML, must be refused as fast as a capsule is read.
 * sax reports one error per character outside the root element; the reader leaves the parser at its
 * first stop (found by the fuzzer: 1 MB of text took 40 s of the daemon's event loop).
 */
const MB = 1024 * 1024;
const shapes: Array<[string, string, RegExp]> = [
  ['words', 'hello world '.repeat(MB / 12), /not XML/],
  ['text after the root element', `<DecContainer/>${'x'.repeat(MB)}`, /not well-formed XML/],
  ['ampersands in an element', `<a>${'&'.repeat(MB)}`, /not well-formed XML/],
  ['a DOCTYPE followed by text', `<!DOCTYPE a>${'x'.repeat(MB)}`, /DOCTYPE/],
];

let schema: CapsuleSchema;
beforeAll(async () => {
  schema = await loadCapsuleSchema();
});

test.each(shapes)('1 MB of %s (in 64 KB chunks): invalid, with the first problem, within 1 s', async (_name, text, message) => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
  const started = Date.now();
  const r = await readCapsule(Readable.from(chunks), { decode: false, schema });
  expect(Date.now() - started).toBeLessThan(1000);
  expect(r.valid).toBe(false);
  expect(r.issues).toHaveLength(1);
  expect(r.issues[0]!.message).toMatch(message);
});
