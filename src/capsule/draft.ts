import { randomUUID } from 'node:crypto';
import { dateTimeValue, tallinnDate } from './dates';
import type { CapsuleDraft, DraftFile, FileContent } from './build';
import {
  AccessConditionsCode,
  type Access,
  type Capsule,
  type ContactData,
  type Initiator,
  type Organisation,
  type PartyDetails,
  type Recipient,
} from './model';

/**
 * Drafts of the capsules the adapter sends (business receipts and opinions: docs/intake.md, "Business
 * receipt"; docs/sending.md, "Durable sending"): the caller says who, what and which files;
 * GUIDs, Transport, Recipient blocks, RecordMetadata and Access are filled in here. A reply points back at the
 * request it answers through Initiator and Recipient/RecipientRecordGuid.
 */

export function newGuid(): string {
  return randomUUID();
}

export interface DraftParty {
  /** Registry code (DHX addressee). */
  code: string;
  name?: string;
  structuralUnit?: string;
}

export interface DraftRecipientInput extends DraftParty {
  /** Addresses a person (e.g. through ADIT): written to `DecRecipient/PersonalIdCode`. */
  personalIdCode?: string;
}

export interface DraftAccessInput {
  code: AccessConditionsCode;
  /** `xs:date` strings (`2026-03-02`). Required by the schema for AK: a default is used when absent. */
  restriction?: { basis: string; owner: string; begin: string; end: string };
}

export interface DraftFileInput {
  name: string;
  mimeType: string;
  content: FileContent;
  /** The record's main component; when no file says so, the first one is. */
  main?: boolean;
  fileSize?: number;
}

export interface DraftInitiatorInput extends Omit<Initiator, 'contactData'> {
  /** Mandatory in the schema, but all its children are optional: `{}` when absent. */
  contactData?: ContactData;
}

export interface DraftInput {
  sender: DraftParty;
  recipients: DraftRecipientInput[];
  recordType: string;
  title: string;
  originalIdentifier: string;
  /** Default: now. */
  registeredAt?: Date;
  abstract?: string;
  /** `xs:date`, e.g. the 30-day deadline of a KLAT opinion (docs/intake.md, "Cases and routing"). */
  replyDueDate?: string;
  language?: string;
  /** Default: AK, since every document concerns a child. */
  access?: DraftAccessInput;
  files: DraftFileInput[];
  messageForRecipient?: string;
  initiator?: DraftInitiatorInput;
}

export type ReplyInput = Omit<DraftInput, 'recipients' | 'sender'> & { sender: DraftParty };

/** Overridable sources of time and identity, so that generated fixtures are reproducible. */
export interface DraftOptions {
  now?: Date;
  newGuid?: () => string;
}

/** AvTS § 35 lg 1 p 12: information on a person's private life; AvTS § 40 lg 3: restricted for 75 years. */
export const DEFAULT_RESTRICTION_BASIS = 'AvTS § 35 lg 1 p 12';
const DEFAULT_RESTRICTION_YEARS = 75;

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = y + years;
  const lastDay = new Date(Date.UTC(target, m, 0)).getUTCDate(); // 29 February becomes 28 in a common year
  return `${String(target).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

function organisationOf(p: DraftParty): Organisation {
  return compact({ name: p.name ?? p.code, organisationCode: p.code, structuralUnit: p.structuralUnit });
}

/** Leaves out keys whose value is undefined, so a draft compares equal to the same capsule read back. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function access(input: DraftAccessInput | undefined, sender: DraftParty, now: Date): Access {
  const code = input?.code ?? AccessConditionsCode.AK;
  switch (code) {
    case AccessConditionsCode.Avalik:
      return { accessConditionsCode: code, accessRestrictions: [] };
    case AccessConditionsCode.AK: {
      const today = tallinnDate(now);
      const r = input?.restriction ?? {
        basis: DEFAULT_RESTRICTION_BASIS,
        owner: sender.name ?? sender.code,
        begin: today,
        end: addYears(today, DEFAULT_RESTRICTION_YEARS),
      };
      return {
        accessConditionsCode: code,
        accessRestrictions: [
          { restrictionBeginDate: r.begin, restrictionEndDate: r.end, restrictionBasis: r.basis, informationOwner: r.owner },
        ],
      };
    }
    default:
      return code satisfies never;
  }
}

function files(inputs: DraftFileInput[], guid: () => string): DraftFile[] {
  const anyMain = inputs.some((f) => f.main === true);
  return inputs.map((f, i) =>
    compact({
      fileGuid: guid(),
      recordMainComponent: anyMain ? f.main === true : i === 0,
      fileName: f.name,
      mimeType: f.mimeType,
      fileSize: f.fileSize,
      content: f.content,
    }),
  );
}

/** A capsule draft from `input`; pass it to `buildCapsule`. */
export function makeDraft(input: DraftInput, options: DraftOptions = {}): CapsuleDraft {
  const now = options.now ?? new Date();
  const guid = options.newGuid ?? newGuid;
  const sender = organisationOf(input.sender);
  const draft: CapsuleDraft = {
    transport: {
      sender: { organisationCode: input.sender.code },
      recipients: input.recipients.map((r) => compact({ organisationCode: r.code, personalIdCode: r.personalIdCode })),
    },
    initiator: input.initiator && { ...input.initiator, contactData: input.initiator.contactData ?? {} },
    recordCreator: { organisation: sender },
    recordSenderToDec: { organisation: { ...sender } },
    recipients: input.recipients.map(
      (r): Recipient => compact({ messageForRecipient: input.messageForRecipient, organisation: organisationOf(r) }),
    ),
    recordMetadata: compact({
      recordGuid: guid(),
      recordType: input.recordType,
      recordOriginalIdentifier: input.originalIdentifier,
      recordDateRegistered: dateTimeValue(input.registeredAt ?? now),
      recordTitle: input.title,
      recordLanguage: input.language,
      recordAbstract: input.abstract,
      replyDueDate: input.replyDueDate,
    }),
    access: access(input.access, input.sender, now),
    signatureMetadata: [],
    files: files(input.files, guid),
  };
  return compact(draft);
}

/** The requester's organisation: the one whose code is the request's DecSender, else whichever is named. */
function requester(request: Capsule): Organisation {
  const code = request.transport.sender.organisationCode;
  const named = [request.recordCreator, request.recordSenderToDec]
    .map((p: PartyDetails | undefined) => p?.organisation)
    .filter((o): o is Organisation => o !== undefined && o.name !== '');
  const org = named.find((o) => o.organisationCode === code) ?? named[0];
  return compact({ name: org?.name ?? code, organisationCode: code, structuralUnit: org?.structuralUnit });
}

/**
 * A reply to a received request: addressed to the request's DecSender, with Initiator naming the request's
 * number and date, and Recipient/RecipientRecordGuid its RecordGuid, so that the requester's document system
 * can file the answer with the request. Access follows the request's unless `input.access` says otherwise.
 */
export function makeReplyDraft(request: Capsule, input: ReplyInput, options: DraftOptions = {}): CapsuleDraft {
  const org = requester(request);
  const rm = request.recordMetadata;
  const draft = makeDraft(
    {
      ...input,
      recipients: [{ code: org.organisationCode ?? request.transport.sender.organisationCode, name: org.name }],
      initiator: input.initiator ?? {
        recordOriginalIdentifier: rm.recordOriginalIdentifier,
        recordDate: { lexical: rm.recordDateRegistered.lexical, instant: new Date(rm.recordDateRegistered.instant) },
        organisation: { ...org },
      },
    },
    options,
  );
  const recipient = draft.recipients[0]!;
  draft.recipients[0] = compact({
    recordGuid: rm.recordGuid,
    recordOriginalIdentifier: rm.recordOriginalIdentifier,
    ...recipient,
    organisation: { ...org },
  });
  if (!input.access) draft.access = structuredClone(request.access);
  return draft;
}
