import { randomUUID } from 'node:crypto';
import { KOVS, SKA_CODE, kovCapsule } from '../intake/kov';
import { outcome, post, sendDocumentEnvelope, startAdapter, swaBody, type Harness } from './harness';

/**
 * Who may send as whom (DHX §8.6). An X-Road member is its class and code together; an intermediary
 * speaks only for the organisations it itself represents, as the address book lists them now.
 */
let h: Harness;
beforeAll(async () => {
  h = await startAdapter();
});
afterAll(() => h.close());

const INTERMEDIARY = '70000001';
const OTHER_INTERMEDIARY = '70000002';
const [OWN_REP, OTHERS_REP, LAPSED_REP, DIRECT] = [KOVS[0]!, KOVS[1]!, KOVS[2]!, KOVS[3]!];

beforeAll(async () => {
  const q = (sql: string, params: unknown[]) => h.db.pool.query(sql, params);
  for (const code of [INTERMEDIARY, OTHER_INTERMEDIARY]) {
    await q(`INSERT INTO addressbook_intermediaries (instance, member_class, member_code, subsystem, name) VALUES ('ee-dev', 'GOV', $1, 'DHX', 'Vahendaja')`, [code]);
  }
  const represent = (intermediary: string, code: string, start: string, end: string | null) =>
    q(
      `INSERT INTO addressbook_representees (instance, intermediary_class, intermediary_code, intermediary_subsystem, member_code, name, start_date, end_date)
       VALUES ('ee-dev', 'GOV', $1, 'DHX', $2, 'Esindatav', now() + $3::interval, now() + $4::interval)`,
      [intermediary, code, start, end],
    );
  await represent(INTERMEDIARY, OWN_REP.code, '-1 day', null);
  await represent(OTHER_INTERMEDIARY, OTHERS_REP.code, '-1 day', null);
  await represent(INTERMEDIARY, LAPSED_REP.code, '-10 days', '-1 day');
  // The book knows these organisations as GOV members with a DHX subsystem.
  for (const kov of [OWN_REP, DIRECT]) {
    await q(`INSERT INTO addressbook_members (instance, member_class, member_code, subsystem, name) VALUES ('ee-dev', 'GOV', $1, 'DHX', $2)`, [kov.code, kov.name]);
  }
});

async function send(o: { clientCode: string; clientClass?: string; party?: { code: string; cls?: string }; decSender: (typeof KOVS)[number] }) {
  let envelope = sendDocumentEnvelope({ client: o.clientCode, service: SKA_CODE, consignmentId: randomUUID() });
  if (o.clientClass) envelope = envelope.replace('<id:memberClass>GOV</id:memberClass>', `<id:memberClass>${o.clientClass}</id:memberClass>`);
  if (o.party) {
    const cls = o.party.cls ? `<repr:partyClass>${o.party.cls}</repr:partyClass>` : '';
    envelope = envelope.replace(
      '</xrd:service>',
      `</xrd:service><repr:representedParty xmlns:repr="http://x-road.eu/xsd/representation.xsd">${cls}<repr:partyCode>${o.party.code}</repr:partyCode></repr:representedParty>`,
    );
  }
  const { body, contentType } = swaBody(envelope, await kovCapsule({ kov: o.decSender, title: 'Nõustamise taotlus' }));
  const r = await post(h.url, body, contentType);
  expect(r.status).toBe(200);
  return outcome(r.text);
}

describe('representedParty', () => {
  test('an active representee of the sending intermediary is accepted', async () => {
    const r = await send({ clientCode: INTERMEDIARY, party: { code: OWN_REP.code }, decSender: OWN_REP });
    expect(r.receiptId).toBeDefined();
    const row = await h.db.pool.query('SELECT sender, represented_party FROM inbound_capsules WHERE id = $1', [r.receiptId]);
    expect(row.rows[0]).toEqual({ sender: OWN_REP.code, represented_party: OWN_REP.code });
  });

  test('a representee of a different intermediary gets DHX.SenderDoesNotMatch', async () => {
    const r = await send({ clientCode: INTERMEDIARY, party: { code: OTHERS_REP.code }, decSender: OTHERS_REP });
    expect(r.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(r.faultString).toContain(`representedParty ${OTHERS_REP.code} is not an active representee of the intermediary ee-dev/GOV/${INTERMEDIARY}/DHX`);
  });

  test('a representation that has ended gets DHX.SenderDoesNotMatch', async () => {
    const r = await send({ clientCode: INTERMEDIARY, party: { code: LAPSED_REP.code }, decSender: LAPSED_REP });
    expect(r.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(r.faultString).toMatch(/not an active representee/);
  });

  test('an intermediary’s member code under another member class is not the intermediary', async () => {
    const r = await send({ clientCode: INTERMEDIARY, clientClass: 'COM', party: { code: OWN_REP.code }, decSender: OWN_REP });
    expect(r.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(r.faultString).toMatch(/only from a known DHX intermediary/);
  });

  test('a partyClass other than the class the address book knows the party by gets DHX.SenderDoesNotMatch; the right one is accepted', async () => {
    const wrong = await send({ clientCode: INTERMEDIARY, party: { code: OWN_REP.code, cls: 'COM' }, decSender: OWN_REP });
    expect(wrong.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(wrong.faultString).toMatch(/member class/);
    expect((await send({ clientCode: INTERMEDIARY, party: { code: OWN_REP.code, cls: 'GOV' }, decSender: OWN_REP })).receiptId).toBeDefined();
  });
});

describe('the X-Road client as DecSender', () => {
  test('a client whose member code matches DecSender but whose member class differs from the address book’s gets DHX.SenderDoesNotMatch', async () => {
    const r = await send({ clientCode: DIRECT.code, clientClass: 'COM', decSender: DIRECT });
    expect(r.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(r.faultString).toContain(`ee-dev/COM/${DIRECT.code}/DHX`);
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules WHERE sender = $1', [DIRECT.code])).rows[0].n).toBe(0);
  });

  test('the same client with the address book’s class is accepted; a code the book does not know is judged by the code alone', async () => {
    expect((await send({ clientCode: DIRECT.code, decSender: DIRECT })).receiptId).toBeDefined();
    const unknown = KOVS[4]!;
    expect((await send({ clientCode: unknown.code, clientClass: 'COM', decSender: unknown })).receiptId).toBeDefined();
  });
});
