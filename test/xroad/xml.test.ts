import fs from 'node:fs';
import path from 'node:path';
import { loadLibxml2, type Libxml2Lib } from '../../src/xml/libxml2';
import { readWithLibxml2, readWithSax, readXml, XmlReadError } from '../../src/xroad/xml';
import { HAVE_SPEC, SPEC_DIR } from '../conformance/spec';

/**
 * readXml builds its tree with libxml2 once the library is loaded, and with sax otherwise (and for
 * whatever libxml2 declines). Both must give the same tree for every document they both read.
 */
function xmlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return xmlFiles(p);
    return e.name.endsWith('.xml') && fs.statSync(p).size < 1024 * 1024 ? [p] : [];
  });
}

const samples = [...(HAVE_SPEC ? xmlFiles(SPEC_DIR) : []), ...xmlFiles(path.resolve(__dirname, '../../fixtures')), ...xmlFiles(path.resolve(__dirname, '../../wsdl'))];

let lib: Libxml2Lib;
beforeAll(async () => {
  lib = await loadLibxml2();
});

describe('readXml: libxml2 and sax give the same tree', () => {
  test.each(samples.map((f) => [path.relative(path.resolve(__dirname, '../../..'), f), f]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    let bySax: ReturnType<typeof readWithSax> | Error;
    try {
      bySax = readWithSax(text);
    } catch (err) {
      bySax = err as Error;
    }
    const byLibxml2 = readWithLibxml2(lib, text);
    if (bySax instanceof Error) {
      // A document sax refuses is refused by readXml too, whatever libxml2 thinks of it.
      expect(() => readXml(text)).toThrow(XmlReadError);
      return;
    }
    if (byLibxml2) expect(byLibxml2).toEqual(bySax);
    expect(readXml(text)).toEqual(bySax);
  });

  test('the DHX sample requests take the libxml2 path', () => {
    if (!HAVE_SPEC) return;
    const soap = path.join(SPEC_DIR, 'dhx-adapter', 'soap');
    for (const f of fs.readdirSync(soap).filter((n) => /^dhx_.*request.*\.xml$/.test(n))) {
      expect([f, readWithLibxml2(lib, fs.readFileSync(path.join(soap, f), 'utf8')) !== undefined]).toEqual([f, true]);
    }
  });

  test('declined by libxml2 and decided by sax: a DOCTYPE, an undefined entity, two roots', () => {
    const cases = ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', '<a>&nbsp;</a>', '<a/><b/>'];
    for (const c of cases) {
      expect(readWithLibxml2(lib, c)).toBeUndefined();
      expect(() => readXml(c)).toThrow(XmlReadError);
    }
  });

  test('namespaces, attributes and text as sax reads them', () => {
    const doc = '<e:A xmlns:e="urn:e" xmlns:i="urn:i" i:k="v" plain="p"> x <e:B>1</e:B><![CDATA[<c>]]><!-- note --> y <C/></e:A>';
    const tree = readWithLibxml2(lib, doc);
    expect(tree).toEqual(readWithSax(doc));
    expect(tree).toMatchObject({ uri: 'urn:e', local: 'A', attributes: { '{urn:i}k': 'v', plain: 'p' }, text: ' x <c> y ' });
  });
});
