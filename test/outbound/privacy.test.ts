import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { enqueueSend } from '../../src/outbound/queue';
import { dhx } from '../cli/run';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { insertInbound } from '../intake/seed';
import { KOV, startSendHarness, type SendHarness } from './harness';

/**
 * docs/operations.md, "Privacy": a receiver's fault text is stored with personal codes masked and a
 * restricted case's titles left out.
 */

const CODE = makeTestPersonalCode(161); // fictional, valid checksum
const MASKED = maskedForm(CODE);
const SECRET_TITLE = 'Kinnise lasteasutuse taotlus: Jaan Kask';

let h: SendHarness;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  h = await startSendHarness();
  await h.startRuntime();
  env = { DATABASE_URL: h.db.url, REDIS_URL: 'redis://127.0.0.1:1' };
});
afterAll(() => h.close());
afterEach(() => h.sim.setFault(KOV, undefined));

describe('outbound fault messages as stored', () => {
  test('a business fault quoting a personal code is stored masked (row and history); dhx failed list and dhx show print it masked', async () => {
    h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Validation, faultString: `Adressaat ${CODE} ei ole teada` });
    const id = await h.queueDocument(KOV);
    expect(await h.waitFor(id, ['sent', 'failed'])).toMatchObject({ state: 'failed', fault_code: 'DHX.Validation' });
    const row = (await h.db.pool.query<{ fault_message: string }>('SELECT fault_message FROM outbound_documents WHERE id = $1', [id])).rows[0]!;
    expect(row.fault_message).toBe(`Adressaat ${MASKED} ei ole teada`);
    expect(JSON.stringify(await h.history(id))).not.toContain(CODE);

    for (const args of [['failed', 'list', '--json'], ['show', id, '--json']]) {
      const r = await dhx(args, env);
      expect(r.code).toBe(0);
      expect(r.out).toContain(MASKED);
      expect(r.out).not.toContain(CODE);
    }
  });

  test("a fault about a document of a restricted case does not keep the document's or the case's title", async () => {
    const inbound = await insertInbound(h.db.pool, Buffer.from('<DecContainer/>'), KOV, { state: 'done' });
    const caseId = (
      await h.db.pool.query<{ id: string }>(
        `INSERT INTO cases (id, case_number, opened_by, kov_code, kov_name, category, title, received_at, kov_reg_number, kov_reg_date, access_restricted)
         VALUES (gen_random_uuid(), 'LHO-2026-900001', $1, $2, 'Näidisvald', 'klat_arvamus', $3, now(), '7-1/1', now(), true) RETURNING id`,
        [inbound, KOV, SECRET_TITLE],
      )
    ).rows[0]!.id;
    const id = await h.queueDocument(KOV, { enqueue: false });
    await h.db.pool.query('UPDATE outbound_documents SET case_id = $2, title = $3 WHERE id = $1', [id, caseId, `Arvamus: ${SECRET_TITLE}`]);
    h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.Validation, faultString: `Dokument "Arvamus: ${SECRET_TITLE}" on vigane` });
    await enqueueSend(h.queue, id);
    expect(await h.waitFor(id, ['sent', 'failed'])).toMatchObject({ state: 'failed' });
    const row = (await h.db.pool.query<{ fault_message: string }>('SELECT fault_message FROM outbound_documents WHERE id = $1', [id])).rows[0]!;
    expect(row.fault_message).toBe('Dokument "[restricted]" on vigane');
    expect(JSON.stringify(await h.history(id))).not.toContain(SECRET_TITLE);
    const shown = await dhx(['show', id, '--json'], env);
    expect(shown.out).not.toContain(SECRET_TITLE);
    expect(JSON.parse(shown.out)).toMatchObject({ accessRestricted: true, title: '[restricted]', faultMessage: 'Dokument "[restricted]" on vigane' });
    const revealed = await dhx(['show', id, '--json', '--reveal'], env);
    expect(JSON.parse(revealed.out)).toMatchObject({ title: `Arvamus: ${SECRET_TITLE}` });
  });
});
