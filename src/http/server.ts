import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { SizeLimitError, type StoredTemp } from '../blob/store';
import type { Config } from '../config';
import { pingDatabase } from '../db/health';
import { receiveSendDocument, type ReceiveDeps } from '../dhx/receive';
import { DEFAULT_LIMITS, type CapsuleLimits } from '../capsule/content';
import { makeReceiptCommitter } from '../dhx/committer';
import { listRepresentees } from '../addressbook/representees';
import {
  DhxFaultCode,
  SoapFaultError,
  faultResponse,
  parseDhxRequest,
  receiptResponse,
  representationListResponse,
  soapFault,
  type DhxRequest,
} from '../xroad/dhx-soap';
import { readSoapRequest, SoapRequestError } from '../xroad/swa';
import type { Registry } from 'prom-client';
import { makeMetrics, type CaseCountsSource } from './metrics';
import { createListener } from './tls';
import { bearerAllowed, handleOpinionRequest } from './opinions';
import { BodyError, BodyFailure, bodyFailureStatus } from '../mime/body';
import { applyServerSettings, makeUploadGate, requestTarget, send, sendAndClose, XML } from './edge';
import { makeHealthCheck } from './health';
import { makeAdminHandler } from './admin';
import type { AdminQueues } from './admin/actions';

/**
 * The adapter's HTTP side: the X-Road provider endpoint `POST /dhx` (called by our security server),
 * `GET /dhx?wsdl`, `GET /health`. Plain node:http: the DHX body must reach the multipart parser as a raw
 * stream, never buffered by a framework.
 */

export interface HttpDeps extends Omit<ReceiveDeps, 'committer' | 'limits'> {
  limits: Partial<CapsuleLimits>;
  config: Config;
  log: Logger;
  /** Hands a receipted capsule to intake; failures are logged, the reconciler retries (the row is the record). */
  enqueue: (capsuleId: string) => Promise<void>;
  /** Resolves when Redis answers. */
  pingRedis: () => Promise<void>;
  /** Resolves when PostgreSQL answers, on a connection of its own (without it /health asks `pool`, at most once a second). */
  pingPostgres?: () => Promise<void>;
  /** Case and triage counts for the /metrics gauges (read at scrape time). */
  caseCounts?: CaseCountsSource;
  /** The /metrics registry (shared with the app's other counters, e.g. the DVK poller's); default a new one. */
  registry?: Registry;
  /** Queues an outgoing document for sending (POST /api/opinions); the scheduler also finds it. */
  enqueueSend?: (outboundId: string) => Promise<void>;
  /** The queues the dashboard shows and queues replays on (/admin; docs/operations.md, "Dashboard"). */
  queues?: AdminQueues;
}

const MAX_ENVELOPE_BYTES = 1024 * 1024;
const BUSY = 'too many requests at once; send again shortly';
const BUSY_DHX = { body: soapFault('Server', BUSY), type: XML };
const BUSY_API = { body: JSON.stringify({ error: BUSY }), type: 'application/json' };

function allowList(cidrs: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/');
    const type = net.isIPv6(addr!) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, Number(bits), type);
  }
  return list;
}

function clientAllowed(list: net.BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (v4) return list.check(v4, 'ipv4') || list.check(address, 'ipv6');
  return list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

function packageFile(...parts: string[]): string {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return path.join(d, ...parts);
  }
  throw new Error('package root not found');
}

export function makeHttpServer(deps: HttpDeps): http.Server {
  const allowed = allowList(deps.config.dhx.allowedClients);
  // The verdict per address is kept (the list is fixed for the life of the server); bounded, since
  // callers' addresses are the security servers' few.
  const verdicts = new Map<string, boolean>();
  const allowedAddress = (address: string | undefined): boolean => {
    if (!address) return false;
    let v = verdicts.get(address);
    if (v === undefined) {
      v = clientAllowed(allowed, address);
      if (verdicts.size >= 1024) verdicts.clear();
      verdicts.set(address, v);
    }
    return v;
  };
  const wsdl = fs.readFileSync(packageFile('wsdl', 'dhx.wsdl'), 'utf8');
  const metrics = makeMetrics(deps.caseCounts, deps.registry);
  const receiveDeps: ReceiveDeps = { ...deps, limits: { ...DEFAULT_LIMITS, ...deps.limits }, committer: makeReceiptCommitter(deps.pool) };

  async function handleDhx(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let operation = 'unknown';
    let result = 'soap_fault';
    let faultCode = '';
    res.on('finish', () => metrics.request(operation, result, faultCode, Number(process.hrtime.bigint() - started) / 1e9));
    if (!allowedAddress(req.socket.remoteAddress)) {
      result = 'forbidden';
      sendAndClose(req, res, 403, soapFault('Client', 'this address may not call the DHX endpoint'));
      return;
    }
    let attachments = new Map<string, StoredTemp>();
    let request: DhxRequest | undefined;
    try {
      const soap = await readSoapRequest(req, req.headers, deps.store, {
        maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
        maxAttachmentBytes: deps.config.dhx.maxCapsuleBytes,
        inlineMax: deps.config.dhx.inlineBlobBytes,
        maxRequestBytes: deps.config.http.maxRequestBytes,
        idleMs: deps.config.http.idleTimeoutSeconds * 1000,
      });
      attachments = soap.attachments;
      request = parseDhxRequest(soap.envelope);
      operation = request.kind;
      if (request.kind === 'representationList') {
        result = 'list';
        send(res, 200, representationListResponse(request.header, await listRepresentees(deps.pool, { activeOnly: true })));
        return;
      }
      const outcome = await receiveSendDocument(request, attachments, receiveDeps);
      if (outcome.kind === 'rejected') {
        result = 'fault';
        faultCode = outcome.fault.faultCode;
        deps.log.info({ fault: outcome.fault.faultCode, consignmentId: request.consignmentId }, 'sendDocument rejected');
        send(res, 200, faultResponse(request.header, outcome.fault));
        return;
      }
      result = 'receipt';
      metrics.capsuleBytes(outcome.size);
      deps.log.info({ capsuleId: outcome.receiptId, consignmentId: request.consignmentId }, 'capsule received');
      send(res, 200, receiptResponse(request.header, outcome.receiptId));
      deps.enqueue(outcome.receiptId).catch((err: unknown) =>
        deps.log.warn({ capsuleId: outcome.receiptId, err }, 'enqueue failed; the reconciler will pick the capsule up'),
      );
    } catch (err) {
      const tooLarge = err instanceof SizeLimitError || (err instanceof BodyError && err.failure === BodyFailure.TooLarge);
      if (tooLarge) {
        // Stop reading at once and keep nothing (DHX.SizeLimitExceeded).
        const envelope = (err as { envelope?: Buffer }).envelope;
        let header;
        try {
          header = envelope ? parseDhxRequest(envelope).header : undefined;
        } catch {
          header = undefined;
        }
        operation = 'sendDocument';
        result = 'fault';
        faultCode = DhxFaultCode.SizeLimitExceeded;
        const what = err instanceof SizeLimitError ? 'the capsule' : 'the request';
        const fault = { faultCode: DhxFaultCode.SizeLimitExceeded, faultString: `${what} is larger than ${(err as SizeLimitError).limit} bytes` };
        // With the envelope's header read, DHX's own answer (a business fault, HTTP 200); before it, a
        // SOAP Fault can echo no header, and HTTP says what happened (413).
        if (header) sendAndClose(req, res, 200, faultResponse(header, fault));
        else sendAndClose(req, res, 413, soapFault('Client', fault.faultString));
        return;
      }
      if (err instanceof BodyError) {
        result = err.failure;
        deps.log.info({ failure: err.failure, reason: err.message }, 'sendDocument body not read');
        if (err.failure === BodyFailure.Aborted) return void req.socket.destroy();
        sendAndClose(req, res, bodyFailureStatus(err.failure), soapFault('Client', err.message));
        return;
      }
      // A body left unread (a fault found mid-stream) is not drained: the connection closes instead.
      const answer = (status: number, body: string): void => (req.complete ? send(res, status, body) : sendAndClose(req, res, status, body));
      if (err instanceof SoapFaultError || err instanceof SoapRequestError) {
        answer(500, soapFault(err instanceof SoapFaultError ? err.faultCode : 'Client', err.message));
        return;
      }
      deps.log.error({ err }, 'sendDocument failed');
      answer(500, soapFault('Server', 'the document could not be stored; nothing was receipted, send again'));
    } finally {
      for (const a of attachments.values()) await deps.store.discard(a);
    }
  }

  const health = makeHealthCheck({
    pingPostgres: deps.pingPostgres ?? (() => pingDatabase(deps.pool)),
    pingRedis: deps.pingRedis,
    log: deps.log,
  });
  async function handleHealth(res: ServerResponse): Promise<void> {
    const { failed } = await health.check();
    const body = JSON.stringify(failed.length ? { status: 'unavailable', failed } : { status: 'ok' });
    send(res, failed.length ? 503 : 200, body, 'application/json', { 'cache-control': 'no-store' });
  }

  async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Counts and timings say who sends what and when: for the scraper holding ADMIN_TOKEN only.
    if (!bearerAllowed(deps.config, req.headers.authorization)) {
      return send(res, 401, JSON.stringify({ error: 'a Bearer token (ADMIN_TOKEN) is required' }), 'application/json', { 'www-authenticate': 'Bearer' });
    }
    send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
  }

  const admin = makeAdminHandler(deps);

  const uploads = makeUploadGate(deps.config.http.maxConcurrentUploads);
  let refused = 0;
  let lastRefusalLog = 0;
  /**
   * A request with a body to read (POST /dhx, POST /api/opinions) runs only while fewer than the limit do;
   * past it the refusal is in the endpoint's own language (a SOAP Fault for DHX, JSON for the API).
   */
  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    refusal: { body: string; type: string },
  ): Promise<void> {
    if (!uploads.tryEnter()) {
      refused++;
      // At most one line a second: a flood of refusals must not become a flood of logs.
      if (Date.now() - lastRefusalLog >= 1000) {
        deps.log.warn({ limit: deps.config.http.maxConcurrentUploads, refused }, 'too many uploads at once; requests refused');
        lastRefusalLog = Date.now();
        refused = 0;
      }
      sendAndClose(req, res, 503, refusal.body, refusal.type, { 'retry-after': '5' });
      return;
    }
    try {
      await handle(req, res);
    } finally {
      uploads.leave();
    }
  }

  function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestTarget(req.url);
    if (!url) {
      sendAndClose(req, res, 400, JSON.stringify({ error: 'malformed request target' }), 'application/json');
      return Promise.resolve();
    }
    if (url.pathname === '/dhx' && req.method === 'POST') return upload(req, res, handleDhx, BUSY_DHX);
    if (url.pathname === '/dhx' && req.method === 'GET' && url.searchParams.has('wsdl')) return Promise.resolve(send(res, 200, wsdl));
    if (url.pathname === '/health' && req.method === 'GET') return handleHealth(res);
    if (url.pathname === '/api/opinions' && req.method === 'POST') return upload(req, res, (q, r) => handleOpinionRequest(q, r, deps), BUSY_API);
    if (url.pathname === '/metrics' && req.method === 'GET') return handleMetrics(req, res);
    if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) return admin(req, res, url.pathname, url.searchParams);
    return Promise.resolve(send(res, 404, JSON.stringify({ error: 'not found' }), 'application/json'));
  }

  function failed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    deps.log.error({ err }, 'request failed');
    // With the answer begun, sendAndClose only cuts the connection.
    sendAndClose(req, res, 500, soapFault('Server', 'internal error'));
  }

  /** The request handler (also for an HTTPS listener): whatever a request holds, it gets an answer, never a throw. */
  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    try {
      route(req, res).catch((err: unknown) => failed(req, res, err));
    } catch (err) {
      failed(req, res, err);
    }
  }

  const server = createListener(deps.config.tls, handleRequest, deps.log);
  applyServerSettings(server, deps.config.http, deps.log);
  return server;
}
