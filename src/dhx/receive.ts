import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore, StoredTemp } from '../blob/store';
import { readCapsule } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import type { CapsuleLimits } from '../capsule/content';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { receivedWithin, releaseExpiredDedupKey } from '../inbound/received';
import { clientKey, type RepresentedParty, type XRoadClientId } from '../xroad/header';
import { checkRepresentation, memberClassesOf, Representation } from '../addressbook/sender-checks';
import { normaliseContentId } from '../xroad/swa';
import { DhxFaultCode, type DhxFault, type SendDocumentRequest } from '../xroad/dhx-soap';
import { sameOrganisation } from '../xroad/organisation';
import { findActiveRepresentee } from '../addressbook/representees';
import type { InboundRow, ReceiptCommitter } from './committer';

/**
 * DHX sendDocument, receiving side: the checks of docs/receive.md in the spec's order (DHX §8 and the
 * reference adapter), then durable storage, then the receipt. Expected outcomes are returned as values, not
 * thrown.
 */

export type ReceiveOutcome = { kind: 'accepted'; receiptId: string; size: number } | { kind: 'rejected'; fault: DhxFault };

export interface ReceiveDeps {
  pool: Pool;
  store: BlobStore;
  config: Pick<Config, 'xroad' | 'dhx'>;
  /** Complete (defaults filled in once by the server, not per request). */
  limits: CapsuleLimits;
  schema?: CapsuleSchema;
  /** Commits receipt rows (grouped: src/dhx/committer.ts). */
  committer: ReceiptCommitter;
}

const reject = (faultCode: DhxFaultCode, faultString: string): ReceiveOutcome => ({ kind: 'rejected', fault: { faultCode, faultString } });

/** The ways a DecRecipient may name `code` on `system` (CODE, SYS.CODE, DHX.SYS.CODE), lower-cased. */
export function addressForms(code: string, system?: string | null): string[] {
  const forms = new Set([code]);
  if (system) {
    forms.add(`${system}.${code}`);
    const bare = system.replace(/^DHX\.?/i, '');
    if (bare) {
      forms.add(`${bare}.${code}`);
      forms.add(`DHX.${bare}.${code}`);
    }
  }
  return [...forms].map((f) => f.toLowerCase());
}

/** The fault string for a representedParty that is not believed (DHX.SenderDoesNotMatch). */
function representationFault(verdict: Exclude<Representation, 'represents'>, party: RepresentedParty, client: XRoadClientId): string {
  const who = clientKey(client);
  switch (verdict) {
    case Representation.notIntermediary:
      return `representedParty ${party.partyCode} is accepted only from a known DHX intermediary; ${who} is not one`;
    case Representation.notRepresentee:
      return `representedParty ${party.partyCode} is not an active representee of the intermediary ${who}`;
    case Representation.partyClassDiffers:
      return `representedParty ${party.partyClass ?? ''}/${party.partyCode} is not of the member class the address book knows it by`;
  }
}

export async function receiveSendDocument(
  req: SendDocumentRequest,
  attachments: Map<string, StoredTemp>,
  deps: ReceiveDeps,
): Promise<ReceiveOutcome> {
  const { config } = deps;
  // 1. Parameters (DHX §8.1): the spec answers DHX.Validation (the reference adapter a SOAP Fault).
  if (!req.consignmentId) return reject(DhxFaultCode.Validation, 'consignmentId is missing');
  const temp = req.documentAttachment ? attachments.get(normaliseContentId(req.documentAttachment)) : undefined;
  if (!temp) {
    return reject(
      DhxFaultCode.Validation,
      req.documentAttachment ? `attachment ${req.documentAttachment} is not in the request` : 'documentAttachment is missing',
    );
  }

  // 2. Duplicate (DHX §8.2): the X-Road client incl. subsystem, or the represented party, + consignmentId.
  // On the way to a receipt the insert's unique key answers it (no lookup of its own); a later check's
  // fault is given only after a lookup, so a duplicate still gets DHX.Duplicate, as in the spec's order.
  const who = req.header.representedParty ? `party:${req.header.representedParty.partyCode}` : clientKey(req.header.client);
  const dedupKey = `${who}|${req.consignmentId}`;
  const windowDays = config.dhx.duplicateWindowDays;
  const duplicate = (): ReceiveOutcome => reject(DhxFaultCode.Duplicate, `consignment ${req.consignmentId} was already received from ${who}`);
  const rejectUnlessDuplicate = async (faultCode: DhxFaultCode, faultString: string): Promise<ReceiveOutcome> => {
    return (await receivedWithin(deps.pool, dedupKey, windowDays)) ? duplicate() : reject(faultCode, faultString);
  };

  // 3. Protocol version.
  if (req.dhxVersion !== '1.0') {
    return rejectUnlessDuplicate(DhxFaultCode.UnsupportedVersion, `DHXVersion ${req.dhxVersion ?? '(missing)'} is not supported; use 1.0`);
  }

  // 4. XML and the Capsule 2.1 schema (content is not decoded here: intake does that). A small capsule
  // held in memory gets libxml2's quick whole-document verdict; anything it does not pass (invalid, or
  // of a kind only the full reader judges) goes through the one-pass reader, whose verdict stands.
  let transport = temp.bytes && deps.schema?.quickTransport ? deps.schema.quickTransport(temp.bytes, deps.limits) : undefined;
  if (!transport) {
    const read = await readCapsule(temp.bytes ? Readable.from([temp.bytes]) : temp.path!, {
      decode: false,
      limits: deps.limits,
      ...(deps.schema ? { schema: deps.schema } : {}),
    });
    if (!read.valid || !read.capsule) {
      const first = read.issues[0];
      return rejectUnlessDuplicate(DhxFaultCode.Validation, `capsule is invalid: ${first ? `line ${first.line}: ${first.message}` : 'not a Capsule 2.1'}`);
    }
    transport = read.capsule.transport;
  }

  // 5. Addressee (DHX §8.5): us on an accepted subsystem, or an active representee we serve.
  const service = req.header.service;
  if (service.memberCode !== config.xroad.memberCode) {
    return rejectUnlessDuplicate(DhxFaultCode.InvalidAddressee, `service member ${service.memberCode} is not this organisation`);
  }
  if (!config.dhx.acceptedSubsystems.includes(service.subsystemCode ?? '')) {
    return rejectUnlessDuplicate(DhxFaultCode.InvalidAddressee, `subsystem ${service.subsystemCode ?? '(none)'} does not accept DHX documents`);
  }
  let addressee = { code: config.xroad.memberCode, system: service.subsystemCode ?? null };
  if (req.recipient) {
    const rep = await findActiveRepresentee(deps.pool, req.recipient, req.recipientSystem);
    if (!rep) {
      return rejectUnlessDuplicate(
        DhxFaultCode.InvalidAddressee,
        `recipient ${req.recipient}${req.recipientSystem ? ` (system ${req.recipientSystem})` : ''} is not an active representee`,
      );
    }
    addressee = { code: rep.memberCode, system: req.recipientSystem ?? null };
  }
  const forms = new Set(addressForms(addressee.code, addressee.system));
  const decRecipients = transport.recipients.map((r) => r.organisationCode.trim().toLowerCase());
  if (!decRecipients.some((r) => forms.has(r))) {
    return rejectUnlessDuplicate(DhxFaultCode.InvalidAddressee, `the capsule's DecRecipient does not name ${addressee.code}`);
  }

  // 6. Sender (DHX §8.6): DecSender must be the X-Road client, or the party it represents.
  const sender = transport.sender.organisationCode.trim();
  const client = req.header.client;
  const party = req.header.representedParty;
  if (party) {
    // A representedParty is believed only from a DHX intermediary of the address book (global group
    // "DHX vahendajad", compared with its member class) that lists the party among its own active
    // representees; the document is then the represented organisation's own.
    const verdict = await checkRepresentation(deps.pool, client, party);
    if (verdict !== Representation.represents) return rejectUnlessDuplicate(DhxFaultCode.SenderDoesNotMatch, representationFault(verdict, party, client));
    if (!sameOrganisation(sender, party.partyCode)) {
      return rejectUnlessDuplicate(DhxFaultCode.SenderDoesNotMatch, `DecSender ${sender} does not match the representedParty ${party.partyCode}`);
    }
  } else {
    if (!sameOrganisation(sender, client.memberCode)) {
      return rejectUnlessDuplicate(DhxFaultCode.SenderDoesNotMatch, `DecSender ${sender} does not match the X-Road client ${client.memberCode}`);
    }
    // The member code alone names no one: where the address book knows the code, the client's class must be one it knows.
    const classes = await memberClassesOf(deps.pool, client.xRoadInstance, client.memberCode);
    if (classes.length > 0 && !classes.includes(client.memberClass)) {
      return rejectUnlessDuplicate(
        DhxFaultCode.SenderDoesNotMatch,
        `X-Road client ${clientKey(client)} is not ${client.memberCode} as the address book knows it (member class ${classes.join(', ')})`,
      );
    }
  }

  // 7. Durable: blob fsynced and renamed, row committed — only then a receipt (a receipt is a promise).
  // Small content is not a file: it is committed with its row (blobs.content).
  await deps.store.commit(temp);
  attachments.delete(normaliseContentId(req.documentAttachment!));
  const row: InboundRow = {
    id: randomUUID(),
    dedupKey,
    consignmentId: req.consignmentId,
    client: clientKey(req.header.client),
    sender,
    recipient: addressee.code,
    recipientSystem: addressee.system,
    xroadMessageId: req.header.id || null,
    representedParty: req.header.representedParty?.partyCode ?? null,
    sha256: temp.sha256,
    size: temp.size,
    detail: JSON.stringify({ consignmentId: req.consignmentId, client: clientKey(req.header.client) }),
    content: temp.path ? null : (temp.bytes ?? null),
  };
  let inserted = (await deps.committer.commit(row)) === 'inserted';
  if (!inserted) {
    // The key is taken. Past the window it no longer counts: release it and claim it (rare).
    if (await releaseExpiredDedupKey(deps.pool, dedupKey, windowDays)) inserted = (await deps.committer.commit(row)) === 'inserted';
  }
  // A concurrent send of the same consignment committed first: exactly one receipt.
  if (!inserted) return duplicate();
  return { kind: 'accepted', receiptId: row.id, size: temp.size };
}
