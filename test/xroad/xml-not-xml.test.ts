import { loadLibxml2 } from '../../src/xml/libxml2';
import { readWithSax, readXml, XmlReadError } from '../../src/xroad/xml';

/**
 * An envelope part may hold anything a client sends (up to 1 MB): text that is not XML must be refused
 * as fast as XML is read. sax reports one error per character outside the root element; the reader
 * stops at the first (found by the fuzzer: a base64 capsule sent as the root part held the daemon's
 * event loop for 20 s).
 */
const MB = 1024 * 1024;
const shapes: Array<[string, string]> = [
  ['base64 text (a capsule sent as the root part)', 'PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiPz4KPERlY0NvbnRhaW5lciB4bWxu\r\n'.repeat(MB / 78)],
  ['words', 'hello world '.repeat(MB / 12)],
  ['text after the root element', `<a/>${'x'.repeat(MB)}`],
  ['a DOCTYPE followed by text', `<!DOCTYPE a>${'x'.repeat(MB)}`],
];

beforeAll(() => loadLibxml2());

describe('text that is not XML is refused at once', () => {
  test.each(shapes)('readXml: 1 MB of %s: XmlReadError within 500 ms', (_name, text) => {
    const started = Date.now();
    expect(() => readXml(text)).toThrow(XmlReadError);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test.each(shapes)('readWithSax: 1 MB of %s: XmlReadError naming the first problem, within 500 ms', (_name, text) => {
    const started = Date.now();
    expect(() => readWithSax(text)).toThrow(/not well-formed XML: |DOCTYPE/);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
