/**
 * Typed model of a Capsule 2.1 document (`DecContainer`, docs/capsule.md, schema in wsdl/capsule-2.1.xsd).
 *
 * Element order and cardinality follow the schema; optional elements are `undefined` when absent,
 * repeated elements are arrays (possibly empty). Values are kept as the capsule wrote them (trimmed),
 * except booleans, integers and date-times, which are also decoded.
 */

export const CAPSULE_NS = 'http://www.riik.ee/schemas/deccontainer/vers_2_1/';

/** An `xs:dateTime` as written, and the instant it denotes (zone-less values are Europe/Tallinn local time). */
export interface DateTimeValue {
  lexical: string;
  instant: Date;
}

/** `Transport/DecSender` and `Transport/DecRecipient`. */
export interface TransportParty {
  organisationCode: string;
  structuralUnit?: string;
  personalIdCode?: string;
}

export interface Transport {
  sender: TransportParty;
  recipients: TransportParty[];
}

export interface Organisation {
  name: string;
  organisationCode?: string;
  structuralUnit?: string;
  positionTitle?: string;
  residency?: string;
}

export interface Person {
  name: string;
  givenName?: string;
  surname?: string;
  personalIdCode?: string;
  residency?: string;
}

export interface PostalAddress {
  country?: string;
  county?: string;
  localGovernment?: string;
  administrativeUnit?: string;
  smallPlace?: string;
  landUnit?: string;
  street?: string;
  houseNumber?: string;
  buildingPartNumber?: string;
  postalCode?: string;
}

export interface ContactData {
  adit?: boolean;
  phone?: string;
  email?: string;
  webPage?: string;
  messagingAddress?: string;
  postalAddress?: PostalAddress;
}

/** `Initiator`: the document this one answers (a reply names the request's number and date here). */
export interface Initiator {
  recordOriginalIdentifier?: string;
  recordDate?: DateTimeValue;
  organisation?: Organisation;
  person?: Person;
  contactData: ContactData;
}

/** `RecordCreator` and `RecordSenderToDec`. */
export interface PartyDetails {
  organisation?: Organisation;
  person?: Person;
  contactData?: ContactData;
}

export interface Recipient {
  recordGuid?: string;
  recordOriginalIdentifier?: string;
  messageForRecipient?: string;
  organisation?: Organisation;
  person?: Person;
  contactData?: ContactData;
}

export interface RecordMetadata {
  recordGuid: string;
  recordType: string;
  recordOriginalIdentifier: string;
  recordDateRegistered: DateTimeValue;
  recordTitle: string;
  recordLanguage?: string;
  recordAbstract?: string;
  /** `xs:date` as written, e.g. `2024-05-31`. */
  replyDueDate?: string;
}

export const AccessConditionsCode = { Avalik: 'Avalik', AK: 'AK' } as const;
export type AccessConditionsCode = (typeof AccessConditionsCode)[keyof typeof AccessConditionsCode];

export interface AccessRestriction {
  restrictionIdentifier?: string;
  restrictionBeginDate: string;
  restrictionEndDate: string;
  restrictionEndEvent?: string;
  restrictionInvalidSince?: string;
  restrictionBasis: string;
  informationOwner: string;
}

export interface Access {
  accessConditionsCode: AccessConditionsCode;
  accessRestrictions: AccessRestriction[];
}

export interface SignatureMetadata {
  signatureType?: string;
  signer?: string;
  verified?: string;
  signatureVerificationDate?: DateTimeValue;
}

/** The metadata of one `File` element (the content itself is streamed elsewhere). */
export interface CapsuleFileMeta {
  fileGuid: string;
  recordMainComponent?: boolean;
  fileName: string;
  /** Declared MIME type: often wrong, compare with the sniffed type. */
  mimeType: string;
  /** Declared size in bytes: often wrong, compare with the computed size. */
  fileSize?: number;
}

export interface DecMetadata {
  /** `xs:integer`; kept as a string because it may exceed 2^53. */
  decId: string;
  decFolder: string;
  decReceiptDate: DateTimeValue;
}

export interface Capsule {
  transport: Transport;
  initiator?: Initiator;
  recordCreator?: PartyDetails;
  recordSenderToDec?: PartyDetails;
  recipients: Recipient[];
  recordMetadata: RecordMetadata;
  access: Access;
  signatureMetadata: SignatureMetadata[];
  files: CapsuleFileMeta[];
  /** Serialised children of `RecordTypeSpecificMetadata` (schema: any content, not checked). */
  recordTypeSpecificMetadata?: string;
  decMetadata?: DecMetadata;
}
