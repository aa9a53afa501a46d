import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft, type DraftInput } from '../../src/capsule/draft';
import { pdf } from '../fixtures-gen/make-fixtures';

/** Fictional-data KOV requests to SKA (70001975) for intake tests and the fixtures/capsules/kov corpus. */

export const SKA_CODE = '70001975';

export interface KovParty {
  code: string;
  name: string;
  unit?: string;
}

export const KOVS: KovParty[] = [
  { code: '75006546', name: 'Tartu Linnavalitsus', unit: 'Lastekaitse osakond' },
  { code: '75009901', name: 'Kasemetsa Vallavalitsus', unit: 'Sotsiaalosakond' },
  { code: '75009902', name: 'Järvesalu Vallavalitsus', unit: 'Lastekaitse ja perekonna teenistus' },
  { code: '75009903', name: 'Põllumäe Linnavalitsus' },
  { code: '75009904', name: 'Kivisilla Vallavalitsus', unit: 'Sotsiaal- ja haridusosakond' },
];

export interface KovRequest {
  kov?: KovParty;
  title: string;
  recordType?: string;
  abstract?: string;
  message?: string;
  fileNames?: string[];
  typeSpecific?: string;
  originalIdentifier?: string;
  replyDueDate?: string;
  registeredAt?: Date;
  access?: 'AK' | 'Avalik';
  initiator?: string;
  recipientRecordGuid?: string;
}

export function kovDraftInput(r: KovRequest): DraftInput {
  const kov = r.kov ?? KOVS[0]!;
  return {
    sender: { code: kov.code, name: kov.name, ...(kov.unit ? { structuralUnit: kov.unit } : {}) },
    recipients: [{ code: SKA_CODE, name: 'Sotsiaalkindlustusamet', structuralUnit: 'Laste heaolu osakond' }],
    recordType: r.recordType ?? 'Kiri',
    title: r.title,
    originalIdentifier: r.originalIdentifier ?? `7-1/${Math.floor(Math.random() * 9000 + 1000)}-1`,
    ...(r.registeredAt ? { registeredAt: r.registeredAt } : {}),
    ...(r.abstract ? { abstract: r.abstract } : {}),
    ...(r.message ? { messageForRecipient: r.message } : {}),
    ...(r.replyDueDate ? { replyDueDate: r.replyDueDate } : {}),
    access: { code: r.access ?? 'AK' },
    ...(r.initiator ? { initiator: { recordOriginalIdentifier: r.initiator } } : {}),
    files: (r.fileNames ?? ['taotlus.pdf']).map((name, i) => ({
      name,
      mimeType: 'application/pdf',
      content: pdf([r.title.normalize('NFD').replace(/[^\x20-\x7e]/g, ''), `Lisa ${i + 1}`]),
      main: i === 0,
    })),
  };
}

export async function kovCapsule(r: KovRequest): Promise<Buffer> {
  const draft = makeDraft(kovDraftInput(r));
  if (r.typeSpecific) draft.recordTypeSpecificMetadata = r.typeSpecific;
  if (r.recipientRecordGuid) draft.recipients[0] = { ...draft.recipients[0]!, recordGuid: r.recipientRecordGuid };
  return buildCapsuleToBuffer(draft);
}
