import { Readable } from 'node:stream';
import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { requestHeader, sendDocumentEnvelope, representationListEnvelope } from '../../src/xroad/dhx-request';
import type { RepresentedParty, XRoadClientId } from '../../src/xroad/header';
import { postSoap, type PostResult } from '../../src/xroad/post';
import { swaRequestBody } from '../../src/xroad/swa-body';
import { makeXRoadSim, type SimOptions, type XRoadSim } from '../../src/sim/server';
import { track } from '../helpers/resources';

/** A started simulator, tracked so that a test file that forgets to stop it fails. */
export async function startSim(opts: SimOptions = {}): Promise<XRoadSim> {
  const sim = makeXRoadSim(opts);
  await sim.start();
  let stopped = false;
  track('x-road simulator', sim, () => stopped);
  const stop = sim.stop.bind(sim);
  sim.stop = async () => {
    await stop();
    stopped = true;
  };
  return sim;
}

export const SKA: XRoadClientId = { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX' };

/** A valid Capsule 2.1 document (fictional parties and content). */
export function capsuleFor(o: { sender: string; recipient: string; title?: string; bytes?: Buffer }): Promise<Buffer> {
  return buildCapsuleToBuffer(
    makeDraft({
      sender: { code: o.sender, name: 'Sotsiaalkindlustusamet' },
      recipients: [{ code: o.recipient, name: 'Näidisvalla Vallavalitsus' }],
      recordType: 'Arvamus',
      title: o.title ?? 'Arvamus kinnise lasteasutuse teenuse kohta',
      originalIdentifier: '7.2-1/26-101',
      files: [{ name: 'arvamus.pdf', mimeType: 'application/pdf', content: o.bytes ?? Buffer.from('%PDF-1.4 näidis') }],
    }),
  );
}

export interface SendOptions {
  client?: XRoadClientId;
  to: { memberClass?: string; memberCode: string; subsystemCode?: string };
  consignmentId: string;
  capsule: Buffer | Readable;
  recipient?: string;
  recipientSystem?: string;
  representedParty?: RepresentedParty;
  timeoutMs?: number;
}

/** A sendDocument through the simulator's consumer_proxy, as a security server's client would post it. */
export function sendThroughSim(sim: { url: string }, o: SendOptions): Promise<PostResult> {
  const header = requestHeader({
    client: o.client ?? SKA,
    service: {
      xRoadInstance: 'ee-dev',
      memberClass: o.to.memberClass ?? 'GOV',
      memberCode: o.to.memberCode,
      subsystemCode: o.to.subsystemCode ?? 'DHX',
      serviceCode: 'sendDocument',
      serviceVersion: 'v1',
    },
    ...(o.representedParty ? { representedParty: o.representedParty } : {}),
  });
  const envelope = sendDocumentEnvelope(header, {
    consignmentId: o.consignmentId,
    contentId: 'doc',
    ...(o.recipient ? { recipient: o.recipient } : {}),
    ...(o.recipientSystem ? { recipientSystem: o.recipientSystem } : {}),
  });
  const source = Buffer.isBuffer(o.capsule) ? Readable.from([o.capsule]) : o.capsule;
  const { contentType, body } = swaRequestBody(envelope, [{ contentId: 'doc', source }]);
  return postSoap(`${sim.url}/cgi-bin/consumer_proxy`, { contentType, body, timeoutMs: o.timeoutMs ?? 10_000 });
}

export function representationListThroughSim(sim: { url: string }, to: { memberClass?: string; memberCode: string; subsystemCode?: string }): Promise<PostResult> {
  const header = requestHeader({
    client: SKA,
    service: { xRoadInstance: 'ee-dev', memberClass: to.memberClass ?? 'GOV', memberCode: to.memberCode, subsystemCode: to.subsystemCode ?? 'DHX', serviceCode: 'representationList', serviceVersion: 'v1' },
  });
  return postSoap(`${sim.url}/cgi-bin/consumer_proxy`, { contentType: 'text/xml; charset=utf-8', body: representationListEnvelope(header), timeoutMs: 10_000 });
}

export function bodyText(r: PostResult): string {
  if (r.kind !== 'answered') throw new Error(`no answer: ${r.message}`);
  return r.body.toString('utf8');
}
