import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp, type App } from '../../src/app';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { loadConfig } from '../../src/config';
import { attemptIntake } from '../../src/intake/pipeline';
import { stats } from '../../src/cases/views';
import { loadRules } from '../../src/intake/rules';
import type { IntakeDeps } from '../../src/intake/stages';
import { makeLogger } from '../../src/log/logger';
import { opinionsOfCase } from '../../src/outbound/opinion';
import { refreshAddressBook } from '../../src/addressbook/addressbook';
import { dhx } from '../cli/run';
import { describeSpec, specPath } from '../conformance/spec';
import { track } from '../helpers/resources';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { SKA } from '../sim/helpers';
import { startSendHarness, type SendHarness } from './harness';

/**
 * Opinions: `dhx opinion send` and `POST /api/opinions` build SKA's reply to a case's request,
 * queue it, and the send job delivers it through the simulator; the business receipts intake queued go
 * out the same way.
 */

const TARTU = KOVS[0]!;
const TOKEN = 'test-admin-token-0123456789';
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let h: SendHarness;
let env: NodeJS.ProcessEnv;
let requestId: string;
let caseId: string;
let caseNumber: string;
let pdfPath: string;
let deps: IntakeDeps;
const REQUEST_NUMBER = '7-1/2026-0815';
const REQUEST_DATE = new Date('2026-11-02T09:15:00Z');

beforeAll(async () => {
  h = await startSendHarness({ OUTBOUND_STUCK_AFTER_SECONDS: '1' });
  h.sim.addKov({ memberCode: TARTU.code, name: TARTU.name });
  await refreshAddressBook(h.db.pool, { globalConf: `${h.sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: h.sim.url, client: SKA, timeoutMs: 5000 } });
  env = { DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, DHX_QUEUE_PREFIX: h.prefix, LOG_LEVEL: 'silent' };
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
  const capsule = await kovCapsule({ title: 'KLAT arvamuse taotlus', originalIdentifier: REQUEST_NUMBER, registeredAt: REQUEST_DATE });
  requestId = await insertInbound(h.db.pool, capsule, TARTU.code);
  const out = await attemptIntake(deps, requestId, log);
  expect(out).toMatchObject({ kind: 'finished', state: 'done' });
  const k = await h.db.pool.query<{ id: string; case_number: string }>('SELECT id, case_number FROM cases WHERE opened_by = $1', [requestId]);
  caseId = k.rows[0]!.id;
  caseNumber = k.rows[0]!.case_number;
  pdfPath = path.join(h.dataDir, 'arvamus.pdf');
  fs.writeFileSync(pdfPath, '%PDF-1.4\n% Sotsiaalkindlustusameti arvamus (näidis)\n');
  await h.startRuntime();
});
afterAll(() => h.close());

const accepted = (consignmentId: string) => h.sim.kov(TARTU.code)!.accepted.find((d) => d.consignmentId === consignmentId);

describe('business receipts', () => {
  test('the business receipt intake queued (without a job) goes out through the same send path to the requesting KOV', async () => {
    const r = await h.db.pool.query<{ id: string }>(`SELECT id FROM outbound_documents WHERE inbound_id = $1 AND kind = 'receipt'`, [requestId]);
    const row = await h.waitFor(r.rows[0]!.id, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const doc = accepted(row.consignment_id)!;
    expect(doc.capsule.recordMetadata.recordType).toBe('Teade');
    expect(doc.capsule.initiator?.recordOriginalIdentifier).toBe(REQUEST_NUMBER);
  });
});

describe('dhx opinion send', () => {
  let opinionId: string;

  test('--json prints the new outgoing document id; it is delivered to the KOV as a reply carrying the request as Initiator', async () => {
    const r = await dhx(['opinion', 'send', '--case', caseNumber, '--verdict', 'toetav', '--file', pdfPath, '--note', 'Kohtule esitamiseks.', '--json'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { id: string; caseId: string; recipient: string; state: string };
    expect(out).toMatchObject({ id: expect.any(String), caseId, recipient: TARTU.code, state: 'queued' });
    opinionId = out.id;
    const row = await h.waitFor(opinionId, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const doc = accepted(row.consignment_id)!;
    const c = doc.capsule;
    expect(c.transport.sender.organisationCode).toBe('70001975');
    expect(c.transport.recipients.map((x) => x.organisationCode)).toEqual([TARTU.code]);
    expect(c.recordMetadata).toMatchObject({ recordType: 'Arvamus', recordTitle: 'Arvamus: KLAT arvamuse taotlus', recordOriginalIdentifier: caseNumber });
    expect(c.initiator?.recordOriginalIdentifier).toBe(REQUEST_NUMBER);
    expect(new Date(c.initiator!.recordDate!.instant).toISOString()).toBe(REQUEST_DATE.toISOString());
    expect(c.access.accessConditionsCode).toBe('AK');
    expect(c.files.map((f) => f.fileName)).toEqual(['arvamus.pdf']);
  });

  test('dhx show ID --json shows the outgoing document: direction, state, attempts, consignmentId, recipient, receiptId, faultCode', async () => {
    const r = await dhx(['show', opinionId, '--json'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    const row = await h.row(opinionId);
    expect(doc).toMatchObject({
      id: opinionId,
      direction: 'outbound',
      kind: 'opinion',
      state: 'sent',
      attempts: 1,
      consignmentId: row.consignment_id,
      recipient: TARTU.code,
      receiptId: accepted(row.consignment_id)!.receiptId,
      faultCode: null,
      verdict: 'toetav',
    });
  });

  test('the case shows its opinion delivered and on time, and dhx stats counts it', async () => {
    const ops = await opinionsOfCase(h.db.pool, caseId);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ id: opinionId, state: 'sent', verdict: 'toetav', deliveredAt: expect.any(String), onTime: true });
    const k = await h.db.pool.query<{ deadline_status: string; answered_at: Date | null }>('SELECT deadline_status, answered_at FROM cases WHERE id = $1', [caseId]);
    expect(k.rows[0]).toMatchObject({ deadline_status: 'answered', answered_at: expect.any(Date) });
    expect((await stats(h.db.pool)).opinions).toMatchObject({ onTime: 1, late: 0 });
    const list = await dhx(['opinion', 'list', '--case', caseNumber], env);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${opinionId}  sent +toetav  delivered \\S+, due \\d{4}-\\d{2}-\\d{2}: on time$`));
  });

  test('an opinion delivered after the due date is late: the case and dhx stats say so', async () => {
    const late = await insertInbound(h.db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus (pikendamine)', originalIdentifier: '7-1/2026-0900' }), TARTU.code);
    await attemptIntake(deps, late, log);
    const k = await h.db.pool.query<{ id: string }>(
      `UPDATE cases SET due_date = (now() AT TIME ZONE 'Europe/Tallinn')::date - 1 WHERE opened_by = $1 RETURNING id`,
      [late],
    );
    const lateCase = k.rows[0]!.id;
    const r = await dhx(['opinion', 'send', '--case', lateCase, '--verdict', 'mitte-toetav', '--file', pdfPath, '--json'], env);
    expect(r.code).toBe(0);
    const id = (JSON.parse(r.out) as { id: string }).id;
    expect((await h.waitFor(id, ['sent', 'failed'])).state).toBe('sent');
    expect(await opinionsOfCase(h.db.pool, lateCase)).toEqual([expect.objectContaining({ id, state: 'sent', onTime: false })]);
    expect((await stats(h.db.pool)).opinions).toMatchObject({ onTime: 1, late: 1 });
  });

  test('a verdict other than toetav|mitte-toetav is bad usage (exit 2); an unknown case exits 1', async () => {
    const bad = await dhx(['opinion', 'send', '--case', caseNumber, '--verdict', 'jah', '--file', pdfPath], env);
    expect(bad.code).toBe(2);
    const none = await dhx(['opinion', 'send', '--case', 'SKA-0000-404', '--verdict', 'toetav', '--file', pdfPath], env);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no case SKA-0000-404/);
  });
});

describe('POST /api/opinions', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ ...env, ADMIN_TOKEN: TOKEN, DHX_ADDRESSBOOK_REFRESH: '0' });
    app = await makeApp({ config, log, queuePrefix: h.prefix, role: 'http' });
    let stopped = false;
    track('adapter', app, () => stopped);
    const port = await app.start(0, '127.0.0.1');
    url = `http://127.0.0.1:${port}/api/opinions`;
    const stop = app.stop.bind(app);
    app.stop = async () => {
      await stop();
      stopped = true;
    };
  });
  afterAll(() => app.stop());

  const form = (): FormData => {
    const f = new FormData();
    f.set('case', caseId);
    f.set('verdict', 'mitte-toetav');
    f.set('note', 'Soovitame vähem piiravaid meetmeid.');
    f.append('file', new Blob([fs.readFileSync(pdfPath)], { type: 'application/pdf' }), 'arvamus-2.pdf');
    return f;
  };

  test('without the ADMIN_TOKEN Bearer token it answers 401 and queues nothing', async () => {
    const before = await h.db.pool.query('SELECT count(*) FROM outbound_documents');
    expect((await fetch(url, { method: 'POST', body: form() })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body: form(), headers: { authorization: 'Bearer wrong-token-000000000000' } })).status).toBe(401);
    const after = await h.db.pool.query('SELECT count(*) FROM outbound_documents');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  test('a multipart opinion with the token answers 201 with the outgoing id, and is delivered as Arvamus', async () => {
    const res = await fetch(url, { method: 'POST', body: form(), headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; state: string; caseNumber: string };
    expect(body).toMatchObject({ state: 'queued', caseNumber });
    const row = await h.waitFor(body.id, ['sent', 'failed']);
    expect(row.state).toBe('sent');
    const c = accepted(row.consignment_id)!.capsule;
    expect(c.recordMetadata.recordType).toBe('Arvamus');
    expect(c.recordMetadata.recordAbstract).toMatch(/mitte toetav/);
    expect(c.files[0]).toMatchObject({ fileName: 'arvamus-2.pdf', mimeType: 'application/pdf' });
  });

  test('a form without a verdict is refused with 400', async () => {
    const f = form();
    f.delete('verdict');
    const res = await fetch(url, { method: 'POST', body: f, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
  });
});

describeSpec('the opinion capsule against the official XSD', () => {
  test('the capsule the fake KOV received validates against the official Capsule 2.1 XSD and carries the request as Initiator', async () => {
    const xsds = fs.readdirSync(specPath('capsule')).filter((f) => f.endsWith('.xsd'));
    expect(xsds.length).toBeGreaterThan(0);
    const schemas = await Promise.all(xsds.map((f) => loadCapsuleSchema(specPath('capsule', f))));
    const opinions = await h.db.pool.query<{ consignment_id: string }>(`SELECT consignment_id FROM outbound_documents WHERE kind = 'opinion' AND state = 'sent' AND case_id = $1`, [caseId]);
    expect(opinions.rowCount).toBeGreaterThan(0);
    for (const { consignment_id } of opinions.rows) {
      const doc = accepted(consignment_id)!;
      const xml = fs.readFileSync(doc.path, 'utf8');
      for (const schema of schemas) expect(schema.validate(xml)).toEqual([]);
      const initiator = /<Initiator>([\s\S]*?)<\/Initiator>/.exec(xml)?.[1] ?? '';
      expect(initiator).toContain(`<InitiatorRecordOriginalIdentifier>${REQUEST_NUMBER}</InitiatorRecordOriginalIdentifier>`);
      expect(initiator).toContain('<InitiatorRecordDate>2026-11-02T09:15:00Z</InitiatorRecordDate>');
    }
  });
});

