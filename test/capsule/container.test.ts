import crypto from 'node:crypto';
import { unzipSync } from 'fflate';
import { containerKind, unpackContainer, canonicalDataFile, type UnpackedContainer } from '../../src/capsule/container';
import { readXmlTree } from '../../src/capsule/container/xml';
import { signerOf } from '../../src/capsule/container/signature';
import { asiceEntries, buildAsice, buildDdoc, fictionalSigner, writeZip, type DataFileSpec } from '../fixtures-gen/containers';
import { isValidPersonalCode } from '../fixtures-gen/personal-code';

const pdf: DataFileSpec = { name: 'taotlus.pdf', bytes: Buffer.from('%PDF-1.7\nTaotlus KLAT arvamuse saamiseks\n%%EOF\n'), mimeType: 'application/pdf' };
const txt: DataFileSpec = { name: 'lisa õ.txt', bytes: Buffer.from('Lisa: perekonna andmed\n'), mimeType: 'text/plain' };
const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
const byName = (u: UnpackedContainer, name: string) => u.files.find((f) => f.name === name)!;

describe('the generated containers are what other readers see', () => {
  test('an independent ZIP reader (fflate) reads the same entries and bytes', () => {
    const zip = buildAsice({ files: [pdf, txt] });
    const entries = unzipSync(new Uint8Array(zip));
    expect(Object.keys(entries)).toEqual(['mimetype', pdf.name, txt.name, 'META-INF/manifest.xml', 'META-INF/signatures0.xml']);
    expect(Buffer.from(entries['mimetype']!).toString()).toBe('application/vnd.etsi.asic-e+zip');
    const u = unpackContainer('k.asice', zip);
    for (const f of u.files) expect(Buffer.from(entries[f.name]!).equals(f.bytes)).toBe(true);
  });

  test('the signing certificate is a real X.509 certificate whose subject names the fictional signer', () => {
    const who = fictionalSigner('JUHAN', 'KUUSK', 9);
    const xml = Buffer.from(asiceEntries({ files: [pdf], signers: [who] }).at(-1)!.bytes).toString();
    const der = Buffer.from(/<ds:X509Certificate>([^<]+)</.exec(xml)![1]!, 'base64');
    const cert = new crypto.X509Certificate(der);
    expect(cert.subject).toContain(`serialNumber=PNOEE-${who.personalCode}`);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(isValidPersonalCode(who.personalCode)).toBe(true);
  });
});

describe('ASiC-E / BDOC', () => {
  test('data files unpacked with size, types and sha256; each digest checked; signer and signing time read', () => {
    const who = fictionalSigner('MARI', 'MAASIKAS', 21);
    const u = unpackContainer('kiri.asice', buildAsice({ files: [pdf, txt], signers: [who], signingTime: new Date('2026-11-03T08:30:05Z') }));
    expect(u.kind).toBe('asice');
    expect(u.problems).toEqual([]);
    expect(u.files.map((f) => f.name)).toEqual(['taotlus.pdf', 'lisa õ.txt']);
    const p = byName(u, 'taotlus.pdf');
    expect(p).toMatchObject({
      safeName: 'taotlus.pdf',
      declaredMimeType: 'application/pdf',
      sniffedMimeType: 'application/pdf',
      size: pdf.bytes.length,
      sha256: sha256(pdf.bytes),
      from: 'kiri.asice',
      depth: 1,
      digest: 'ok',
    });
    expect(p.bytes.equals(pdf.bytes)).toBe(true);
    expect(u.signatures).toHaveLength(1);
    expect(u.signatures[0]).toEqual({
      id: 'S0',
      from: 'kiri.asice',
      signer: 'Mari Maasikas',
      signerPersonalCode: who.personalCode,
      signedAt: '2026-11-03T08:30:05.000Z',
      digest: 'ok',
      references: [
        { file: 'taotlus.pdf', digest: 'ok' },
        { file: 'lisa õ.txt', digest: 'ok' },
      ],
    });
    expect(isValidPersonalCode(u.signatures[0]!.signerPersonalCode!)).toBe(true);
  });

  test.each(['sha1', 'sha384', 'sha512'] as const)('digest algorithm %s is checked', (digest) => {
    const u = unpackContainer('a.bdoc', buildAsice({ files: [pdf], digest }));
    expect(u.signatures[0]!.digest).toBe('ok');
    expect(unpackContainer('a.bdoc', buildAsice({ files: [pdf], digest, tamper: pdf.name })).signatures[0]!.digest).toBe('mismatch');
  });

  test('one data file altered after signing: that file and the signature are mismatch, the other file ok', () => {
    const u = unpackContainer('kiri.asice', buildAsice({ files: [pdf, txt], tamper: txt.name }));
    expect(byName(u, txt.name).digest).toBe('mismatch');
    expect(byName(u, pdf.name).digest).toBe('ok');
    expect(u.signatures[0]!.digest).toBe('mismatch');
    expect(u.signatures[0]!.references).toEqual([
      { file: pdf.name, digest: 'ok' },
      { file: txt.name, digest: 'mismatch' },
    ]);
  });

  test('a data file no signature covers is not-checked, and said', () => {
    const extra = { name: 'lisatud hiljem.pdf', bytes: Buffer.from('%PDF-1.4 later') };
    const u = unpackContainer('kiri.asice', buildAsice({ files: [pdf], unsigned: [extra] }));
    expect(byName(u, extra.name).digest).toBe('not-checked');
    expect(u.signatures[0]!.digest).toBe('ok');
    expect(u.problems.map((p) => p.code)).toContain('UNSIGNED_FILE');
  });

  test('an unknown digest algorithm is not-checked, never ok', () => {
    const u = unpackContainer('kiri.asice', buildAsice({ files: [pdf], digestAlgorithmUri: 'urn:example:whirlpool' }));
    expect(u.signatures[0]!.digest).toBe('not-checked');
    expect(byName(u, pdf.name).digest).toBe('not-checked');
    expect(u.problems.map((p) => p.code)).toContain('DIGEST_ALGORITHM_UNKNOWN');
  });

  test('two signers; an older ID card whose CN alone carries name and code', () => {
    const a = fictionalSigner('JAAN', 'TAMM', 3);
    const b = fictionalSigner('MARI-LIIS', 'MÄNNIK', 4, 'legacy');
    const u = unpackContainer('kiri.asice', buildAsice({ files: [pdf], signers: [a, b] }));
    expect(u.signatures.map((s) => [s.signer, s.signerPersonalCode, s.digest])).toEqual([
      ['Jaan Tamm', a.personalCode, 'ok'],
      ['Mari-Liis Männik', b.personalCode, 'ok'],
    ]);
  });

  test('a file name with spaces and diacritics is referenced %-encoded and still matched', () => {
    const f = { name: 'Otsus nr 5 (lõplik) & lisa.pdf', bytes: Buffer.from('%PDF-1.4 x') };
    const u = unpackContainer('k.asice', buildAsice({ files: [f] }));
    expect(u.signatures[0]!.references).toEqual([{ file: f.name, digest: 'ok' }]);
  });

  test('more signatures than maxSignatures: the first ones read, the rest said', () => {
    const signers = [1, 2, 3].map((n) => fictionalSigner('JAAN', 'TAMM', n));
    const u = unpackContainer('k.asice', buildAsice({ files: [pdf], signers }), { maxSignatures: 2 });
    expect(u.signatures).toHaveLength(2);
    expect(u.problems.map((p) => p.code)).toContain('TOO_MANY_SIGNATURES');
  });

  test('no manifest: media types undeclared, a problem, digests still checked', () => {
    const u = unpackContainer('k.asice', writeZip(asiceEntries({ files: [pdf] }).filter((e) => e.name !== 'META-INF/manifest.xml')));
    expect(u.files[0]!.declaredMimeType).toBe('');
    expect(u.problems.map((p) => p.code)).toEqual(['MANIFEST_MISSING']);
    expect(u.signatures[0]!.digest).toBe('ok');
  });

  test('no signatures file: files not-checked, NO_SIGNATURES', () => {
    const entries = asiceEntries({ files: [pdf] }).filter((e) => !e.name.includes('signatures'));
    entries.push({ name: 'META-INF/signatures9.xml', bytes: Buffer.from('<x/>') });
    const u = unpackContainer('k.asice', writeZip(entries));
    expect(u.signatures).toEqual([]);
    expect(byName(u, pdf.name).digest).toBe('not-checked');
    expect(u.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['NO_SIGNATURES', 'SIGNATURE_UNREADABLE']));
  });
});

describe('signer from the certificate subject', () => {
  const code = fictionalSigner().personalCode;
  test.each([
    ['GN and SN', [['GN', 'MARI'], ['SN', 'MAASIKAS'], ['serialNumber', `PNOEE-${code}`], ['CN', `MAASIKAS,MARI,PNOEE-${code}`]], 'Mari Maasikas', code],
    ['older CN only', [['CN', `O'CONNOR,ANNE MARIE,${code}`]], "Anne Marie O'Connor", code],
    ['mixed case kept', [['GN', 'Mari'], ['SN', 'von Maasikas']], 'Mari von Maasikas', null],
    ['an e-seal', [['CN', 'Sotsiaalkindlustusamet'], ['serialNumber', '70001975']], 'Sotsiaalkindlustusamet', '70001975'],
    ['another country', [['GN', 'ANNA'], ['SN', 'BĒRZIŅA'], ['serialNumber', 'PNOLV-123456-12345']], 'Anna Bērziņa', 'PNOLV-123456-12345'],
    ['nothing', [], null, null],
  ])('%s', (_label, attrs, signer, personalCode) => {
    expect(signerOf(new Map(attrs as [string, string][]))).toEqual({ signer, personalCode });
  });
});

describe('DDOC', () => {
  test('data files decoded; SHA-1 over the canonical DataFile checked; signer and time read', () => {
    const who = fictionalSigner('TIIU', 'KASK', 8);
    const u = unpackContainer('vana.ddoc', buildDdoc({ files: [pdf, txt], signers: [who], signingTime: new Date('2009-05-02T10:00:00Z') }));
    expect(u.kind).toBe('ddoc');
    expect(u.problems).toEqual([]);
    expect(u.files.map((f) => [f.name, f.size, f.sha256, f.declaredMimeType, f.digest, f.from])).toEqual([
      [pdf.name, pdf.bytes.length, sha256(pdf.bytes), 'application/pdf', 'ok', 'vana.ddoc'],
      [txt.name, txt.bytes.length, sha256(txt.bytes), 'text/plain', 'ok', 'vana.ddoc'],
    ]);
    expect(u.signatures[0]).toMatchObject({ signer: 'Tiiu Kask', signerPersonalCode: who.personalCode, signedAt: '2009-05-02T10:00:00.000Z', digest: 'ok' });
  });

  test('attributes in another order and the namespace inherited: the canonical form, hence the digest, is the same', () => {
    const u = unpackContainer('vana.ddoc', buildDdoc({ files: [pdf], shuffledAttributes: true }));
    expect(u.signatures[0]!.digest).toBe('ok');
  });

  test('one data file altered after signing gives mismatch', () => {
    const u = unpackContainer('vana.ddoc', buildDdoc({ files: [pdf, txt], tamper: pdf.name }));
    expect(byName(u, pdf.name).digest).toBe('mismatch');
    expect(byName(u, txt.name).digest).toBe('ok');
    expect(u.signatures[0]!.digest).toBe('mismatch');
  });

  test('canonical form matches DigiDoc: the digest of a DataFile from libdigidocpp test data (test/data/test.ddoc)', () => {
    // Known answer: the DataFile and its Reference DigestValue as published in open-eid/libdigidocpp.
    const root = readXmlTree(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<SignedDoc format="DIGIDOC-XML" version="1.3" xmlns="http://www.sk.ee/DigiDoc/v1.3.0#">\n' +
        '<DataFile ContentType="EMBEDDED_BASE64" Filename="test1.txt" Id="D0" MimeType="file" Size="5" xmlns="http://www.sk.ee/DigiDoc/v1.3.0#">MTIzNAo=\r\n</DataFile></SignedDoc>',
    );
    const c = canonicalDataFile(root.children[0]!)!;
    expect(crypto.createHash('sha1').update(c).digest('base64')).toBe('xZSz5vgxCptM5lUIjcqinBjgc44=');
  });

  test('two DataFiles with one name: the unsigned one is not-checked, not ok by its namesake', () => {
    const u = unpackContainer('vana.ddoc', buildDdoc({ files: [pdf], unsigned: [{ name: pdf.name, bytes: Buffer.from('%PDF-1.4 other') }] }));
    expect(u.files.map((f) => f.digest)).toEqual(['ok', 'not-checked']);
    expect(u.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['DUPLICATE_NAME', 'UNSIGNED_FILE']));
  });

  test('a DataFile with child elements cannot be canonicalised here: not-checked, never ok', () => {
    const xml = buildDdoc({ files: [pdf] }).toString().replace('</DataFile>', '<x/></DataFile>');
    const u = unpackContainer('vana.ddoc', Buffer.from(xml));
    expect(u.signatures[0]!.digest).toBe('not-checked');
  });
});

describe('containerKind reads the content, not only the name', () => {
  const asice = buildAsice({ files: [pdf] });
  const noMimetype = writeZip(asiceEntries({ files: [pdf] }).slice(1));
  const jar = writeZip([{ name: 'META-INF/MANIFEST.MF', bytes: Buffer.from('Manifest-Version: 1.0') }, { name: 'META-INF/CERT.SF', bytes: Buffer.from('x') }]);
  test.each([
    ['an ASiC-E named .asice', 'kiri.asice', asice, undefined, 'asice'],
    ['an ASiC-E named .zip', 'kiri.zip', asice, undefined, 'asice'],
    ['a BDOC', 'kiri.bdoc', asice, undefined, 'asice'],
    ['a DDOC named .xml', 'vana.xml', buildDdoc({ files: [pdf] }), undefined, 'ddoc'],
    ['a DDOC with a BOM', 'vana.ddoc', Buffer.from('\uFEFF<?xml version="1.0"?>\n<SignedDoc format="DIGIDOC-XML" version="1.3"/>'), undefined, 'ddoc'],
    ['a PDF named .asice', 'kiri.asice', pdf.bytes, undefined, undefined],
    ['a plain ZIP named .asice', 'kiri.asice', writeZip([{ name: 'a.txt', bytes: Buffer.from('x') }]), undefined, undefined],
    ['a DOCX', 'dok.docx', writeZip([{ name: '[Content_Types].xml', bytes: Buffer.from('<Types/>') }, { name: 'word/document.xml', bytes: Buffer.from('<w/>') }]), undefined, undefined],
    ['an ODT', 'x.odt', writeZip([{ name: 'mimetype', bytes: Buffer.from('application/vnd.oasis.opendocument.text'), method: 0 }, { name: 'META-INF/manifest.xml', bytes: Buffer.from('<m/>') }]), undefined, undefined],
    ['a signed JAR', 'x.bdoc', jar, undefined, undefined],
    // No mimetype entry: a ZIP with META-INF/*signatures*.xml is one by content, whatever its name.
    ['no mimetype, declared ASiC-E', 'x.bin', noMimetype, 'application/vnd.etsi.asic-e+zip', 'asice'],
    ['no mimetype, signatures inside', 'x.bin', noMimetype, undefined, 'asice'],
    ['an ODT-looking ZIP (mimetype ODT) with a signatures file', 'x.odt', writeZip([{ name: 'mimetype', bytes: Buffer.from('application/vnd.oasis.opendocument.text'), method: 0 }, { name: 'META-INF/documentsignatures.xml', bytes: Buffer.from('<m/>') }]), undefined, undefined],
  ])('%s', (_label, name, bytes, declared, kind) => {
    expect(containerKind(name, bytes, declared)).toBe(kind);
  });

  test('without a mimetype entry it is unpacked and the problem said', () => {
    const u = unpackContainer('x.bdoc', writeZip(asiceEntries({ files: [pdf] }).slice(1)));
    expect(u.signatures[0]!.digest).toBe('ok');
    expect(u.problems.map((p) => p.code)).toEqual(['MIMETYPE_NOT_FIRST', 'MIMETYPE_INVALID']);
  });
});

describe('nested containers', () => {
  test('a container inside a container is unpacked: its files at depth 2, from the inner name, its signature listed', () => {
    const inner = buildDdoc({ files: [txt], signers: [fictionalSigner('JUHAN', 'KUUSK', 5)] });
    const outer = unpackContainer('välimine.asice', buildAsice({ files: [pdf, { name: 'sisemine.ddoc', bytes: inner }] }));
    expect(outer.files.map((f) => [f.name, f.from, f.depth, f.digest])).toEqual([
      [pdf.name, 'välimine.asice', 1, 'ok'],
      ['sisemine.ddoc', 'välimine.asice', 1, 'ok'],
      [txt.name, 'sisemine.ddoc', 2, 'ok'],
    ]);
    expect(outer.signatures.map((s) => [s.from, s.signer, s.digest])).toEqual([
      ['välimine.asice', 'Mari Maasikas', 'ok'],
      ['sisemine.ddoc', 'Juhan Kuusk', 'ok'],
    ]);
  });

  test('a third level is kept as a file with a problem, not unpacked', () => {
    const l3 = buildAsice({ files: [txt] });
    const l2 = buildAsice({ files: [{ name: 'l3.asice', bytes: l3 }] });
    const u = unpackContainer('l1.asice', buildAsice({ files: [{ name: 'l2.asice', bytes: l2 }] }));
    expect(u.files.map((f) => [f.name, f.depth])).toEqual([
      ['l2.asice', 1],
      ['l3.asice', 2],
    ]);
    expect(u.problems.map((p) => p.code)).toContain('NESTED_TOO_DEEP');
  });

  test('an unusable nested container is kept as a file with a problem; the outer one is still read', () => {
    const broken = Buffer.from('<?xml version="1.0"?><SignedDoc><DataFile>');
    const u = unpackContainer('k.asice', buildAsice({ files: [pdf, { name: 'katki.ddoc', bytes: broken }] }));
    expect(u.files.map((f) => f.name)).toEqual([pdf.name, 'katki.ddoc']);
    expect(u.problems.map((p) => p.code)).toContain('NESTED_UNUSABLE');
    expect(u.signatures[0]!.digest).toBe('ok');
  });

  test('safe names stay unique across levels', () => {
    const inner = buildAsice({ files: [pdf] });
    const u = unpackContainer('k.asice', buildAsice({ files: [pdf, { name: 'in.asice', bytes: inner }] }));
    expect(u.files.map((f) => f.safeName)).toEqual(['taotlus.pdf', 'in.asice', 'taotlus (2).pdf']);
  });
});
