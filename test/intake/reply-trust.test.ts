import { randomUUID } from 'node:crypto';
import { outcome, post, sendDocumentEnvelope, swaBody } from '../dhx/harness';
import { dhx } from '../cli/run';
import { startIntakeAdapter, type IntakeHarness } from './harness';
import { KOVS, SKA_CODE, kovCapsule } from './kov';

/**
 * A reply is filed into a case only when it comes from the organisation the case belongs to (directly,
 * or through an intermediary that represents it). Case numbers run in sequence and record GUIDs travel in
 * documents, so a reply of anyone else naming them goes to triage with the reason, and the case is untouched.
 */
let h: IntakeHarness;
beforeAll(async () => {
  h = await startIntakeAdapter();
});
afterAll(() => h.close());

const [OWNER, OTHER] = [KOVS[0]!, KOVS[1]!];

interface Shown {
  state: string;
  caseId: string | null;
  category: string | null;
  triageReason: string | null;
}
async function show(id: string): Promise<Shown> {
  const r = await dhx(['show', id, '--json'], h.env);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Shown;
}
const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await h.db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

let caseId: string;
let caseNumber: string;
let requestGuid: string;
let receiptGuid: string;

beforeAll(async () => {
  const r = await h.send(
    OWNER.code,
    await kovCapsule({ kov: OWNER, title: 'Taotlus arvamuse saamiseks kinnise lasteasutuse teenuse osutamiseks (esmane)', originalIdentifier: '7-1/2026-555' }),
  );
  expect(await h.waitFor(r.receiptId!)).toBe('done');
  const kase = (await h.db.pool.query<{ id: string; case_number: string }>('SELECT id, case_number FROM cases WHERE opened_by = $1', [r.receiptId])).rows[0]!;
  caseId = kase.id;
  caseNumber = kase.case_number;
  requestGuid = (await h.db.pool.query<{ record_guid: string }>('SELECT record_guid FROM inbound_documents WHERE capsule_id = $1', [r.receiptId])).rows[0]!.record_guid;
  receiptGuid = (await h.db.pool.query<{ record_guid: string }>('SELECT record_guid FROM outbound_documents WHERE case_id = $1', [caseId])).rows[0]!.record_guid;
});

/** What the case holds: the capsules filed into it and its own fields. */
const caseState = async () => ({
  capsules: await count('SELECT count(*) AS n FROM inbound_capsules WHERE case_id = $1', [caseId]),
  row: (await h.db.pool.query('SELECT kov_code, category, status, title, answered_at FROM cases WHERE id = $1', [caseId])).rows[0],
  cases: await count('SELECT count(*) AS n FROM cases'),
});

describe('a reply naming another organisation’s case', () => {
  test.each([
    ['its case number (Initiator)', () => ({ initiator: caseNumber }), /case LHO-\d{4}-\d+, which/],
    ['the RecordGuid of SKA’s receipt (RecipientRecordGuid)', () => ({ recipientRecordGuid: receiptGuid }), /a document SKA sent in case LHO-/],
    ['the RecordGuid of the owner’s request (RecipientRecordGuid)', () => ({ recipientRecordGuid: requestGuid }), /a request filed in case LHO-/],
  ])('%s goes to triage with the reason; the case is untouched', async (_what, naming, reason) => {
    const before = await caseState();
    // Worded so that the rules alone would be confident: the refusal, not the wording, sends it to triage.
    const r = await h.send(OTHER.code, await kovCapsule({ kov: OTHER, title: 'Nõustamise taotlus lastekaitsejuhtumis', ...naming() }));
    expect(await h.waitFor(r.receiptId!)).toBe('triage');
    const doc = await show(r.receiptId!);
    expect(doc).toMatchObject({ state: 'triage', caseId: null, category: null });
    expect(doc.triageReason).toMatch(reason);
    expect(doc.triageReason).toContain(`belongs to ${OWNER.code}, not to the sender ${OTHER.code}`);
    const hist = await h.db.pool.query<{ detail: { triageReason?: string } }>(`SELECT detail FROM inbound_state_history WHERE capsule_id = $1 AND state = 'triage'`, [r.receiptId]);
    expect(hist.rows[0]?.detail.triageReason).toMatch(/^reply refused: /);
    expect(await caseState()).toEqual(before);
  });

  test('an operator’s decision on it opens a case of its own: it is never filed into the case it named', async () => {
    const before = await caseState();
    const r = await h.send(OTHER.code, await kovCapsule({ kov: OTHER, title: 'Täiendavad andmed', initiator: caseNumber }));
    expect(await h.waitFor(r.receiptId!)).toBe('triage');
    expect((await dhx(['classify', r.receiptId!, 'noustamine', '--actor', 'test-operator'], h.env)).code).toBe(0);
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    const doc = await show(r.receiptId!);
    expect(doc.caseId).not.toBe(caseId);
    expect((await h.db.pool.query('SELECT kov_code FROM cases WHERE id = $1', [doc.caseId])).rows[0]).toEqual({ kov_code: OTHER.code });
    expect((await caseState()).capsules).toBe(before.capsules);
  });
});

describe('a reply from the case’s own organisation', () => {
  test.each([
    ['its case number', () => ({ initiator: caseNumber })],
    ['the RecordGuid of SKA’s receipt', () => ({ recipientRecordGuid: receiptGuid })],
  ])('naming %s is filed into the case, as before', async (_what, naming) => {
    const r = await h.send(OWNER.code, await kovCapsule({ kov: OWNER, title: 'Täiendavad andmed', ...naming() }));
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect(await show(r.receiptId!)).toMatchObject({ caseId, category: 'klat_arvamus', triageReason: null });
  });

  test('with its code written with the country prefix (EE…) in DecSender is the same organisation', async () => {
    const r = await h.send(OWNER.code, await kovCapsule({ kov: { ...OWNER, code: `EE${OWNER.code}` }, title: 'Täiendavad andmed', initiator: caseNumber }));
    expect(r.receiptId).toBeDefined();
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect((await show(r.receiptId!)).caseId).toBe(caseId);
  });

  test('sent by an intermediary that represents it (representedParty) is filed into the case', async () => {
    const intermediary = '70009999';
    await h.db.pool.query(`INSERT INTO addressbook_intermediaries (instance, member_class, member_code, subsystem, name) VALUES ('ee-dev', 'GOV', $1, 'DHX', 'Vahendaja')`, [intermediary]);
    await h.db.pool.query(
      `INSERT INTO addressbook_representees (instance, intermediary_class, intermediary_code, intermediary_subsystem, member_code, name, start_date)
       VALUES ('ee-dev', 'GOV', $1, 'DHX', $2, $3, now() - interval '1 day')`,
      [intermediary, OWNER.code, OWNER.name],
    );
    const envelope = sendDocumentEnvelope({ client: intermediary, service: SKA_CODE, consignmentId: randomUUID() }).replace(
      '</xrd:service>',
      `</xrd:service><repr:representedParty xmlns:repr="http://x-road.eu/xsd/representation.xsd"><repr:partyCode>${OWNER.code}</repr:partyCode></repr:representedParty>`,
    );
    const { body, contentType } = swaBody(envelope, await kovCapsule({ kov: OWNER, title: 'Täiendavad andmed', initiator: caseNumber }));
    const r = outcome((await post(h.url, body, contentType)).text);
    expect(r.receiptId).toBeDefined();
    expect(await h.waitFor(r.receiptId!)).toBe('done');
    expect((await show(r.receiptId!)).caseId).toBe(caseId);
  });
});
