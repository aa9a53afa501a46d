import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';
import { Readable } from 'node:stream';
import type { FileBlobStore, StoredTemp } from '../blob/store';
import type { Capsule } from '../capsule/model';
import { readCapsule } from '../capsule/read';
import type { CapsuleSchema } from '../capsule/schema';
import { sameOrganisation } from '../xroad/organisation';
import { addressForms } from '../dhx/receive';
import { DhxFaultCode, type DhxFault, type RepresenteeOut, type SendDocumentRequest } from '../xroad/dhx-soap';
import { clientKey, type RepresentedParty, type XRoadClientId, type XRoadServiceId } from '../xroad/header';
import { normaliseContentId } from '../xroad/swa';

/**
 * A fake KOV document system behind the simulated X-Road (docs/sending.md, "X-Road simulator"): it takes DHX
 * `sendDocument` and checks it the way a real receiver does (DHX §8, the order of src/dhx/receive.ts:
 * consignmentId and attachment → duplicate → DHXVersion → Capsule 2.1 schema → addressee → sender),
 * keeps what it accepted for tests to look at, and, as an intermediary, answers `representationList`.
 */

export interface AcceptedDocument {
  receiptId: string;
  consignmentId: string;
  client: XRoadClientId;
  service: XRoadServiceId;
  representedParty?: RepresentedParty;
  recipient?: string;
  recipientSystem?: string;
  capsule: Capsule;
  sha256: string;
  size: number;
  /** The capsule in the simulator's blob store. */
  path: string;
  receivedAt: Date;
}

export type KovOutcome = { kind: 'accepted'; document: AcceptedDocument } | { kind: 'rejected'; fault: DhxFault };

export interface FakeKov {
  memberClass: string;
  memberCode: string;
  name: string;
  /** Subsystems it takes DHX documents on (the first is where it is addressed by default). */
  subsystems: string[];
  /** Organisations it represents (an intermediary's representationList); empty for a plain KOV. */
  representees: RepresenteeOut[];
  /** Documents accepted, in order. */
  accepted: AcceptedDocument[];
  /** Documents refused, with the fault given. */
  rejected: Array<{ consignmentId?: string; fault: DhxFault }>;
  receive(req: SendDocumentRequest, attachments: Map<string, StoredTemp>): Promise<KovOutcome>;
}

export interface FakeKovDeps {
  store: FileBlobStore;
  schema?: CapsuleSchema;
  /** Whether an X-Road client may speak for a representedParty (a DHX intermediary in the global conf). */
  isIntermediary(client: XRoadClientId): boolean;
}

function active(r: RepresenteeOut, now: Date): boolean {
  return r.startDate <= now && (!r.endDate || now < r.endDate);
}

export function makeFakeKov(
  spec: { memberClass: string; memberCode: string; name: string; subsystems: string[]; representees?: RepresenteeOut[] },
  deps: FakeKovDeps,
): FakeKov {
  const seen = new Set<string>();
  const kov: FakeKov = {
    ...spec,
    representees: spec.representees ?? [],
    accepted: [],
    rejected: [],
    async receive(req, attachments) {
      const outcome = await check(req, attachments);
      if (outcome.kind === 'accepted') kov.accepted.push(outcome.document);
      else kov.rejected.push({ ...(req.consignmentId ? { consignmentId: req.consignmentId } : {}), fault: outcome.fault });
      return outcome;
    },
  };
  const reject = (faultCode: DhxFaultCode, faultString: string): KovOutcome => ({ kind: 'rejected', fault: { faultCode, faultString } });

  async function check(req: SendDocumentRequest, attachments: Map<string, StoredTemp>): Promise<KovOutcome> {
    if (!req.consignmentId) return reject(DhxFaultCode.Validation, 'consignmentId is missing');
    const temp = req.documentAttachment ? attachments.get(normaliseContentId(req.documentAttachment)) : undefined;
    if (!temp) return reject(DhxFaultCode.Validation, 'the document attachment is missing');
    const who = req.header.representedParty ? `party:${req.header.representedParty.partyCode}` : clientKey(req.header.client);
    const key = `${who}|${req.consignmentId}`;
    if (seen.has(key)) return reject(DhxFaultCode.Duplicate, `consignment ${req.consignmentId} was already received from ${who}`);
    if (req.dhxVersion !== '1.0') return reject(DhxFaultCode.UnsupportedVersion, `DHXVersion ${req.dhxVersion ?? '(missing)'} is not supported`);
    const read = await readCapsule(temp.bytes ? Readable.from([temp.bytes]) : temp.path!, {
      decode: false,
      ...(deps.schema ? { schema: deps.schema } : {}),
    });
    if (!read.valid || !read.capsule) {
      const first = read.issues[0];
      return reject(DhxFaultCode.Validation, `capsule is invalid: ${first ? `line ${first.line}: ${first.message}` : 'not a Capsule 2.1'}`);
    }
    const capsule = read.capsule;
    if (!kov.subsystems.includes(req.header.service.subsystemCode ?? '')) {
      return reject(DhxFaultCode.InvalidAddressee, `subsystem ${req.header.service.subsystemCode ?? '(none)'} takes no DHX documents`);
    }
    let addressee = { code: kov.memberCode, system: req.header.service.subsystemCode ?? null };
    if (req.recipient) {
      const now = new Date();
      const rep = kov.representees.find(
        (r) => r.memberCode === req.recipient && (r.system ?? undefined) === (req.recipientSystem ?? undefined) && active(r, now),
      );
      if (!rep) return reject(DhxFaultCode.InvalidAddressee, `recipient ${req.recipient} is not an active representee`);
      addressee = { code: rep.memberCode, system: req.recipientSystem ?? null };
    }
    const forms = new Set(addressForms(addressee.code, addressee.system));
    if (!capsule.transport.recipients.some((r) => forms.has(r.organisationCode.trim().toLowerCase()))) {
      return reject(DhxFaultCode.InvalidAddressee, `the capsule's DecRecipient does not name ${addressee.code}`);
    }
    const sender = capsule.transport.sender.organisationCode.trim();
    const party = req.header.representedParty;
    if (party && !deps.isIntermediary(req.header.client)) {
      return reject(DhxFaultCode.SenderDoesNotMatch, `${clientKey(req.header.client)} is not a DHX intermediary`);
    }
    const expected = party ? party.partyCode : req.header.client.memberCode;
    if (!sameOrganisation(sender, expected)) {
      return reject(DhxFaultCode.SenderDoesNotMatch, `DecSender ${sender} does not match ${expected}`);
    }
    seen.add(key);
    await deps.store.commit(temp);
    attachments.delete(normaliseContentId(req.documentAttachment!));
    const path = deps.store.pathOf(temp.sha256);
    if (!temp.path && temp.bytes) {
      // Content small enough to have stayed in memory: write it out so every accepted capsule has a file.
      await fs.promises.mkdir(nodePath.dirname(path), { recursive: true, mode: 0o700 });
      await fs.promises.writeFile(path, temp.bytes);
    }
    return {
      kind: 'accepted',
      document: {
        receiptId: randomUUID(),
        consignmentId: req.consignmentId,
        client: req.header.client,
        service: req.header.service,
        ...(party ? { representedParty: party } : {}),
        ...(req.recipient ? { recipient: req.recipient } : {}),
        ...(req.recipientSystem ? { recipientSystem: req.recipientSystem } : {}),
        capsule,
        sha256: temp.sha256,
        size: temp.size,
        path,
        receivedAt: new Date(),
      },
    };
  }
  return kov;
}
