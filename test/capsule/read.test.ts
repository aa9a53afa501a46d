import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import zlib, { deflateRawSync, gzipSync } from 'node:zlib';
import { readCapsule, validateCapsule } from '../../src/capsule/read';
import { capsuleXml, chunked, fileXml, gzipBase64 } from './helpers';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A single-entry ZIP archive (APPNOTE 4.3): local header, data, central directory, end record. */
function zipOf(name: string, data: Buffer, method: 0 | 8, extraEntry?: Buffer): Buffer {
  const entry = (n: string, d: Buffer): { local: Buffer; central: (offset: number) => Buffer } => {
    const body = method === 8 ? deflateRawSync(d) : d;
    const nameBuf = Buffer.from(n);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = (offset: number): Buffer => {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(method, 10);
      c.writeUInt32LE(body.length, 20);
      c.writeUInt32LE(d.length, 24);
      c.writeUInt16LE(nameBuf.length, 28);
      c.writeUInt32LE(offset, 42);
      return Buffer.concat([c, nameBuf]);
    };
    return { local: Buffer.concat([local, nameBuf, body]), central };
  };
  const entries = [entry(name, data), ...(extraEntry ? [entry('second.txt', extraEntry)] : [])];
  let offset = 0;
  const centrals: Buffer[] = [];
  for (const e of entries) {
    centrals.push(e.central(offset));
    offset += e.local.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([...entries.map((e) => e.local), ...centrals, end]);
}

/** Collects what a sink received, to prove how much left the decoder. */
function collector(): { sink: Writable; received: () => number; data: () => Buffer } {
  const chunks: Buffer[] = [];
  let n = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      n += chunk.length;
      if (chunks.length < 64) chunks.push(chunk);
      cb();
    },
  });
  return { sink, received: () => n, data: () => Buffer.concat(chunks) };
}

describe('reading a capsule', () => {
  test('a valid capsule gives the model, and each file its computed size, sha256 and sniffed type beside the declared ones', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% lapse toimik\n');
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(gzipBase64(pdf), 'toimik.pdf', 'application/msword', 211543)] }), 1000));
    expect(r.issues).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.capsule?.transport.sender.organisationCode).toBe('75006546');
    expect(r.capsule?.files[0]).toMatchObject({ fileName: 'toimik.pdf', mimeType: 'application/msword', fileSize: 211543 });
    expect(r.files).toEqual([
      expect.objectContaining({ index: 1, encoding: 'gzip', size: pdf.length, sha256: sha(pdf), sniffedMimeType: 'application/pdf' }),
    ]);
  });

  test('the content decodes the same whatever the chunk boundaries (7-byte pieces, CRLF line breaks)', async () => {
    const data = Buffer.from('a'.repeat(5000) + 'õäöü šž');
    const b64 = gzipBase64(data).replace(/\n/g, '\r\n');
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(b64, 'a.txt', 'text/plain')] }), 7));
    expect(r.valid).toBe(true);
    expect(r.files[0]).toMatchObject({ size: data.length, sha256: sha(data), sniffedMimeType: 'text/plain' });
  });

  test('gzip, single-entry ZIP (deflated and stored), raw and empty payloads are told apart by their magic bytes', async () => {
    const docx = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('[Content_Types].xml word/document.xml')]);
    const plain = Buffer.from('%PDF-1.4 raw bytes');
    const files = [
      fileXml(gzipBase64(plain), 'a.pdf'),
      fileXml(zipOf('b.pdf', plain, 8).toString('base64'), 'b.pdf'),
      fileXml(zipOf('c.pdf', plain, 0).toString('base64'), 'c.pdf'),
      fileXml(plain.toString('base64'), 'd.pdf'),
      fileXml('', 'e.pdf'),
      fileXml(gzipBase64(docx), 'f.docx', 'application/octet-stream'),
    ];
    const r = await readCapsule(chunked(capsuleXml({ files }), 4096));
    expect(r.valid).toBe(true);
    expect(r.files.map((f) => [f.encoding, f.size, f.error?.code])).toEqual([
      ['gzip', plain.length, undefined],
      ['zip', plain.length, undefined],
      ['zip', plain.length, undefined],
      ['raw', plain.length, undefined],
      ['empty', 0, undefined],
      ['gzip', docx.length, undefined],
    ]);
    expect(r.files.slice(0, 4).every((f) => f.sha256 === sha(plain))).toBe(true);
    expect(r.files[5]?.sniffedMimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  test('a ZIP payload with two entries is a file error, not silently the first entry', async () => {
    const zip = zipOf('a.txt', Buffer.from('one'), 0, Buffer.from('two'));
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(zip.toString('base64'), 'a.txt', 'text/plain')] }), 4096));
    expect(r.valid).toBe(true);
    expect(r.files[0]?.error?.code).toBe('ZIP_UNSUPPORTED');
  });

  test('corrupt gzip content is reported on the file while the capsule stays schema-valid (content is opaque to DHX)', async () => {
    const broken = gzipSync(Buffer.alloc(10000, 1)).subarray(0, 40).toString('base64');
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(broken)] }), 4096));
    expect(r.valid).toBe(true);
    expect(r.files[0]?.error?.code).toBe('DECOMPRESS_FAILED');
  });

  test('characters outside the base64 alphabet are reported on the file', async () => {
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml('H4sI!!!!AAAA')] }), 4096));
    expect(r.files[0]?.error?.code).toBe('BASE64_INVALID');
  });

  test('a prefixed namespace reads the same as the default one', async () => {
    const ns = 'http://www.riik.ee/schemas/deccontainer/vers_2_1/';
    const plain = capsuleXml();
    const prefixed = plain
      .replace(`<DecContainer xmlns="${ns}">`, `<k:DecContainer xmlns:k="${ns}">`)
      .replace(/<(\/?)([A-Z]\w*)/g, (m, slash: string, name: string) => (name === 'DecContainer' && !slash ? m : `<${slash}k:${name}`))
      .replace('<k:DecContainer xmlns:k', '<k:DecContainer xmlns:k');
    const a = await readCapsule(chunked(plain, 4096));
    const b = await readCapsule(chunked(prefixed, 4096));
    expect(b.issues).toEqual([]);
    expect(b.capsule).toEqual(a.capsule);
  });

  test('dates without a zone are Europe/Tallinn time; dates with a zone keep theirs', async () => {
    const winter = await readCapsule(chunked(capsuleXml({ registered: '2026-01-15T12:00:00' }), 4096));
    const summer = await readCapsule(chunked(capsuleXml({ registered: '2026-07-15T12:00:00' }), 4096));
    const zoned = await readCapsule(chunked(capsuleXml({ registered: '2026-07-15T12:00:00Z' }), 4096));
    const offset = await readCapsule(chunked(capsuleXml({ registered: '2026-07-15T12:00:00.250+05:30' }), 4096));
    expect(winter.capsule?.recordMetadata.recordDateRegistered.instant.toISOString()).toBe('2026-01-15T10:00:00.000Z');
    expect(summer.capsule?.recordMetadata.recordDateRegistered.instant.toISOString()).toBe('2026-07-15T09:00:00.000Z');
    expect(zoned.capsule?.recordMetadata.recordDateRegistered.instant.toISOString()).toBe('2026-07-15T12:00:00.000Z');
    expect(offset.capsule?.recordMetadata.recordDateRegistered).toEqual({
      lexical: '2026-07-15T12:00:00.250+05:30',
      instant: new Date('2026-07-15T06:30:00.250Z'),
    });
  });

  test('a UTF-8 byte-order mark and a declared ISO-8859-1 encoding are read correctly', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(capsuleXml({ title: 'Õigusabi' }))]);
    const latin = Buffer.from(
      capsuleXml({ prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>\n', title: 'Nõustamine ärakuulamine' }),
      'latin1',
    );
    expect((await readCapsule(chunked(bom, 4096))).capsule?.recordMetadata.recordTitle).toBe('Õigusabi');
    const r = await readCapsule(chunked(latin, 4096));
    expect(r.issues).toEqual([]);
    expect(r.capsule?.recordMetadata.recordTitle).toBe('Nõustamine ärakuulamine');
  });

  test('bytes that are not valid UTF-8 make the capsule invalid (ENCODING)', async () => {
    const bad = Buffer.from(capsuleXml({ title: 'XX' }));
    bad[bad.indexOf('XX')] = 0xff;
    const r = await readCapsule(chunked(bad, 4096));
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.code).toBe('ENCODING');
  });
});

describe('what is not a capsule', () => {
  test.each([
    ['empty input', '', 'NOT_XML'],
    ['plain text', 'test', 'NOT_XML'],
    ['a base64(gzip(xml)) wrapped capsule (DVK attachment style)', gzipBase64(capsuleXml(), 0), 'NOT_XML'],
    ['truncated XML', capsuleXml().slice(0, 700), 'MALFORMED'],
    ['two root elements', capsuleXml() + '<x/>', 'MALFORMED'],
    ['an HTML entity (&nbsp;) that XML does not define', capsuleXml({ title: 'Nõustamine&nbsp;taotlus' }), 'MALFORMED'],
  ])('%s is invalid', async (_name, text, code) => {
    const r = await readCapsule(chunked(text, 4096));
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.code).toBe(code);
  });

  test.each([
    ['an internal entity', '<!DOCTYPE DecContainer [<!ENTITY t "Nõustamine">]>\n', '&t;'],
    ['an external entity (XXE)', '<!DOCTYPE DecContainer [<!ENTITY t SYSTEM "file:///etc/passwd">]>\n', '&t;'],
    [
      'nested entities (billion laughs)',
      '<!DOCTYPE DecContainer [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n',
      '&c;',
    ],
    ['a bare DOCTYPE', '<!DOCTYPE DecContainer>\n', 'Nõustamine'],
  ])('a DOCTYPE with %s makes the capsule invalid and nothing is expanded', async (_n, doctype, title) => {
    const xml = capsuleXml({ prolog: `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}`, title });
    const r = await readCapsule(chunked(xml, 4096));
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'DTD_FORBIDDEN', line: 2 })]);
    expect(JSON.stringify(r.capsule ?? {})).not.toContain('root:');
  });
});

describe('schema issues name the element path and the original line', () => {
  test('a capsule without Transport: "DecContainer/Transport is missing"', async () => {
    const r = await validateCapsule(chunked(capsuleXml({ transport: '' }), 4096));
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.message).toMatch(/^DecContainer\/Transport is missing/);
  });

  test("RecordGuid 'x': \"DecContainer/RecordMetadata/RecordGuid: 'x' does not match GuidType\"", async () => {
    const xml = capsuleXml({ recordGuid: 'x' });
    const r = await validateCapsule(chunked(xml, 4096));
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({
      code: 'SCHEMA',
      path: 'DecContainer/RecordMetadata/RecordGuid',
      line: xml.split('\n').findIndex((l) => l.includes('<RecordGuid>x<')) + 1,
    });
    expect(r.issues[0]?.message).toMatch(/^DecContainer\/RecordMetadata\/RecordGuid: 'x' does not match GuidType/);
  });

  test('an issue after a large multi-line file still names its line in the original document', async () => {
    const big = gzipBase64(randomBytes(200_000)); // ~3 500 lines of base64
    const second = fileXml(gzipBase64('x')).replace(/<FileGuid>[^<]*</, '<FileGuid>not-a-guid<');
    const xml = capsuleXml({ files: [fileXml(big), second] });
    const r = await readCapsule(chunked(xml, 65536));
    const line = xml.split('\n').findIndex((l) => l.includes('<FileGuid>not-a-guid<')) + 1;
    expect(line).toBeGreaterThan(3000);
    expect(r.issues).toEqual([
      expect.objectContaining({ path: 'DecContainer/File/FileGuid', line, message: expect.stringMatching(/'not-a-guid' does not match GuidType/) }),
    ]);
  });
});

describe('limits', () => {
  // Deflate tops out near 1 000:1, so "1 KB → 10 GB" is really ~10 MB → 10 GB; the mechanism is the same at any scale.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros → ~64 KB

  test('a gzip bomb is stopped by the expansion ratio after little more than the grace amount', async () => {
    const c = collector();
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(bomb.toString('base64'), 'bomb.pdf')] }), 65536), {
      sink: () => c.sink,
    });
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', path: 'DecContainer/File[1]/ZipBase64Content' });
    expect(r.issues[0]?.message).toMatch(/expands more than 200×/);
    expect(c.received()).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(r.files).toEqual([]);
  });

  test('a file larger than the per-file limit is stopped at the limit; the sink never gets more', async () => {
    const c = collector();
    const limit = 5 * 1024 * 1024;
    const r = await readCapsule(chunked(capsuleXml({ files: [fileXml(bomb.toString('base64'), 'bomb.pdf')] }), 65536), {
      sink: () => c.sink,
      limits: { maxFileBytes: limit, maxGzipRatio: 1e9 },
    });
    expect(r.issues[0]?.message).toMatch(/decodes to more than 5242880 bytes/);
    expect(c.received()).toBeLessThanOrEqual(limit);
  });

  test('the total of all files is limited', async () => {
    const data = Buffer.alloc(3000, 65);
    const files = [fileXml(gzipBase64(data), 'a.txt'), fileXml(gzipBase64(data), 'b.txt')];
    const r = await readCapsule(chunked(capsuleXml({ files }), 4096), { limits: { maxTotalBytes: 5000 } });
    expect(r.issues[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(r.issues[0]?.message).toMatch(/in total/);
  });

  test('metadata beyond its limit and too many File elements are refused', async () => {
    const long = await readCapsule(chunked(capsuleXml({ title: 'x'.repeat(20_000) }), 4096), { limits: { maxMetadataBytes: 10_000 } });
    expect(long.issues[0]?.code).toBe('LIMIT_EXCEEDED');
    const many = await readCapsule(chunked(capsuleXml({ files: [fileXml(''), fileXml(''), fileXml('')] }), 4096), {
      limits: { maxFiles: 2 },
    });
    expect(many.issues[0]?.message).toMatch(/more than 2 File elements/);
  });

  // FileName is an unbounded xs:string in the schema: only this limit keeps it, and every other free
  // text, to a size the intake's work was built for.
  test.each([
    ['a 1 MB FileName', () => capsuleXml({ files: [fileXml(gzipBase64('%PDF-1.4'), 'a'.repeat(1_000_000) + '.pdf')] }), 'DecContainer/File/FileName'],
    ['a 10 MB FileName of white space', () => capsuleXml({ files: [fileXml(gzipBase64('%PDF-1.4'), `a${' '.repeat(10_000_000)}b.pdf`)] }), 'DecContainer/File/FileName'],
    ['a 1 MB RecordTitle', () => capsuleXml({ title: 'õ'.repeat(500_000) }), 'DecContainer/RecordMetadata/RecordTitle'],
  ])('%s is refused as past the text limit, at once', async (_what, make, path) => {
    const xml = make();
    const started = process.hrtime.bigint();
    const r = await readCapsule(chunked(xml, 256 * 1024));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
    expect(r.valid).toBe(false);
    expect(r.files).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED', path })]);
    expect(r.issues[0]?.message).toMatch(/text longer than 65536 bytes/);
  }, 20_000);

  test('the text limit counts UTF-8 bytes: a title of exactly the limit is read, one byte more is refused', async () => {
    const limits = { maxTextBytes: 1000 };
    const at = await readCapsule(chunked(capsuleXml({ title: 'õ'.repeat(500) }), 7), { limits });
    expect(at.valid).toBe(true);
    expect(at.capsule?.recordMetadata.recordTitle).toBe('õ'.repeat(500));
    const over = await readCapsule(chunked(capsuleXml({ title: `${'õ'.repeat(500)}a` }), 7), { limits });
    expect(over.issues[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', path: 'DecContainer/RecordMetadata/RecordTitle' });
    // File content is not metadata text: a file far larger than the limit is read.
    const big = await readCapsule(chunked(capsuleXml({ files: [fileXml(gzipBase64(randomBytes(5000)))] }), 4096), { limits });
    expect(big.valid).toBe(true);
    expect(big.files[0]?.size).toBe(5000);
  });

  test('validate-only mode does not decode content and still gives the schema verdict', async () => {
    const r = await validateCapsule(Readable.from([capsuleXml({ files: [fileXml(bomb.toString('base64'))] })]));
    expect(r.valid).toBe(true);
    expect(r.files).toEqual([]);
  });
});

describe('small files decoded at once give what the stream gives', () => {
  const b64 = (b: Buffer): string => b.toString('base64');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000), Buffer.from('\n%%EOF\n')]);
  const text = Buffer.from('Lapse heaolu hindamine. '.repeat(400));
  const cases: Array<[string, string[], Record<string, number>]> = [
    ['gzip', [b64(gzipSync(pdf))], {}],
    ['gzip of highly compressible text', [b64(gzipSync(text))], {}],
    ['raw', [b64(pdf)], {}],
    ['empty', [''], {}],
    ['three raw bytes', [b64(Buffer.from('abc'))], {}],
    ['an empty gzip member', [b64(gzipSync(Buffer.alloc(0)))], {}],
    ['two gzip members', [b64(Buffer.concat([gzipSync(Buffer.from('one ')), gzipSync(Buffer.from('two'))]))], {}],
    ['gzip with bytes after it', [b64(Buffer.concat([gzipSync(pdf), Buffer.from('trailing')]))], {}],
    ['truncated gzip', [b64(gzipSync(pdf).subarray(0, 500))], {}],
    ['corrupt gzip', [b64(Buffer.concat([gzipSync(pdf).subarray(0, 10), randomBytes(200)]))], {}],
    ['invalid base64', ['H4sI@@@@'], {}],
    ['stored ZIP', [b64(zipOf('a.txt', text, 0))], {}],
    ['deflated ZIP', [b64(zipOf('a.txt', text, 8))], {}],
    ['gzip past maxFileBytes', [b64(gzipSync(text))], { maxFileBytes: 5000 }],
    ['raw past maxFileBytes', [b64(pdf)], { maxFileBytes: 1000 }],
    ['two files within the limits', [b64(gzipSync(pdf)), b64(pdf)], { maxTotalBytes: 7000 }],
  ];

  test.each(cases)('%s', async (_name, contents, limits) => {
    const xml = capsuleXml({ files: contents.map((c, i) => fileXml(c, `f${i}.bin`, 'application/octet-stream')) });
    const run = async (decodeAtOnceMax: number): Promise<unknown> => {
      const sinks: Array<ReturnType<typeof collector>> = [];
      const r = await readCapsule(chunked(xml, 1024), {
        limits,
        decodeAtOnceMax,
        sink: () => {
          const c = collector();
          sinks.push(c);
          return c.sink;
        },
      });
      // Where reading stopped after a refusal (bytes read, skeleton, what a sink got before) may differ,
      // and so may how much of a corrupt file decoded before its error (that depends on how the input was
      // fed); the verdict, the issues and every file's outcome may not.
      const files = r.files.map((f) => (f.error ? { ...f, size: undefined, sha256: undefined, sniffedMimeType: undefined } : f));
      const stored = r.valid ? sinks.map((s, i) => (r.files[i]?.error ? undefined : sha(s.data()))) : [];
      return { valid: r.valid, issues: r.issues, files, stored };
    };
    const atOnce = await run(64 * 1024);
    const streamed = await run(0);
    expect(atOnce).toEqual(streamed);
  });

  test('a small gzip file takes the one-call path, a large one the stream', async () => {
    const spy = jest.spyOn(zlib, 'gunzipSync');
    try {
      const small = capsuleXml({ files: [fileXml(b64(gzipSync(pdf)))] });
      expect((await readCapsule(chunked(small, 1024))).files[0]).toMatchObject({ encoding: 'gzip', size: pdf.length });
      expect(spy).toHaveBeenCalledTimes(1);
      const large = capsuleXml({ files: [fileXml(b64(gzipSync(randomBytes(100 * 1024))))] });
      expect((await readCapsule(chunked(large, 1024))).files[0]).toMatchObject({ encoding: 'gzip', size: 100 * 1024 });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('a streamed ZIP whose header arrives in pieces is read as one entry', async () => {
    const text2 = Buffer.from('Juhtumiplaan. '.repeat(50));
    for (const method of [0, 8] as const) {
      const xml = capsuleXml({ files: [fileXml(b64(zipOf('plaan.txt', text2, method)), 'plaan.zip', 'application/zip')] });
      const r = await readCapsule(chunked(xml, 7), { decodeAtOnceMax: 0 });
      expect(r.files[0]).toMatchObject({ encoding: 'zip', size: text2.length, sha256: sha(text2) });
      expect(r.files[0]?.error).toBeUndefined();
    }
  });

  test('the file that takes the total past maxTotalBytes is the one named', async () => {
    const content = b64(gzipSync(text)); // 9 600 bytes decoded
    const xml = capsuleXml({ files: [fileXml(content, 'a.txt', 'text/plain'), fileXml(content, 'b.txt', 'text/plain')] });
    const r = await readCapsule(chunked(xml, 1024), { limits: { maxTotalBytes: 15000 } });
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED', path: 'DecContainer/File[2]/ZipBase64Content' })]);
  });
});
