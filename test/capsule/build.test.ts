import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import {
  CapsuleBuildError,
  CapsuleBuildErrorCode,
  buildCapsule,
  buildCapsuleToBuffer,
  buildCapsuleToFile,
  type CapsuleDraft,
  type FileContent,
} from '../../src/capsule/build';
import { dateTimeValue, parseDateTime } from '../../src/capsule/dates';
import { DEFAULT_RESTRICTION_BASIS, makeDraft, makeReplyDraft, type DraftInput } from '../../src/capsule/draft';
import type { Capsule, DateTimeValue } from '../../src/capsule/model';
import { readCapsule } from '../../src/capsule/read';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { capsuleOf } from '../fixtures-gen/make-fixtures';
import { personalCode } from '../fixtures-gen/personal-code';

const MB = 1024 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const dt = (lexical: string): DateTimeValue => parseDateTime(lexical)!;
const CHILD = personalCode('F', '2015-02-11', 318);
const WORKER = personalCode('F', '1984-10-23', 41);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capsule-build-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Deterministic, incompressible bytes (AES-CTR keystream), as a stream made on demand. */
function randomStream(size: number, onRead?: (n: number) => void): () => Readable {
  return () => {
    const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), Buffer.alloc(16, 0));
    const zeros = Buffer.alloc(MB);
    let produced = 0;
    return new Readable({
      read() {
        if (produced >= size) return void this.push(null);
        const n = Math.min(256 * 1024, size - produced);
        produced += n;
        onRead?.(produced);
        this.push(cipher.update(zeros.subarray(0, n)));
      },
    });
  };
}

function randomBytesOf(size: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), Buffer.alloc(16, 0)).update(Buffer.alloc(size));
}

const KOV = { code: '75006546', name: 'Tartu Linnavalitsus', structuralUnit: 'Lastekaitse osakond' };
const SKA = { code: '70001975', name: 'Sotsiaalkindlustusamet' };
const pdfBytes = Buffer.from('%PDF-1.4\n% taotlus\n%%EOF\n');

function requestInput(overrides: Partial<DraftInput> = {}): DraftInput {
  return {
    sender: KOV,
    recipients: [SKA],
    recordType: 'Taotlus',
    title: 'Taotlus: siseriiklik nõustamine',
    originalIdentifier: '7.1-2/2026/1043',
    registeredAt: new Date('2026-03-02T08:10:00Z'),
    files: [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: pdfBytes }],
    ...overrides,
  };
}

/** Every block and optional element the schema has, with text that needs escaping. */
function fullDraft(files: CapsuleDraft['files']): CapsuleDraft {
  const contact = {
    adit: true,
    phone: '+372 (7) 000 000',
    email: 'lastekaitse@tartu.example',
    webPage: 'https://tartu.example/lastekaitse',
    messagingAddress: 'skype: tartu.lastekaitse',
    postalAddress: {
      country: 'Eesti',
      county: 'Tartu maakond',
      localGovernment: 'Tartu linn',
      administrativeUnit: 'Tartu',
      smallPlace: 'Kesklinn',
      landUnit: 'kinnistu 1',
      street: 'Raekoja plats',
      houseNumber: '1',
      buildingPartNumber: '2',
      postalCode: '50089',
    },
  };
  return {
    transport: {
      sender: { organisationCode: KOV.code, structuralUnit: KOV.structuralUnit },
      recipients: [{ organisationCode: SKA.code }, { organisationCode: 'adit', personalIdCode: WORKER }],
    },
    initiator: {
      recordOriginalIdentifier: '9-2/2026/12',
      recordDate: dt('2026-02-27T14:03:00+02:00'),
      organisation: { name: SKA.name, organisationCode: SKA.code, structuralUnit: 'Laste heaolu osakond', positionTitle: 'nõustaja', residency: 'EE' },
      person: { name: 'Liis Kuusemäe', givenName: 'Liis', surname: 'Kuusemäe', personalIdCode: WORKER, residency: 'EE' },
      contactData: { email: 'noustaja@ska.example' },
    },
    recordCreator: { organisation: { name: KOV.name, organisationCode: KOV.code }, person: { name: 'Maarja Lepasaar' }, contactData: contact },
    recordSenderToDec: { organisation: { name: KOV.name } },
    recipients: [
      {
        recordGuid: 'b777bf4b-75af-4ca3-a6b3-4259faa74e04',
        recordOriginalIdentifier: '9-2/2026/12',
        messageForRecipient: 'Vastus <kiireloomuline> & "konfidentsiaalne" — ära edasta 🙂',
        organisation: { name: SKA.name, organisationCode: SKA.code },
        person: { name: 'Liis Kuusemäe' },
        contactData: { adit: false },
      },
    ],
    recordMetadata: {
      recordGuid: '5f0c7d2e-8a31-4b6e-9d14-2c7a9e0b3f51',
      recordType: 'Taotlus',
      recordOriginalIdentifier: '7.1-2/2026/1107',
      recordDateRegistered: dt('2026-03-02T10:15:00'),
      recordTitle: 'KLAT arvamus: A&B <lapse> "vabadust piirav" meede ]]> ok',
      recordLanguage: 'et',
      recordAbstract: 'rida 1\r\nrida 2\tveerg',
      replyDueDate: '2026-04-01',
    },
    access: {
      accessConditionsCode: 'AK',
      accessRestrictions: [
        {
          restrictionIdentifier: 'AK-1',
          restrictionBeginDate: '2026-03-02',
          restrictionEndDate: '2101-03-02',
          restrictionEndEvent: 'lapse täisealiseks saamine',
          restrictionInvalidSince: '2101-03-03',
          restrictionBasis: 'AvTS § 35 lg 1 p 12',
          informationOwner: KOV.name,
        },
        { restrictionBeginDate: '2026-03-02', restrictionEndDate: '2031-03-02', restrictionBasis: 'AvTS § 35 lg 1 p 2', informationOwner: KOV.name },
      ],
    },
    signatureMetadata: [{ signatureType: 'ASiC-E', signer: 'Maarja Lepasaar', verified: 'true', signatureVerificationDate: dt('2026-03-02T08:11:00Z') }],
    files,
    recordTypeSpecificMetadata: `<ska:taotlus xmlns:ska="urn:example:ska"><ska:liik kood="KLAT">KLAT &amp; nõustamine</ska:liik><ska:laps>${CHILD}</ska:laps></ska:taotlus>`,
    decMetadata: { decId: '90071992547409930', decFolder: '/', decReceiptDate: dt('2026-03-02T08:12:00.123Z') },
  };
}

/** What reading the built capsule must give: the draft without contents, with fileSize filled where known. */
function expectedModel(draft: CapsuleDraft, sizes: Array<number | undefined>): Capsule {
  const model = capsuleOf(draft);
  model.files = model.files.map((f, i) => (sizes[i] === undefined ? f : { ...f, fileSize: f.fileSize ?? sizes[i] }));
  return model;
}

function contentOf(xml: string): string[] {
  return [...xml.matchAll(/<ZipBase64Content>([^<]*)<\/ZipBase64Content>/g)].map((m) => m[1]!);
}

describe('buildCapsule', () => {
  test('every draft it builds is valid against the Capsule 2.1 schema', async () => {
    const schema = await loadCapsuleSchema();
    const file = path.join(tmp, 'lisa.txt');
    fs.writeFileSync(file, 'lisa\n');
    const drafts: Array<[string, CapsuleDraft]> = [
      ['minimal request', makeDraft(requestInput())],
      ['public, two files, the second main', makeDraft(requestInput({ access: { code: 'Avalik' }, files: [
        { name: 'a.pdf', mimeType: 'application/pdf', content: pdfBytes },
        { name: 'b.txt', mimeType: 'text/plain', content: file, main: true },
      ] }))],
      ['KLAT with due date and abstract', makeDraft(requestInput({ replyDueDate: '2026-04-01', abstract: 'Palume arvamust.', language: 'et', messageForRecipient: 'Tähtaeg 30 päeva.' }))],
      ['reply', makeReplyDraft(capsuleOf(makeDraft(requestInput())), { sender: SKA, recordType: 'Kiri', title: 'Vastus', originalIdentifier: '9-2/1', files: [{ name: 'v.txt', mimeType: 'text/plain', content: Buffer.from('ok') }] })],
      ['every optional element', fullDraft([
        { fileGuid: '0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a01', recordMainComponent: true, fileName: 'a.pdf', mimeType: 'application/pdf', content: pdfBytes },
        { fileGuid: '0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a02', fileName: 'empty.bin', mimeType: 'application/octet-stream', content: Buffer.alloc(0) },
        { fileGuid: '0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a03', fileName: 'stream.bin', mimeType: 'application/octet-stream', content: randomStream(1000) },
      ])],
    ];
    for (const [name, draft] of drafts) {
      const xml = (await buildCapsuleToBuffer(draft)).toString('utf8');
      expect({ name, issues: schema.validate(xml) }).toEqual({ name, issues: [] });
    }
  });

  test('reading what it builds gives back the draft: same model, and each file decodes to the same bytes', async () => {
    const onDisk = path.join(tmp, 'scan.bin');
    fs.writeFileSync(onDisk, randomBytesOf(300_001));
    const contents: Array<[FileContent, Buffer]> = [
      [pdfBytes, pdfBytes],
      [Buffer.alloc(0), Buffer.alloc(0)],
      [onDisk, fs.readFileSync(onDisk)],
      [randomStream(57 * 1000 + 1), randomBytesOf(57 * 1000 + 1)],
      [() => Readable.from([Buffer.from('tere '), Buffer.from('maailm')]), Buffer.from('tere maailm')],
    ];
    const draft = fullDraft(
      contents.map(([content], i) => ({
        fileGuid: `0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a0${i}`,
        recordMainComponent: i === 0,
        fileName: `fail-${i}.bin`,
        mimeType: 'application/octet-stream',
        ...(i === 4 ? { fileSize: 11 } : {}),
        content,
      })),
    );
    const result = await readCapsule(buildCapsule(draft));
    expect(result.issues).toEqual([]);
    expect(result.valid).toBe(true);
    // Buffers and paths get their real size; a stream only what the draft declared.
    expect(result.capsule).toEqual(expectedModel(draft, [pdfBytes.length, 0, 300_001, undefined, undefined]));
    expect(result.files.map((f) => ({ index: f.index, encoding: f.encoding, size: f.size, sha256: f.sha256, error: f.error }))).toEqual(
      contents.map(([, bytes], i) => ({ index: i + 1, encoding: 'gzip', size: bytes.length, sha256: sha(bytes), error: undefined })),
    );
  });

  test('drafts from makeDraft and makeReplyDraft survive the round trip too', async () => {
    const request = makeDraft(requestInput({ access: { code: 'AK' }, replyDueDate: '2026-04-01' }));
    const reply = makeReplyDraft(capsuleOf(request), { sender: SKA, recordType: 'Kiri', title: 'Vastus', originalIdentifier: '9-2/1', files: [{ name: 'v.txt', mimeType: 'text/plain', content: Buffer.from('ok') }] });
    for (const [draft, size] of [[request, pdfBytes.length], [reply, 2]] as const) {
      const result = await readCapsule(buildCapsule(draft));
      expect(result.valid).toBe(true);
      expect(result.capsule).toEqual(expectedModel(draft, [size])); // FileSize: the Buffer's length
    }
  });

  test('output: UTF-8 declaration, default namespace, 2-space indentation, optional elements only when defined, booleans as true/false', async () => {
    const draft = makeDraft(requestInput({ files: [
      { name: 'a.pdf', mimeType: 'application/pdf', content: pdfBytes },
      { name: 'b.pdf', mimeType: 'application/pdf', content: pdfBytes },
    ] }));
    const xml = (await buildCapsuleToBuffer(draft)).toString('utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<DecContainer xmlns="http://www.riik.ee/schemas/deccontainer/vers_2_1/">\n  <Transport>\n    <DecSender>\n')).toBe(true);
    expect(xml).toMatch(/<RecordMainComponent>true<\/RecordMainComponent>[\s\S]*<RecordMainComponent>false<\/RecordMainComponent>/);
    for (const absent of ['Initiator', 'RecordLanguage', 'RecordAbstract', 'ReplyDueDate', 'SignatureMetadata', 'RecordTypeSpecificMetadata', 'DecMetadata', 'MessageForRecipient']) {
      expect(xml).not.toContain(`<${absent}`);
    }
    expect(xml).toContain(`<FileSize>${pdfBytes.length}</FileSize>`);
    expect(xml.endsWith('</DecContainer>\n')).toBe(true);
  });

  test('ZipBase64Content is base64(gzip(bytes)) in 76-character lines, for sizes around the 57-byte line boundary', async () => {
    for (const size of [0, 1, 2, 36, 37, 38, 56, 57, 58, 114, 1000, 100_000]) {
      const bytes = randomBytesOf(size);
      const xml = (await buildCapsuleToBuffer(makeDraft(requestInput({ files: [{ name: 'x.bin', mimeType: 'application/octet-stream', content: bytes }] })))).toString();
      const [content] = contentOf(xml);
      const lines = content!.split('\n');
      expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
      expect(lines.at(-1)!.length).toBeGreaterThan(0);
      expect(lines.at(-1)!.length).toBeLessThanOrEqual(76);
      expect(gunzipSync(Buffer.from(content!, 'base64')).equals(bytes)).toBe(true);
    }
  });

  test('text is escaped; the RecordTypeSpecificMetadata fragment is inserted verbatim', async () => {
    const draft = fullDraft([{ fileGuid: '0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a01', fileName: 'a&b<c>.pdf', mimeType: 'application/pdf', content: pdfBytes }]);
    const xml = (await buildCapsuleToBuffer(draft)).toString('utf8');
    expect(xml).toContain('<RecordTitle>KLAT arvamus: A&amp;B &lt;lapse&gt; "vabadust piirav" meede ]]&gt; ok</RecordTitle>');
    expect(xml).toContain('<RecordAbstract>rida 1&#13;\nrida 2\tveerg</RecordAbstract>');
    expect(xml).toContain('<FileName>a&amp;b&lt;c&gt;.pdf</FileName>');
    expect(xml).toContain(`<RecordTypeSpecificMetadata>${draft.recordTypeSpecificMetadata}</RecordTypeSpecificMetadata>`);
  });

  test.each([
    ['a control character', '\u0001'],
    ['NUL', '\u0000'],
    ['a lone surrogate', '\uD800'],
    ['U+FFFE', '\uFFFE'],
  ])('a value with %s is refused with the element path, before any byte is written', (_what, bad) => {
    const draft = makeDraft(requestInput({ title: `Taotlus ${bad}` }));
    expect(() => buildCapsule(draft)).toThrow(CapsuleBuildError);
    try {
      buildCapsule(draft);
    } catch (err) {
      expect(err).toMatchObject({ code: CapsuleBuildErrorCode.INVALID_CHARACTER, path: 'DecContainer/RecordMetadata/RecordTitle' });
      expect((err as Error).message).toMatch(/not allowed in XML 1\.0/);
    }
  });

  test.each([
    ['unclosed element', '<a>'],
    ['stray ampersand', 'a & b'],
    ['undefined entity', '<a>&nbsp;</a>'],
    ['unbound prefix', '<ska:a>x</ska:a>'],
    ['DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'],
    ['XML declaration', '<?xml version="1.0"?><a/>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['a closing tag that would break out of the element', '</RecordTypeSpecificMetadata><DecMetadata/><RecordTypeSpecificMetadata>'],
    [']]> in text', '<a>]]></a>'],
  ])('a RecordTypeSpecificMetadata fragment with %s is refused', (_what, fragment) => {
    const draft = makeDraft(requestInput());
    draft.recordTypeSpecificMetadata = fragment;
    expect(() => buildCapsule(draft)).toThrow(expect.objectContaining({ code: CapsuleBuildErrorCode.INVALID_FRAGMENT, path: 'DecContainer/RecordTypeSpecificMetadata' }));
  });

  test('values the schema types refuse, and missing mandatory elements, are refused with a path', () => {
    const cases: Array<[(d: CapsuleDraft) => void, string, string]> = [
      [(d) => (d.recordMetadata.recordGuid = 'not-a-guid'), CapsuleBuildErrorCode.INVALID_VALUE, 'DecContainer/RecordMetadata/RecordGuid'],
      [(d) => (d.recordMetadata.recordDateRegistered = { lexical: '2.3.2026', instant: new Date() }), CapsuleBuildErrorCode.INVALID_VALUE, 'DecContainer/RecordMetadata/RecordDateRegistered'],
      [(d) => (d.recordMetadata.recordDateRegistered = { lexical: '2026-13-02T10:00:00', instant: new Date() }), CapsuleBuildErrorCode.INVALID_VALUE, 'DecContainer/RecordMetadata/RecordDateRegistered'],
      [(d) => (d.recordMetadata.replyDueDate = '2026-4-1'), CapsuleBuildErrorCode.INVALID_VALUE, 'DecContainer/RecordMetadata/ReplyDueDate'],
      [(d) => (d.files[0]!.fileSize = -1), CapsuleBuildErrorCode.INVALID_VALUE, 'DecContainer/File[1]/FileSize'],
      [(d) => (d.files = []), CapsuleBuildErrorCode.MISSING_ELEMENT, 'DecContainer/File'],
      [(d) => (d.transport.recipients = []), CapsuleBuildErrorCode.MISSING_ELEMENT, 'DecContainer/Transport/DecRecipient'],
    ];
    for (const [change, code, at] of cases) {
      const draft = makeDraft(requestInput());
      change(draft);
      expect(() => buildCapsule(draft)).toThrow(expect.objectContaining({ code, path: at }));
    }
  });

  test('a file that cannot be read fails the stream, and buildCapsuleToFile leaves nothing behind', async () => {
    const missing = makeDraft(requestInput({ files: [{ name: 'x.pdf', mimeType: 'application/pdf', content: path.join(tmp, 'no-such-file.pdf') }] }));
    await expect(buildCapsuleToBuffer(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    const failing = makeDraft(requestInput({ files: [{ name: 'x.pdf', mimeType: 'application/pdf', content: () => new Readable({ read() { this.destroy(new Error('disk gone')); } }) }] }));
    const target = path.join(tmp, 'out', 'capsule.xml');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await expect(buildCapsuleToFile(failing, target)).rejects.toThrow('disk gone');
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
    await buildCapsuleToFile(makeDraft(requestInput()), target);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['capsule.xml']);
    expect((await readCapsule(target)).valid).toBe(true);
  });

  test('content is pulled only as fast as the consumer reads, and destroying the output stops the source', async () => {
    let pulled = 0;
    let sourceClosed = false;
    const source = randomStream(64 * MB, (n) => (pulled = n));
    const draft = makeDraft(requestInput({ files: [{ name: 'big.bin', mimeType: 'application/octet-stream', content: () => source().on('close', () => (sourceClosed = true)), fileSize: 64 * MB }] }));
    const out = buildCapsule(draft);
    let received = 0;
    for await (const chunk of out) {
      received += (chunk as Buffer).length;
      if (received > MB) break; // stops reading; the loop's exit destroys the stream
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBeLessThan(8 * MB);
    expect(sourceClosed).toBe(true);
  });

  test('a 30 MB file streams through with memory bounded (RSS growth < 150 MB), and reads back byte for byte', async () => {
    const size = 30 * MB;
    const expected = createHash('sha256');
    for await (const chunk of randomStream(size)()) expected.update(chunk as Buffer);
    const draft = makeDraft(requestInput({ files: [{ name: 'skann.pdf', mimeType: 'application/pdf', fileSize: size, content: randomStream(size) }] }));
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      const result = await readCapsule(buildCapsule(draft));
      expect(result.valid).toBe(true);
      expect(result.files[0]).toMatchObject({ size, sha256: expected.digest('hex') });
      expect(result.bytesRead).toBeGreaterThan(size * 1.3); // base64 of incompressible bytes, so nothing was skipped
    } finally {
      clearInterval(sample);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(150 * MB);
  });
});

describe('makeDraft', () => {
  const now = new Date('2026-03-02T22:30:00Z'); // already 3 March in Tallinn

  test('fills GUIDs, Transport with codes only, Recipient organisations, RecordMetadata and files (first one main)', () => {
    const d = makeDraft(requestInput({ recipients: [SKA, { code: 'adit', personalIdCode: WORKER }], messageForRecipient: 'Tere', files: [
      { name: 'a.pdf', mimeType: 'application/pdf', content: pdfBytes },
      { name: 'b.txt', mimeType: 'text/plain', content: Buffer.from('b') },
    ] }), { now });
    expect(d.transport).toEqual({ sender: { organisationCode: KOV.code }, recipients: [{ organisationCode: SKA.code }, { organisationCode: 'adit', personalIdCode: WORKER }] });
    expect(d.recipients).toEqual([
      { messageForRecipient: 'Tere', organisation: { name: SKA.name, organisationCode: SKA.code } },
      { messageForRecipient: 'Tere', organisation: { name: 'adit', organisationCode: 'adit' } },
    ]);
    expect(d.recordCreator?.organisation).toEqual({ name: KOV.name, organisationCode: KOV.code, structuralUnit: KOV.structuralUnit });
    expect(d.recordMetadata).toEqual({
      recordGuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      recordType: 'Taotlus',
      recordOriginalIdentifier: '7.1-2/2026/1043',
      recordDateRegistered: dateTimeValue(new Date('2026-03-02T08:10:00Z')),
      recordTitle: 'Taotlus: siseriiklik nõustamine',
    });
    expect(d.files.map((f) => [f.fileName, f.recordMainComponent])).toEqual([['a.pdf', true], ['b.txt', false]]);
    expect(new Set([d.recordMetadata.recordGuid, ...d.files.map((f) => f.fileGuid)]).size).toBe(3);
  });

  test('a file marked main is the main component, whatever its position', () => {
    const d = makeDraft(requestInput({ files: [
      { name: 'a.txt', mimeType: 'text/plain', content: Buffer.from('a') },
      { name: 'b.pdf', mimeType: 'application/pdf', content: pdfBytes, main: true },
    ] }));
    expect(d.files.map((f) => f.recordMainComponent)).toEqual([false, true]);
  });

  test('AK without a restriction gets AvTS § 35 lg 1 p 12, owned by the sender, from today (Tallinn) for 75 years', () => {
    expect(makeDraft(requestInput({ access: { code: 'AK' } }), { now }).access).toEqual({
      accessConditionsCode: 'AK',
      accessRestrictions: [{ restrictionBasis: DEFAULT_RESTRICTION_BASIS, informationOwner: KOV.name, restrictionBeginDate: '2026-03-03', restrictionEndDate: '2101-03-03' }],
    });
    const leap = makeDraft(requestInput({ access: { code: 'AK' }, sender: { code: '75009901' } }), { now: new Date('2028-02-29T10:00:00Z') });
    expect(leap.access.accessRestrictions[0]).toMatchObject({ informationOwner: '75009901', restrictionBeginDate: '2028-02-29', restrictionEndDate: '2103-02-28' });
    expect(makeDraft(requestInput(), { now }).access.accessConditionsCode).toBe('AK'); // documents about children: restricted unless said otherwise
  });

  test('a given restriction is used as given; Avalik has none', () => {
    const restriction = { basis: 'AvTS § 35 lg 1 p 2', owner: 'Tartu linn', begin: '2026-01-01', end: '2031-01-01' };
    expect(makeDraft(requestInput({ access: { code: 'AK', restriction } })).access.accessRestrictions).toEqual([
      { restrictionBasis: restriction.basis, informationOwner: restriction.owner, restrictionBeginDate: restriction.begin, restrictionEndDate: restriction.end },
    ]);
    expect(makeDraft(requestInput({ access: { code: 'Avalik' } })).access).toEqual({ accessConditionsCode: 'Avalik', accessRestrictions: [] });
  });
});

describe('makeReplyDraft', () => {
  const request = (): Capsule => {
    const d = makeDraft(requestInput({ access: { code: 'AK', restriction: { basis: 'AvTS § 35 lg 1 p 12', owner: KOV.name, begin: '2026-03-02', end: '2101-03-02' } } }));
    d.recordMetadata.recordDateRegistered = dt('2026-03-02T10:10:00');
    d.recordSenderToDec = { organisation: { name: 'Tartu Linnavalitsus (DHS)', organisationCode: 'other' } };
    return capsuleOf(d);
  };
  const reply = (req: Capsule): CapsuleDraft =>
    makeReplyDraft(req, { sender: { ...SKA, structuralUnit: 'Laste heaolu osakond' }, recordType: 'Kiri', title: 'Vastus', originalIdentifier: '9-2/2026/311-2', files: [{ name: 'v.pdf', mimeType: 'application/pdf', content: pdfBytes }] });

  test('is addressed to the request\'s DecSender, named as the request\'s RecordCreator organisation', () => {
    const req = request();
    const d = reply(req);
    expect(d.transport).toEqual({ sender: { organisationCode: SKA.code }, recipients: [{ organisationCode: KOV.code }] });
    expect(d.recipients).toEqual([
      {
        recordGuid: req.recordMetadata.recordGuid,
        recordOriginalIdentifier: '7.1-2/2026/1043',
        organisation: { name: KOV.name, organisationCode: KOV.code, structuralUnit: KOV.structuralUnit },
      },
    ]);
  });

  test('names the request in Initiator (number, registration date, organisation; empty ContactData) and keeps its access', () => {
    const req = request();
    const d = reply(req);
    expect(d.initiator).toEqual({
      recordOriginalIdentifier: '7.1-2/2026/1043',
      recordDate: dt('2026-03-02T10:10:00'),
      organisation: { name: KOV.name, organisationCode: KOV.code, structuralUnit: KOV.structuralUnit },
      contactData: {},
    });
    expect(d.access).toEqual(req.access);
    expect(d.access).not.toBe(req.access);
  });

  test('without RecordCreator or RecordSenderToDec, the organisation is named by its code', () => {
    const req = request();
    delete req.recordCreator;
    delete req.recordSenderToDec;
    expect(reply(req).recipients[0]?.organisation).toEqual({ name: KOV.code, organisationCode: KOV.code });
  });
});
