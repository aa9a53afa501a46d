import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { addRepresentee } from '../../src/addressbook/representees';
import { describeSpec, specPath } from '../conformance/spec';
import { outcome, post, startAdapter, swaBody, type Harness } from './harness';

/**
 * The reference adapter's test stories 1.1–1.10 (spec/dhx-adapter/testilood, adapter-server-testilood.md):
 * the adapter is dhs3 of the SoapUI project — GOV/40000001 with subsystems DHX and DHX.subsystem,
 * representing `vahendatav1` on system `subsytem` (sic).
 */
describeSpec('reference adapter test stories 1.1–1.10 (DHX side)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAdapter({ XROAD_MEMBER_CODE: '40000001', DHX_ACCEPTED_SUBSYSTEMS: 'DHX,DHX.subsystem' });
    await addRepresentee(h.db.pool, { memberCode: 'vahendatav1', name: 'Vahendatav 1', system: 'subsytem' });
  });
  afterAll(() => h.close());

  const story = (id: string): { request: string; attachment?: Buffer } => {
    const dir = specPath('dhx-adapter/testilood');
    const att = [`${id}_attachment.xml`, `${id}_attachment.txt`].map((f) => `${dir}/${f}`).find((f) => fs.existsSync(f));
    return { request: fs.readFileSync(`${dir}/${id}_request.xml`, 'utf8'), ...(att ? { attachment: fs.readFileSync(att) } : {}) };
  };
  const send = async (id: string, consignmentId = randomUUID()) => {
    const s = story(id);
    const env = s.request.replace(/<prod:consignmentId>[^<]*</, `<prod:consignmentId>${consignmentId}<`);
    if (!s.attachment) return post(h.url, env, 'text/xml; charset=utf-8');
    const { body, contentType } = swaBody(env, s.attachment);
    return post(h.url, body, contentType);
  };

  test.each([
    ['1.1', 'a correct capsule', 'receipt'],
    ['1.2', 'a correct capsule to the subsystem DHX.subsystem', 'receipt'],
    ['1.3', 'a capsule without Transport', 'DHX.Validation'],
    ['1.4', 'an attachment that is not XML', 'DHX.Validation'],
    ['1.6', 'a request for another member with an empty DecRecipient', 'DHX.InvalidAddressee'],
    ['1.8', 'a capsule with DecFolder ARVED', 'receipt'],
    ['1.9', 'a capsule for the representee vahendatav1', 'receipt'],
    ['1.10', 'a capsule for the representee vahendatav1 on its system', 'receipt'],
  ])('%s: %s → %s', async (id, _what, expected) => {
    const o = outcome((await send(id)).text);
    expect(o.receiptId ? 'receipt' : o.faultCode).toBe(expected);
  });

  test('1.5: a capsule sent twice with the same consignment id: a receipt, then DHX.Duplicate', async () => {
    const id = randomUUID();
    expect(outcome((await send('1.5', id)).text).receiptId).toBeDefined();
    expect(outcome((await send('1.5', id)).text).faultCode).toBe('DHX.Duplicate');
  });

  test('1.7: representationList names vahendatav1 with its system', async () => {
    const r = await send('1.7');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<dhx:memberCode>vahendatav1</dhx:memberCode>');
    expect(r.text).toContain('<dhx:representeeSystem>subsytem</dhx:representeeSystem>');
  });
});
