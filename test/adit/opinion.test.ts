import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp, type App } from '../../src/app';
import { Registry } from 'prom-client';
import { aditClientOptions } from '../../src/adit/client';
import { makeAditSendCounters } from '../../src/adit/metrics';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { loadConfig } from '../../src/config';
import { FailureCode } from '../../src/errors';
import { attemptIntake } from '../../src/intake/pipeline';
import { loadRules } from '../../src/intake/rules';
import { makeLogger } from '../../src/log/logger';
import { personalCodeCheckDigit } from '../../src/log/personal-code';
import { followAditSends } from '../../src/outbound/adit-follow';
import { createOpinion } from '../../src/outbound/opinion';
import { sendDepsOf } from '../../src/outbound/runtime';
import { attemptSend, type SendDeps } from '../../src/outbound/send';
import type { FakeAdit } from '../../src/sim/adit';
import { dhx } from '../cli/run';
import { track } from '../helpers/resources';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { startSendHarness, type SendHarness } from '../outbound/harness';

/**
 * An opinion to a person through ADIT (docs/adit.md, "Sending to a person"), against the fake ADIT
 * (src/sim/adit.ts) behind the X-Road simulator: the row marked adit goes by sendToPerson from attemptSend; joined → `sent` (case
 * answered) with ADIT's document id, opened_at once the person opened it; not joined → `failed` ADIT_REFUSED,
 * nothing saved in ADIT; an invalid personal code refused by the CLI and the API with nothing stored.
 * Personal codes are fictional.
 */

const fictional = (first10: string): string => `${first10}${personalCodeCheckDigit(first10)}`;
const JOINED = fictional('4850505999');
const NOT_JOINED = fictional('3900909999');
const INVALID = `${JOINED.slice(0, 10)}${(Number(JOINED[10]) + 1) % 10}`;
const TARTU = KOVS[0]!;
const TOKEN = 'test-admin-token-0123456789';
const logged: string[] = [];
const log = makeLogger({ level: 'debug', destination: new Writable({ write: (c: Buffer, _e, cb) => (logged.push(c.toString('utf8')), cb()) }) });

let h: SendHarness;
let adit: FakeAdit;
let deps: SendDeps;
let env: NodeJS.ProcessEnv;
let caseId: string;
let pdfPath: string;

beforeAll(async () => {
  h = await startSendHarness();
  adit = await h.sim.addAdit();
  adit.join(JOINED);
  h.sim.addKov({ memberCode: TARTU.code, name: TARTU.name });
  const intake = { pool: h.db.pool, store: h.store, rules: loadRules(), intake: h.config.intake, memberCode: h.config.xroad.memberCode, limits: h.config.capsule, schema: await loadCapsuleSchema(), log };
  const requestId = await insertInbound(h.db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus ADIT', originalIdentifier: '7-1/2026-0901' }), TARTU.code);
  expect(await attemptIntake(intake, requestId, log)).toMatchObject({ kind: 'finished', state: 'done' });
  caseId = (await h.db.pool.query<{ id: string }>('SELECT id FROM cases WHERE opened_by = $1', [requestId])).rows[0]!.id;
  const aditOpts = aditClientOptions(loadConfig({ XROAD_SECURITY_SERVER: h.sim.url, ADIT_SERVICE: 'ee-dev/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' }));
  deps = { ...sendDepsOf(h.config, { pool: h.db.pool, store: h.store, log }), adit: aditOpts };
  env = { DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, DHX_QUEUE_PREFIX: h.prefix, LOG_LEVEL: 'silent' };
  pdfPath = path.join(h.dataDir, 'arvamus.pdf');
  fs.writeFileSync(pdfPath, '%PDF-1.4\n% arvamus\n');
});
afterAll(async () => {
  await h.close();
});

const opinionTo = (person: string) =>
  createOpinion(
    { pool: h.db.pool, store: h.store, org: { code: h.config.xroad.memberCode, name: h.config.intake.orgName, unit: h.config.intake.orgUnit }, log },
    { caseRef: caseId, verdict: 'toetav', files: [{ name: 'arvamus.pdf', content: fs.readFileSync(pdfPath) }], toPerson: person },
  );

const count = async (): Promise<string> => (await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbound_documents')).rows[0]!.n;

test('an opinion to a joined person: sent through ADIT, the case answered, opened_at after the person opens it, dhx show --json gives via and openedAt', async () => {
  const created = await opinionTo(JOINED);
  expect(created).toMatchObject({ via: 'adit', recipientPerson: JOINED });
  const r = await attemptSend(deps, created.id);
  expect(r).toMatchObject({ kind: 'sent' });
  const row = (await h.db.pool.query('SELECT state, transport, recipient_person, adit_document_id, opened_at, route FROM outbound_documents WHERE id = $1', [created.id])).rows[0];
  expect(row).toMatchObject({ state: 'sent', transport: 'adit', recipient_person: JOINED, route: 'adit', opened_at: null });
  expect(adit.saved()).toEqual([expect.objectContaining({ id: row.adit_document_id, sentTo: [{ code: `EE${JOINED}` }] })]);
  expect(adit.requests().map((q) => q.serviceCode)).toEqual(['getUserInfo', 'saveDocument', 'sendDocument']);
  // The opinion's own file reaches ADIT, whole.
  const sentDoc = adit.saved()[0]!.document;
  expect(sentDoc.title).toMatch(/^Arvamus: /);
  expect(sentDoc.files).toHaveLength(1);
  expect(sentDoc.files[0]!.name).toBe('arvamus.pdf');
  expect(sentDoc.files[0]!.data.equals(fs.readFileSync(pdfPath))).toBe(true);
  const k = await h.db.pool.query<{ deadline_status: string }>('SELECT deadline_status FROM cases WHERE id = $1', [caseId]);
  expect(k.rows[0]!.deadline_status).toBe('answered');

  expect(await followAditSends({ pool: h.db.pool, store: h.store, adit: deps.adit!, log })).toMatchObject({ asked: 1, opened: 0, waiting: 1 });
  const at = new Date('2026-12-01T10:00:00Z');
  adit.open(row.adit_document_id, JOINED, at);
  expect(await followAditSends({ pool: h.db.pool, store: h.store, adit: deps.adit!, log })).toMatchObject({ asked: 1, opened: 1 });

  const shown = await dhx(['show', created.id, '--json'], env);
  expect(shown.code).toBe(0);
  const view = JSON.parse(shown.out);
  expect(view).toMatchObject({ state: 'sent', via: 'adit', openedAt: at.toISOString(), aditDocumentId: row.adit_document_id });
  // Masked unless --reveal.
  expect(shown.out).not.toContain(JOINED);
});

test('a person not joined: failed with ADIT_REFUSED and a clear fault, nothing saved in ADIT', async () => {
  const saved = adit.saved().length;
  const created = await opinionTo(NOT_JOINED);
  expect(await attemptSend(deps, created.id)).toMatchObject({ kind: 'failed', code: FailureCode.ADIT_REFUSED, faultCode: 'ADIT.NotJoined' });
  const row = (await h.db.pool.query('SELECT state, failure_code, fault_message, adit_document_id FROM outbound_documents WHERE id = $1', [created.id])).rows[0];
  expect(row).toMatchObject({ state: 'failed', failure_code: 'ADIT_REFUSED', adit_document_id: null });
  expect(row.fault_message).toMatch(/not joined ADIT.*nothing was sent/);
  expect(adit.saved()).toHaveLength(saved);
});

test.each([
  ['success=false (Service error)', { refuse: { sendDocument: { message: 'Service error', times: 1 } } }, FailureCode.ADIT_UNAVAILABLE],
  ['a SOAP Fault', { fault: { sendDocument: { times: 1 } } }, FailureCode.REMOTE_SOAP_FAULT],
] as const)('saveDocument succeeded, sendDocument failed (%s): the retry sends the saved document — one copy in ADIT, delivered', async (_what, faults, code) => {
  const before = adit.saved().length;
  const created = await opinionTo(JOINED);
  adit.setFaults(structuredClone(faults));
  const quick: SendDeps = { ...deps, schedule: [0, 0, 0] };
  try {
    expect(await attemptSend(quick, created.id)).toMatchObject({ kind: 'retrying', code });
  } finally {
    adit.setFaults({});
  }
  const row = async () =>
    (await h.db.pool.query<{ state: string; adit_document_id: string | null }>('SELECT state, adit_document_id FROM outbound_documents WHERE id = $1', [created.id])).rows[0]!;
  // ADIT's id kept right after saveDocument, though the attempt failed.
  const first = await row();
  expect(first).toMatchObject({ state: 'retrying', adit_document_id: expect.any(String) });
  expect(adit.saved()).toHaveLength(before + 1);
  expect(adit.saved().find((s) => s.id === first.adit_document_id)!.sentTo).toEqual([]);
  const asked = adit.requests().length;
  expect(await attemptSend(quick, created.id)).toMatchObject({ kind: 'sent', attempt: 2 });
  // Straight to sendDocument: no second getUserInfo, no second saveDocument.
  expect(adit.requests().slice(asked).map((q) => q.serviceCode)).toEqual(['sendDocument']);
  expect(adit.saved()).toHaveLength(before + 1);
  expect(adit.saved().find((s) => s.id === first.adit_document_id)!.sentTo).toEqual([{ code: `EE${JOINED}` }]);
  expect(await row()).toEqual({ state: 'sent', adit_document_id: first.adit_document_id });
  const history = await h.db.pool.query<{ state: string; detail: Record<string, unknown> }>('SELECT state, detail FROM outbound_state_history WHERE document_id = $1 ORDER BY at, id', [created.id]);
  expect(history.rows.filter((x) => x.detail.step === 'saved in ADIT')).toEqual([{ state: 'sending', detail: { attempt: 1, aditDocumentId: first.adit_document_id, step: 'saved in ADIT' } }]);
});

test('/metrics of the send side: dhx_adit_send_total by outcome, dhx_adit_send_status_total by what getSendStatus said', async () => {
  const registry = new Registry();
  const counters = makeAditSendCounters(registry);
  const metric = async (name: string, outcome: string): Promise<number> => {
    const m = (await registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.outcome === outcome);
    return m?.value ?? NaN;
  };
  const counted: SendDeps = { ...deps, schedule: [0], aditCounters: counters };
  // Every outcome is there from the start, at 0.
  for (const o of ['sent', 'not_joined', 'failed', 'retrying', 'ambiguous']) expect(await metric('dhx_adit_send_total', o)).toBe(0);
  for (const o of ['opened', 'waiting', 'unanswered']) expect(await metric('dhx_adit_send_status_total', o)).toBe(0);
  const joined = await opinionTo(JOINED);
  adit.setFaults({ fault: { sendDocument: { times: 1 } } });
  expect(await attemptSend(counted, joined.id)).toMatchObject({ kind: 'retrying' });
  adit.setFaults({});
  expect(await attemptSend(counted, joined.id)).toMatchObject({ kind: 'sent' });
  expect(await attemptSend(counted, (await opinionTo(NOT_JOINED)).id)).toMatchObject({ kind: 'failed' });
  adit.setFaults({ refuse: { getUserInfo: { message: 'User is not the owner of the document', times: 1 } } });
  expect(await attemptSend(counted, (await opinionTo(JOINED)).id)).toMatchObject({ kind: 'failed', code: FailureCode.ADIT_REFUSED });
  adit.setFaults({});
  expect(await metric('dhx_adit_send_total', 'sent')).toBe(1);
  expect(await metric('dhx_adit_send_total', 'retrying')).toBe(1);
  expect(await metric('dhx_adit_send_total', 'not_joined')).toBe(1);
  expect(await metric('dhx_adit_send_total', 'failed')).toBe(1);

  const follow = { pool: h.db.pool, store: h.store, adit: deps.adit!, log, counters };
  // The sent rows not yet opened: this test's and the retry tests' (the first test's was opened).
  const unopened = Number((await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbound_documents WHERE state = 'sent' AND opened_at IS NULL`)).rows[0]!.n);
  adit.setFaults({ fault: { getSendStatus: { times: Infinity } } });
  await followAditSends(follow);
  adit.setFaults({});
  expect(await metric('dhx_adit_send_status_total', 'unanswered')).toBe(unopened);
  await followAditSends(follow);
  expect(await metric('dhx_adit_send_status_total', 'waiting')).toBe(unopened);
  const row = (await h.db.pool.query<{ adit_document_id: string }>('SELECT adit_document_id FROM outbound_documents WHERE id = $1', [joined.id])).rows[0]!;
  adit.open(row.adit_document_id, JOINED);
  await followAditSends(follow);
  expect(await metric('dhx_adit_send_status_total', 'opened')).toBe(1);
  expect(await metric('dhx_adit_send_status_total', 'waiting')).toBe(2 * unopened - 1);
});

test('an invalid personal code: the CLI exits 1 and stores nothing', async () => {
  const before = await count();
  const r = await dhx(['opinion', 'send', '--case', caseId, '--verdict', 'toetav', '--file', pdfPath, '--via', 'adit', '--to', INVALID], env);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/not a valid Estonian personal code/);
  expect(await count()).toBe(before);
  await expect(opinionTo(INVALID)).rejects.toMatchObject({ code: 'INVALID_PERSONAL_CODE' });
  expect(await count()).toBe(before);
});

describe('POST /api/opinions via=adit', () => {
  let app: App;
  let url: string;
  let stopped = false;
  beforeAll(async () => {
    const config = loadConfig({ ...env, ADMIN_TOKEN: TOKEN, DHX_ADDRESSBOOK_REFRESH: '0' });
    app = await makeApp({ config, log, queuePrefix: h.prefix, role: 'http' });
    track('adapter', app, () => stopped);
    url = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}/api/opinions`;
  });
  afterAll(async () => {
    await app.stop();
    stopped = true;
  });
  const form = (to: string): FormData => {
    const f = new FormData();
    f.set('case', caseId);
    f.set('verdict', 'toetav');
    f.set('via', 'adit');
    f.set('to', to);
    f.append('file', new Blob([fs.readFileSync(pdfPath)], { type: 'application/pdf' }), 'arvamus.pdf');
    return f;
  };

  test('an invalid personal code answers 400 and stores nothing; a valid one 201 with via adit, the code masked', async () => {
    const before = await count();
    const bad = await fetch(url, { method: 'POST', body: form(INVALID), headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_PERSONAL_CODE' });
    expect(await count()).toBe(before);
    const ok = await fetch(url, { method: 'POST', body: form(JOINED), headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(201);
    const text = await ok.text();
    expect(JSON.parse(text)).toMatchObject({ via: 'adit', state: 'queued' });
    expect(text).not.toContain(JOINED);
  });
});

test('no personal code in the logs of the send path, the follow-up or the API', () => {
  const all = logged.join('');
  expect(all).toContain('send attempt');
  for (const code of [JOINED, NOT_JOINED, INVALID]) expect(all).not.toContain(code);
});
