import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { markConnectionLevel } from '../../src/db/failure';
import type { Pool } from '../../src/db/pool';
import type { DhxClientOptions } from '../../src/xroad/dhx-client';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { DhxError, FailureCode, failureKind } from '../../src/errors';
import { sendDepsOf } from '../../src/outbound/runtime';
import { attemptSend, type AttemptResult, type SendDeps } from '../../src/outbound/send';
import type { SimFault } from '../../src/sim/server';
import { makeTestPki, type TestPki } from '../helpers/tls';
import { KOV, startSendHarness, UNKNOWN, type SendHarness } from './harness';

/**
 * Every way a send attempt can fail, through attemptSend against a real database: the FailureCode it
 * records, and that the row lands where the code's set in src/errors.ts says (RETRYABLE → `retrying` with a
 * next attempt; AMBIGUOUS → `ambiguous`, an operator decides in the end; PERMANENT → `failed`, no next
 * attempt). Outbound holds no verdict of its own.
 */

let h: SendHarness;
let deps: SendDeps;
let pki: TestPki;
const servers: Array<http.Server | https.Server> = [];

beforeAll(async () => {
  h = await startSendHarness();
  deps = sendDepsOf(h.config, { pool: h.db.pool, store: h.store, log: h.log });
  pki = makeTestPki();
});
afterAll(async () => {
  for (const s of servers) await new Promise((res) => s.close(res));
  await h.close();
  pki.remove();
});
afterEach(() => h.sim.setFault(KOV, undefined));

/** A stand-in security server answering every request with `status` and a body that is not SOAP. */
async function plainServer(status: number, body: string): Promise<string> {
  const s = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  servers.push(s);
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** An HTTPS security server whose certificate we do not trust. */
async function untrustedServer(): Promise<string> {
  const s = https.createServer({ cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey) }, (req, res) => {
    req.resume();
    res.end();
  });
  servers.push(s);
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const through = (securityServer: string, timeoutMs = deps.dhx.timeoutMs): DhxClientOptions => ({ securityServer, client: deps.dhx.client, timeoutMs });

/** A pool whose `n`-th query (1-based) fails with `err`: the first is the claim, the second the route lookup. */
function failingQuery(n: number, err: unknown): Pool {
  let count = 0;
  return new Proxy(h.db.pool, {
    get(target, prop, recv) {
      if (prop === 'query') {
        return (...args: unknown[]) => {
          if (++count === n) return Promise.reject(err);
          return (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      }
      return Reflect.get(target, prop, recv) as unknown;
    },
  });
}

interface Landing {
  result: AttemptResult;
  row: { state: string; failure_code: string | null; next_attempt_at: Date | null; may_have_arrived: boolean; attempts: number };
}

async function attempt(o: { recipient?: string; dhx?: DhxClientOptions; pool?: Pool; fault?: SimFault; before?: (id: string) => Promise<void> } = {}): Promise<Landing> {
  const id = await h.queueDocument(o.recipient ?? KOV, { enqueue: false });
  if (o.fault) h.sim.setFault(KOV, o.fault, { times: 1 });
  await o.before?.(id);
  const result = await attemptSend({ ...deps, ...(o.dhx ? { dhx: o.dhx } : {}), ...(o.pool ? { pool: o.pool } : {}) }, id);
  const row = (
    await h.db.pool.query<Landing['row']>('SELECT state, failure_code, next_attempt_at, may_have_arrived, attempts FROM outbound_documents WHERE id = $1', [id])
  ).rows[0]!;
  return { result, row };
}

/** Where the sets say a first attempt failing with `code` lands (DHX_SEND_RETRY_SCHEDULE 1,1: there is a next time). */
function expectLanding(l: Landing, code: FailureCode, mayHaveArrived = false): void {
  expect({ code: l.row.failure_code, attempts: l.row.attempts }).toEqual({ code, attempts: 1 });
  switch (failureKind(code)) {
    case 'retryable':
      expect(l.result).toMatchObject({ kind: 'retrying', code, delayMs: 1000 });
      expect(l.row.state).toBe('retrying');
      expect(l.row.next_attempt_at).toBeInstanceOf(Date);
      break;
    case 'ambiguous':
      expect(l.result).toMatchObject({ kind: 'ambiguous', code });
      expect(l.row.state).toBe('ambiguous');
      expect(l.row.next_attempt_at).toBeInstanceOf(Date); // resent with the same consignmentId, then an operator decides
      break;
    case 'permanent':
      expect(l.result).toMatchObject({ kind: 'failed', code });
      expect(l.row.state).toBe('failed');
      expect(l.row.next_attempt_at).toBeNull();
      break;
  }
  expect(l.row.may_have_arrived).toBe(mayHaveArrived);
}

describe('each outcome path lands where the FailureCode sets say', () => {
  test('connection refused by our security server: NETWORK_ERROR, retried', async () => {
    expectLanding(await attempt({ dhx: through('http://127.0.0.1:9') }), FailureCode.NETWORK_ERROR);
  });

  test('HTTP 5xx without SOAP: REMOTE_HTTP_ERROR, retried', async () => {
    expectLanding(await attempt({ fault: { kind: 'http500' } }), FailureCode.REMOTE_HTTP_ERROR);
  });

  test('HTTP 4xx without SOAP: REMOTE_HTTP_ERROR, retried', async () => {
    expectLanding(await attempt({ dhx: through(await plainServer(400, 'bad request')) }), FailureCode.REMOTE_HTTP_ERROR);
  });

  test('SOAP Fault, from the security server (provider down) or the provider: REMOTE_SOAP_FAULT, retried', async () => {
    expectLanding(await attempt({ fault: { kind: 'down' } }), FailureCode.REMOTE_SOAP_FAULT);
    expectLanding(await attempt({ fault: { kind: 'soapFault', message: 'hooldus' } }), FailureCode.REMOTE_SOAP_FAULT);
  });

  test('no answer in time after the request was sent, or the answer dropped: RESPONSE_LOST, ambiguous, may have arrived', async () => {
    expectLanding(await attempt({ fault: { kind: 'slow', delayMs: 1000 }, dhx: through(h.sim.url, 300) }), FailureCode.RESPONSE_LOST, true);
    expectLanding(await attempt({ fault: { kind: 'dropResponse' } }), FailureCode.RESPONSE_LOST, true);
  });

  test('HTTP 2xx that is not a DHX answer: RESPONSE_LOST, ambiguous', async () => {
    expectLanding(await attempt({ dhx: through(await plainServer(200, 'ok')) }), FailureCode.RESPONSE_LOST, true);
  });

  test.each([
    [DhxFaultCode.UnsupportedVersion, FailureCode.DHX_UNSUPPORTED_VERSION],
    [DhxFaultCode.Duplicate, FailureCode.DHX_DUPLICATE],
    [DhxFaultCode.Validation, FailureCode.DHX_VALIDATION],
    [DhxFaultCode.InvalidAddressee, FailureCode.DHX_INVALID_ADDRESSEE],
    [DhxFaultCode.SizeLimitExceeded, FailureCode.DHX_SIZE_LIMIT_EXCEEDED],
    [DhxFaultCode.SenderDoesNotMatch, FailureCode.DHX_SENDER_DOES_NOT_MATCH],
    ['DHX.Hooldus' as DhxFaultCode, FailureCode.DHX_OTHER_FAULT],
  ])("the receiver's business fault %s on a first attempt: %s, final", async (faultCode, code) => {
    expectLanding(await attempt({ fault: { kind: 'dhxFault', faultCode } }), code);
  });

  test('the TLS handshake with our security server fails: TLS_HANDSHAKE_FAILED, final', async () => {
    expectLanding(await attempt({ dhx: through(await untrustedServer()) }), FailureCode.TLS_HANDSHAKE_FAILED);
  });

  test('no DHX route to the addressee: NO_DHX_CAPABILITY, final', async () => {
    expectLanding(await attempt({ recipient: UNKNOWN }), FailureCode.NO_DHX_CAPABILITY);
  });

  test('the capsule cannot be read (its blob is missing): INTERNAL, ambiguous, and nothing can have arrived', async () => {
    const l = await attempt({
      before: async (id) => {
        const { blob_sha256: sha } = (await h.db.pool.query<{ blob_sha256: string }>('SELECT blob_sha256 FROM outbound_documents WHERE id = $1', [id])).rows[0]!;
        await h.db.pool.query('UPDATE blobs SET content = NULL WHERE sha256 = $1', [sha]);
        fs.rmSync(h.store.pathOf(sha), { force: true });
      },
    });
    expectLanding(l, FailureCode.INTERNAL);
  });

  test('PostgreSQL lost during the route lookup (a connection-level error, no code): DB_UNAVAILABLE, retried', async () => {
    const lost = markConnectionLevel(new Error('Connection terminated unexpectedly'));
    expectLanding(await attempt({ pool: failingQuery(2, lost) }), FailureCode.DB_UNAVAILABLE);
    expectLanding(await attempt({ pool: failingQuery(2, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) }), FailureCode.DB_UNAVAILABLE);
  });

  test('an unknown error during the route lookup, even one reading like a lost connection: INTERNAL, ambiguous', async () => {
    expectLanding(await attempt({ pool: failingQuery(2, new Error('Connection terminated unexpectedly')) }), FailureCode.INTERNAL);
  });

  test.each(Object.values(FailureCode))('a %s thrown on the send path lands as its set says', async (code) => {
    // RESPONSE_LOST says by itself that the request left: it may have arrived.
    expectLanding(await attempt({ pool: failingQuery(2, new DhxError(code, `simulated ${code}`)) }), code, code === FailureCode.RESPONSE_LOST);
  });
});
