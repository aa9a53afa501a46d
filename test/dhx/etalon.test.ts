import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildCapsuleToFile } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { addRepresentee } from '../../src/addressbook/representees';
import { incompressible } from '../../bench/content';
import { describeSpec, specPath } from '../conformance/spec';
import { outcome, post, sendDocumentEnvelope, startAdapter, swaBody, type Harness } from './harness';

/**
 * DHX-etalon test stories (spec/dhx-etalon/INDEX.md): the adapter as Ministeerium X (40000001), senders as
 * in the etalon's test data. Expected results are those the INDEX gives for each capsule.
 */
describeSpec('DHX-etalon cases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAdapter({ XROAD_MEMBER_CODE: '40000001' });
  });
  afterAll(() => h.close());

  const etalon = (name: string): Buffer => fs.readFileSync(specPath('dhx-etalon', name));
  const send = async (file: string | Buffer, client: string, consignmentId = randomUUID(), extra = {}) => {
    const env = sendDocumentEnvelope({ client, service: '40000001', consignmentId, ...extra });
    const { body, contentType } = swaBody(env, typeof file === 'string' ? etalon(file) : file);
    return outcome((await post(h.url, body, contentType)).text);
  };

  test('1: a correct capsule gets a receipt', async () => {
    expect((await send('kapsel_21.development.xml', 'adit')).receiptId).toBeDefined();
  });

  test('2: an invalid capsule (Transport without DecSender) gets DHX.Validation', async () => {
    expect((await send('kapsel_21invalid.xml', 'adit')).faultCode).toBe('DHX.Validation');
  });

  test('3: a capsule that is not XML (base64 of gzip) gets DHX.Validation', async () => {
    expect((await send('kapsel_not_kapsel.txt', 'adit')).faultCode).toBe('DHX.Validation');
  });

  test('4: the same consignment sent twice: a receipt, then DHX.Duplicate', async () => {
    const id = randomUUID();
    expect((await send('kapsel_21.development.xml', 'adit', id)).receiptId).toBeDefined();
    expect((await send('kapsel_21.development.xml', 'adit', id)).faultCode).toBe('DHX.Duplicate');
  });

  test('6: an application with access restriction and signatures from the intermediary 30000001 gets a receipt', async () => {
    expect((await send('DVKkapsel1.xml', '30000001')).receiptId).toBeDefined();
  });

  test('7: a capsule addressed to someone else gets DHX.InvalidAddressee', async () => {
    expect((await send('kapsel_wrong_address.xml', 'adit')).faultCode).toBe('DHX.InvalidAddressee');
  });

  test('9: the etalon2 variant (adit → 40000001) gets a receipt', async () => {
    expect((await send('kapsel_21.etalon2.xml', 'adit')).receiptId).toBeDefined();
  });

  test('10: a document for a representee (Vallavalitsus A 70000001) through its intermediary gets a receipt', async () => {
    const inter = await startAdapter({ XROAD_MEMBER_CODE: '30000001' });
    try {
      await addRepresentee(inter.db.pool, { memberCode: '70000001', name: 'Vallavalitsus A' });
      const env = sendDocumentEnvelope({ client: '40000001', service: '30000001', consignmentId: randomUUID(), recipient: '70000001' });
      const { body, contentType } = swaBody(env, etalon('DVKkapsel2.xml'));
      expect(outcome((await post(inter.url, body, contentType)).text).receiptId).toBeDefined();
    } finally {
      await inter.close();
    }
  });

  test('11: a large capsule (≥ 137 MB) is streamed, stored and receipted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-large-'));
    try {
      const file = path.join(dir, 'large.xml');
      const size = 101 * 1024 * 1024; // base64(gzip(random)) → ~138 MB capsule
      await buildCapsuleToFile(
        makeDraft({
          sender: { code: '30000001' },
          recipients: [{ code: '40000001' }],
          recordType: 'Kiri',
          title: 'Suur kapsel',
          originalIdentifier: 'large-1',
          files: [{ name: 'large.bin', mimeType: 'application/octet-stream', content: incompressible(size, 3) }],
        }),
        file,
      );
      const capsuleBytes = fs.statSync(file).size;
      expect(capsuleBytes).toBeGreaterThanOrEqual(137 * 1000 * 1000);
      const env = sendDocumentEnvelope({ client: '30000001', service: '40000001', consignmentId: randomUUID() });
      const boundary = 'LargeBoundary';
      const head = `--${boundary}\r\nContent-Type: text/xml\r\nContent-ID: <root>\r\n\r\n${env}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`;
      const tail = `\r\n--${boundary}--\r\n`;
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${h.url}/dhx`, { method: 'POST', headers: { 'content-type': `multipart/related; boundary=${boundary}; start="<root>"` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        });
        req.on('error', reject);
        req.write(head);
        const f = fs.createReadStream(file);
        f.on('end', () => req.end(tail));
        f.pipe(req, { end: false });
      });
      const o = outcome(text);
      expect(o).toEqual({ receiptId: expect.any(String) });
      const row = await h.db.pool.query('SELECT size FROM inbound_capsules WHERE id = $1', [o.receiptId]);
      expect(Number(row.rows[0].size)).toBe(capsuleBytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
