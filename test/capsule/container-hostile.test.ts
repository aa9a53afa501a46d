/**
 * The careless sender and the attacker: ZIP bombs, lying sizes, too many entries, traversal names,
 * encrypted and damaged entries, duplicate names, malformed XML and base64, huge DDOCs, entity tricks,
 * and a seeded fuzz loop over the fixtures. Every outcome is a result or a ContainerError; nothing hangs,
 * and no message carries the signer's personal code.
 */
import zlib from 'node:zlib';
import { ContainerError, unpackContainer, type UnpackedContainer } from '../../src/capsule/container';
import { asiceEntries, buildAsice, buildDdoc, fictionalSigner, writeZip, type DataFileSpec, type ZipEntrySpec } from '../fixtures-gen/containers';

const pdf: DataFileSpec = { name: 'otsus.pdf', bytes: Buffer.from('%PDF-1.7\nOtsus\n%%EOF\n'), mimeType: 'application/pdf' };
const codes = (u: UnpackedContainer): string[] => u.problems.map((p) => p.code);

function thrown(fn: () => unknown): ContainerError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ContainerError);
    return err as ContainerError;
  }
  throw new Error('expected a ContainerError');
}

/** An ASiC-E whose data entries are replaced by `data` (the signature still names the original files). */
function asiceWith(data: ZipEntrySpec[], files: DataFileSpec[] = [pdf]): Buffer {
  const base = asiceEntries({ files });
  return writeZip([base[0]!, ...data, ...base.slice(1 + files.length)]);
}

describe('ZIP bombs and sizes', () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  const bomb = zlib.deflateRawSync(zeros, { level: 9 }); // ~64 KB → 64 MiB: ratio ~1000

  test('an entry inflating past the ratio is stopped while inflating', () => {
    const e = thrown(() => unpackContainer('b.asice', asiceWith([{ name: pdf.name, bytes: zeros, compressed: bomb }])));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/inflates more than 200 times/);
  });

  test('an entry that declares less than it inflates to is stopped one byte past its declared size', () => {
    const u = unpackContainer('b.asice', asiceWith([{ name: pdf.name, bytes: zeros, compressed: bomb, declaredSize: 10 }]));
    expect(u.files).toEqual([]);
    expect(u.problems.find((p) => p.code === 'ENTRY_DAMAGED')?.message).toMatch(/past its declared size/);
    expect(u.signatures[0]!.digest).toBe('not-checked');
  });

  test('unpacked bytes past maxTotalBytes, counted across entries', () => {
    const mb = Buffer.alloc(1024 * 1024, 7);
    const entries = [1, 2, 3].map((i) => ({ name: `f${i}.bin`, bytes: mb }));
    expect(thrown(() => unpackContainer('b.asice', asiceWith(entries), { maxTotalBytes: 2.5 * 1024 * 1024 })).code).toBe('LIMIT_EXCEEDED');
    // The declared sizes lie (small): each stops one byte past what it declares, and nothing is kept.
    const lying = entries.map((e) => ({ ...e, declaredSize: 1 }));
    const u = unpackContainer('b.asice', asiceWith(lying), { maxTotalBytes: 2.5 * 1024 * 1024 });
    expect(u.files).toEqual([]);
    expect(codes(u).filter((c) => c === 'ENTRY_DAMAGED')).toHaveLength(3);
    // Entries that are inflated and then dropped (a wrong CRC) still count: inflating them was the work.
    const badCrc = entries.map((e) => ({ ...e, crc32: 42 }));
    expect(thrown(() => unpackContainer('b.asice', asiceWith(badCrc), { maxTotalBytes: 2.5 * 1024 * 1024 })).code).toBe('LIMIT_EXCEEDED');
  });

  test('a declared size past maxFileBytes is refused before inflating', () => {
    const e = thrown(() => unpackContainer('b.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes, declaredSize: 0xfffffff0 }])));
    expect(e.code).toBe('LIMIT_EXCEEDED');
  });

  test('a stored entry larger than maxFileBytes', () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    expect(thrown(() => unpackContainer('b.asice', asiceWith([{ name: 'x.bin', bytes: big, method: 0 }]), { maxFileBytes: 1024 * 1024 })).code).toBe('LIMIT_EXCEEDED');
  });

  test('a bomb inside a nested container stops the whole container', () => {
    const inner = asiceWith([{ name: pdf.name, bytes: zeros, compressed: bomb }]);
    expect(thrown(() => unpackContainer('o.asice', buildAsice({ files: [{ name: 'in.asice', bytes: inner }] }))).code).toBe('LIMIT_EXCEEDED');
  });

  test('an oversized signatures file is skipped with a problem, not parsed', () => {
    const base = asiceEntries({ files: [pdf] });
    const huge = Buffer.concat([Buffer.from('<a>'), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('</a>')]);
    const u = unpackContainer('b.asice', writeZip([...base, { name: 'META-INF/signatures1.xml', bytes: huge }]), { maxXmlBytes: 1024 * 1024 });
    expect(codes(u)).toContain('XML_TOO_LARGE');
    expect(u.signatures[0]!.digest).toBe('ok');
  });

  test('too many entries', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, bytes: Buffer.from('x') }));
    expect(thrown(() => unpackContainer('b.asice', asiceWith(many), { maxEntries: 10 })).code).toBe('TOO_MANY_ENTRIES');
  });

  test('a container larger than maxContainerBytes, a DDOC larger than maxDdocBytes', () => {
    expect(thrown(() => unpackContainer('b.asice', buildAsice({ files: [pdf] }), { maxContainerBytes: 100 })).code).toBe('LIMIT_EXCEEDED');
    const ddoc = buildDdoc({ files: [{ name: 'suur.bin', bytes: Buffer.alloc(200_000, 3) }] });
    expect(thrown(() => unpackContainer('v.ddoc', ddoc, { maxDdocBytes: 100_000 })).code).toBe('LIMIT_EXCEEDED');
    expect(thrown(() => unpackContainer('v.ddoc', ddoc, { maxFileBytes: 100_000 })).code).toBe('LIMIT_EXCEEDED');
  });
});

describe('names', () => {
  test.each([
    ['../../etc/passwd', 'passwd'],
    ['/abs/otsus.pdf', 'otsus.pdf'],
    ['..\\..\\windows\\cmd.exe', 'cmd.exe'],
    ['lisa\u0000.pdf', 'lisa.pdf'],
    ['C:\\temp\\x.pdf', 'x.pdf'],
  ])('%j is kept as data, with a safe name and a problem; its digest still checked', (name, safe) => {
    const f = { name, bytes: Buffer.from('data') };
    const u = unpackContainer('n.asice', buildAsice({ files: [f] }));
    expect(u.files.map((x) => [x.name, x.safeName, x.digest])).toEqual([[name, safe, 'ok']]);
    expect(codes(u)).toContain('UNSAFE_NAME');
  });

  test('an over-long name is cut to a safe length, the original kept', () => {
    const name = `${'ä'.repeat(5000)}.pdf`;
    const u = unpackContainer('n.asice', buildAsice({ files: [{ name, bytes: Buffer.from('x') }] }));
    expect(u.files[0]!.name).toBe(name);
    expect(Buffer.byteLength(u.files[0]!.safeName)).toBeLessThanOrEqual(200);
    expect(u.files[0]!.safeName.endsWith('.pdf')).toBe(true);
    expect(codes(u)).toContain('UNSAFE_NAME');
    expect(u.problems.every((p) => p.message.length < 400)).toBe(true);
  });

  test('two entries with one name: the second is skipped, references to the name are not-checked', () => {
    const u = unpackContainer('d.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes }, { name: pdf.name, bytes: Buffer.from('evil') }]));
    expect(u.files).toHaveLength(1);
    expect(u.files[0]!.bytes.equals(pdf.bytes)).toBe(true);
    expect(codes(u)).toContain('DUPLICATE_NAME');
    expect(u.files[0]!.digest).toBe('not-checked');
    expect(u.signatures[0]!.references).toEqual([{ file: pdf.name, digest: 'not-checked' }]);
  });

  test('names that sanitise alike get distinct safe names', () => {
    const u = unpackContainer('d.asice', buildAsice({ files: [{ name: 'a/b.txt', bytes: Buffer.from('1') }, { name: 'b.txt', bytes: Buffer.from('2') }, { name: 'B.TXT', bytes: Buffer.from('3') }] }));
    expect(u.files.map((f) => f.safeName)).toEqual(['b.txt', 'b (2).txt', 'B (3).TXT']);
  });
});

describe('damaged, encrypted and odd entries', () => {
  test('an encrypted entry is skipped with a problem; the signature cannot check it', () => {
    const u = unpackContainer('e.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes, flags: 0x1 }]));
    expect(u.files).toEqual([]);
    expect(codes(u)).toContain('ENCRYPTED_ENTRY');
    expect(u.signatures[0]!.references).toEqual([{ file: pdf.name, digest: 'not-checked' }]);
    expect(u.signatures[0]!.digest).toBe('not-checked');
  });

  test('a wrong CRC, a corrupt deflate stream, an unknown method: skipped with a problem', () => {
    const crc = unpackContainer('c.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes, crc32: 1234 }]));
    expect(codes(crc)).toContain('ENTRY_DAMAGED');
    const corrupt = unpackContainer('c.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes, compressed: Buffer.from([0xff, 0xff, 0xff]) }]));
    expect(codes(corrupt)).toContain('ENTRY_DAMAGED');
    const method = unpackContainer('c.asice', asiceWith([{ name: pdf.name, bytes: pdf.bytes, method: 12 }]));
    expect(codes(method)).toContain('UNSUPPORTED_COMPRESSION');
  });

  test('a signature naming a file that is not there: mismatch (signed content is missing)', () => {
    const u = unpackContainer('m.asice', asiceWith([]));
    expect(u.signatures[0]!.digest).toBe('mismatch');
    expect(codes(u)).toEqual(expect.arrayContaining(['REFERENCE_MISSING', 'MANIFEST_FILE_MISSING']));
  });

  test('truncated, not a ZIP, ZIP64 markers', () => {
    const good = buildAsice({ files: [pdf] });
    expect(thrown(() => unpackContainer('t.asice', good.subarray(0, good.length - 30))).code).toMatch(/ZIP_INVALID|NOT_A_CONTAINER/);
    expect(thrown(() => unpackContainer('t.asice', Buffer.from('not a zip at all'))).code).toBe('NOT_A_CONTAINER');
    const z64 = Buffer.from(good);
    z64.writeUInt16LE(0xffff, z64.length - 22 + 10);
    expect(thrown(() => unpackContainer('t.asice', z64)).code).toBe('ZIP64_UNSUPPORTED');
  });
});

describe('malformed XML', () => {
  const withSignatures = (xml: string): Buffer =>
    writeZip([...asiceEntries({ files: [pdf] }).filter((e) => !e.name.includes('signatures')), { name: 'META-INF/signatures0.xml', bytes: Buffer.from(xml) }]);

  test.each([
    ['not well-formed', '<asic:XAdESSignatures xmlns:asic="x"><ds:Signature'],
    ['a DOCTYPE with entities (billion laughs)', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><a>&b;</a>'],
    ['an external entity', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['not UTF-8', '\u00ff\u00fe<\u0000a'],
    ['deeply nested', `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`],
  ])('signatures file %s: a problem, the files not-checked', (_label, xml) => {
    const bytes = _label === 'not UTF-8' ? writeZip([...asiceEntries({ files: [pdf] }).filter((e) => !e.name.includes('signatures')), { name: 'META-INF/signatures0.xml', bytes: Buffer.from([0xff, 0xfe, 0x3c, 0x00]) }]) : withSignatures(xml);
    const u = unpackContainer('x.asice', bytes);
    expect(codes(u)).toContain('SIGNATURE_UNREADABLE');
    expect(u.files[0]!.digest).toBe('not-checked');
  });

  test('a signature with garbage certificate, digest value and time', () => {
    const xml = asiceEntries({ files: [pdf] })
      .find((e) => e.name.includes('signatures'))!
      .bytes.toString()
      .replace(/<ds:X509Certificate>[^<]*</, '<ds:X509Certificate>bm90IGEgY2VydA==<')
      .replace(/<ds:DigestValue>[^<]*</, '<ds:DigestValue>!!!<')
      .replace(/<xades:SigningTime>[^<]*</, '<xades:SigningTime>yesterday<');
    const u = unpackContainer('x.asice', withSignatures(xml));
    expect(u.signatures[0]).toMatchObject({ signer: null, signerPersonalCode: null, signedAt: null, digest: 'not-checked' });
    expect(codes(u)).toEqual(expect.arrayContaining(['SIGNER_UNKNOWN', 'DIGEST_INVALID', 'SIGNING_TIME_INVALID']));
  });

  test('a malformed manifest is a problem, not fatal', () => {
    const entries = asiceEntries({ files: [pdf] }).map((e) => (e.name === 'META-INF/manifest.xml' ? { ...e, bytes: Buffer.from('<manifest') } : e));
    const u = unpackContainer('x.asice', writeZip(entries));
    expect(codes(u)).toContain('MANIFEST_INVALID');
    expect(u.signatures[0]!.digest).toBe('ok');
  });

  test('DDOC: not well-formed, a DOCTYPE, bad base64, an unknown content type', () => {
    const good = buildDdoc({ files: [pdf] }).toString();
    expect(thrown(() => unpackContainer('v.ddoc', Buffer.from(good.slice(0, good.length - 40)))).code).toBe('XML_INVALID');
    const doctype = good.replace('<SignedDoc', '<!DOCTYPE SignedDoc [<!ENTITY x "y">]>\n<SignedDoc');
    // Not recognised as a DDOC, and refused if read as one: no DTD, no entities.
    expect(thrown(() => unpackContainer('v.ddoc', Buffer.from(doctype))).code).toMatch(/^(XML_INVALID|NOT_A_CONTAINER)$/);
    const lateDoctype = good.replace('<DataFile', '<!DOCTYPE x><DataFile');
    expect(thrown(() => unpackContainer('v.ddoc', Buffer.from(lateDoctype))).code).toBe('XML_INVALID');
    const badB64 = unpackContainer('v.ddoc', Buffer.from(good.replace(/(<DataFile[^>]*>)[^<]*/, '$1@@@not base64@@@')));
    expect(codes(badB64)).toContain('BASE64_INVALID');
    expect(badB64.files).toEqual([]);
    expect(badB64.signatures[0]!.digest).toBe('mismatch');
    const detached = unpackContainer('v.ddoc', Buffer.from(good.replace('EMBEDDED_BASE64', 'DETACHED')));
    expect(codes(detached)).toContain('UNSUPPORTED_CONTENT_TYPE');
  });
});

describe('the personal code is personal data', () => {
  const who = fictionalSigner('MARI', 'MAASIKAS', 33);
  const code = who.personalCode;

  test('in the result, never in a problem or a thrown message', () => {
    const named = { name: `${code}_avaldus.pdf`, bytes: pdf.bytes };
    const ok = unpackContainer('p.asice', buildAsice({ files: [named], signers: [who] }));
    expect(ok.signatures[0]!.signerPersonalCode).toBe(code);
    const enc = unpackContainer('p.asice', asiceWith([{ name: named.name, bytes: named.bytes, flags: 1 }], [named]));
    expect(JSON.stringify(enc.problems)).not.toContain(code);
    expect(enc.problems.length).toBeGreaterThan(0);
    const e = thrown(() => unpackContainer('p.asice', asiceWith([{ name: named.name, bytes: named.bytes, declaredSize: 0xfffffff0 }], [named])));
    expect(e.message).not.toContain(code);
    const d = thrown(() => unpackContainer(`${code}.ddoc`, buildDdoc({ files: [named], signers: [who] }), { maxFileBytes: 5 }));
    expect(`${d.message} ${d.stack}`).not.toContain(code);
  });
});

describe('fuzz: seeded random mutations never hang and end in a result or a ContainerError', () => {
  /** mulberry32: a small seeded PRNG, so a failure is reproducible. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function mutate(input: Buffer, rnd: () => number): Buffer {
    const b = Buffer.from(input);
    const n = 1 + Math.floor(rnd() * 8);
    let out = b;
    for (let i = 0; i < n; i++) {
      const at = Math.floor(rnd() * out.length);
      const op = Math.floor(rnd() * 4);
      if (op === 0) out[at] = Math.floor(rnd() * 256);
      else if (op === 1) out = out.subarray(0, at);
      else if (op === 2) out = Buffer.concat([out.subarray(0, at), Buffer.from([Math.floor(rnd() * 256)]), out.subarray(at)]);
      else out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + Math.floor(rnd() * 64)), out.subarray(at)]);
      if (out.length === 0) break;
    }
    return out;
  }
  const files = [pdf, { name: 'lisa.txt', bytes: Buffer.from('tere\n'.repeat(50)) }];
  const ROUNDS = 400;

  function run(label: string, make: (rnd: () => number) => Buffer, seed: number): void {
    const rnd = prng(seed);
    let results = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const input = make(rnd);
      try {
        const u = unpackContainer(label, input);
        expect(['asice', 'ddoc']).toContain(u.kind);
        results++;
      } catch (err) {
        if (!(err instanceof ContainerError)) throw new Error(`${label} round ${i}: ${String(err)}`, { cause: err });
      }
    }
    expect(results).toBeGreaterThan(0);
  }

  test('byte mutations of an ASiC-E', () => {
    const base = buildAsice({ files });
    run('f.asice', (rnd) => mutate(base, rnd), 15);
  });

  test('mutations of the XML inside an ASiC-E, zipped again', () => {
    const entries = asiceEntries({ files });
    run(
      'f.asice',
      (rnd) =>
        writeZip(entries.map((e) => (e.name.startsWith('META-INF/') && rnd() < 0.7 ? { ...e, bytes: mutate(e.bytes, rnd) } : e))),
      16,
    );
  });

  test('byte mutations of a DDOC', () => {
    const base = buildDdoc({ files });
    run('f.ddoc', (rnd) => mutate(base, rnd), 17);
  });
});
