import { buildCapsuleToBuffer } from '../capsule/build';
import { makeDraft } from '../capsule/draft';
import { isValidPersonalCode } from '../log/personal-code';
import type { AditDocument } from './messages';

/**
 * An ADIT document as a Capsule 2.1 (docs/adit.md, "An ADIT document as a capsule"), so it enters the same
 * intake as any inbound capsule. ADIT's document is not a capsule: title, type, files, and a sender that is a
 * person (personal code) or an institution (registry code). From a person: DecSender/OrganisationCode is
 * ADIT's own registry code (a person has none; the model requires one) and DecSender/PersonalIdCode the
 * person's code; RecordCreator and RecordSenderToDec name the person. From an institution: its registry code.
 */

/** The personal code in ADIT's creator code (bare or with the `EE` prefix), when it is one. */
export function personalCodeOf(code: string | undefined): string | undefined {
  const c = (code ?? '').trim().replace(/^EE/i, '');
  return isValidPersonalCode(c) ? c : undefined;
}

export async function capsuleOfAditDocument(doc: AditDocument, o: { aditCode: string; recipientCode: string; recipientName?: string }): Promise<Buffer> {
  const person = personalCodeOf(doc.creatorCode) ?? personalCodeOf(doc.creatorUserCode);
  const senderName = (person ? (doc.creatorUserName ?? doc.creatorName) : doc.creatorName) ?? doc.creatorCode ?? 'ADIT';
  const orgCode = person ? o.aditCode : (doc.creatorCode ?? '').trim().replace(/^EE/i, '') || o.aditCode;
  const files = doc.files.length
    ? doc.files.map((f, i) => ({ name: f.name, mimeType: f.contentType, content: f.data, main: i === 0 }))
    : [{ name: 'document.txt', mimeType: 'text/plain', content: Buffer.from(doc.content ?? doc.title, 'utf8'), main: true }];
  const draft = makeDraft({
    sender: { code: orgCode, name: person ? 'ADIT' : senderName },
    recipients: [{ code: o.recipientCode, ...(o.recipientName ? { name: o.recipientName } : {}) }],
    recordType: doc.documentType === 'application' ? 'Taotlus' : 'Kiri',
    title: doc.title || `ADIT document ${doc.id}`,
    originalIdentifier: `adit:${doc.id}`,
    ...(doc.created && !Number.isNaN(Date.parse(doc.created)) ? { registeredAt: new Date(doc.created) } : {}),
    files,
  });
  if (person) {
    draft.transport.sender.personalIdCode = person;
    const who = { person: { name: senderName, personalIdCode: person } };
    draft.recordCreator = { ...who };
    draft.recordSenderToDec = { ...who };
  }
  return buildCapsuleToBuffer(draft);
}
