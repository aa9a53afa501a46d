import fs from 'node:fs';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { refreshAddressBook } from '../../src/addressbook/addressbook';
import { ConfigError, loadConfig } from '../../src/config';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { openBlob } from '../../src/blob/read';
import { decodeDocuments, getSendStatusEnvelope, parseDvkRequest, parseSendStatusItems, requestDocumentsRef, sendDocumentsEnvelope, sendStatusItemsXml } from '../../src/dvk/messages';
import { dvkClientOptions } from '../../src/dvk/client';
import { followDvkSends } from '../../src/outbound/dvk-follow';
import { attemptIntake } from '../../src/intake/pipeline';
import { loadRules } from '../../src/intake/rules';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { createOpinion } from '../../src/outbound/opinion';
import { resendOutbound } from '../../src/outbound/operator';
import { enqueueSend } from '../../src/outbound/queue';
import { scanOutbound } from '../../src/outbound/scheduler';
import { startFakeDvk, type FakeDvk } from '../../src/sim/dvk';
import { requestHeader } from '../../src/xroad/dhx-request';
import { dhx } from '../cli/run';
import { describeSpec, specPath } from '../conformance/spec';
import { track } from '../helpers/resources';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { SKA } from '../sim/helpers';
import { KOV, startSendHarness, type SendHarness } from '../outbound/harness';
import { personalCode } from '../fixtures-gen/personal-code';

/** A contact person's code in DVK's reason: fictional. */
const CONTACT_CODE = personalCode('M', '1988-06-19', 29);

/**
 * Sending through DVK (OUTBOUND_TRANSPORT=dvk, docs/dvk.md "Sending"): an opinion goes to the fake DVK by
 * sendDocuments v4, waits `sending` with DVK's dhl_id, and the follow-up (getSendStatus v2 every
 * DVK_POLL_SECONDS) records `saadetud` as sent (case answered) and `katkestatud` as failed with DVK's reason;
 * a SOAP Fault or a timeout on sendDocuments follows DHX_SEND_RETRY_SCHEDULE like a DHX send.
 */

const TARTU = KOVS[0]!;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let dvk: FakeDvk;
let h: SendHarness;
let deps: IntakeDeps;
let closed = false;

beforeAll(async () => {
  dvk = track('fake dvk', await startFakeDvk({ faults: { slowMs: 2500 } }), () => closed);
  h = await startSendHarness({ OUTBOUND_TRANSPORT: 'dvk', DVK_URL: dvk.url, DVK_POLL_SECONDS: '0.2', DVK_TIMEOUT_SECONDS: '1' });
  h.sim.addKov({ memberCode: TARTU.code, name: TARTU.name });
  await refreshAddressBook(h.db.pool, { globalConf: `${h.sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: h.sim.url, client: SKA, timeoutMs: 5000 } });
  deps = {
    pool: h.db.pool,
    store: h.store,
    rules: loadRules(),
    intake: h.config.intake,
    memberCode: h.config.xroad.memberCode,
    limits: h.config.capsule,
    schema: await loadCapsuleSchema(),
    log,
  };
  await h.startRuntime();
});
afterAll(async () => {
  await h.close();
  await dvk.close();
  closed = true;
});

/** A KLAT request from Tartu taken through intake, and SKA's opinion on its case, queued. */
async function newOpinion(n: number): Promise<{ id: string; caseId: string }> {
  const capsule = await kovCapsule({ title: `KLAT arvamuse taotlus ${n}`, originalIdentifier: `7-1/2026-08${n}` });
  const requestId = await insertInbound(h.db.pool, capsule, TARTU.code);
  expect(await attemptIntake(deps, requestId, log)).toMatchObject({ kind: 'finished', state: 'done' });
  const k = await h.db.pool.query<{ id: string }>('SELECT id FROM cases WHERE opened_by = $1', [requestId]);
  const caseId = k.rows[0]!.id;
  const created = await createOpinion(
    {
      pool: h.db.pool,
      store: h.store,
      org: { code: h.config.xroad.memberCode, name: h.config.intake.orgName, unit: h.config.intake.orgUnit },
      log,
      enqueue: (id) => enqueueSend(h.queue, id),
    },
    { caseRef: caseId, verdict: 'toetav', files: [{ name: 'arvamus.pdf', content: Buffer.from('%PDF-1.4\n% arvamus\n') }] },
  );
  return { id: created.id, caseId };
}

async function dvkRow(id: string): Promise<{ state: string; dhl_id: string | null; attempts: number; failure_code: string | null; fault_code: string | null; fault_message: string | null; route: string | null }> {
  const r = await h.db.pool.query('SELECT state, dhl_id, attempts, failure_code, fault_code, fault_message, route FROM outbound_documents WHERE id = $1', [id]);
  return r.rows[0];
}

/** Waits for the row to be handed to DVK: `sending` with a dhl_id. */
async function waitHanded(id: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await dvkRow(id);
    if (row.state === 'sending' && row.dhl_id) return row.dhl_id;
    if (Date.now() > until) throw new Error(`outbound ${id} is ${row.state} without a dhl_id after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function blobOf(id: string): Promise<Buffer> {
  const r = await h.db.pool.query<{ blob_sha256: string }>('SELECT blob_sha256 FROM outbound_documents WHERE id = $1', [id]);
  const chunks: Buffer[] = [];
  for await (const c of await openBlob(h.db.pool, h.store, r.rows[0]!.blob_sha256)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('an opinion sent through DVK', () => {
  test('goes by sendDocuments v4 (the capsule arrives whole), waits `sending` with the dhl_id while DVK says ootel, then saadetud → sent and the case answered', async () => {
    const { id, caseId } = await newOpinion(1);
    const dhlId = await waitHanded(id);
    const doc = dvk.sent().find((d) => d.dhlId === dhlId)!;
    expect(doc.capsule.equals(await blobOf(id))).toBe(true);
    expect(doc.capsule.toString('utf8')).toContain('Arvamus: KLAT arvamuse taotlus 1');
    expect(dvk.requests().find((r) => r.operation === 'sendDocuments')?.header?.service).toMatchObject({ serviceCode: 'sendDocuments', serviceVersion: 'v4' });
    // Nothing went through DHX.
    expect(h.sim.kov(TARTU.code)!.accepted).toHaveLength(0);

    dvk.setSendStatus(dhlId, 'ootel');
    const asked = dvk.statusAsked().length;
    for (const until = Date.now() + 5000; dvk.statusAsked().length < asked + 2 && Date.now() < until; ) await new Promise((res) => setTimeout(res, 25));
    expect(dvk.statusAsked().slice(asked).flat()).toContain(dhlId);
    expect(await dvkRow(id)).toMatchObject({ state: 'sending', dhl_id: dhlId, attempts: 1, route: 'dvk' });
    const k0 = await h.db.pool.query<{ deadline_status: string }>('SELECT deadline_status FROM cases WHERE id = $1', [caseId]);
    expect(k0.rows[0]!.deadline_status).not.toBe('answered');

    dvk.setSendStatus(dhlId, 'saadetud');
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const k = await h.db.pool.query<{ deadline_status: string; answered_at: Date | null }>('SELECT deadline_status, answered_at FROM cases WHERE id = $1', [caseId]);
    expect(k.rows[0]).toMatchObject({ deadline_status: 'answered', answered_at: expect.any(Date) });
    const history = await h.history(id);
    expect(history.map((x) => x.state)).toEqual(['queued', 'sending', 'sending', 'sent']);
    expect(history[2]!.detail).toMatchObject({ dhlId, attempt: 1 });
    const shown = await dhx(['show', id, '--json'], { DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, LOG_LEVEL: 'silent' });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id, state: 'sent', dhlId, route: 'dvk', attempts: 1 });
  });

  test('katkestatud → failed (DVK_ABORTED), DVK’s reason kept as the fault message with personal codes masked; the case stays unanswered', async () => {
    const { id, caseId } = await newOpinion(2);
    const dhlId = await waitHanded(id);
    dvk.setSendStatus(dhlId, 'katkestatud', `Adressaat ei ole DVK kasutaja (kontaktisik ${CONTACT_CODE})`);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row.state).toBe('failed');
    const r = await dvkRow(id);
    expect(r).toMatchObject({ failure_code: 'DVK_ABORTED', fault_code: 'DVK.katkestatud', dhl_id: dhlId });
    expect(r.fault_message).toContain('DVK aborted the delivery (katkestatud): Adressaat ei ole DVK kasutaja');
    expect(r.fault_message).toContain('vastuvotja_staatus_id 5 Tagasi lükatud');
    expect(r.fault_message).not.toContain(CONTACT_CODE);
    const k = await h.db.pool.query<{ deadline_status: string }>('SELECT deadline_status FROM cases WHERE id = $1', [caseId]);
    expect(k.rows[0]!.deadline_status).not.toBe('answered');
  });

  test('an aborted one resent by the operator (dhx outbound resend) goes to DVK again with a new dhl_id; the old one is not asked about any more', async () => {
    const id = await h.queueDocument(KOV);
    const first = await waitHanded(id);
    dvk.setSendStatus(first, 'katkestatud', 'Adressaat ei ole DVK kasutaja');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('failed');
    expect(await resendOutbound(h.db.pool, id, 'test', h.queue)).toMatchObject({ kind: 'ok', state: 'queued' });
    const second = await waitHanded(id);
    expect(second).not.toBe(first);
    const asked = dvk.statusAsked().length;
    dvk.setSendStatus(second, 'saadetud');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
    expect(dvk.statusAsked().slice(asked).flat()).not.toContain(first);
  });

  test('a row waiting on DVK is not a stopped send: the send scheduler leaves it `sending` however old', async () => {
    const id = await h.queueDocument(KOV);
    const dhlId = await waitHanded(id);
    await h.db.pool.query(`UPDATE outbound_documents SET updated_at = now() - interval '1 day' WHERE id = $1`, [id]);
    const scan = await scanOutbound({ pool: h.db.pool, queue: h.queue, schedule: [1, 1], sendTimeoutSeconds: 1, stuckAfterSeconds: 1, log: h.log });
    expect(scan.stuck).toBe(0);
    expect(await dvkRow(id)).toMatchObject({ state: 'sending', dhl_id: dhlId });
    dvk.setSendStatus(dhlId, 'saadetud');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
  });
});

describe('sendDocuments failures follow DHX_SEND_RETRY_SCHEDULE (1,1 here)', () => {
  afterEach(() => dvk.setFaults({ slowMs: 2500 }));

  test('a SOAP Fault is REMOTE_SOAP_FAULT: retrying, and past the schedule failed after 3 attempts; DVK got nothing', async () => {
    dvk.setFaults({ send: 'soapFault' });
    const before = dvk.sent().length;
    const id = await h.queueDocument(KOV);
    const retrying = await h.waitFor(id, ['retrying', 'failed']);
    expect(retrying).toMatchObject({ state: 'retrying', failure_code: 'REMOTE_SOAP_FAULT', attempts: 1 });
    const failed = await h.waitFor(id, ['failed'], 20_000);
    expect(failed).toMatchObject({ state: 'failed', failure_code: 'REMOTE_SOAP_FAULT', attempts: 3 });
    expect(dvk.sent().length).toBe(before);
    expect((await dvkRow(id)).dhl_id).toBeNull();
  });

  test('a SOAP Fault once, then DVK answers: handed over on the second attempt', async () => {
    dvk.setFaults({ send: 'soapFault' });
    const id = await h.queueDocument(KOV);
    await h.waitFor(id, ['retrying']);
    dvk.setFaults({});
    const dhlId = await waitHanded(id);
    expect(await dvkRow(id)).toMatchObject({ state: 'sending', attempts: 2, dhl_id: dhlId, failure_code: null });
    dvk.setSendStatus(dhlId, 'saadetud');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
  });

  test('no answer within DVK_TIMEOUT_SECONDS is RESPONSE_LOST: ambiguous, resent on the schedule, then handed over', async () => {
    dvk.setFaults({ send: 'slow', slowMs: 2500 });
    const id = await h.queueDocument(KOV);
    const amb = await h.waitFor(id, ['ambiguous', 'failed', 'sent']);
    expect(amb).toMatchObject({ state: 'ambiguous', failure_code: 'RESPONSE_LOST', attempts: 1 });
    dvk.setFaults({});
    const dhlId = await waitHanded(id);
    expect((await dvkRow(id)).attempts).toBeGreaterThanOrEqual(2);
    dvk.setSendStatus(dhlId, 'saadetud');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
  });

  test('getSendStatus failing (SOAP Fault) changes nothing: the row waits and is followed again', async () => {
    const id = await h.queueDocument(KOV);
    const dhlId = await waitHanded(id);
    dvk.setFaults({ status: 'soapFault' });
    dvk.setSendStatus(dhlId, 'saadetud');
    await new Promise((res) => setTimeout(res, 600));
    expect(await dvkRow(id)).toMatchObject({ state: 'sending', dhl_id: dhlId });
    dvk.setFaults({});
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
  });
});

describe('the follow-up counts what getSendStatus said (dhx_dvk_send_status_total)', () => {
  test('a document DVK still holds counts as waiting; a failed getSendStatus counts as unanswered', async () => {
    const id = await h.queueDocument(KOV);
    const dhlId = await waitHanded(id);
    dvk.setSendStatus(dhlId, 'ootel');
    const counted: Record<string, number> = {};
    const counters = { sendStatus: (outcome: string, n: number) => void (counted[outcome] = (counted[outcome] ?? 0) + n) };
    const follow = { pool: h.db.pool, store: h.store, dvk: dvkClientOptions(h.config), schedule: [1], log, counters };
    // Rows of earlier tests may still wait beside this one: the counts follow the pass's own report.
    const first = await followDvkSends(follow);
    expect(first.waiting).toBeGreaterThanOrEqual(1);
    expect(counted).toMatchObject({ waiting: first.waiting, sent: first.sent, aborted: first.failed });
    dvk.setFaults({ status: 'soapFault' });
    const second = await followDvkSends(follow);
    expect(second.asked).toBeGreaterThanOrEqual(1);
    expect(counted.unanswered).toBe(second.asked);
    dvk.setFaults({});
    dvk.setSendStatus(dhlId, 'saadetud');
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
  });
});

describe('OUTBOUND_TRANSPORT', () => {
  test('defaults to dhx; dvk without DVK_URL is refused at start, naming both settings', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp' }).outbound.transport).toBe('dhx');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp', OUTBOUND_TRANSPORT: 'dvk' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp', OUTBOUND_TRANSPORT: 'dvk' })).toThrow(/OUTBOUND_TRANSPORT: dvk needs DVK_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp', OUTBOUND_TRANSPORT: 'smtp' })).toThrow(/OUTBOUND_TRANSPORT/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp', OUTBOUND_TRANSPORT: 'dvk', DVK_URL: 'http://127.0.0.1:1/x' }).outbound.transport).toBe('dvk');
  });
});

describeSpec('the official DVK send samples read back as what we build', () => {
  const header = requestHeader({
    client: { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX' },
    service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70006317', subsystemCode: 'dhl', serviceCode: 'sendDocuments', serviceVersion: 'v4' },
  });

  test('sendDocuments_v4.xml: operation sendDocuments, keha/dokumendid a swaRef; ours the same; its attachment (ria_adit_manus) decodes to a DecContainer', () => {
    const sample = fs.readFileSync(specPath('dvk/soapxml/sendDocuments_v4.xml'));
    expect(parseDvkRequest(sample).operation).toBe('sendDocuments');
    expect(requestDocumentsRef(sample)).toEqual({ kind: 'attachment', contentId: 'ria_adit_manus' });
    const ours = sendDocumentsEnvelope(header, 'capsule-1');
    expect(parseDvkRequest(ours).operation).toBe('sendDocuments');
    expect(requestDocumentsRef(ours)).toEqual({ kind: 'attachment', contentId: 'capsule-1' });
    const manus = decodeDocuments(fs.readFileSync(specPath('dvk/soapxml/ria_adit_manus.gz.b64.txt')), 10 * 1024 * 1024);
    expect(manus.toString('utf8')).toMatch(/<([\w.-]+:)?DecContainer[\s>]/);
  });

  test('getSendStatus_v2.xml and getSendStatus_manus: a swaRef to base64(gzip(item/dhl_id)); ours the same, and our items read back alike', () => {
    const sample = fs.readFileSync(specPath('dvk/soapxml/getSendStatus_v2.xml'));
    expect(parseDvkRequest(sample).operation).toBe('getSendStatus');
    expect(requestDocumentsRef(sample)).toEqual({ kind: 'attachment', contentId: 'getSendStatus_manus' });
    const manus = gunzipSync(Buffer.from(fs.readFileSync(specPath('dvk/soapxml/getSendStatus_manus.gz.b64.txt'), 'utf8').trim(), 'base64'));
    expect(parseSendStatusItems(manus)).toEqual([{ dhlId: '1017930', history: [] }]);
    const ours = getSendStatusEnvelope(header, 'status-1');
    expect(parseDvkRequest(ours).operation).toBe('getSendStatus');
    expect(requestDocumentsRef(ours)).toEqual({ kind: 'attachment', contentId: 'status-1' });
    expect(parseSendStatusItems(Buffer.from(sendStatusItemsXml(['1017930'])))).toEqual(parseSendStatusItems(manus));
  });
});
