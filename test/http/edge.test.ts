import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { outcome, sendDocumentEnvelope, startAdapter, type Harness } from '../dhx/harness';
import { multipart, openFilesUnder, openRaw, portOf, rawRequest, requestHead, statusOf, waitUntil } from './raw';

/**
 * The HTTP edge tried as a careless client and as an attacker would: every malformed request gets an
 * answer, the daemon keeps serving, and nothing a request opened — a temporary file, its descriptor, a
 * place among the uploads — outlives it.
 */

const TOKEN = 'edge-test-admin-token-0123';
const BOUNDARY = 'edge-test-boundary';
const RELATED = `multipart/related; type="text/xml"; start="<rootpart>"; boundary="${BOUNDARY}"`;
const FORM = `multipart/form-data; boundary=${BOUNDARY}`;

const envelope = (): string => sendDocumentEnvelope({ client: '400', service: '70001975', consignmentId: randomUUID() });
const rootPart = (): { headers: string; body: string } => ({ headers: 'Content-Type: text/xml; charset=UTF-8\r\nContent-ID: <rootpart>', body: envelope() });
const binaryPart = (id: string, body: string | Buffer): { headers: string; body: string | Buffer } => ({
  headers: `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${id}>`,
  body,
});

const tmpFiles = (h: Harness): string[] => fs.readdirSync(path.join(h.dataDir, 'tmp'));

async function healthy(h: Harness): Promise<void> {
  const r = await fetch(`${h.url}/health`);
  expect(r.status).toBe(200);
}

describe('the HTTP edge', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startAdapter({
      ADMIN_TOKEN: TOKEN,
      // Every attachment byte goes to a temporary file, so a leak shows.
      DHX_INLINE_BLOB_BYTES: '0',
      HTTP_IDLE_TIMEOUT_SECONDS: '0.5',
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      HTTP_MAX_REQUEST_BYTES: '256KiB',
    });
    port = portOf(h.url);
  });
  afterAll(() => h.close());

  test('a request line whose absolute URL cannot be parsed gets 400, and the daemon answers the next request', async () => {
    const answer = await rawRequest(port, 'GET http://[/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
    await healthy(h);
  });

  test('a request that Node\'s parser refuses gets 400 on the socket, and the daemon answers the next request', async () => {
    const answer = await rawRequest(port, 'BREW /dhx HTCPCP/1.0\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
    await healthy(h);
  });

  test('a /dhx part header with a bad filename* escape gets a SOAP Fault (400), the daemon stays up, no temporary file is left', async () => {
    const body = multipart(BOUNDARY, [
      rootPart(),
      binaryPart('first', 'x'.repeat(1000)),
      { headers: `Content-Type: application/octet-stream\r\nContent-ID: <doc>\r\nContent-Disposition: attachment; filename*=UTF-8''%E0%A4%A`, body: 'abc' },
    ]);
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(statusOf(answer)).toBe(400);
    expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    await healthy(h);
    expect(tmpFiles(h)).toEqual([]);
  });

  test('a /api/opinions part header with a bad filename* escape gets 400 and the daemon stays up', async () => {
    const body = multipart(BOUNDARY, [
      { headers: 'Content-Disposition: form-data; name="case"', body: 'KLAT-1' },
      { headers: `Content-Disposition: form-data; name="file"; filename*=UTF-8''%ZZ`, body: 'opinion text' },
    ]);
    const head = requestHead({ target: '/api/opinions', contentType: FORM, length: body.length, extra: `Authorization: Bearer ${TOKEN}\r\n` });
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(head), body]));
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('malformed');
    await healthy(h);
  });

  test('a multipart body without a boundary gets 400, on /dhx and /api/opinions', async () => {
    const dhx = await rawRequest(port, `${requestHead({ contentType: 'multipart/related; type="text/xml"', length: 5 })}hello`);
    expect(statusOf(dhx)).toBe(400);
    expect(dhx).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    const head = requestHead({ target: '/api/opinions', contentType: 'multipart/form-data', length: 5, extra: `Authorization: Bearer ${TOKEN}\r\n` });
    expect(statusOf(await rawRequest(port, `${head}hello`))).toBe(400);
  });

  test('headers not finished within HTTP_HEADERS_TIMEOUT_SECONDS get 408 and the connection closes', async () => {
    const ex = await openRaw(port, 'POST /dhx HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const answer = await ex.answer(4000);
    expect(statusOf(answer)).toBe(408);
  });

  test('a /dhx upload silent for HTTP_IDLE_TIMEOUT_SECONDS gets 408; its temporary file is removed and closed', async () => {
    const start = multipart(BOUNDARY, [rootPart()], false);
    const partHead = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`);
    const some = Buffer.alloc(32 * 1024, 0x41);
    const ex = await openRaw(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: 200_000 })), start, partHead, some]));
    await waitUntil(() => tmpFiles(h).length === 1, 3000, 'the temporary file');
    const answer = await ex.answer(3000);
    expect(statusOf(answer)).toBe(408);
    expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    expect(tmpFiles(h)).toEqual([]);
    expect(openFilesUnder(h.dataDir)).toEqual([]);
  });

  test('a /api/opinions form silent for HTTP_IDLE_TIMEOUT_SECONDS gets 408', async () => {
    const partial = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="arvamus.txt"\r\n\r\nthe beginning of`);
    const head = requestHead({ target: '/api/opinions', contentType: FORM, length: 100_000, extra: `Authorization: Bearer ${TOKEN}\r\n` });
    const ex = await openRaw(port, Buffer.concat([Buffer.from(head), partial]));
    const answer = await ex.answer(3000);
    expect(statusOf(answer)).toBe(408);
  });

  test('a client that disconnects mid-upload: its temporary file is removed and its descriptor closed at once', async () => {
    const start = multipart(BOUNDARY, [rootPart()], false);
    const partHead = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`);
    const ex = await openRaw(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: 200_000 })), start, partHead, Buffer.alloc(16 * 1024, 0x42)]));
    await waitUntil(() => tmpFiles(h).length === 1 && openFilesUnder(h.dataDir).length === 1, 3000, 'the open temporary file');
    ex.socket.destroy();
    // Well before the idle timeout (0.5 s) could be what frees it.
    await waitUntil(() => tmpFiles(h).length === 0 && openFilesUnder(h.dataDir).length === 0, 300, 'the file removed and closed');
  });

  test('a chunked body whose framing breaks mid-upload gets 400; its temporary file is removed and closed', async () => {
    const start = Buffer.concat([
      multipart(BOUNDARY, [rootPart()], false),
      Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`),
      Buffer.alloc(8192, 0x46),
    ]);
    const head = `POST /dhx HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${RELATED}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const ex = await openRaw(port, Buffer.concat([Buffer.from(head), Buffer.from(`${start.length.toString(16)}\r\n`), start, Buffer.from('\r\n')]));
    await waitUntil(() => tmpFiles(h).length === 1, 3000, 'the temporary file');
    ex.socket.write('this is not a chunk size\r\n');
    expect(statusOf(await ex.answer(2000))).toBe(400);
    await waitUntil(() => tmpFiles(h).length === 0 && openFilesUnder(h.dataDir).length === 0, 300, 'the file removed and closed');
    await healthy(h);
  });

  test('start= naming no part: a SOAP Fault, and every temporary file is removed', async () => {
    const body = multipart(BOUNDARY, [rootPart(), binaryPart('doc', 'capsule bytes'), binaryPart('other', 'more bytes')]);
    const type = `multipart/related; type="text/xml"; start="<nothere>"; boundary="${BOUNDARY}"`;
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: type, length: body.length })), body]));
    expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    expect(answer).toContain('nothere');
    expect(tmpFiles(h)).toEqual([]);
  });

  test.each([['--boundary-', '-'], ['--boundary and a line end', '\r\n'], ['--boundary', '']])(
    'a body that ends at %s, without the closing delimiter, gets 400 and every temporary file is removed',
    async (_what, tail) => {
      const parts = multipart(BOUNDARY, [rootPart(), binaryPart('doc', Buffer.alloc(8 * 1024, 0x41))], false);
      const body = Buffer.concat([parts, Buffer.from(`--${BOUNDARY}${tail}`)]);
      const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
      expect(statusOf(answer)).toBe(400);
      expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
      await waitUntil(() => tmpFiles(h).length === 0 && openFilesUnder(h.dataDir).length === 0, 2000, 'the file removed and closed');
    },
  );

  test('a repeated Content-ID: a SOAP Fault, and every temporary file is removed', async () => {
    const body = multipart(BOUNDARY, [rootPart(), binaryPart('doc', 'first capsule'), binaryPart('doc', 'second capsule')]);
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    expect(answer).toContain('two parts have the Content-ID doc');
    expect(tmpFiles(h)).toEqual([]);
  });

  test('parts over HTTP_MAX_REQUEST_BYTES all together get DHX.SizeLimitExceeded and nothing is kept', async () => {
    // Each part is far below DHX_MAX_CAPSULE_BYTES; together they pass the request's limit (256 KiB).
    const parts = [rootPart(), ...Array.from({ length: 6 }, (_, i) => binaryPart(`p${i}`, Buffer.alloc(60 * 1024, 0x43)))];
    const body = multipart(BOUNDARY, parts);
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(statusOf(answer)).toBe(200);
    expect(outcome(answer.slice(answer.indexOf('\r\n\r\n'))).faultCode).toBe('DHX.SizeLimitExceeded');
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules')).rows[0].n).toBe(0);
    expect(tmpFiles(h)).toEqual([]);
  });

  test('a body over HTTP_MAX_REQUEST_BYTES before any envelope was read gets 413 with a SOAP Fault, nothing kept', async () => {
    // No header to echo, so no DHX answer can be built: HTTP says what happened.
    const body = Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/xml\r\n\r\n`), Buffer.alloc(400 * 1024, 0x20)]);
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(statusOf(answer)).toBe(413);
    expect(answer).toMatch(/<faultcode>[^<]*Client<\/faultcode>/);
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules')).rows[0].n).toBe(0);
    expect(tmpFiles(h)).toEqual([]);
  });

  test('a /api/opinions form over HTTP_MAX_REQUEST_BYTES gets 413', async () => {
    const body = multipart(BOUNDARY, [
      { headers: 'Content-Disposition: form-data; name="case"', body: 'KLAT-1' },
      { headers: 'Content-Disposition: form-data; name="file"; filename="arvamus.pdf"', body: Buffer.alloc(300 * 1024, 0x44) },
    ]);
    const head = requestHead({ target: '/api/opinions', contentType: FORM, length: body.length, extra: `Authorization: Bearer ${TOKEN}\r\n` });
    const answer = await rawRequest(port, Buffer.concat([Buffer.from(head), body]));
    expect(statusOf(answer)).toBe(413);
  });

  test('/metrics needs the ADMIN_TOKEN as a Bearer token', async () => {
    const anonymous = await fetch(`${h.url}/metrics`);
    expect(anonymous.status).toBe(401);
    await anonymous.text();
    const scraper = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraper.status).toBe(200);
    expect(await scraper.text()).toContain('dhx_requests_total');
  });

  test('/health answers while every connection of the receipt pool is taken', async () => {
    const held = await Promise.all(Array.from({ length: 10 }, () => h.app.pool.connect()));
    try {
      const r = await fetch(`${h.url}/health`, { signal: AbortSignal.timeout(2000) });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: 'ok' });
    } finally {
      for (const c of held) c.release();
    }
  });

  test('a flood of /health never queries the receipt pool', async () => {
    const pool = h.app.pool;
    const original = pool.query.bind(pool);
    let healthQueries = 0;
    pool.query = ((...args: Parameters<typeof original>) => {
      if (args[0] === 'SELECT 1') healthQueries++;
      return original(...args);
    }) as typeof pool.query;
    try {
      const answers = await Promise.all(Array.from({ length: 100 }, () => fetch(`${h.url}/health`).then((r) => r.status)));
      expect(answers.every((s) => s === 200)).toBe(true);
      expect(healthQueries).toBe(0);
    } finally {
      pool.query = original;
    }
  });
});

describe('the limit on concurrent uploads', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startAdapter({ HTTP_MAX_CONCURRENT_UPLOADS: '1', DHX_INLINE_BLOB_BYTES: '0', ADMIN_TOKEN: TOKEN });
    port = portOf(h.url);
  });
  afterAll(() => h.close());

  test('past HTTP_MAX_CONCURRENT_UPLOADS a request gets 503 with Retry-After and a SOAP Fault Server; a finished upload frees its place', async () => {
    const start = multipart(BOUNDARY, [rootPart()], false);
    const partHead = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`);
    const first = await openRaw(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: 200_000 })), start, partHead, Buffer.alloc(1024, 0x45)]));
    await waitUntil(() => fs.readdirSync(path.join(h.dataDir, 'tmp')).length === 1, 3000, 'the first upload under way');

    const body = multipart(BOUNDARY, [rootPart(), binaryPart('doc', 'a capsule')]);
    const refused = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(statusOf(refused)).toBe(503);
    expect(refused).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(refused).toMatch(/<faultcode>[^<]*Server<\/faultcode>/);

    // The first client goes away: its handler settles and its place is free again.
    first.socket.destroy();
    await waitUntil(() => fs.readdirSync(path.join(h.dataDir, 'tmp')).length === 0, 2000, 'the first upload freed');
    const again = await rawRequest(port, Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]));
    expect(statusOf(again)).not.toBe(503);
    expect(statusOf(again)).toBeDefined();
  });

  test('past HTTP_MAX_CONCURRENT_UPLOADS a /api/opinions request gets 503 with Retry-After and a JSON error, as the API answers', async () => {
    const start = multipart(BOUNDARY, [rootPart()], false);
    const partHead = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`);
    const dhxHead = Buffer.from(requestHead({ contentType: RELATED, length: 200_000 }));
    const form = multipart(BOUNDARY, [{ headers: 'Content-Disposition: form-data; name="case"', body: 'SKA-1' }]);
    const formRequest = Buffer.concat([
      Buffer.from(requestHead({ target: '/api/opinions', contentType: FORM, length: form.length, extra: `Authorization: Bearer ${TOKEN}\r\n` })),
      form,
    ]);
    // The previous request may still hold the only place a moment after its answer: take it once it is free.
    const holder = Buffer.concat([dhxHead, start, partHead, Buffer.alloc(1024, 0x45)]);
    let first = await openRaw(port, holder);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (statusOf(first.received()) !== 503) break;
      first.socket.destroy();
      first = await openRaw(port, holder);
    }
    try {
      await waitUntil(() => fs.readdirSync(path.join(h.dataDir, 'tmp')).length === 1, 3000, 'the upload holding the only place');
      const refused = await rawRequest(port, formRequest);
      expect(statusOf(refused)).toBe(503);
      expect(refused).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect(refused).toMatch(/\r\ncontent-type: application\/json\r\n/i);
      const body = JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4)) as { error?: unknown };
      expect(typeof body.error).toBe('string');
    } finally {
      first.socket.destroy();
      await waitUntil(() => fs.readdirSync(path.join(h.dataDir, 'tmp')).length === 0, 2000, 'the upload freed');
    }
  });

  test('a /api/opinions client that disconnects mid-form: its handler settles and its place is free at once', async () => {
    const partial = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="arvamus.txt"\r\n\r\n${'x'.repeat(4096)}`);
    const head = requestHead({ target: '/api/opinions', contentType: FORM, length: 1_000_000, extra: `Authorization: Bearer ${TOKEN}\r\n` });
    const body = multipart(BOUNDARY, [rootPart(), binaryPart('doc', 'a capsule')]);
    const request = Buffer.concat([Buffer.from(requestHead({ contentType: RELATED, length: body.length })), body]);
    // A place is given back only after its request's temporary files are gone, a moment after the answer
    // left: the previous request may still hold it, and then the form is refused with 503. Open it again.
    let form = await openRaw(port, Buffer.concat([Buffer.from(head), partial]));
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (statusOf(form.received()) !== 503) break;
      form.socket.destroy();
      form = await openRaw(port, Buffer.concat([Buffer.from(head), partial]));
    }
    await waitUntil(async () => statusOf(await rawRequest(port, request)) === 503, 3000, 'the form holding the only place');
    form.socket.destroy();
    await waitUntil(async () => statusOf(await rawRequest(port, request)) !== 503, 2000, 'the place free again');
  });
});
