import fs from 'node:fs';
import { readCapsule, validateCapsule } from '../../src/capsule/read';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { OFFICIAL_VERDICTS, OFFICIAL_XSDS, describeSpec, specPath } from './spec';

/**
 * The adapter's verdict (one streaming pass, skeleton validated against wsdl/capsule-2.1.xsd) equals the
 * official XSD's verdict on the whole document, on every official sample.
 */
describeSpec('capsule verdicts on the official samples', () => {
  test.each(OFFICIAL_VERDICTS)('%s: valid=%s, as the official XSD says', async (file, expected) => {
    const bytes = fs.readFileSync(specPath(file));
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    for (const xsd of OFFICIAL_XSDS) {
      const official = await loadCapsuleSchema(specPath(xsd));
      expect(official.validate(text).length === 0).toBe(expected);
    }
    const ours = await validateCapsule(specPath(file));
    expect({ valid: ours.valid, issues: ours.issues }).toEqual({ valid: expected, issues: expected ? [] : expect.any(Array) });
    if (!expected) expect(ours.issues[0]?.message.length).toBeGreaterThan(0);

    // Decoding the content does not change the verdict (DHX treats the content as opaque).
    const decoded = await readCapsule(specPath(file));
    expect(decoded.valid).toBe(expected);
  });

  test('invalid samples are explained with the element path and line', async () => {
    const noTransport = await validateCapsule(specPath('capsule/invalid_no_transport.xml'));
    expect(noTransport.issues[0]?.message).toMatch(/^DecContainer\/Transport is missing/);
    expect(noTransport.issues[0]?.line).toBeGreaterThan(0);
    const order = await validateCapsule(specPath('capsule/invalid_element_order.xml'));
    expect(order.issues[0]?.path).toMatch(/^DecContainer/);
    const notXml = await validateCapsule(specPath('dhx-etalon/kapsel_not_kapsel.txt'));
    expect(notXml.issues[0]?.code).toBe('NOT_XML');
  });

  test('the DVK-style base64(gzip) capsule decodes to a valid capsule, which is what makes it invalid as DHX input', async () => {
    const wrapped = fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_gzip_base64.txt'), 'utf8');
    const xml = (await import('node:zlib')).gunzipSync(Buffer.from(wrapped, 'base64'));
    const { Readable } = await import('node:stream');
    expect((await validateCapsule(Readable.from([xml]))).valid).toBe(true);
  });
});
