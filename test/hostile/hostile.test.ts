import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { baseDraft, baseMultipart, fileXml, multipartContentType, serialize, type Draft } from '../fuzz/draft';
import { startDaemon, type Daemon } from '../fuzz/daemon';
import { exchange, type Exchange } from '../fuzz/exchange';
import { judge } from '../fuzz/oracle';
import { mulberry32 } from '../fuzz/prng';

/**
 * Hostile requests of other shapes than the fuzzer's findings, against a spawned `dhx serve --role all`
 * with its own DATA_DIR (every capsule a temporary file first: DHX_INLINE_BLOB_BYTES=0), database and
 * queue prefix. Each gets a documented answer (test/fuzz/oracle.ts); throughout, the daemon keeps its
 * pid and /health (polled on fresh connections every 250 ms) answers 200 within 2 s; afterwards no
 * temporary file or descriptor under DATA_DIR is left.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A valid sendDocument request (the fuzzer's base case), changed by `change` before it is written. */
function request(change: (d: Draft) => void = () => undefined, seed = 1): Buffer {
  const r = mulberry32(seed);
  const d = baseDraft(r, `hostile-${randomUUID()}`);
  change(d);
  d.multipart ??= baseMultipart(d, r);
  const ct = d.http.headers.find(([k]) => k === 'Content-Type')!;
  if (ct[1] === '') ct[1] = multipartContentType(d.multipart);
  return serialize(d);
}

/** Opens a connection, for requests written piece by piece. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes or `ms` pass. */
function readAll(socket: net.Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const t = setTimeout(() => {
      socket.destroy();
      done();
    }, ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The connection is half-open on our side: the server's end is the end of its answer.
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

function statusOf(text: string): number | 'closed' {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 'closed';
}

/**
 * A refusal of a request that never completes: the connection closed, an HTTP error, a SOAP Fault, or
 * a DHX fault (e.g. DHX.SizeLimitExceeded as soon as a declared size is too large) — never a receipt.
 */
function expectRefused(text: string): void {
  expect([200, 400, 408, 413, 431, 500, 'closed']).toContain(statusOf(text));
  expect(text).not.toContain('receiptId');
  if (statusOf(text) === 200) expect(text).toMatch(/faultCode>DHX\./);
}

describe('hostile requests against a live daemon', () => {
  let daemon: Daemon;
  let pid: number;
  const slow: string[] = [];
  let polling = true;
  let poller: Promise<void>;
  let checks = 0;
  const send = (bytes: Buffer, o: { abort?: boolean; head?: boolean } = {}): Promise<Exchange> =>
    exchange(bytes, { port: daemon.port, answerMs: 10_000, closeMs: 10_000, idleMs: 300, ...o });

  beforeAll(async () => {
    daemon = await startDaemon({ role: 'all', env: { DHX_INLINE_BLOB_BYTES: '0', DHX_MAX_CAPSULE_BYTES: '8MiB' } });
    pid = daemon.pid();
    poller = (async () => {
      while (polling) {
        const h = await daemon.health(3000);
        checks++;
        if (h.status !== 200 || h.ms > 2000) slow.push(`${h.status} after ${h.ms} ms (${expect.getState().currentTestName})`);
        await sleep(250);
      }
    })();
  }, 60_000);

  afterAll(async () => {
    polling = false;
    await poller;
    await daemon?.stop();
  });

  afterEach(() => {
    expect(daemon.exit()).toBeUndefined();
    expect(daemon.pid()).toBe(pid);
  });

  test('the base request gets a receipt (the hostile ones below start from it)', async () => {
    const v = judge(await send(request()));
    expect(v).toMatchObject({ ok: true, label: '200 receipt' });
  });

  test('slowloris: headers dribbled for 3 s do not hold up anyone else; the half-sent request is closed or refused', async () => {
    const s = await connect(daemon.port);
    const answer = readAll(s, 15_000);
    s.write('POST /dhx HTTP/1.1\r\nHost: x\r\n');
    for (let i = 0; i < 30 && !s.destroyed; i++) {
      s.write(`X-Slow-${i}: ${'a'.repeat(10)}\r\n`);
      await sleep(100);
    }
    s.end();
    expectRefused(await answer);
  }, 30_000);

  test('a chunked body that does not end (3 s of garbage chunks) is refused without the daemon holding it all', async () => {
    const s = await connect(daemon.port);
    const answer = readAll(s, 20_000);
    const rssBefore = daemon.rssMb();
    s.write(`POST /dhx HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/related; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`);
    const until = Date.now() + 3000;
    while (Date.now() < until && !s.destroyed && s.writable) {
      if (!s.write(chunk)) await new Promise((r) => setTimeout(r, 5));
    }
    expect(daemon.rssMb() - rssBefore).toBeLessThan(100);
    s.end();
    expectRefused(await answer);
  }, 40_000);

  test('10 000 tiny multipart parts: a SOAP Fault (too many parts), not 10 000 temporary files', async () => {
    const bytes = request((d) => {
      d.multipart = baseMultipart(d, mulberry32(2));
      for (let i = 0; i < 10_000; i++) d.multipart.parts.push({ headers: [['Content-ID', `<p${i}>`]], body: Buffer.from('x') });
    });
    const x = await send(bytes);
    expect(judge(x)).toMatchObject({ ok: true });
    // Past the parts' limit the body is malformed: a SOAP Fault Client with 400 (README, POST /dhx).
    if (x.kind === 'answer') expect(x.status).toBe(400);
  });

  test('Content-Length of 1 GB, a small body, then silence: nothing is kept and the connection ends', async () => {
    const body = request().subarray(0, 3000).toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    const s = await connect(daemon.port);
    const answer = readAll(s, 15_000);
    s.write(`POST /dhx HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/related; boundary=x\r\nContent-Length: 1073741824\r\n\r\n${body}`);
    await sleep(2000);
    s.end();
    expectRefused(await answer);
  }, 30_000);

  test('request smuggling: Content-Length and Transfer-Encoding together are refused, the smuggled request is not served', async () => {
    const smuggled = 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n';
    const s = await connect(daemon.port);
    const answer = readAll(s, 5000);
    s.end(`POST /dhx HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`);
    const text = await answer;
    expect([400, 'closed']).toContain(statusOf(text));
    expect(text).not.toContain('# HELP');
  });

  test.each([
    ['a NUL byte in a header value', 'X-Test: a\u0000b'],
    ['a NUL byte in a header name', 'X-\u0000: b'],
    ['a header line without a colon', 'NoColonHere'],
  ])('%s: 400 or closed', async (_name, line) => {
    const x = await send(Buffer.from(`POST /dhx HTTP/1.1\r\nHost: x\r\n${line}\r\nContent-Length: 0\r\n\r\n`, 'latin1'));
    expect(judge(x)).toMatchObject({ ok: true });
    expect(x.kind === 'closed' || (x.kind === 'answer' && x.status === 400)).toBe(true);
  });

  test('billion laughs in the envelope: a SOAP Fault at once, entities never expanded', async () => {
    const laughs = [
      '<!DOCTYPE e [<!ENTITY a "aaaaaaaaaa">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`),
      ']>',
    ].join('');
    const x = await send(request((d) => (d.envelope = d.envelope.replace('<soapenv:Envelope', `${laughs}<soapenv:Envelope`).replace(/(<prod:consignmentId>)[^<]*/, '$1&j;'))));
    expect(x).toMatchObject({ kind: 'answer', status: 500 });
    expect(x.ms).toBeLessThan(2000);
    expect(daemon.rssMb()).toBeLessThan(500);
  });

  test('an envelope nested 100 000 elements deep: a documented answer, the daemon survives', async () => {
    const depth = 100_000;
    const x = await send(request((d) => (d.envelope = d.envelope.replace('<xrd:protocolVersion>', `${'<xrd:x>'.repeat(depth)}${'</xrd:x>'.repeat(depth)}<xrd:protocolVersion>`))));
    expect(judge(x)).toMatchObject({ ok: true });
  });

  test('a capsule whose file is a gzip bomb (64 MB of zeros in 64 KB): receipted or refused, and intake does not blow up', async () => {
    const bomb = (gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64').match(/.{1,76}/g) ?? []).join('\n');
    const x = await send(request((d) => (d.capsule = d.capsule.replace(/<File>[\s\S]*<\/File>\n/, fileXml(bomb)))));
    expect(judge(x)).toMatchObject({ ok: true });
    await sleep(1500);
    expect(daemon.rssMb()).toBeLessThan(600);
  });

  test('a swaRef that points at the envelope part itself: DHX.Validation', async () => {
    const x = await send(request((d) => (d.envelope = d.envelope.replace('cid:doc', 'cid:rootpart'))));
    expect(judge(x)).toMatchObject({ ok: true, label: '200 DHX.Validation' });
  });

  test('a swaRef that points at a third part while the capsule is also there: that part is judged, nothing is left', async () => {
    const x = await send(
      request((d) => {
        d.envelope = d.envelope.replace('cid:doc', 'cid:other');
        d.multipart = baseMultipart(d, mulberry32(3));
        d.multipart.parts.push({ headers: [['Content-ID', '<other>'], ['Content-Transfer-Encoding', 'binary']], body: Buffer.from('not a capsule') });
      }),
    );
    expect(judge(x)).toMatchObject({ ok: true, label: '200 DHX.Validation' });
  });

  test('HTTP/1.0 without Host: served like any request (a receipt)', async () => {
    const x = await send(
      request((d) => {
        d.http.version = 'HTTP/1.0';
        d.http.headers = d.http.headers.filter(([k]) => k !== 'Host');
      }),
    );
    expect(judge(x)).toMatchObject({ ok: true, label: '200 receipt' });
  });

  test('three pipelined requests on one connection are answered in order', async () => {
    const post = request((d) => (d.http.headers = d.http.headers.filter(([k]) => k !== 'Connection')));
    const s = await connect(daemon.port);
    const answer = readAll(s, 10_000);
    s.write(Buffer.concat([Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'), post, Buffer.from('GET /dhx?wsdl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    const text = await answer;
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 200, 200]);
    expect(text.indexOf('"status"')).toBeLessThan(text.indexOf('receiptId'));
    expect(text.indexOf('receiptId')).toBeLessThan(text.indexOf('definitions'));
  });

  test.each(['CONNECT 127.0.0.1:22 HTTP/1.1', 'TRACE /dhx HTTP/1.1', 'OPTIONS * HTTP/1.1', 'PROPFIND /dhx HTTP/1.1', 'DELETE /dhx HTTP/1.1'])('%s: a documented answer, never an echo', async (line) => {
    const x = await send(Buffer.from(`${line}\r\nHost: x\r\nX-Secret: echo-me\r\nContent-Length: 0\r\n\r\n`));
    expect(judge(x)).toMatchObject({ ok: true });
    if (x.kind === 'answer') expect(x.body.toString()).not.toContain('echo-me');
  });

  test.each(['/dhx/../dhx', '/../../etc/passwd', '/dhx%00', '/dhx%00.wsdl?wsdl', '/%2e%2e/%2e%2e/etc/passwd', '/dhx/..%2f..%2fetc%2fpasswd'])('GET %s: 404 or the WSDL, never a file', async (target) => {
    const x = await send(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(judge(x)).toMatchObject({ ok: true });
    if (x.kind === 'answer') expect(x.body.toString()).not.toContain('root:');
  });

  test('5 000 headers: 431 (or closed), answered at once', async () => {
    const headers = Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n');
    const x = await send(Buffer.from(`POST /dhx HTTP/1.1\r\nHost: x\r\n${headers}\r\nContent-Length: 0\r\n\r\n`));
    expect(x.kind === 'closed' || (x.kind === 'answer' && x.status === 431)).toBe(true);
  });

  test('a request target of 1 MB: 431/414-like refusal or closed, the daemon does not buffer it', async () => {
    const x = await send(Buffer.from(`GET /dhx?${'a'.repeat(1024 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(judge(x)).toMatchObject({ ok: true });
  });

  test('200 idle connections held open do not keep /health from answering', async () => {
    const sockets = await Promise.all(Array.from({ length: 200 }, () => connect(daemon.port)));
    for (const s of sockets) s.write('POST /dhx HTTP/1.1\r\nHost: x\r\n');
    const h = await daemon.health(2000);
    expect(h.status).toBe(200);
    for (const s of sockets) s.destroy();
  });

  test('a capsule with 5 000 File elements: DHX.Validation (past CAPSULE_MAX_FILES)', async () => {
    const one = fileXml('H4sIAAAAAAAAAytJLS4BAFq3zBEEAAAA', 'lisa.txt', 'text/plain');
    const x = await send(request((d) => (d.capsule = d.capsule.replace('</DecContainer>', `${one.repeat(5000)}</DecContainer>`))));
    expect(judge(x)).toMatchObject({ ok: true, label: '200 DHX.Validation' });
  });

  test('a part header of 1 MB: a SOAP Fault or closed', async () => {
    const x = await send(
      request((d) => {
        d.multipart = baseMultipart(d, mulberry32(4));
        d.multipart.parts[1]!.headers.push(['X-Huge', 'h'.repeat(1024 * 1024)]);
      }),
    );
    expect(judge(x)).toMatchObject({ ok: true });
  });

  test('the envelope in UTF-16 without multipart: a SOAP Fault or a DHX fault, never a receipt', async () => {
    const x = await send(
      request((d) => {
        d.plainBody = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(d.envelope.replace('UTF-8', 'UTF-16'), 'utf16le')]);
        d.http.headers = d.http.headers.map(([k, v]) => [k, k === 'Content-Type' ? 'text/xml; charset=utf-16' : v]);
      }),
    );
    const v = judge(x);
    expect(v).toMatchObject({ ok: true });
    expect(v.ok && v.label).not.toBe('200 receipt');
  });

  test('throughout: /health answered 200 within 2 s; afterwards no temporary file or descriptor under DATA_DIR is left', async () => {
    let left = [...daemon.tmpFiles(), ...daemon.openDataFiles()];
    for (let waited = 0; left.length && waited < 5000; waited += 100) {
      await sleep(100);
      left = [...daemon.tmpFiles(), ...daemon.openDataFiles()];
    }
    expect(left).toEqual([]);
    expect(checks).toBeGreaterThan(10);
    expect(slow).toEqual([]);
  }, 20_000);
});
