import type { BlobStore } from '../blob/store';
import { isValidPersonalCode } from '../log/personal-code';
import { getSendStatus, getUserInfo, saveDocument, sendDocument, type AditClientOptions, type AditFailure } from './client';
import type { AditOutgoingDocument } from './messages';

/**
 * Sending a document to a person through ADIT (docs/adit.md, "Sending to a person"): the personal code
 * checked (isikukood checksum) before anything goes out; getUserInfo v1 asked whether the person has joined
 * ADIT — not joined: a clear refusal and nothing saved in ADIT (nothing half-sent); then saveDocument v1 and
 * sendDocument v2. `followUntilOpened` asks getSendStatus v2 until the person has opened it.
 *
 * A document ADIT already holds from an earlier attempt (saveDocument succeeded, sendDocument failed) is not
 * saved again: given its id (`savedDocumentId`), the attempt goes straight to sendDocument. `onSaved` is told the
 * id as soon as saveDocument answers, before sendDocument, so the caller can keep it for such a retry.
 */

export interface SendToPersonOptions {
  /** ADIT's id of the document an earlier attempt saved: only sendDocument is asked. */
  savedDocumentId?: string;
  /** Called with ADIT's document id right after saveDocument succeeded (before sendDocument); a throw ends the attempt. */
  onSaved?: (documentId: string) => Promise<void>;
}

export type AditSendOutcome =
  | { kind: 'sent'; documentId: string; recipient: string }
  | { kind: 'refused'; reason: 'invalid_personal_code' | 'not_joined'; error: string }
  | (AditFailure & { stage: 'getUserInfo' | 'saveDocument' | 'sendDocument'; documentId?: string });

/** A personal code, bare or with the `EE` prefix → the `EE` form (ADIT's user code form); undefined when not a valid personal code. */
export function aditPersonCode(code: string): string | undefined {
  const bare = code.trim().replace(/^EE/i, '');
  return isValidPersonalCode(bare) ? `EE${bare}` : undefined;
}

export async function sendToPerson(
  opts: AditClientOptions,
  store: BlobStore,
  personalCode: string,
  doc: AditOutgoingDocument,
  o: SendToPersonOptions = {},
): Promise<AditSendOutcome> {
  const recipient = aditPersonCode(personalCode);
  if (!recipient) return { kind: 'refused', reason: 'invalid_personal_code', error: 'the recipient is not a valid Estonian personal code (isikukood checksum)' };
  if (o.savedDocumentId) return send(opts, store, o.savedDocumentId, recipient);
  const info = await getUserInfo(opts, store, [recipient]);
  if (info.kind === 'failed') return { ...info, stage: 'getUserInfo' };
  const user = info.users.find((u) => u.code.replace(/^EE/i, '') === recipient.slice(2));
  if (!user?.hasJoined) return { kind: 'refused', reason: 'not_joined', error: 'the person has not joined ADIT (getUserInfo: has_joined false): nothing was sent' };
  const saved = await saveDocument(opts, store, doc);
  if (saved.kind === 'failed') return { ...saved, stage: 'saveDocument' };
  await o.onSaved?.(saved.documentId);
  return send(opts, store, saved.documentId, recipient);
}

async function send(opts: AditClientOptions, store: BlobStore, documentId: string, recipient: string): Promise<AditSendOutcome> {
  const sent = await sendDocument(opts, store, documentId, [recipient]);
  if (sent.kind === 'failed') return { ...sent, stage: 'sendDocument', documentId };
  return { kind: 'sent', documentId, recipient };
}

export type OpenedOutcome = { kind: 'opened'; openedTime: string } | { kind: 'not_yet' } | AditFailure;

/** One getSendStatus v2: has the recipient opened the document? */
export async function openedBy(opts: AditClientOptions, store: BlobStore, documentId: string, recipient: string): Promise<OpenedOutcome> {
  const r = await getSendStatus(opts, store, [documentId]);
  if (r.kind === 'failed') return r;
  const mine = r.recipients.find((x) => x.documentId === documentId && x.code.replace(/^EE/i, '') === recipient.replace(/^EE/i, ''));
  if (mine?.hasBeenViewed) return { kind: 'opened', openedTime: mine.openedTime ?? new Date().toISOString() };
  return { kind: 'not_yet' };
}

/** getSendStatus v2 every `intervalMs` until opened (or `timeoutMs`); failures are retried until the timeout. */
export async function followUntilOpened(
  opts: AditClientOptions,
  store: BlobStore,
  documentId: string,
  recipient: string,
  o: { intervalMs: number; timeoutMs: number },
): Promise<OpenedOutcome> {
  const end = Date.now() + o.timeoutMs;
  for (;;) {
    const last = await openedBy(opts, store, documentId, recipient);
    if (last.kind === 'opened' || Date.now() >= end) return last;
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}
