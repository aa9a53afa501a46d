import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { testRedis } from '../helpers/redis';
import pg from 'pg';
import { ADMIN_URL } from '../helpers/db';
import fs from 'node:fs';
import { describeSpec, specPath } from '../conformance/spec';
import { addRepresentee } from '../../src/addressbook/representees';
import { blobLocation, readBlob } from '../../src/blob/read';
import { makeBlobStore } from '../../src/blob/store';
import { outcome, post, startAdapter, swaBody, type Harness } from './harness';

/**
 * The reference adapter's DHX-side cases (spec/dhx-adapter/INDEX.md), over HTTP against a running
 * adapter with real PostgreSQL and Redis. The adapter is configured as the samples' addressee (401).
 */
describeSpec('POST /dhx sendDocument (reference adapter cases)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAdapter({ XROAD_MEMBER_CODE: '401' });
  });
  afterAll(() => h.close());

  const soap = (name: string): string => fs.readFileSync(specPath('dhx-adapter/soap', name), 'utf8');
  const capsule = (name: string): Buffer => fs.readFileSync(specPath('dhx-adapter/capsules', name));
  const withConsignment = (env: string, id = randomUUID()): string => env.replace(/<prod:consignmentId>[^<]*</, `<prod:consignmentId>${id}<`);
  const send = async (env: string, att: Buffer | undefined, o = {}) => {
    const { body, contentType } = swaBody(env, att, o);
    const r = await post(h.url, body, contentType);
    return { ...r, ...outcome(r.text) };
  };

  test('the sample request with the valid capsule gets a receipt; the capsule is stored before it', async () => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request.xml')), capsule('kapsel_21_valid.xml'));
    expect(r.status).toBe(200);
    expect(r.receiptId).toMatch(/^[0-9a-f-]{36}$/);
    const row = await h.db.pool.query('SELECT state, sender, recipient, blob_sha256, size FROM inbound_capsules WHERE id = $1', [r.receiptId]);
    expect(row.rows[0]).toMatchObject({ state: 'received', sender: '400', recipient: '401' });
    // A small capsule is kept in the database, committed with its row: no file in the blob store.
    expect(await blobLocation(h.db.pool, row.rows[0].blob_sha256)).toBe('inline');
    expect(await readBlob(h.db.pool, makeBlobStore(h.dataDir), row.rows[0].blob_sha256)).toEqual(capsule('kapsel_21_valid.xml'));
    expect(fs.readdirSync(`${h.dataDir}/blobs`)).toEqual([]);
    expect(fs.readdirSync(`${h.dataDir}/tmp`)).toEqual([]);
    // The response echoes the X-Road header.
    expect(r.text).toContain('64a3ddbd-1620-42c4-b2fe-60b854c2f32f');
    expect(r.text).toMatch(/<id:memberCode>400<\/id:memberCode>/);
    // Then its id is queued for intake.
    const redis = testRedis();
    const queue = new Queue('intake', { connection: redis, prefix: h.prefix });
    try {
      let job = await queue.getJob(r.receiptId!);
      for (let i = 0; !job && i < 20; i++) {
        await new Promise((res) => setTimeout(res, 25));
        job = await queue.getJob(r.receiptId!);
      }
      expect(job?.data).toEqual({ id: r.receiptId });
    } finally {
      await queue.close();
      await redis.quit();
    }
  });

  test.each([
    ['an invalid capsule (no Transport)', 'kapsel_21_invalid_no_transport.xml', 'DHX.Validation'],
    ['input that is not XML', 'kapsel_21_not_xml.xml', 'DHX.Validation'],
    ['a base64(gzip) wrapped capsule', 'kapsel_21_gzip_base64.txt', 'DHX.Validation'],
    ['a capsule for another addressee (500)', 'kapsel_21_other_addressee_500.xml', 'DHX.InvalidAddressee'],
    ['a capsule whose DecSender differs from the X-Road client', 'kapsel_21_other_sender_500.xml', 'DHX.SenderDoesNotMatch'],
  ])('%s (%s) gets %s', async (_n, file, code) => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request.xml')), capsule(file));
    expect(r.status).toBe(200);
    expect(r.faultCode).toBe(code);
    expect(r.faultString?.length).toBeGreaterThan(5);
  });

  test('no attachment gets DHX.Validation (the spec; the reference adapter answers a SOAP Fault)', async () => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request.xml')), undefined);
    expect(r.faultCode).toBe('DHX.Validation');
  });

  test('DHXVersion 2.0 gets DHX.UnsupportedVersion', async () => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request_version.xml')), capsule('kapsel_21_valid.xml'));
    expect(r.faultCode).toBe('DHX.UnsupportedVersion');
  });

  test('a subsystem not accepted (DHX.system) gets DHX.InvalidAddressee', async () => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request_subsystem.xml')), capsule('kapsel_21_valid.xml'));
    expect(r.faultCode).toBe('DHX.InvalidAddressee');
  });

  test('a duplicate consignment gets DHX.Duplicate; a rejected one may be resent with the same id', async () => {
    const id = randomUUID();
    const rejected = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_invalid_no_transport.xml'));
    expect(rejected.faultCode).toBe('DHX.Validation');
    const first = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_valid.xml'));
    expect(first.receiptId).toBeDefined();
    const again = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_valid.xml'));
    expect(again.faultCode).toBe('DHX.Duplicate');
  });

  test('receipts given at the same moment are each queued for intake once (batched to Redis)', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => send(withConsignment(soap('dhx_sendDocument_request.xml')), capsule('kapsel_21_valid.xml'))),
    );
    const ids = results.map((r) => r.receiptId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    const redis = testRedis();
    const queue = new Queue('intake', { connection: redis, prefix: h.prefix });
    try {
      const found = async (): Promise<string[]> =>
        (await Promise.all(ids.map((id) => queue.getJob(id!)))).filter((j) => j).map((j) => j!.data.id as string);
      let jobs = await found();
      for (let i = 0; jobs.length < ids.length && i < 40; i++) {
        await new Promise((res) => setTimeout(res, 25));
        jobs = await found();
      }
      expect(jobs.sort()).toEqual([...ids].sort());
    } finally {
      await queue.close();
      await redis.quit();
    }
  });

  test('a resent consignment that would now fail a later check still gets DHX.Duplicate (the duplicate check comes first)', async () => {
    const id = randomUUID();
    const first = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_valid.xml'));
    expect(first.receiptId).toBeDefined();
    for (const [request, file] of [
      ['dhx_sendDocument_request_version.xml', 'kapsel_21_valid.xml'],
      ['dhx_sendDocument_request.xml', 'kapsel_21_invalid_no_transport.xml'],
      ['dhx_sendDocument_request.xml', 'kapsel_21_other_addressee_500.xml'],
      ['dhx_sendDocument_request.xml', 'kapsel_21_other_sender_500.xml'],
    ] as const) {
      const again = await send(withConsignment(soap(request), id), capsule(file));
      expect([file, again.faultCode]).toEqual([file, 'DHX.Duplicate']);
    }
  });

  test('a consignment id received longer ago than the duplicate window is accepted again', async () => {
    const id = randomUUID();
    const first = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_valid.xml'));
    expect(first.receiptId).toBeDefined();
    await h.db.pool.query(`UPDATE inbound_capsules SET received_at = now() - interval '31 days' WHERE id = $1`, [first.receiptId]);
    const again = await send(withConsignment(soap('dhx_sendDocument_request.xml'), id), capsule('kapsel_21_valid.xml'));
    expect(again.receiptId).toBeDefined();
    expect(again.receiptId).not.toBe(first.receiptId);
  });

  test('concurrent sends of one consignment get exactly one receipt', async () => {
    const env = withConsignment(soap('dhx_sendDocument_request.xml'));
    const results = await Promise.all(Array.from({ length: 6 }, () => send(env, capsule('kapsel_21_valid.xml'))));
    expect(results.filter((r) => r.receiptId)).toHaveLength(1);
    expect(results.filter((r) => r.faultCode === 'DHX.Duplicate')).toHaveLength(5);
  });

  test('a representee: unknown → InvalidAddressee; active → receipt; expired → InvalidAddressee', async () => {
    const env = (): string => withConsignment(soap('dhx_sendDocument_request_representee.xml'));
    expect((await send(env(), capsule('kapsel_21_other_addressee_500.xml'))).faultCode).toBe('DHX.InvalidAddressee');
    await addRepresentee(h.db.pool, { memberCode: '500', name: 'Representee 1' });
    expect((await send(env(), capsule('kapsel_21_other_addressee_500.xml'))).receiptId).toBeDefined();
    await h.db.pool.query(`UPDATE representees SET start_date = now() - interval '2 days', end_date = now() - interval '1 day' WHERE member_code = '500'`);
    expect((await send(env(), capsule('kapsel_21_other_addressee_500.xml'))).faultCode).toBe('DHX.InvalidAddressee');
  });

  test.each([
    ['base64, <doc>', { encoding: 'base64' as const }],
    ['binary transfer encoding', { encoding: 'binary' as const }],
    ['Content-ID without angle brackets', { contentIdHeader: 'doc' }],
    ['part headers in upper case', { upperCaseHeaders: true }],
  ])('the attachment is found with %s', async (_n, o) => {
    const r = await send(withConsignment(soap('dhx_sendDocument_request.xml')), capsule('kapsel_21_valid.xml'), o);
    expect(r.receiptId).toBeDefined();
  });

  test('a representedParty: refused from a client the address book does not know as an intermediary; from one that represents the party, DecSender must be the party', async () => {
    const withParty = (party: string): string =>
      withConsignment(soap('dhx_sendDocument_request.xml')).replace(
        /<\/ns4:service>/,
        `</ns4:service><repr:representedParty xmlns:repr="http://x-road.eu/xsd/representation.xsd"><repr:partyCode>${party}</repr:partyCode></repr:representedParty>`,
      );
    const unknown = await send(withParty('500'), capsule('kapsel_21_other_sender_500.xml'));
    expect(unknown.faultCode).toBe('DHX.SenderDoesNotMatch');
    expect(unknown.faultString).toMatch(/intermediary/);

    await h.db.pool.query(
      `INSERT INTO addressbook_intermediaries (instance, member_class, member_code, subsystem, name) VALUES ('ee-dev', 'GOV', '400', 'DHX', 'Vahendaja')`,
    );
    try {
      // An intermediary speaks only for its own representees (test/dhx/sender-trust.test.ts has the rest).
      expect((await send(withParty('500'), capsule('kapsel_21_other_sender_500.xml'))).faultCode).toBe('DHX.SenderDoesNotMatch');
      await h.db.pool.query(
        `INSERT INTO addressbook_representees (instance, intermediary_class, intermediary_code, intermediary_subsystem, member_code, name, start_date)
         VALUES ('ee-dev', 'GOV', '400', 'DHX', '500', 'Esindatav', now() - interval '1 day')`,
      );
      const accepted = await send(withParty('500'), capsule('kapsel_21_other_sender_500.xml'));
      expect(accepted.receiptId).toBeDefined();
      const row = await h.db.pool.query('SELECT sender, represented_party FROM inbound_capsules WHERE id = $1', [accepted.receiptId]);
      expect(row.rows[0]).toEqual({ sender: '500', represented_party: '500' });
      // The intermediary's own DecSender is not the party it claims to send for.
      const mismatch = await send(withParty('500'), capsule('kapsel_21_valid.xml'));
      expect(mismatch.faultCode).toBe('DHX.SenderDoesNotMatch');
      expect(mismatch.faultString).toMatch(/representedParty 500/);
    } finally {
      await h.db.pool.query(`DELETE FROM addressbook_intermediaries WHERE member_code = '400'`);
    }
  });

  test('a URL-encoded cid reference finds its part', async () => {
    const env = withConsignment(soap('dhx_sendDocument_request.xml')).replace('cid:doc', 'cid:capsule%40example.ee');
    const r = await send(env, capsule('kapsel_21_valid.xml'), { cid: 'capsule@example.ee' });
    expect(r.receiptId).toBeDefined();
  });

  test('representationList lists active representees, endDate only when set', async () => {
    await addRepresentee(h.db.pool, { memberCode: '510', name: 'Lasteaed', system: 'system', end: new Date(Date.now() + 86_400_000) });
    const r = await post(h.url, soap('dhx_representationList_request.xml'), 'text/xml; charset=utf-8');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<dhx:memberCode>510</dhx:memberCode>');
    expect(r.text).toContain('<dhx:representeeSystem>system</dhx:representeeSystem>');
    expect(r.text).toMatch(/<dhx:endDate>/);
  });

  test('GET /dhx?wsdl serves the WSDL with DHXVersion; GET /health answers 200 when Postgres and Redis do', async () => {
    const wsdl = await fetch(`${h.url}/dhx?wsdl`);
    expect(await wsdl.text()).toContain('name="DHXVersion"');
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
  });
});

describeSpec('POST /dhx configuration-dependent cases', () => {
  const soap = (name: string): string => fs.readFileSync(specPath('dhx-adapter/soap', name), 'utf8');
  const capsule = (name: string): Buffer => fs.readFileSync(specPath('dhx-adapter/capsules', name));
  const fresh = (env: string): string => env.replace(/<prod:consignmentId>[^<]*</, `<prod:consignmentId>${randomUUID()}<`);

  test('an accepted subsystem (DHX.system in DHX_ACCEPTED_SUBSYSTEMS) gets a receipt', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', DHX_ACCEPTED_SUBSYSTEMS: 'DHX,DHX.system' });
    try {
      const { body, contentType } = swaBody(fresh(soap('dhx_sendDocument_request_subsystem.xml')), capsule('kapsel_21_valid.xml'));
      expect(outcome((await post(h.url, body, contentType)).text).receiptId).toBeDefined();
    } finally {
      await h.close();
    }
  });

  test('a representee with a system: the request names recipient 500 and recipientSystem "system"', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401' });
    try {
      // The reference test pairs the plain envelope with this body payload.
      const payload = soap('dhx_payload_sendDocument_request_representee_subsystem.xml').replace(/ xmlns:prod="[^"]*"/, '');
      const env = fresh(soap('dhx_sendDocument_request.xml').replace(/<prod:sendDocument>[\s\S]*<\/prod:sendDocument>/, payload));
      const send = async (): Promise<string | undefined> => {
        const { body, contentType } = swaBody(fresh(env), capsule('kapsel_21_other_addressee_500.xml'));
        const o = outcome((await post(h.url, body, contentType)).text);
        return o.receiptId ? 'receipt' : o.faultCode;
      };
      await addRepresentee(h.db.pool, { memberCode: '500', name: 'Representee 1' });
      expect(await send()).toBe('DHX.InvalidAddressee'); // 500 is represented, but not on system "system"
      await addRepresentee(h.db.pool, { memberCode: '500', name: 'Representee 1', system: 'system' });
      expect(await send()).toBe('receipt');
    } finally {
      await h.close();
    }
  });

  test('representationList with no representees is an empty list', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401' });
    try {
      const r = await post(h.url, soap('dhx_representationList_request.xml'), 'text/xml');
      expect(r.text).toMatch(/<dhx:representees><\/dhx:representees>|<dhx:representees\/>/);
    } finally {
      await h.close();
    }
  });
});

describeSpec('POST /dhx blob storage', () => {
  test('a capsule larger than DHX_INLINE_BLOB_BYTES is a file in the blob store (0600, folders 0700), fsynced before the receipt', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', DHX_INLINE_BLOB_BYTES: '1KB' });
    try {
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const content = fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml'));
      expect(content.length).toBeGreaterThan(1000);
      const { body, contentType } = swaBody(env, content);
      const r = outcome((await post(h.url, body, contentType)).text);
      expect(r.receiptId).toBeDefined();
      const { sha } = (await h.db.pool.query('SELECT blob_sha256 AS sha FROM inbound_capsules WHERE id = $1', [r.receiptId])).rows[0];
      expect(await blobLocation(h.db.pool, sha)).toBe('file');
      const store = makeBlobStore(h.dataDir);
      const file = store.pathOf(sha);
      expect(fs.readFileSync(file)).toEqual(content);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(`${h.dataDir}/blobs/${sha.slice(0, 2)}`).mode & 0o777).toBe(0o700);
      expect(await readBlob(h.db.pool, store, sha)).toEqual(content);
      expect(fs.readdirSync(`${h.dataDir}/tmp`)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  test('DHX_INLINE_BLOB_BYTES=0 keeps every capsule as a file', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', DHX_INLINE_BLOB_BYTES: '0' });
    try {
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const { body, contentType } = swaBody(env, fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml')));
      const r = outcome((await post(h.url, body, contentType)).text);
      const { sha } = (await h.db.pool.query('SELECT blob_sha256 AS sha FROM inbound_capsules WHERE id = $1', [r.receiptId])).rows[0];
      expect(await blobLocation(h.db.pool, sha)).toBe('file');
    } finally {
      await h.close();
    }
  });
});

describeSpec('POST /dhx limits and access', () => {
  test('a capsule over DHX_MAX_CAPSULE_BYTES gets DHX.SizeLimitExceeded and nothing is kept', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', DHX_MAX_CAPSULE_BYTES: '4KB' });
    try {
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const { body, contentType } = swaBody(env, fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml')));
      const r = await post(h.url, body, contentType);
      expect(outcome(r.text).faultCode).toBe('DHX.SizeLimitExceeded');
      expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules')).rows[0].n).toBe(0);
      expect(fs.readdirSync(`${h.dataDir}/tmp`)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  test('with Redis down: /health is 503 naming redis, and a capsule is still receipted (the row is the record)', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const health = await fetch(`${h.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', failed: ['redis'] });
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const { body, contentType } = swaBody(env, fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml')));
      const o = outcome((await post(h.url, body, contentType)).text);
      expect(o.receiptId).toBeDefined();
      expect((await h.db.pool.query('SELECT state FROM inbound_capsules WHERE id = $1', [o.receiptId])).rows[0].state).toBe('received');
    } finally {
      await h.close();
    }
  });

  test('with PostgreSQL unavailable: a SOAP Fault (HTTP 500), never a receipt', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401' });
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${h.db.name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [h.db.name]);
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const { body, contentType } = swaBody(env, fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml')));
      const r = await post(h.url, body, contentType);
      expect(r.status).toBe(500);
      expect(outcome(r.text)).toEqual({ soapFault: expect.stringMatching(/nothing was receipted/) });
      expect((await fetch(`${h.url}/health`)).status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE ${h.db.name} ALLOW_CONNECTIONS true`);
      await admin.end();
      await h.close();
    }
  });

  test('/metrics counts requests by outcome and fault code', async () => {
    const h = await startAdapter({ XROAD_MEMBER_CODE: '401', ADMIN_TOKEN: 'metrics-scraper-token-0123' });
    try {
      const env = fs.readFileSync(specPath('dhx-adapter/soap/dhx_sendDocument_request.xml'), 'utf8');
      const ok = swaBody(env, fs.readFileSync(specPath('dhx-adapter/capsules/kapsel_21_valid.xml')));
      await post(h.url, ok.body, ok.contentType);
      await post(h.url, ok.body, ok.contentType); // duplicate
      const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-scraper-token-0123' } })).text();
      expect(text).toMatch(/dhx_requests_total\{operation="sendDocument",outcome="receipt",fault_code=""\} 1/);
      expect(text).toMatch(/dhx_requests_total\{operation="sendDocument",outcome="fault",fault_code="DHX.Duplicate"\} 1/);
      expect(text).toMatch(/dhx_capsule_bytes_total \d+/);
      expect(text).toMatch(/dhx_request_duration_seconds_bucket/);
    } finally {
      await h.close();
    }
  });

  test('a caller outside DHX_ALLOWED_CLIENTS gets 403', async () => {
    const h = await startAdapter({ DHX_ALLOWED_CLIENTS: '10.0.0.0/8' });
    try {
      const r = await post(h.url, '<x/>', 'text/xml');
      expect(r.status).toBe(403);
    } finally {
      await h.close();
    }
  });
});
