import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { makeBlobStore, SizeLimitError, type StoredTemp } from '../blob/store';
import type { ListenerTls } from '../config/tls';
import { createListener } from '../http/tls';
import type { CapsuleSchema } from '../capsule/schema';
import {
  DhxFaultCode,
  SoapFaultError,
  faultResponse,
  parseDhxRequest,
  receiptResponse,
  representationListResponse,
  soapFault,
  type RepresenteeOut,
} from '../xroad/dhx-soap';
import { buildVerificationConfZip, DHX_INTERMEDIARY_GROUP, type GlobalConf, type GlobalConfMember } from '../xroad/globalconf';
import { clientKey, NS, parseXRoadHeader, type XRoadClientId, type XRoadHeader } from '../xroad/header';
import { postSoap } from '../xroad/post';
import { swaRequestBody } from '../xroad/swa-body';
import { readSoapRequest } from '../xroad/swa';
import { child, readXml } from '../xroad/xml';
import { makeFakeKov, type FakeKov } from './kov';
import { startFakeAdit, type FakeAdit } from './adit';

/**
 * The X-Road simulator (docs/sending.md, "X-Road simulator"): one HTTP server playing our security server.
 * - `GET /verificationconf`: the global configuration zip (`verificationconf/<instance>/shared-params.xml`)
 *   listing every registered member, its subsystems, and the global group "DHX vahendajad".
 * - `POST /cgi-bin/consumer_proxy`: routes by the `xrd:service` header to a registered provider — our
 *   adapter (a URL; the request is passed on as SwA), a fake KOV document system, a fake intermediary, or
 *   the fake ADIT (`GOV/70006317/adit`, src/sim/adit.ts; addAdit), as the real security server passes an
 *   ADIT request on to ADIT's own (docs/adit.md, "The fake ADIT").
 *   SwA requests are streamed: attachments go to the simulator's own temporary blob store.
 * - Fault injection per member: what a sender must survive (see SimFault).
 */

export const SimFaultKind = {
  /** The provider cannot be reached: the security server answers a SOAP Fault (HTTP 500). */
  Down: 'down',
  /** The provider answers, after `delayMs` (it has already processed the request). */
  Slow: 'slow',
  /** HTTP 500 with a plain-text body, not SOAP. */
  Http500: 'http500',
  /** A SOAP Fault from the provider (technical error). */
  SoapFault: 'soapFault',
  /** A DHX business fault in sendDocumentResponse (HTTP 200). */
  DhxFault: 'dhxFault',
  /** The provider accepts and stores the document, then the answer is lost (the socket is destroyed). */
  DropResponse: 'dropResponse',
} as const;

export type SimFault =
  | { kind: 'down' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'http500' }
  | { kind: 'soapFault'; message?: string }
  | { kind: 'dhxFault'; faultCode: DhxFaultCode; faultString?: string }
  | { kind: 'dropResponse' };

export interface SimCall {
  at: Date;
  client: string;
  service: string;
  operation: string;
  representedParty?: string;
  /** receipt, a DHX fault code, `soapFault`, `http500`, `down`, `dropped`, `unknownService`, `forwarded:<status>`. */
  outcome: string;
}

export interface KovSpec {
  memberCode: string;
  name: string;
  memberClass?: string;
  /** Subsystems taking DHX documents (default `['DHX']`). */
  subsystems?: string[];
  /** Further subsystems listed in the global configuration only (e.g. `generic-consumer`). */
  otherSubsystems?: string[];
}

export interface SimOptions {
  instance?: string;
  log?: Logger;
  /** Capsule schema for the fake KOVs' checks (default: the project's wsdl/capsule-2.1.xsd). */
  schema?: CapsuleSchema;
  /** Largest attachment accepted (default 1 GiB). */
  maxAttachmentBytes?: number;
  /** Timeout for passing requests on to an adapter (default 60 s). */
  forwardTimeoutMs?: number;
  /** Serve HTTPS; with `clientCa` only a client certificate signed by it gets through (X-Road SSLAUTH). */
  tls?: ListenerTls;
  /** For an https: adapter: the agent with the security server's client certificate and the adapter's CA. */
  forwardAgent?: https.Agent;
}

export interface XRoadSim {
  readonly instance: string;
  /** Base URL (`http://127.0.0.1:PORT`, `https://` with `tls`), after start(). */
  readonly url: string;
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  addKov(spec: KovSpec): FakeKov;
  /** A fake KOV that is also a DHX intermediary (in "DHX vahendajad") answering representationList. */
  addIntermediary(spec: KovSpec & { representees: RepresenteeOut[] }): FakeKov;
  /** A real adapter as provider: requests for this member are passed on to `url` (its `POST /dhx`). */
  addAdapter(spec: KovSpec & { url: string; intermediary?: boolean }): void;
  /**
   * Starts the fake ADIT (src/sim/adit.ts) and registers it as the provider of `GOV/<memberCode>/<subsystem>`
   * (default `GOV/70006317/adit`, ADIT_SERVICE's default): requests for it are passed on to the fake as they
   * reach it (SwA, attachments and answer unchanged). Member faults (setFault) apply as to any provider;
   * ADIT's own business errors (`success=false`) and SOAP Faults on demand are the fake's (FakeAdit.setFaults).
   * Stopped with the simulator.
   */
  addAdit(spec?: { memberCode?: string; subsystem?: string; name?: string }): Promise<FakeAdit>;
  /** The fake ADIT started by addAdit. */
  adit(): FakeAdit | undefined;
  /** A member listed in the global configuration only (no provider behind it). */
  addMember(member: GlobalConfMember): void;
  removeMember(memberCode: string): void;
  kov(memberCode: string): FakeKov | undefined;
  /** Sets (or with undefined, clears) a fault for a member; `times` limits it to that many requests. */
  setFault(memberCode: string, fault: SimFault | undefined, opts?: { times?: number }): void;
  /** `GET /verificationconf` answers HTTP 500 while true. */
  setGlobalConfDown(down: boolean): void;
  globalConf(): GlobalConf;
  /** Every request routed, in order. */
  readonly calls: SimCall[];
}

type Provider = { kind: 'kov'; kov: FakeKov } | { kind: 'adapter'; url: string; maxResponseBytes?: number };

const XML = 'text/xml; charset=utf-8';
const MAX_ENVELOPE_BYTES = 1024 * 1024;

function send(res: ServerResponse, status: number, body: string | Buffer, type = XML): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function makeXRoadSim(opts: SimOptions = {}): XRoadSim {
  const instance = opts.instance ?? 'ee-dev';
  const log = opts.log ?? pino({ level: 'silent' });
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-sim-'));
  const store = makeBlobStore(tmpRoot);
  const members = new Map<string, GlobalConfMember>(); // by memberCode
  const providers = new Map<string, Provider>(); // by class/code/subsystem
  const intermediaries: XRoadClientId[] = [];
  const kovs = new Map<string, FakeKov>();
  const faults = new Map<string, { fault: SimFault; left: number }>();
  const calls: SimCall[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let confDown = false;
  let baseUrl: string | undefined;
  let fakeAdit: FakeAdit | undefined;

  const providerKey = (memberClass: string, memberCode: string, subsystem: string | undefined): string =>
    `${memberClass}/${memberCode}/${subsystem ?? ''}`;
  const isIntermediary = (c: XRoadClientId): boolean =>
    intermediaries.some(
      (i) => i.memberClass === c.memberClass && i.memberCode === c.memberCode && (!i.subsystemCode || i.subsystemCode === c.subsystemCode),
    );

  function register(spec: KovSpec): { memberClass: string; subsystems: string[] } {
    const memberClass = spec.memberClass ?? 'GOV';
    const subsystems = spec.subsystems ?? ['DHX'];
    members.set(spec.memberCode, { memberClass, memberCode: spec.memberCode, name: spec.name, subsystems: [...subsystems, ...(spec.otherSubsystems ?? [])] });
    return { memberClass, subsystems };
  }

  function addFakeKov(spec: KovSpec, representees?: RepresenteeOut[]): FakeKov {
    const { memberClass, subsystems } = register(spec);
    const kov = makeFakeKov(
      { memberClass, memberCode: spec.memberCode, name: spec.name, subsystems, ...(representees ? { representees } : {}) },
      { store, ...(opts.schema ? { schema: opts.schema } : {}), isIntermediary },
    );
    kovs.set(spec.memberCode, kov);
    for (const s of subsystems) providers.set(providerKey(memberClass, spec.memberCode, s), { kind: 'kov', kov });
    return kov;
  }

  function takeFault(memberCode: string): SimFault | undefined {
    const f = faults.get(memberCode);
    if (!f) return undefined;
    if (--f.left <= 0) faults.delete(memberCode);
    return f.fault;
  }

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function forward(
    url: string,
    envelope: Buffer,
    attachments: Map<string, StoredTemp>,
    res: ServerResponse,
    maxResponseBytes?: number,
  ): Promise<string> {
    const parts = [...attachments.entries()].map(([contentId, a]) => ({
      contentId,
      source: a.path ? fs.createReadStream(a.path, { highWaterMark: 256 * 1024 }) : Readable.from([a.bytes ?? Buffer.alloc(0)]),
    }));
    const { contentType, body } = attachments.size > 0 ? swaRequestBody(envelope, parts) : { contentType: XML, body: envelope };
    const r = await postSoap(url, {
      contentType,
      body,
      timeoutMs: opts.forwardTimeoutMs ?? 60_000,
      ...(maxResponseBytes ? { maxResponseBytes } : {}),
      ...(opts.forwardAgent ? { agent: opts.forwardAgent } : {}),
    });
    if (r.kind === 'answered') {
      send(res, r.status, r.body, r.contentType || XML);
      return `forwarded:${r.status}`;
    }
    if (r.sent) {
      res.socket?.destroy(); // the provider may have it: the client must not be told it failed
      return 'dropped';
    }
    send(res, 500, soapFault('Server', `Server.ClientProxy.NetworkError: ${r.message}`));
    return 'down';
  }

  async function consumerProxy(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let attachments = new Map<string, StoredTemp>();
    let header: XRoadHeader | undefined;
    try {
      let envelope: Buffer;
      try {
        const parsed = await readSoapRequest(req, req.headers, store, {
          maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
          maxAttachmentBytes: opts.maxAttachmentBytes ?? 1024 ** 3,
        });
        envelope = parsed.envelope;
        attachments = parsed.attachments;
        const root = readXml(envelope);
        header = parseXRoadHeader(child(root, NS.soapEnv, 'Header'));
      } catch (err) {
        req.resume();
        const tooBig = err instanceof SizeLimitError;
        send(res, 500, soapFault(tooBig ? 'Server' : 'Client', `Client.InvalidRequest: ${(err as Error).message}`));
        return;
      }
      const service = header.service;
      const call: SimCall = {
        at: new Date(),
        client: clientKey(header.client),
        service: `${service.xRoadInstance}/${service.memberClass}/${service.memberCode}/${service.subsystemCode ?? ''}`,
        operation: service.serviceCode,
        ...(header.representedParty ? { representedParty: header.representedParty.partyCode } : {}),
        outcome: '',
      };
      calls.push(call);
      const provider = service.xRoadInstance === instance ? providers.get(providerKey(service.memberClass, service.memberCode, service.subsystemCode)) : undefined;
      const fault = takeFault(service.memberCode);
      log.debug({ client: call.client, service: call.service, op: call.operation, fault: fault?.kind }, 'sim request');
      if (!provider) {
        call.outcome = 'unknownService';
        send(res, 500, soapFault('Server', `Server.ClientProxy.UnknownService: no provider for ${call.service}/${service.serviceCode}`, header));
        return;
      }
      switch (fault?.kind) {
        case 'down':
          call.outcome = 'down';
          send(res, 500, soapFault('Server', `Server.ClientProxy.NetworkError: could not connect to ${call.service}`, header));
          return;
        case 'http500':
          call.outcome = 'http500';
          send(res, 500, 'Internal Server Error', 'text/plain');
          return;
        case 'soapFault':
          call.outcome = 'soapFault';
          send(res, 500, soapFault('Server', fault.message ?? 'Server.ServiceFailed: the document system failed', header));
          return;
        case 'dhxFault':
          call.outcome = fault.faultCode;
          send(res, 200, faultResponse(header, { faultCode: fault.faultCode, faultString: fault.faultString ?? `simulated ${fault.faultCode}` }));
          return;
        case 'slow':
        case 'dropResponse':
        case undefined:
          break;
        default:
          fault satisfies never;
      }
      let answer: () => void;
      if (provider.kind === 'adapter') {
        if (fault?.kind === 'slow') await wait(fault.delayMs);
        call.outcome = await forward(provider.url, envelope, attachments, res, provider.maxResponseBytes);
        return;
      }
      let request;
      try {
        request = parseDhxRequest(envelope);
      } catch (err) {
        call.outcome = 'soapFault';
        send(res, 500, soapFault(err instanceof SoapFaultError ? err.faultCode : 'Client', (err as Error).message, header));
        return;
      }
      if (request.kind === 'representationList') {
        const list = provider.kov.representees;
        call.outcome = `representees:${list.length}`;
        answer = () => send(res, 200, representationListResponse(request.header, list));
      } else {
        const outcome = await provider.kov.receive(request, attachments);
        call.outcome = outcome.kind === 'accepted' ? 'receipt' : outcome.fault.faultCode;
        answer = () =>
          send(res, 200, outcome.kind === 'accepted' ? receiptResponse(request.header, outcome.document.receiptId) : faultResponse(request.header, outcome.fault));
      }
      if (fault?.kind === 'slow') await wait(fault.delayMs);
      if (fault?.kind === 'dropResponse') {
        call.outcome = `dropped:${call.outcome}`;
        res.socket?.destroy();
        return;
      }
      answer();
    } finally {
      for (const a of attachments.values()) await store.discard(a).catch(() => undefined);
    }
  }

  const server = createListener(opts.tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/verificationconf') {
      if (confDown) return send(res, 500, 'global configuration unavailable', 'text/plain');
      return send(res, 200, buildVerificationConfZip(sim.globalConf()), 'application/zip');
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/consumer_proxy') {
      consumerProxy(req, res).catch((err: unknown) => {
        log.error({ err }, 'simulator failed on a request');
        send(res, 500, soapFault('Server', `simulator error: ${(err as Error).message}`));
      });
      return;
    }
    req.resume();
    send(res, 404, 'not found', 'text/plain');
  }, log);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const sim: XRoadSim = {
    instance,
    get url() {
      if (!baseUrl) throw new Error('the simulator is not started');
      return baseUrl;
    },
    calls,
    async start(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const a = server.address() as AddressInfo;
      baseUrl = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${a.port}`;
      return baseUrl;
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        await closed;
      }
      await fakeAdit?.close().catch(() => undefined);
      fakeAdit = undefined;
      fs.rmSync(tmpRoot, { recursive: true, force: true });
    },
    addKov: (spec) => addFakeKov(spec),
    addIntermediary(spec) {
      const kov = addFakeKov(spec, spec.representees);
      intermediaries.push({
        objectType: 'SUBSYSTEM',
        xRoadInstance: instance,
        memberClass: kov.memberClass,
        memberCode: kov.memberCode,
        subsystemCode: kov.subsystems[0]!,
      });
      return kov;
    },
    addAdapter(spec) {
      const { memberClass, subsystems } = register(spec);
      for (const s of subsystems) providers.set(providerKey(memberClass, spec.memberCode, s), { kind: 'adapter', url: spec.url });
      if (spec.intermediary) {
        intermediaries.push({ objectType: 'SUBSYSTEM', xRoadInstance: instance, memberClass, memberCode: spec.memberCode, subsystemCode: subsystems[0]! });
      }
    },
    async addAdit(spec = {}) {
      if (fakeAdit) throw new Error('the fake ADIT is already started');
      const memberCode = spec.memberCode ?? '70006317';
      const subsystem = spec.subsystem ?? 'adit';
      fakeAdit = await startFakeAdit();
      members.set(memberCode, { memberClass: 'GOV', memberCode, name: spec.name ?? 'Riigi Infosüsteemi Amet (ADIT)', subsystems: [subsystem] });
      // ADIT's answers carry whole documents: bounded as an attachment is, not as a DHX answer.
      providers.set(providerKey('GOV', memberCode, subsystem), { kind: 'adapter', url: `${fakeAdit.url}/adit`, maxResponseBytes: opts.maxAttachmentBytes ?? 1024 ** 3 });
      return fakeAdit;
    },
    adit: () => fakeAdit,
    addMember(member) {
      members.set(member.memberCode, member);
    },
    removeMember(memberCode) {
      const m = members.get(memberCode);
      members.delete(memberCode);
      kovs.delete(memberCode);
      if (m) for (const s of m.subsystems) providers.delete(providerKey(m.memberClass, memberCode, s));
      for (let i = intermediaries.length - 1; i >= 0; i--) if (intermediaries[i]!.memberCode === memberCode) intermediaries.splice(i, 1);
    },
    kov: (code) => kovs.get(code),
    setFault(memberCode, fault, o = {}) {
      if (!fault) faults.delete(memberCode);
      else faults.set(memberCode, { fault, left: o.times ?? Number.POSITIVE_INFINITY });
    },
    setGlobalConfDown(down) {
      confDown = down;
    },
    globalConf() {
      return {
        instance,
        members: [...members.values()],
        groups: [{ code: DHX_INTERMEDIARY_GROUP, description: 'DHX vahendajate globaalne grupp', members: [...intermediaries] }],
      };
    },
  };
  return sim;
}
