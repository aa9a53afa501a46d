import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { XMLBuilder, XMLValidator } from 'fast-xml-parser';
import sax from 'sax';
import {
  CAPSULE_NS,
  type Access,
  type Capsule,
  type CapsuleFileMeta,
  type ContactData,
  type DateTimeValue,
  type Initiator,
  type Organisation,
  type PartyDetails,
  type Person,
  type PostalAddress,
  type Recipient,
  type TransportParty,
} from './model';
import { CHUNK, encodedContent, fileSizeOf, type FileContent } from './encode';

/**
 * Streaming Capsule 2.1 builder (docs/capsule.md). The metadata is built with fast-xml-parser's XMLBuilder, in
 * schema order, with a placeholder where each file's content goes; the output is then streamed piece by piece,
 * each placeholder replaced by base64(gzip(bytes)) encoded on the fly. Memory stays flat for any file size:
 * content is pulled from its source only as fast as the consumer reads.
 */

export type { FileContent } from './encode';

export interface DraftFile extends CapsuleFileMeta {
  /** `fileSize`, when not given, is the real size for a Buffer or a path; omitted for a stream. */
  content: FileContent;
}

export interface CapsuleDraft extends Omit<Capsule, 'files'> {
  files: DraftFile[];
}

export const CapsuleBuildErrorCode = {
  /** A character XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF). */
  INVALID_CHARACTER: 'INVALID_CHARACTER',
  /** `recordTypeSpecificMetadata` is not a well-formed, namespace-well-formed XML fragment. */
  INVALID_FRAGMENT: 'INVALID_FRAGMENT',
  /** A value the schema's type refuses (GUID, date, integer, postal code, phone). */
  INVALID_VALUE: 'INVALID_VALUE',
  /** A mandatory repeated element would be absent (DecRecipient, Recipient, File). */
  MISSING_ELEMENT: 'MISSING_ELEMENT',
} as const;
export type CapsuleBuildErrorCode = (typeof CapsuleBuildErrorCode)[keyof typeof CapsuleBuildErrorCode];

/** The draft cannot become a valid capsule; `path` names the element (`DecContainer/RecordMetadata/RecordTitle`). */
export class CapsuleBuildError extends Error {
  constructor(
    readonly code: CapsuleBuildErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CapsuleBuildError';
  }
}

// ---- values: checked against XML 1.0 and the schema's simple types, then escaped ----

/** XML 1.0 §2.2 Char; with the `u` flag a lone surrogate is one code point and falls outside every range. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const GUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const XS_DATE = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?$/;
const XS_DATE_TIME =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)(Z|[+-]\d{2}:\d{2})?$/;
const XS_INTEGER = /^[+-]?\d+$/;
const POSTAL_CODE = /^\d{5}$/;
const PHONE = /^[0-9 +()-]*$/;

function checkChars(value: string, where: string): void {
  const m = NOT_XML_CHAR.exec(value);
  if (m) {
    const cp = m[0].codePointAt(0) ?? 0;
    throw new CapsuleBuildError(
      CapsuleBuildErrorCode.INVALID_CHARACTER,
      where,
      `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} at offset ${m.index} is not allowed in XML 1.0`,
    );
  }
}

/** Text content: `&`, `<`, `>` escaped, and CR as a reference so that a parser's line-end normalisation keeps it. */
function text(value: string, where: string): string {
  checkChars(value, where);
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function optText(value: string | undefined, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function typed(value: string, pattern: RegExp, type: string, where: string): string {
  if (!pattern.test(value)) {
    throw new CapsuleBuildError(CapsuleBuildErrorCode.INVALID_VALUE, where, `'${value}' is not a valid ${type}`);
  }
  return value;
}

function optTyped(value: string | undefined, pattern: RegExp, type: string, where: string): string | undefined {
  return value === undefined ? undefined : typed(value, pattern, type, where);
}

/** Date-times are written by their lexical form (the instant is what a reader derives from it). */
function dateTime(value: DateTimeValue | undefined, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (!XS_DATE_TIME.test(value.lexical)) {
    throw new CapsuleBuildError(CapsuleBuildErrorCode.INVALID_VALUE, where, `'${value.lexical}' is not an xs:dateTime`);
  }
  return value.lexical;
}

function bool(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? 'true' : 'false';
}

function nonEmpty<T>(items: T[], where: string): T[] {
  if (items.length === 0) {
    throw new CapsuleBuildError(CapsuleBuildErrorCode.MISSING_ELEMENT, where, 'at least one is required by the schema');
  }
  return items;
}

// ---- the document, as XMLBuilder input: keys in schema order, undefined keys are left out ----

interface XmlObject {
  [name: string]: string | XmlObject | XmlObject[] | undefined;
}

/** Placeholders are NUL-delimited: NUL is refused in every value, so no text can forge one. */
// eslint-disable-next-line no-control-regex -- NUL is the point: it can never occur in checked text
const TOKEN = /\u0000([FSR])(\d*)\u0000/g;
const contentToken = (i: number): string => `\u0000F${i}\u0000`;
const sizeToken = (i: number): string => `\u0000S${i}\u0000`;
const RTSM_TOKEN = '\u0000R\u0000';

function transportParty(p: TransportParty, at: string): XmlObject {
  return {
    OrganisationCode: text(p.organisationCode, `${at}/OrganisationCode`),
    StructuralUnit: optText(p.structuralUnit, `${at}/StructuralUnit`),
    PersonalIdCode: optText(p.personalIdCode, `${at}/PersonalIdCode`),
  };
}

function organisation(o: Organisation | undefined, at: string): XmlObject | undefined {
  if (!o) return undefined;
  return {
    Name: text(o.name, `${at}/Name`),
    OrganisationCode: optText(o.organisationCode, `${at}/OrganisationCode`),
    StructuralUnit: optText(o.structuralUnit, `${at}/StructuralUnit`),
    PositionTitle: optText(o.positionTitle, `${at}/PositionTitle`),
    Residency: optText(o.residency, `${at}/Residency`),
  };
}

function person(p: Person | undefined, at: string): XmlObject | undefined {
  if (!p) return undefined;
  return {
    Name: text(p.name, `${at}/Name`),
    GivenName: optText(p.givenName, `${at}/GivenName`),
    Surname: optText(p.surname, `${at}/Surname`),
    PersonalIdCode: optText(p.personalIdCode, `${at}/PersonalIdCode`),
    Residency: optText(p.residency, `${at}/Residency`),
  };
}

function postalAddress(a: PostalAddress | undefined, at: string): XmlObject | undefined {
  if (!a) return undefined;
  return {
    Country: optText(a.country, `${at}/Country`),
    County: optText(a.county, `${at}/County`),
    LocalGovernment: optText(a.localGovernment, `${at}/LocalGovernment`),
    AdministrativeUnit: optText(a.administrativeUnit, `${at}/AdministrativeUnit`),
    SmallPlace: optText(a.smallPlace, `${at}/SmallPlace`),
    LandUnit: optText(a.landUnit, `${at}/LandUnit`),
    Street: optText(a.street, `${at}/Street`),
    HouseNumber: optText(a.houseNumber, `${at}/HouseNumber`),
    BuildingPartNumber: optText(a.buildingPartNumber, `${at}/BuildingPartNumber`),
    PostalCode: optTyped(a.postalCode, POSTAL_CODE, 'postal code (5 digits)', `${at}/PostalCode`),
  };
}

function contactData(c: ContactData | undefined, at: string): XmlObject | undefined {
  if (!c) return undefined;
  return {
    Adit: bool(c.adit),
    Phone: optTyped(c.phone, PHONE, 'phone number ([0-9 +()-]*)', `${at}/Phone`),
    Email: optText(c.email, `${at}/Email`),
    WebPage: optText(c.webPage, `${at}/WebPage`),
    MessagingAddress: optText(c.messagingAddress, `${at}/MessagingAddress`),
    PostalAddress: postalAddress(c.postalAddress, `${at}/PostalAddress`),
  };
}

function partyDetails(p: PartyDetails | undefined, at: string): XmlObject | undefined {
  if (!p) return undefined;
  return {
    Organisation: organisation(p.organisation, `${at}/Organisation`),
    Person: person(p.person, `${at}/Person`),
    ContactData: contactData(p.contactData, `${at}/ContactData`),
  };
}

function initiator(i: Initiator | undefined, at: string): XmlObject | undefined {
  if (!i) return undefined;
  return {
    InitiatorRecordOriginalIdentifier: optText(i.recordOriginalIdentifier, `${at}/InitiatorRecordOriginalIdentifier`),
    InitiatorRecordDate: dateTime(i.recordDate, `${at}/InitiatorRecordDate`),
    Organisation: organisation(i.organisation, `${at}/Organisation`),
    Person: person(i.person, `${at}/Person`),
    // Mandatory in Initiator (all its children are optional, so an empty element is valid).
    ContactData: contactData(i.contactData, `${at}/ContactData`) ?? {},
  };
}

function recipient(r: Recipient, at: string): XmlObject {
  return {
    RecipientRecordGuid: optTyped(r.recordGuid, GUID, 'GUID', `${at}/RecipientRecordGuid`),
    RecipientRecordOriginalIdentifier: optText(r.recordOriginalIdentifier, `${at}/RecipientRecordOriginalIdentifier`),
    MessageForRecipient: optText(r.messageForRecipient, `${at}/MessageForRecipient`),
    Organisation: organisation(r.organisation, `${at}/Organisation`),
    Person: person(r.person, `${at}/Person`),
    ContactData: contactData(r.contactData, `${at}/ContactData`),
  };
}

function access(a: Access, at: string): XmlObject {
  return {
    AccessConditionsCode: typed(a.accessConditionsCode, /^(Avalik|AK)$/, "access code ('Avalik' or 'AK')", `${at}/AccessConditionsCode`),
    AccessRestriction: a.accessRestrictions.map((r, i) => {
      const rat = `${at}/AccessRestriction[${i + 1}]`;
      return {
        RestrictionIdentifier: optText(r.restrictionIdentifier, `${rat}/RestrictionIdentifier`),
        RestrictionBeginDate: typed(r.restrictionBeginDate, XS_DATE, 'xs:date', `${rat}/RestrictionBeginDate`),
        RestrictionEndDate: typed(r.restrictionEndDate, XS_DATE, 'xs:date', `${rat}/RestrictionEndDate`),
        RestrictionEndEvent: optText(r.restrictionEndEvent, `${rat}/RestrictionEndEvent`),
        RestrictionInvalidSince: optTyped(r.restrictionInvalidSince, XS_DATE, 'xs:date', `${rat}/RestrictionInvalidSince`),
        RestrictionBasis: text(r.restrictionBasis, `${rat}/RestrictionBasis`),
        InformationOwner: text(r.informationOwner, `${rat}/InformationOwner`),
      };
    }),
  };
}

function file(f: DraftFile, index: number, at: string): XmlObject {
  let size: string | undefined;
  if (f.fileSize !== undefined) {
    if (!Number.isSafeInteger(f.fileSize) || f.fileSize < 0) {
      throw new CapsuleBuildError(CapsuleBuildErrorCode.INVALID_VALUE, `${at}/FileSize`, `${f.fileSize} is not a size in bytes`);
    }
    size = String(f.fileSize);
  } else if (Buffer.isBuffer(f.content)) size = String(f.content.length);
  else if (typeof f.content === 'string') size = sizeToken(index); // stat'ed when the stream starts
  return {
    FileGuid: typed(f.fileGuid, GUID, 'GUID', `${at}/FileGuid`),
    RecordMainComponent: bool(f.recordMainComponent),
    FileName: text(f.fileName, `${at}/FileName`),
    MimeType: text(f.mimeType, `${at}/MimeType`),
    FileSize: size,
    ZipBase64Content: contentToken(index),
  };
}

/** Checks that the raw fragment is well-formed and namespace-well-formed, as the receiving parser will need it. */
export function checkFragment(fragment: string, where = 'DecContainer/RecordTypeSpecificMetadata'): void {
  checkChars(fragment, where);
  const fail = (message: string): never => {
    throw new CapsuleBuildError(CapsuleBuildErrorCode.INVALID_FRAGMENT, where, `not a well-formed XML fragment: ${message}`);
  };
  const verdict = XMLValidator.validate(`<RecordTypeSpecificMetadata>${fragment}</RecordTypeSpecificMetadata>`);
  if (verdict !== true) fail(`${verdict.err.msg} (line ${verdict.err.line}, column ${verdict.err.col})`);
  // XML 1.0 §2.4: ']]>' may not appear in character data; XMLValidator does not check it.
  if (fragment.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '').includes(']]>')) fail("']]>' outside a CDATA section");
  // XMLValidator also lets DOCTYPEs, undefined entities and unbound prefixes through; a strict namespace-aware
  // parser (the one the reader uses) does not. strictEntities: only XML's five predefined entities (sax
  // otherwise accepts HTML ones such as &nbsp;).
  const parser = sax.parser(true, { xmlns: true, strictEntities: true } as sax.SAXOptions);
  parser.onerror = (err) => fail(err.message.split('\n')[0] ?? err.message);
  parser.ondoctype = () => fail('a DOCTYPE is not allowed');
  parser.onprocessinginstruction = (pi) => {
    if (pi.name.toLowerCase() === 'xml') fail('an XML declaration is not allowed inside the document');
  };
  parser.write(`<RecordTypeSpecificMetadata>${fragment}</RecordTypeSpecificMetadata>`).close();
}

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  suppressEmptyNode: false,
  // Values are escaped (and checked) above, so the builder must not escape them again.
  processEntities: false,
});

/** The document with placeholders for file contents, unknown file sizes and the RecordTypeSpecificMetadata fragment. */
function renderSkeleton(draft: CapsuleDraft): string {
  const root = 'DecContainer';
  if (draft.recordTypeSpecificMetadata !== undefined) checkFragment(draft.recordTypeSpecificMetadata);
  const rm = draft.recordMetadata;
  const at = `${root}/RecordMetadata`;
  const dm = draft.decMetadata;
  const container: XmlObject = {
    '@_xmlns': CAPSULE_NS,
    Transport: {
      DecSender: transportParty(draft.transport.sender, `${root}/Transport/DecSender`),
      DecRecipient: nonEmpty(draft.transport.recipients, `${root}/Transport/DecRecipient`).map((p, i) =>
        transportParty(p, `${root}/Transport/DecRecipient[${i + 1}]`),
      ),
    },
    Initiator: initiator(draft.initiator, `${root}/Initiator`),
    RecordCreator: partyDetails(draft.recordCreator, `${root}/RecordCreator`),
    RecordSenderToDec: partyDetails(draft.recordSenderToDec, `${root}/RecordSenderToDec`),
    Recipient: nonEmpty(draft.recipients, `${root}/Recipient`).map((r, i) => recipient(r, `${root}/Recipient[${i + 1}]`)),
    RecordMetadata: {
      RecordGuid: typed(rm.recordGuid, GUID, 'GUID', `${at}/RecordGuid`),
      RecordType: text(rm.recordType, `${at}/RecordType`),
      RecordOriginalIdentifier: text(rm.recordOriginalIdentifier, `${at}/RecordOriginalIdentifier`),
      RecordDateRegistered: dateTime(rm.recordDateRegistered, `${at}/RecordDateRegistered`),
      RecordTitle: text(rm.recordTitle, `${at}/RecordTitle`),
      RecordLanguage: optText(rm.recordLanguage, `${at}/RecordLanguage`),
      RecordAbstract: optText(rm.recordAbstract, `${at}/RecordAbstract`),
      ReplyDueDate: optTyped(rm.replyDueDate, XS_DATE, 'xs:date', `${at}/ReplyDueDate`),
    },
    Access: access(draft.access, `${root}/Access`),
    SignatureMetadata: draft.signatureMetadata.map((s, i) => {
      const sat = `${root}/SignatureMetadata[${i + 1}]`;
      return {
        SignatureType: optText(s.signatureType, `${sat}/SignatureType`),
        Signer: optText(s.signer, `${sat}/Signer`),
        Verified: optText(s.verified, `${sat}/Verified`),
        SignatureVerificationDate: dateTime(s.signatureVerificationDate, `${sat}/SignatureVerificationDate`),
      };
    }),
    File: nonEmpty(draft.files, `${root}/File`).map((f, i) => file(f, i, `${root}/File[${i + 1}]`)),
    RecordTypeSpecificMetadata: draft.recordTypeSpecificMetadata === undefined ? undefined : RTSM_TOKEN,
    DecMetadata: dm && {
      DecId: typed(dm.decId, XS_INTEGER, 'xs:integer', `${root}/DecMetadata/DecId`),
      DecFolder: text(dm.decFolder, `${root}/DecMetadata/DecFolder`),
      DecReceiptDate: dateTime(dm.decReceiptDate, `${root}/DecMetadata/DecReceiptDate`),
    },
  };
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: container }) as string;
}

// ---- content: base64(gzip(bytes)) in 76-character lines ----

async function* documentBytes(skeleton: string, draft: CapsuleDraft): AsyncGenerator<Buffer> {
  let from = 0;
  for (const m of skeleton.matchAll(TOKEN)) {
    if (m.index > from) yield Buffer.from(skeleton.slice(from, m.index), 'utf8');
    from = m.index + m[0].length;
    const kind = m[1];
    const f = kind === 'R' ? undefined : draft.files[Number(m[2])];
    if (kind === 'R') yield Buffer.from(draft.recordTypeSpecificMetadata ?? '', 'utf8');
    else if (kind === 'S' && f) yield Buffer.from(await fileSizeOf(f.content), 'latin1');
    else if (kind === 'F' && f) yield* encodedContent(f.content);
  }
  if (from < skeleton.length) yield Buffer.from(skeleton.slice(from), 'utf8');
}

/**
 * Streams the capsule as UTF-8 XML bytes. Problems with the draft itself throw a `CapsuleBuildError` here,
 * synchronously; problems reading a file's content (a missing path, a failing stream) destroy the stream.
 */
export function buildCapsule(draft: CapsuleDraft): Readable {
  const skeleton = renderSkeleton(draft);
  return Readable.from(documentBytes(skeleton, draft), { objectMode: false, highWaterMark: CHUNK });
}

export async function buildCapsuleToBuffer(draft: CapsuleDraft): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of buildCapsule(draft)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes to a temporary name beside `target` and renames it, so a reader never sees half a capsule. */
export async function buildCapsuleToFile(draft: CapsuleDraft, target: string): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(buildCapsule(draft), fs.createWriteStream(tmp, { mode: 0o600 }));
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}
