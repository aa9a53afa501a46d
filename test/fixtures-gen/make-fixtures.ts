import { createHash } from 'node:crypto';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { buildCapsuleToBuffer, type CapsuleDraft } from '../../src/capsule/build';
import { parseDateTime } from '../../src/capsule/dates';
import { makeDraft, makeReplyDraft, type DraftInput, type DraftOptions } from '../../src/capsule/draft';
import type { Capsule, DateTimeValue } from '../../src/capsule/model';
import { personalCode } from './personal-code';

/**
 * The fixture corpus (fixtures/capsules/README.md): `fixtures/capsules/valid/*` and
 * `fixtures/capsules/invalid/<defect>.*`, each named after what it proves. Capsules are built with
 * src/capsule/build.ts where it can; the odd ones (prefixed namespace, ZIP or raw payloads, defects) are
 * derived from built ones by small, checked edits. Every person, name and personal code here is fictional
 * (codes from ./personal-code, valid checksums); registry codes of municipalities are public facts. Output is
 * deterministic: fixed clock, GUIDs from a seed.
 */

export interface Fixture {
  /** Path under fixtures/capsules. */
  file: string;
  /** One line for README.md: what the file proves. */
  proves: string;
  bytes: Buffer;
}

// ---- fictional content ----

const SKA = { code: '70001975', name: 'Sotsiaalkindlustusamet', structuralUnit: 'Laste heaolu osakond' };
const TARTU = { code: '75006546', name: 'Tartu Linnavalitsus', structuralUnit: 'Lastekaitse osakond' };
/** Fictional municipality (7500xxxx like the real ones). */
const KASEMETSA = { code: '75009901', name: 'Kasemetsa Vallavalitsus' };

/** Fictional children (valid checksums, see ./personal-code). */
export const CHILD_A = personalCode('F', '2014-05-17', 27);
export const CHILD_B = personalCode('M', '2011-09-03', 215);

const NOW = new Date('2026-03-02T08:15:00Z');

/** Deterministic GUIDs: sha256 of a seed and a counter, shaped as a version-4 UUID. */
function guids(seed: string): () => string {
  let n = 0;
  return () => {
    const h = createHash('sha256').update(`${seed}/${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

const opts = (seed: string, now = NOW): DraftOptions => ({ now, newGuid: guids(seed) });

function dt(lexical: string): DateTimeValue {
  const v = parseDateTime(lexical);
  if (!v) throw new Error(`bad date-time ${lexical}`);
  return v;
}

/** A small PDF 1.4 with one page of text (Latin-1 only), with a correct cross-reference table. */
export function pdf(lines: string[]): Buffer {
  const esc = (s: string): string => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map((l, i) => `BT /F1 11 Tf 56 ${780 - i * 16} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A ZIP archive (APPNOTE 4.3) of the given entries, stored (0) or deflated (8). */
export function zip(entries: Array<{ name: string; data: Buffer; method: 0 | 8 }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(0x6000, 10); // 12:00
    local.writeUInt16LE(0x5c62, 12); // 2026-03-02
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 30); // flags .. name length, same as the local header
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A minimal WordprocessingML document: what Word needs to open it, and what sniffers look for. */
export function docx(paragraphs: string[]): Buffer {
  const xml = (s: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return zip([
    {
      name: '[Content_Types].xml',
      method: 8,
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      method: 8,
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'word/document.xml',
      method: 8,
      data: xml(
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
          paragraphs.map((p) => `<w:p><w:r><w:t>${escape(p)}</w:t></w:r></w:p>`).join('') +
          '</w:body></w:document>',
      ),
    },
  ]);
}

// ---- the requests and the reply ----

function counsellingInput(): DraftInput {
  return {
    sender: TARTU,
    recipients: [SKA],
    recordType: 'Taotlus',
    title: 'Taotlus: siseriiklik nõustamine lastekaitsejuhtumis',
    originalIdentifier: '7.1-2/2026/1043',
    registeredAt: new Date('2026-03-02T08:10:00Z'),
    language: 'et',
    abstract: 'Palume nõustamist lapse hoolduse korraldamisel pärast vanemate lahuselu algust.',
    access: { code: 'AK', restriction: { basis: 'AvTS § 35 lg 1 p 12', owner: 'Tartu Linnavalitsus', begin: '2026-03-02', end: '2101-03-02' } },
    messageForRecipient: 'Lastekaitsespetsialist on kättesaadav e-posti teel.',
    files: [
      {
        name: 'noustamise-taotlus.pdf',
        mimeType: 'application/pdf',
        content: pdf([
          'Tartu Linnavalitsus, lastekaitse osakond',
          'Taotlus: siseriiklik nõustamine (7.1-2/2026/1043)',
          `Laps: Mari Kaasik, isikukood ${CHILD_A}`,
          'Palume nõustamist lapse hoolduse korraldamisel.',
        ]),
      },
    ],
  };
}

function counsellingDraft(): CapsuleDraft {
  const draft = makeDraft(counsellingInput(), opts('counselling'));
  draft.recordCreator = {
    organisation: { name: TARTU.name, organisationCode: TARTU.code, structuralUnit: TARTU.structuralUnit, positionTitle: 'lastekaitsespetsialist' },
    person: { name: 'Maarja Lepasaar', givenName: 'Maarja', surname: 'Lepasaar' },
    contactData: { email: 'maarja.lepasaar@tartu.example' },
  };
  return draft;
}

function klatDraft(): CapsuleDraft {
  const draft = makeDraft(
    {
      sender: TARTU,
      recipients: [SKA],
      recordType: 'Taotlus',
      title: 'Arvamuse taotlus: kinnise lasteasutuse teenus (esmane)',
      originalIdentifier: '7.1-2/2026/1107',
      registeredAt: new Date('2026-03-02T09:40:00Z'),
      abstract: 'Palume SKA arvamust lapse vabadust piirava meetme sobivuse kohta kohtule esitamiseks.',
      replyDueDate: '2026-04-01', // 30 days (INTAKE_DUE_DAYS: klat_arvamus=30)
      access: { code: 'AK' },
      files: [
        {
          name: 'klat-taotlus.pdf',
          mimeType: 'application/pdf',
          content: pdf([
            'Arvamuse taotlus kinnise lasteasutuse teenuse kohta',
            `Laps: Karl Tamberg, isikukood ${CHILD_B}`,
            'Taotluse liik: esmane. Kohtuistung: 2026-04-08.',
          ]),
        },
      ],
    },
    opts('klat'),
  );
  draft.recordTypeSpecificMetadata =
    '<ska:taotlus xmlns:ska="urn:example:ska:laste-heaolu:2026"><ska:liik>KLAT</ska:liik>' +
    `<ska:esmane>true</ska:esmane><ska:lapseIsikukood>${CHILD_B}</ska:lapseIsikukood></ska:taotlus>`;
  return draft;
}

function mentoringDraft(): CapsuleDraft {
  return makeDraft(
    {
      sender: KASEMETSA,
      recipients: [SKA],
      recordType: 'Kiri',
      title: 'Mentorluse taotlus uuele lastekaitsespetsialistile',
      originalIdentifier: '1-9/2026/7',
      registeredAt: new Date('2026-03-02T12:00:00Z'),
      access: { code: 'Avalik' },
      files: [{ name: 'mentorluse-taotlus.pdf', mimeType: 'application/pdf', content: pdf(['Palume mentorit lastekaitsespetsialistile.']) }],
    },
    opts('mentoring'),
  );
}

/** The model of a draft (what a reader gives back), to reply to it. */
export function capsuleOf(draft: CapsuleDraft): Capsule {
  return { ...draft, files: draft.files.map(({ content: _content, ...meta }) => meta) };
}

function replyDraft(): CapsuleDraft {
  return makeReplyDraft(
    capsuleOf(counsellingDraft()),
    {
      sender: SKA,
      recordType: 'Kiri',
      title: 'Vastus: nõustamise taotlus on vastu võetud',
      originalIdentifier: '9-2/2026/311-2',
      registeredAt: new Date('2026-03-03T07:05:00Z'),
      files: [{ name: 'vastus.pdf', mimeType: 'application/pdf', content: pdf(['Teie taotlus on registreeritud ja menetlusse võetud.']) }],
    },
    opts('reply', new Date('2026-03-03T07:05:00Z')),
  );
}

function datesDraft(): CapsuleDraft {
  const draft = makeDraft(
    {
      sender: KASEMETSA,
      recipients: [SKA],
      recordType: 'Kiri',
      title: 'Täiendav teave nõustamise taotlusele',
      originalIdentifier: '1-9/2026/12',
      access: { code: 'AK' },
      initiator: { recordOriginalIdentifier: '9-2/2026/298', recordDate: dt('2026-03-20T16:05:00+02:00'), organisation: { name: SKA.name, organisationCode: SKA.code } },
      files: [{ name: 'lisainfo.pdf', mimeType: 'application/pdf', content: pdf(['Lisainfo juhtumi kohta.']) }],
    },
    opts('dates', new Date('2026-03-27T07:30:00Z')),
  );
  draft.recordMetadata.recordDateRegistered = dt('2026-03-27T09:30:00'); // zone-less: Tallinn local time
  draft.signatureMetadata = [
    { signatureType: 'ASiC-E', signer: 'Kasemetsa Vallavalitsus', verified: 'true', signatureVerificationDate: dt('2026-03-27T07:31:12Z') },
  ];
  // 29 March 2026 is the day Tallinn moves to summer time: +03:00 from 04:00 local.
  draft.decMetadata = { decId: '42', decFolder: '/', decReceiptDate: dt('2026-03-29T04:00:00+03:00') };
  return draft;
}

function twoFilesDraft(): CapsuleDraft {
  return makeDraft(
    {
      sender: TARTU,
      recipients: [SKA],
      recordType: 'Päring',
      title: 'Rahvusvahelise juhtumi päring: lapse elukoht Soomes',
      originalIdentifier: '7.1-2/2026/1188',
      registeredAt: new Date('2026-03-04T10:20:00Z'),
      access: { code: 'AK' },
      files: [
        { name: 'paring.pdf', mimeType: 'application/pdf', content: pdf(['Rahvusvahelise juhtumi päring.']), main: true },
        {
          name: 'juhtumi-kokkuvote.docx',
          mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          content: docx(['Juhtumi kokkuvõte', 'Pere kolis 2025. aasta sügisel Soome.']),
        },
      ],
    },
    opts('two-files'),
  );
}

// ---- edits of built capsules, each checked to have happened ----

function edit(xml: string, from: string | RegExp, to: string | ((match: string, ...groups: string[]) => string)): string {
  const found = typeof from === 'string' ? xml.includes(from) : new RegExp(from.source, from.flags.replace('g', '')).test(xml);
  if (!found) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return typeof to === 'string' ? xml.replace(from, to) : xml.replace(from, to);
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

/** Replaces the (only) File's name, type, size and content: `payload` goes into ZipBase64Content as it is. */
function withFile(xml: string, f: { name: string; mimeType: string; size: number; payload: Buffer }): string {
  let out = edit(xml, /<FileName>[^<]*</, `<FileName>${f.name}<`);
  out = edit(out, /<MimeType>[^<]*</, `<MimeType>${f.mimeType}<`);
  out = edit(out, /<FileSize>[^<]*</, `<FileSize>${f.size}<`);
  return edit(out, /<ZipBase64Content>[^<]*</, () => `<ZipBase64Content>${base64Lines(f.payload)}<`);
}

const text = (b: Buffer): string => b.toString('utf8');
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

export async function makeFixtures(): Promise<Fixture[]> {
  const counselling = text(await buildCapsuleToBuffer(counsellingDraft()));
  const valid = (file: string, proves: string, b: Buffer): Fixture => ({ file: `valid/${file}`, proves, bytes: b });
  const invalid = (file: string, proves: string, s: string | Buffer): Fixture => ({
    file: `invalid/${file}`,
    proves,
    bytes: typeof s === 'string' ? bytes(s) : s,
  });

  const rawText = 'Selgitus: lapse koolikohustuse täitmine on tagatud.\nKoostas: Maarja Lepasaar\n';
  const decision = pdf(['Hoolekandekomisjoni otsus.']);
  const mentoring = text(await buildCapsuleToBuffer(mentoringDraft()));

  return [
    valid('counselling-request.xml', 'a KOV counselling request (nõustamine) to SKA: AK access with restriction, RecordCreator with a person, MessageForRecipient, one PDF', bytes(counselling)),
    valid('klat-opinion-request.xml', 'a KLAT opinion request with ReplyDueDate 30 days out, default AK restriction and a namespaced RecordTypeSpecificMetadata fragment', await buildCapsuleToBuffer(klatDraft())),
    valid('mentoring-request.xml', 'a mentoring request (mentorlus) from a fictional municipality, public (Avalik) access', bytes(mentoring)),
    valid('reply-with-initiator.xml', 'SKA\'s reply to counselling-request.xml: Initiator and RecipientRecordGuid/RecipientRecordOriginalIdentifier point at the request', await buildCapsuleToBuffer(replyDraft())),
    valid(
      'prefixed-namespace.xml',
      'the capsule namespace bound to a prefix (`<k:DecContainer xmlns:k=...>`) is the same document: readers must match by namespace, not by prefix',
      bytes(edit(edit(mentoring, /<(\/?)([A-Z][A-Za-z]*)/g, (m) => m.replace(/^<(\/?)/, '<$1k:')), 'k:DecContainer xmlns=', 'k:DecContainer xmlns:k=')),
    ),
    valid('zoneless-and-zoned-dates.xml', 'zone-less (Tallinn local), Z, +02:00 and +03:00 date-times side by side, on the day summer time starts; SignatureMetadata and DecMetadata', await buildCapsuleToBuffer(datesDraft())),
    valid('two-files-pdf-docx.xml', 'two files whose decoded bytes start with the right magic: %PDF- and a real .docx (PK, word/document.xml)', await buildCapsuleToBuffer(twoFilesDraft())),
    valid(
      'raw-payload.xml',
      'ZipBase64Content holding base64 of the raw bytes (not gzipped), as some producers send: still a valid capsule, decoded as raw',
      bytes(withFile(mentoring, { name: 'selgitus.txt', mimeType: 'text/plain', size: bytes(rawText).length, payload: bytes(rawText) })),
    ),
    valid(
      'zip-payload.xml',
      'ZipBase64Content holding a real single-entry ZIP archive (deflated) instead of gzip, as DVK\'s pp.xml producer does',
      bytes(withFile(mentoring, { name: 'otsus.pdf', mimeType: 'application/pdf', size: decision.length, payload: zip([{ name: 'otsus.pdf', data: decision, method: 8 }]) })),
    ),

    invalid('no-transport.xml', 'the mandatory Transport block is missing (DHX.Validation)', edit(counselling, /\s*<Transport>[\s\S]*?<\/Transport>/, '')),
    invalid('bad-record-guid.xml', 'RecordGuid that does not match the schema\'s GuidType pattern', edit(counselling, /<RecordGuid>[^<]*</, '<RecordGuid>7.1-2/2026/1043<')),
    invalid(
      'doctype-entity.xml',
      'a DOCTYPE with an internal entity used in RecordTitle: refused before any expansion (no DTDs in capsules)',
      edit(edit(counselling, '<DecContainer', '<!DOCTYPE DecContainer [\n  <!ENTITY kov "Tartu Linnavalitsus">\n]>\n<DecContainer'), /<RecordTitle>/, '<RecordTitle>&kov;: '),
    ),
    invalid(
      'billion-laughs.xml',
      'the billion-laughs entity bomb: refused at the DOCTYPE, nothing expanded',
      edit(
        edit(counselling, '<DecContainer', `<!DOCTYPE DecContainer [\n  <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n<DecContainer`),
        /<RecordTitle>[^<]*/,
        '<RecordTitle>&lol9;',
      ),
    ),
    invalid(
      'external-entity.xml',
      'an external entity (SYSTEM "file:///etc/passwd") used in RecordTitle: no XXE, the file is never read',
      edit(edit(counselling, '<DecContainer', '<!DOCTYPE DecContainer [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<DecContainer'), /<RecordTitle>[^<]*/, '<RecordTitle>&xxe;'),
    ),
    invalid('not-xml.txt', 'plain text instead of a capsule (NOT_XML)', 'Tere!\n\nSaadame lisatud taotluse nõustamiseks. Palun andke teada, kui vajate lisainfot.\n\nLugupidamisega\nTartu Linnavalitsus\n'),
    invalid(
      'gzip-base64-wrapped.txt',
      'a valid capsule wrapped DVK-style as base64(gzip(xml)): DHX takes the capsule as plain XML, so this is refused',
      `${base64Lines(gzipSync(bytes(counselling)))}\n`,
    ),
    invalid(
      'wrong-root.xml',
      'a root element other than DecContainer (same namespace, same children)',
      edit(edit(counselling, '<DecContainer xmlns', '<Dokument xmlns'), '</DecContainer>', '</Dokument>'),
    ),
    invalid(
      'wrong-namespace.xml',
      'DecContainer in the DVK container 1.0 namespace (http://www.riik.ee/schemas/dhl), not Capsule 2.1\'s',
      edit(counselling, 'xmlns="http://www.riik.ee/schemas/deccontainer/vers_2_1/"', 'xmlns="http://www.riik.ee/schemas/dhl"'),
    ),
    invalid(
      'element-order.xml',
      'Access written before RecordMetadata: every element is present but the schema\'s sequence order is broken',
      edit(counselling, /(\s*<RecordMetadata>[\s\S]*?<\/RecordMetadata>)(\s*<Access>[\s\S]*?<\/Access>)/, (_m, rm, acc) => `${acc}${rm}`),
    ),
    invalid('access-code-lowercase.xml', 'AccessConditionsCode "ak": the enumeration is case-sensitive (Avalik | AK)', edit(counselling, '<AccessConditionsCode>AK<', '<AccessConditionsCode>ak<')),
    invalid('missing-file.xml', 'no File element: the schema requires at least one', edit(counselling, /\s*<File>[\s\S]*?<\/File>/, '')),
    invalid('truncated.xml', 'a capsule cut in the middle of a file\'s content, as after a broken transfer (MALFORMED)', counselling.slice(0, counselling.indexOf('<ZipBase64Content>') + 60)),
  ];
}

/** README.md of fixtures/capsules: one line per file, what it proves. */
export function readme(fixtures: Fixture[]): string {
  const lines = fixtures.map((f) => `- \`${f.file}\` — ${f.proves}.`);
  return [
    '# fixtures/capsules',
    '',
    'Capsule 2.1 corpus, one file per case it proves, generated by `test/fixtures-gen/make-fixtures.ts`',
    '(`MAKE_FIXTURES=1 npm test -- test/fixtures-gen`). Every `valid/` file is a valid capsule; every `invalid/` file',
    'must be refused. All people, names and personal codes are fictional (codes with valid checksums, see',
    '`test/fixtures-gen/personal-code.ts`); 75009901 (Kasemetsa) is a fictional municipality. The official samples are',
    'not in the repository: tests read them from the folder `DHX_SPEC_DIR` names (default `../shared/spec`, see',
    '`docs/configuration.md`).',
    '',
    ...lines,
    '',
  ].join('\n');
}
