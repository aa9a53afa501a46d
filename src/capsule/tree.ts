import { parseDateTime } from './dates';
import {
  AccessConditionsCode,
  type Access,
  type AccessRestriction,
  type Capsule,
  type CapsuleFileMeta,
  type ContactData,
  type DateTimeValue,
  type DecMetadata,
  type Initiator,
  type Organisation,
  type PartyDetails,
  type Person,
  type PostalAddress,
  type Recipient,
  type RecordMetadata,
  type SignatureMetadata,
  type TransportParty,
} from './model';

/** The metadata part of a capsule as read: elements of the capsule namespace with their direct text. */
export interface XmlNode {
  local: string;
  uri: string;
  children: XmlNode[];
  text: string;
  line: number;
}

// ---- lenient accessors: the model is built even for an invalid capsule so `inspect` can show it ----

function kids(node: XmlNode | undefined, local: string): XmlNode[] {
  return node ? node.children.filter((c) => c.local === local) : [];
}

function kid(node: XmlNode | undefined, local: string): XmlNode | undefined {
  return node?.children.find((c) => c.local === local);
}

function opt(node: XmlNode | undefined, local: string): string | undefined {
  const k = kid(node, local);
  return k === undefined ? undefined : k.text.trim();
}

function req(node: XmlNode | undefined, local: string): string {
  return opt(node, local) ?? '';
}

function bool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

function dateTime(text: string | undefined): DateTimeValue | undefined {
  return text === undefined ? undefined : parseDateTime(text);
}

const INVALID_DATE: DateTimeValue = { lexical: '', instant: new Date(Number.NaN) };

/** Drops keys whose value is undefined, so a model compares equal to one built without them. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function party(node: XmlNode): TransportParty {
  return compact({
    organisationCode: req(node, 'OrganisationCode'),
    structuralUnit: opt(node, 'StructuralUnit'),
    personalIdCode: opt(node, 'PersonalIdCode'),
  });
}

function organisation(node: XmlNode | undefined): Organisation | undefined {
  if (!node) return undefined;
  return compact({
    name: req(node, 'Name'),
    organisationCode: opt(node, 'OrganisationCode'),
    structuralUnit: opt(node, 'StructuralUnit'),
    positionTitle: opt(node, 'PositionTitle'),
    residency: opt(node, 'Residency'),
  });
}

function person(node: XmlNode | undefined): Person | undefined {
  if (!node) return undefined;
  return compact({
    name: req(node, 'Name'),
    givenName: opt(node, 'GivenName'),
    surname: opt(node, 'Surname'),
    personalIdCode: opt(node, 'PersonalIdCode'),
    residency: opt(node, 'Residency'),
  });
}

function postalAddress(node: XmlNode | undefined): PostalAddress | undefined {
  if (!node) return undefined;
  return compact({
    country: opt(node, 'Country'),
    county: opt(node, 'County'),
    localGovernment: opt(node, 'LocalGovernment'),
    administrativeUnit: opt(node, 'AdministrativeUnit'),
    smallPlace: opt(node, 'SmallPlace'),
    landUnit: opt(node, 'LandUnit'),
    street: opt(node, 'Street'),
    houseNumber: opt(node, 'HouseNumber'),
    buildingPartNumber: opt(node, 'BuildingPartNumber'),
    postalCode: opt(node, 'PostalCode'),
  });
}

function contactData(node: XmlNode | undefined): ContactData | undefined {
  if (!node) return undefined;
  return compact({
    adit: bool(opt(node, 'Adit')),
    phone: opt(node, 'Phone'),
    email: opt(node, 'Email'),
    webPage: opt(node, 'WebPage'),
    messagingAddress: opt(node, 'MessagingAddress'),
    postalAddress: postalAddress(kid(node, 'PostalAddress')),
  });
}

function partyDetails(node: XmlNode | undefined): PartyDetails | undefined {
  if (!node) return undefined;
  return compact({
    organisation: organisation(kid(node, 'Organisation')),
    person: person(kid(node, 'Person')),
    contactData: contactData(kid(node, 'ContactData')),
  });
}

function initiator(node: XmlNode | undefined): Initiator | undefined {
  if (!node) return undefined;
  return compact({
    recordOriginalIdentifier: opt(node, 'InitiatorRecordOriginalIdentifier'),
    recordDate: dateTime(opt(node, 'InitiatorRecordDate')),
    organisation: organisation(kid(node, 'Organisation')),
    person: person(kid(node, 'Person')),
    contactData: contactData(kid(node, 'ContactData')) ?? {},
  });
}

function recipient(node: XmlNode): Recipient {
  return compact({
    recordGuid: opt(node, 'RecipientRecordGuid'),
    recordOriginalIdentifier: opt(node, 'RecipientRecordOriginalIdentifier'),
    messageForRecipient: opt(node, 'MessageForRecipient'),
    organisation: organisation(kid(node, 'Organisation')),
    person: person(kid(node, 'Person')),
    contactData: contactData(kid(node, 'ContactData')),
  });
}

function recordMetadata(node: XmlNode | undefined): RecordMetadata {
  return compact({
    recordGuid: req(node, 'RecordGuid'),
    recordType: req(node, 'RecordType'),
    recordOriginalIdentifier: req(node, 'RecordOriginalIdentifier'),
    recordDateRegistered: dateTime(opt(node, 'RecordDateRegistered')) ?? INVALID_DATE,
    recordTitle: req(node, 'RecordTitle'),
    recordLanguage: opt(node, 'RecordLanguage'),
    recordAbstract: opt(node, 'RecordAbstract'),
    replyDueDate: opt(node, 'ReplyDueDate'),
  });
}

function accessRestriction(node: XmlNode): AccessRestriction {
  return compact({
    restrictionIdentifier: opt(node, 'RestrictionIdentifier'),
    restrictionBeginDate: req(node, 'RestrictionBeginDate'),
    restrictionEndDate: req(node, 'RestrictionEndDate'),
    restrictionEndEvent: opt(node, 'RestrictionEndEvent'),
    restrictionInvalidSince: opt(node, 'RestrictionInvalidSince'),
    restrictionBasis: req(node, 'RestrictionBasis'),
    informationOwner: req(node, 'InformationOwner'),
  });
}

function access(node: XmlNode | undefined): Access {
  const code = req(node, 'AccessConditionsCode');
  return {
    // An unknown code is a schema error reported elsewhere; the model falls back to the restrictive one.
    accessConditionsCode: code === AccessConditionsCode.Avalik ? AccessConditionsCode.Avalik : AccessConditionsCode.AK,
    accessRestrictions: kids(node, 'AccessRestriction').map(accessRestriction),
  };
}

function signature(node: XmlNode): SignatureMetadata {
  return compact({
    signatureType: opt(node, 'SignatureType'),
    signer: opt(node, 'Signer'),
    verified: opt(node, 'Verified'),
    signatureVerificationDate: dateTime(opt(node, 'SignatureVerificationDate')),
  });
}

export function fileMeta(node: XmlNode): CapsuleFileMeta {
  const size = opt(node, 'FileSize');
  return compact({
    fileGuid: req(node, 'FileGuid'),
    recordMainComponent: bool(opt(node, 'RecordMainComponent')),
    fileName: req(node, 'FileName'),
    mimeType: req(node, 'MimeType'),
    fileSize: size !== undefined && /^[+]?\d+$/.test(size) ? Number(size) : undefined,
  });
}

function decMetadata(node: XmlNode | undefined): DecMetadata | undefined {
  if (!node) return undefined;
  return {
    decId: req(node, 'DecId'),
    decFolder: req(node, 'DecFolder'),
    decReceiptDate: dateTime(opt(node, 'DecReceiptDate')) ?? INVALID_DATE,
  };
}

/** Builds the typed model from a `DecContainer` element; `rtsm` is the serialised RecordTypeSpecificMetadata. */
export function toCapsule(root: XmlNode, rtsm: string | undefined): Capsule {
  const transport = kid(root, 'Transport');
  const sender = kid(transport, 'DecSender');
  return compact({
    transport: {
      sender: sender ? party(sender) : { organisationCode: '' },
      recipients: kids(transport, 'DecRecipient').map(party),
    },
    initiator: initiator(kid(root, 'Initiator')),
    recordCreator: partyDetails(kid(root, 'RecordCreator')),
    recordSenderToDec: partyDetails(kid(root, 'RecordSenderToDec')),
    recipients: kids(root, 'Recipient').map(recipient),
    recordMetadata: recordMetadata(kid(root, 'RecordMetadata')),
    access: access(kid(root, 'Access')),
    signatureMetadata: kids(root, 'SignatureMetadata').map(signature),
    files: kids(root, 'File').map(fileMeta),
    recordTypeSpecificMetadata: rtsm,
    decMetadata: decMetadata(kid(root, 'DecMetadata')),
  });
}
