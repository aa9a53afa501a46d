import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { aditClientOptions } from '../../src/adit/client';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import { loadConfig } from '../../src/config';
import { attemptIntake } from '../../src/intake/pipeline';
import { loadRules } from '../../src/intake/rules';
import { followAditSends, type AditFollowDeps } from '../../src/outbound/adit-follow';
import { createOpinion } from '../../src/outbound/opinion';
import { sendDepsOf } from '../../src/outbound/runtime';
import { attemptSend, type SendDeps } from '../../src/outbound/send';
import type { FakeAdit } from '../../src/sim/adit';
import { personalCode } from '../fixtures-gen/personal-code';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { startSendHarness, type SendHarness } from '../outbound/harness';

/**
 * The ADIT follow-up asks about every unopened document in turn (docs/adit.md, "Sending to a person"): a
 * batch smaller than the documents waiting must not ask the same ones forever. The longest-unasked go
 * first (`adit_checked_at`, never-asked first), an unanswered getSendStatus counts as asked, and asking
 * is not a change of the document (`updated_at` stays). Against the fake ADIT behind the X-Road simulator;
 * personal codes are fictional.
 */

const PERSON = personalCode('F', '1986-04-12', 417);
const TARTU = KOVS[0]!;
const log = pino({ level: 'silent' });

let h: SendHarness;
let adit: FakeAdit;
let deps: SendDeps;
let caseId: string;
let pdf: Buffer;

beforeAll(async () => {
  h = await startSendHarness();
  adit = await h.sim.addAdit();
  adit.join(PERSON);
  h.sim.addKov({ memberCode: TARTU.code, name: TARTU.name });
  const intake = { pool: h.db.pool, store: h.store, rules: loadRules(), intake: h.config.intake, memberCode: h.config.xroad.memberCode, limits: h.config.capsule, schema: await loadCapsuleSchema(), log };
  const requestId = await insertInbound(h.db.pool, await kovCapsule({ title: 'KLAT arvamuse taotlus ADIT', originalIdentifier: '7-1/2026-0911' }), TARTU.code);
  expect(await attemptIntake(intake, requestId, log)).toMatchObject({ kind: 'finished', state: 'done' });
  caseId = (await h.db.pool.query<{ id: string }>('SELECT id FROM cases WHERE opened_by = $1', [requestId])).rows[0]!.id;
  const aditOpts = aditClientOptions(loadConfig({ XROAD_SECURITY_SERVER: h.sim.url, ADIT_SERVICE: 'ee-dev/GOV/70006317/adit', DHX_SEND_TIMEOUT: '2' }));
  deps = { ...sendDepsOf(h.config, { pool: h.db.pool, store: h.store, log }), adit: aditOpts };
  pdf = fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'));
});
afterAll(async () => {
  await h.close();
});

/** `n` opinions to the person, each delivered to ADIT (`sent`, not opened): their ADIT document ids, oldest first. */
async function delivered(n: number): Promise<Array<{ id: string; aditId: string }>> {
  const out: Array<{ id: string; aditId: string }> = [];
  for (let i = 0; i < n; i++) {
    const created = await createOpinion(
      { pool: h.db.pool, store: h.store, org: { code: h.config.xroad.memberCode, name: h.config.intake.orgName, unit: h.config.intake.orgUnit }, log },
      { caseRef: caseId, verdict: 'toetav', files: [{ name: 'arvamus.pdf', content: pdf }], toPerson: PERSON },
    );
    expect(await attemptSend(deps, created.id)).toMatchObject({ kind: 'sent' });
    const row = await h.db.pool.query<{ adit_document_id: string }>('SELECT adit_document_id FROM outbound_documents WHERE id = $1', [created.id]);
    out.push({ id: created.id, aditId: row.rows[0]!.adit_document_id });
  }
  return out;
}

const updatedAt = async (ids: string[]): Promise<Map<string, number>> =>
  new Map(
    (await h.db.pool.query<{ id: string; updated_at: Date }>('SELECT id, updated_at FROM outbound_documents WHERE id = ANY($1::uuid[])', [ids])).rows.map((x) => [
      x.id,
      x.updated_at.getTime(),
    ]),
  );

test('more documents waiting than one batch: successive passes ask every one, longest-unasked first, and one opened among the later ones is recorded', async () => {
  const docs = await delivered(5);
  const follow: AditFollowDeps = { pool: h.db.pool, store: h.store, adit: deps.adit!, log, batch: 2 };
  const before = await updatedAt(docs.map((d) => d.id));
  const asked = (): string[] => adit.statusAsked().flat();

  const start = asked().length;
  // Pass 1 asks the two oldest; nobody has opened anything yet.
  expect(await followAditSends(follow)).toEqual({ asked: 2, opened: 0, waiting: 2 });
  expect(asked().slice(start)).toEqual([docs[0]!.aditId, docs[1]!.aditId]);
  // The person opens the last one, which no pass has asked about yet.
  const at = new Date('2026-12-01T09:30:00Z');
  adit.open(docs[4]!.aditId, PERSON, at);
  // Pass 2 asks the next two, not the first two again, and an unanswered getSendStatus still counts as asked.
  adit.setFaults({ fault: { getSendStatus: { times: 1 } } });
  const mid = asked().length;
  expect(await followAditSends(follow)).toEqual({ asked: 2, opened: 0, waiting: 2 });
  adit.setFaults({});
  expect(asked().slice(mid)).toEqual([docs[2]!.aditId, docs[3]!.aditId]);
  // Pass 3 reaches the fifth (never asked), then the longest-unasked of the rest: the first.
  const late = asked().length;
  expect(await followAditSends(follow)).toEqual({ asked: 2, opened: 1, waiting: 1 });
  expect(asked().slice(late)).toEqual([docs[4]!.aditId, docs[0]!.aditId]);
  const opened = await h.db.pool.query<{ opened_at: Date | null }>('SELECT opened_at FROM outbound_documents WHERE id = $1', [docs[4]!.id]);
  expect(opened.rows[0]!.opened_at?.toISOString()).toBe(at.toISOString());
  // Every one of the five has been asked about, within three passes of two.
  expect(new Set(asked().slice(start))).toEqual(new Set(docs.map((d) => d.aditId)));
  // Pass 4 goes on round: the second, third; no document is left behind.
  const round = asked().length;
  expect(await followAditSends(follow)).toEqual({ asked: 2, opened: 0, waiting: 2 });
  expect(asked().slice(round)).toEqual([docs[1]!.aditId, docs[2]!.aditId]);

  // Asking changed nothing of the documents still waiting: `updated_at` is their last change, not the last question.
  const after = await updatedAt(docs.slice(0, 4).map((d) => d.id));
  for (const d of docs.slice(0, 4)) expect(after.get(d.id)).toBe(before.get(d.id));
});

test('a document delivered after others were asked is asked first; once asked it takes its turn behind them', async () => {
  const waiting = Number((await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbound_documents WHERE state = 'sent' AND opened_at IS NULL`)).rows[0]!.n);
  expect(waiting).toBe(4);
  const [doc] = await delivered(1);
  const follow: AditFollowDeps = { pool: h.db.pool, store: h.store, adit: deps.adit!, log, batch: 1 };
  const start = adit.statusAsked().length;
  await followAditSends(follow);
  expect(adit.statusAsked().slice(start).flat()).toEqual([doc!.aditId]);
  const checked = await h.db.pool.query<{ adit_checked_at: Date | null }>('SELECT adit_checked_at FROM outbound_documents WHERE id = $1', [doc!.id]);
  expect(checked.rows[0]!.adit_checked_at).toBeInstanceOf(Date);
  // The four waiting since the test above go before it now.
  const next = adit.statusAsked().length;
  for (let i = 0; i < 4; i++) await followAditSends(follow);
  expect(adit.statusAsked().slice(next).flat()).not.toContain(doc!.aditId);
  expect(new Set(adit.statusAsked().slice(next).flat()).size).toBe(4);
  await followAditSends(follow);
  expect(adit.statusAsked().slice(-1).flat()).toEqual([doc!.aditId]);
});
