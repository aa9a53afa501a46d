import { tallinnDate } from '../capsule/dates';
import type { CapsuleDraft } from '../capsule/build';
import { makeReplyDraft } from '../capsule/draft';
import type { Capsule } from '../capsule/model';

/**
 * The business receipt: "teade dokumendi kättesaamise kohta" to the KOV that sent a request,
 * as a reply to it (Initiator + RecipientRecordGuid, makeReplyDraft), naming SKA's case number and the
 * due date. It is registered under the case number, so a KOV answering it lands on the case.
 */

export const RECEIPT_TITLE = 'Teade dokumendi kättesaamise kohta';

export interface ReceiptInput {
  request: Capsule;
  caseNumber: string;
  /** `YYYY-MM-DD`, when the case has a due date. */
  dueDate?: string;
  org: { code: string; name: string; unit: string };
  now?: Date;
}

function estonianDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}.${m}.${y}`;
}

export function receiptText(input: ReceiptInput): string {
  const rm = input.request.recordMetadata;
  const lines = [
    RECEIPT_TITLE,
    '',
    `${input.org.name} (${input.org.unit}) on kätte saanud Teie ${estonianDate(tallinnDate(rm.recordDateRegistered.instant))} ` +
      `dokumendi nr ${rm.recordOriginalIdentifier} „${rm.recordTitle}“.`,
    `Dokument on registreeritud menetlusena nr ${input.caseNumber}.`,
    input.dueDate ? `Vastame hiljemalt ${estonianDate(input.dueDate)}.` : 'Vastame esimesel võimalusel.',
    '',
    'Palume menetluse numbrile viidata edasises kirjavahetuses.',
    'Käesolev teade on koostatud automaatselt.',
  ];
  return `${lines.join('\n')}\n`;
}

export function receiptDraft(input: ReceiptInput): CapsuleDraft {
  const text = receiptText(input);
  return makeReplyDraft(
    input.request,
    {
      sender: { code: input.org.code, name: input.org.name, structuralUnit: input.org.unit },
      recordType: 'Teade',
      title: RECEIPT_TITLE,
      originalIdentifier: input.caseNumber,
      messageForRecipient: `Menetluse nr ${input.caseNumber}${input.dueDate ? `, vastuse tähtaeg ${estonianDate(input.dueDate)}` : ''}`,
      files: [{ name: 'teade-kattesaamise-kohta.txt', mimeType: 'text/plain', content: Buffer.from(text, 'utf8'), main: true }],
    },
    input.now ? { now: input.now } : {},
  );
}
