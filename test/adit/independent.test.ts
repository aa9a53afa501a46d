import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { aditClientOptions } from '../../src/adit/client';
import { makeAditCounters, pollAdit, type AditPollDeps, type AditPollReport } from '../../src/adit/poller';
import { followUntilOpened, sendToPerson, type AditSendOutcome } from '../../src/adit/send';
import { readBlob } from '../../src/blob/read';
import { makeBlobStore } from '../../src/blob/store';
import { readCapsuleBuffer } from '../../src/capsule/read';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { loadConfig } from '../../src/config';
import { inboundView, intakeSummary } from '../../src/inbound/views';
import { runIntake } from '../../src/intake/pipeline';
import { makeLogger } from '../../src/log/logger';
import type { FakeAdit } from '../../src/sim/adit';
import type { XRoadSim } from '../../src/sim/server';
import { startSim } from '../sim/helpers';
import { createTestDatabase } from '../helpers/db';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { intakeDepsOf } from '../intake/deps';
import { startIndependentAdit, type IndependentAdit } from './independent-fake';

/**
 * The same ADIT scenario against the project's fake ADIT (src/sim/adit.ts) and an independent one written only
 * from ADIT's WSDLs (test/adit/independent-fake.ts): the adapter's poll must store the same documents (titles,
 * senders, files and their sha256, transport adit, the ADIT id kept), intake must give the same states, the same
 * ids must be marked viewed and a second poll must find nothing; sending to a person must give the same outcomes.
 * Both are reached as ADIT is, through the X-Road simulator (XROAD_SECURITY_SERVER = the simulator): the
 * project's fake as its ADIT provider (addAdit), the independent one as a provider at its own URL (addAdapter
 * for GOV/70006317/adit). Personal codes are fictional.
 *
 * One wire detail differs between the two fakes: the project's fake answers getDocument v3 with
 * `document/document_files/file*`, the independent one as adit_new_v3.wsdl's documentFilesType has it:
 * `document/document_files{total_files, total_bytes, document_files/file*}`. The adapter reads both.
 */

const PERSON = makeTestPersonalCode(411, '800101', 4);
const JOINED = makeTestPersonalCode(412, '850505', 4);
const NOT_JOINED = makeTestPersonalCode(413, '900909', 3);
const INSTITUTION = '70000562';

const INCOMING = [
  {
    title: 'Kiri lastekaitsele',
    senderCode: `EE${PERSON}`,
    files: [
      { name: 'kiri.txt', mime: 'text/plain', content: Buffer.from('Palun abi minu lapse koolikorralduses.', 'utf8') },
      { name: 'tõend.pdf', mime: 'application/pdf', content: Buffer.from('%PDF-1.4\n% fictional\n%%EOF\n', 'latin1') },
    ],
  },
  {
    title: 'Teabenõue',
    senderCode: INSTITUTION,
    files: [{ name: 'noue.txt', mime: 'text/plain', content: Buffer.from('Palume teavet.', 'utf8') }],
  },
];

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const silent = () => makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

interface Outcome {
  first: AditPollReport;
  second: AditPollReport;
  stored: Array<{
    aditId: string;
    transport: string;
    title: string;
    sender: string;
    personalIdCode: string | undefined;
    files: Array<{ name: string; sha256: string }>;
    state: string;
    intake: { state: string; category: string | null; case: boolean };
  }>;
  marked: string[];
  markedAfterSecond: string[];
  rowsAfterSecond: number;
}

async function pollScenario(url: string, marked: () => string[]): Promise<Outcome> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-adit-ind-'));
  try {
    const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, XROAD_SECURITY_SERVER: url, ADIT_SERVICE: '{XROAD_INSTANCE}/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' });
    const store = makeBlobStore(dataDir);
    const enqueued: string[] = [];
    const deps: AditPollDeps = {
      pool: db.pool, store, schema: await loadCapsuleSchema(), config, limits: config.capsule, log: silent(),
      counters: makeAditCounters(new Registry()), enqueue: async (ids) => void enqueued.push(...ids),
    };
    const first = await pollAdit(deps);
    const markedAfterFirst = marked();
    const intakeDeps = await intakeDepsOf(config, db.pool, store, silent());
    for (const id of enqueued) await runIntake(intakeDeps, id);
    const ids = (await db.pool.query<{ id: string }>('SELECT id FROM inbound_capsules ORDER BY adit_document_id')).rows.map((r) => r.id);
    const stored = [];
    for (const id of ids) {
      const v = (await inboundView(db.pool, id))!;
      const read = await readCapsuleBuffer(await readBlob(db.pool, store, v.blob_sha256), { decode: true });
      const s = (await intakeSummary(db.pool, id))!;
      stored.push({
        aditId: v.adit_document_id!,
        transport: v.transport,
        title: read.capsule!.recordMetadata.recordTitle,
        sender: v.sender,
        personalIdCode: read.capsule!.transport.sender.personalIdCode,
        files: read.files.map((f) => ({ name: f.fileName, sha256: f.sha256 })),
        state: v.history![0]!.state,
        intake: { state: s.state, category: s.category, case: s.case_number !== null },
      });
    }
    const second = await pollAdit(deps);
    return { first, second, stored, marked: markedAfterFirst, markedAfterSecond: marked(), rowsAfterSecond: ids.length === 0 ? 0 : (await db.pool.query('SELECT 1 FROM inbound_capsules')).rowCount ?? 0 };
  } finally {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

let project: FakeAdit;
let independent: IndependentAdit;
let projectSim: XRoadSim;
let independentSim: XRoadSim;
beforeEach(async () => {
  projectSim = await startSim();
  project = await projectSim.addAdit();
  independent = await startIndependentAdit();
  independentSim = await startSim();
  independentSim.addAdapter({ memberCode: '70006317', name: 'ADIT (independent fake)', subsystems: ['adit'], url: independent.url });
});
afterEach(async () => {
  await projectSim.stop();
  await independentSim.stop();
  await independent.close();
});

test('the adapter\'s ADIT poll and intake give the same results against the project\'s fake and an independent one written from the WSDLs', async () => {
  // the same documents, under the ids the independent fake assigns
  const ids = INCOMING.map((d) => {
    const id = independent.putIncoming(d);
    expect(project.add({ id, title: d.title, creatorCode: d.senderCode, files: d.files.map((f) => ({ name: f.name, contentType: f.mime, data: f.content })) })).toBe(id);
    return id;
  });
  const a = await pollScenario(projectSim.url, () => project.marks());
  const b = await pollScenario(independentSim.url, () => independent.viewedIds());

  for (const o of [a, b]) {
    expect(o.first).toMatchObject({ kind: 'ok', listed: 2, marked: ids });
    expect(o.stored.map((s) => s.aditId)).toEqual(ids);
    for (const [i, s] of o.stored.entries()) {
      const input = INCOMING[i]!;
      expect(s).toMatchObject({ transport: 'adit', title: input.title, state: 'received' });
      expect(s.files).toEqual(input.files.map((f) => ({ name: f.name, sha256: sha256(f.content) })));
    }
    // from a person: the personal code in the capsule, the ADIT service as the sending organisation
    expect(o.stored[0]).toMatchObject({ personalIdCode: PERSON, sender: '70006317' });
    // from an institution: its registry code
    expect(o.stored[1]).toMatchObject({ personalIdCode: undefined, sender: INSTITUTION });
    for (const s of o.stored) expect(['done', 'triage']).toContain(s.intake.state);
    expect(o.marked).toEqual(ids);
    // a second poll stores and marks nothing
    expect(o.second).toMatchObject({ kind: 'ok', listed: 0, marked: [] });
    expect(o.markedAfterSecond).toEqual(ids);
    expect(o.rowsAfterSecond).toBe(ids.length);
  }
  expect(b.stored).toEqual(a.stored);
  expect(independent.requests.map((q) => `${q.operation}/${q.version}`)).toEqual([
    'getDocumentList/v2', 'getDocument/v3', 'markDocumentViewed/v1', 'getDocument/v3', 'markDocumentViewed/v1', 'getDocumentList/v2',
  ]);
  expect(project.requests().map((q) => `${q.serviceCode}/${q.serviceVersion}`)).toEqual(independent.requests.map((q) => `${q.operation}/${q.version}`));
});

test('sending to a person: a joined person → sent, then opened; a person not joined → the same clear refusal on both, nothing sent', async () => {
  project.join(JOINED);
  independent.users.set(JOINED, { joined: true });
  independent.users.set(NOT_JOINED, { joined: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-adit-ind-send-'));
  try {
    const store = makeBlobStore(dir);
    const doc = () => ({ guid: 'b7d0f0a4-4a55-4a3f-9d55-0c8b2f0e1a11', title: 'Vastus teie kirjale', documentType: 'letter', files: [{ name: 'vastus.txt', contentType: 'text/plain', data: Buffer.from('Vastus.', 'utf8') }] });
    const fakes = [
      { url: projectSim.url, sent: () => project.saved().flatMap((s) => s.sentTo.map((t) => ({ to: t.code.replace(/^EE/, ''), title: s.document.title, files: s.document.files.map((f) => ({ name: f.name, sha256: sha256(f.data) })) }))), open: (id: string) => project.open(id, JOINED) },
      { url: independentSim.url, sent: () => independent.sent().map((s) => ({ to: s.to, title: s.title, files: s.files.map((f) => ({ name: f.name, sha256: sha256(f.content) })) })), open: (id: string) => independent.open(id) },
    ];
    const results: Array<{ refused: AditSendOutcome; sent: unknown; opened: string }> = [];
    for (const f of fakes) {
      const opts = aditClientOptions(loadConfig({ XROAD_SECURITY_SERVER: f.url, ADIT_SERVICE: 'ee-dev/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' }));
      const refused = await sendToPerson(opts, store, NOT_JOINED, doc());
      expect(refused).toMatchObject({ kind: 'refused', reason: 'not_joined', error: expect.stringMatching(/not joined ADIT.*nothing was sent/) });
      expect(f.sent()).toEqual([]);
      const r = await sendToPerson(opts, store, JOINED, doc());
      expect(r).toMatchObject({ kind: 'sent', recipient: `EE${JOINED}` });
      if (r.kind !== 'sent') throw new Error('not sent');
      const sent = f.sent();
      expect(sent).toEqual([{ to: JOINED, title: 'Vastus teie kirjale', files: [{ name: 'vastus.txt', sha256: sha256(Buffer.from('Vastus.', 'utf8')) }] }]);
      expect(await followUntilOpened(opts, store, r.documentId, r.recipient, { intervalMs: 50, timeoutMs: 300 })).toEqual({ kind: 'not_yet' });
      setTimeout(() => f.open(r.documentId), 200);
      const opened = await followUntilOpened(opts, store, r.documentId, r.recipient, { intervalMs: 100, timeoutMs: 5000 });
      expect(opened).toMatchObject({ kind: 'opened', openedTime: expect.any(String) });
      results.push({ refused, sent, opened: opened.kind });
    }
    expect(results[1]).toEqual(results[0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
