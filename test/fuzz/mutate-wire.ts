import type { Draft, Multipart, Part } from './draft';
import type { Mutator } from './mutate-xml';
import type { Rng } from './prng';

/**
 * Mutators of the wire: the multipart body (boundaries, part headers, Content-IDs, transfer encodings,
 * part counts and sizes, truncation), the HTTP message (request line, headers, framing) and, last,
 * the bytes themselves.
 */

function mp(d: Draft): Multipart {
  return d.multipart!;
}

function setHeader(headers: Array<[string, string]>, name: string, value: string | undefined): void {
  const i = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
  if (value === undefined) {
    if (i >= 0) headers.splice(i, 1);
  } else if (i >= 0) headers[i] = [headers[i]![0], value];
  else headers.push([name, value]);
}

function setParam(m: Multipart, name: string, value: string | undefined): void {
  const i = m.params.findIndex(([k]) => k === name);
  if (value === undefined) {
    if (i >= 0) m.params.splice(i, 1);
  } else if (i >= 0) m.params[i] = [name, value];
  else m.params.push([name, value]);
}

function attachment(d: Draft): Part {
  const m = mp(d);
  return m.parts[m.parts.length - 1]!;
}

const CONTENT_IDS = ['', 'doc', '<doc', 'doc>', '<<doc>>', 'cid:doc', '<%64oc>', '<%E0%A4%A>', '<doc@example>', '<rootpart>', '< doc >', '<\u00e4>', 'x'.repeat(20_000)];
const TRANSFER_ENCODINGS = ['BASE64', 'base64 ', 'quoted-printable', '7bit', 'binary', 'x-gzip', '', 'base64; x=1', 'base32'];
const DISPOSITIONS = [
  `attachment; filename*=UTF-8''%E0%A4%A`,
  `attachment; filename*=UTF-8''%ZZ`,
  `attachment; filename*=x-unknown''abc`,
  `attachment; filename*=UTF-8''${'%C3%A4'.repeat(2000)}`,
  `attachment; filename="${'a'.repeat(5000)}.xml"`,
  'attachment; filename="unterminated',
  'form-data; name="x"; filename="../../etc/passwd"',
  'attachment; name*0="a"; name*1="b"',
  'inline',
];

export const multipartMutators: Record<string, Mutator> = {
  boundaryParam(r, d) {
    const m = mp(d);
    const kind = r.pick(['missing', 'wrong', 'unquoted', 'empty', 'long', 'special', 'twice'] as const);
    if (kind === 'missing') setParam(m, 'boundary', undefined);
    if (kind === 'wrong') setParam(m, 'boundary', '"not-the-boundary"');
    if (kind === 'unquoted') setParam(m, 'boundary', m.boundary);
    if (kind === 'empty') setParam(m, 'boundary', '""');
    if (kind === 'long' || kind === 'special') {
      m.boundary = kind === 'long' ? 'b'.repeat(r.size(5000)) : `a'()+_,-./:=? ${r.int(100)}`;
      setParam(m, 'boundary', `"${m.boundary}"`);
    }
    if (kind === 'twice') m.params.push(['boundary', '"second"']);
    return kind;
  },
  startParam(r, d) {
    const m = mp(d);
    const v = r.pick(['"<nope>"', '"<doc>"', undefined, '"rootpart"', '"<>"', '"<%E0%A4%A>"', '""']);
    setParam(m, 'start', v);
    return v ?? '(none)';
  },
  mediaType(r, d) {
    const m = mp(d);
    m.mediaType = r.pick(['multipart/form-data', 'multipart/mixed', 'multipart/', 'Multipart/Related', 'multipart/related;;', 'multipart/x-mixed-replace']);
    return m.mediaType;
  },
  closing(r, d) {
    const m = mp(d);
    const kind = r.pick(['none', 'twice', 'epilogue', 'preamble', 'lf-only', 'no-eol'] as const);
    if (kind === 'none') m.closing = false;
    if (kind === 'twice') m.epilogue = `--${m.boundary}--\r\n`;
    if (kind === 'epilogue') m.epilogue = 'trailing garbage '.repeat(r.range(1, 100));
    if (kind === 'preamble') m.preamble = r.chance(0.5) ? 'This is a preamble.\r\n' : `--${m.boundary}\r\n\r\n`;
    if (kind === 'lf-only') m.eol = '\n';
    if (kind === 'no-eol') m.eol = '';
    return kind;
  },
  contentId(r, d) {
    const m = mp(d);
    const part = r.pick(m.parts);
    const v = r.pick(CONTENT_IDS);
    setHeader(part.headers, 'Content-ID', v === '' && r.chance(0.5) ? undefined : v);
    return `${part === m.parts[0] ? 'root' : 'attachment'}=${JSON.stringify(v.slice(0, 20))}`;
  },
  repeatedContentId(r, d) {
    const m = mp(d);
    const a = attachment(d);
    const n = r.range(2, 5);
    for (let i = 1; i < n; i++) m.parts.push({ headers: a.headers.map(([k, v]) => [k, v]), body: a.body });
    return `${n} parts <doc>`;
  },
  transferEncoding(r, d) {
    const m = mp(d);
    const part = r.chance(0.7) ? attachment(d) : m.parts[0]!;
    const v = r.pick(TRANSFER_ENCODINGS);
    setHeader(part.headers, 'Content-Transfer-Encoding', v);
    return JSON.stringify(v);
  },
  partContentType(r, d) {
    const part = r.pick(mp(d).parts);
    const v = r.pick([undefined, 'text/plain', 'application/xop+xml; type="text/xml"', 'text/xml; charset=ISO-8859-1', 'text/xml; charset=x-nope', ';;;', 'multipart/related; boundary=inner']);
    setHeader(part.headers, 'Content-Type', v);
    return v ?? '(none)';
  },
  disposition(r, d) {
    const part = r.chance(0.7) ? attachment(d) : mp(d).parts[0]!;
    const v = r.pick(DISPOSITIONS);
    setHeader(part.headers, 'Content-Disposition', v);
    return v.slice(0, 40);
  },
  partHeaderShape(r, d) {
    const part = r.pick(mp(d).parts);
    const kind = r.pick(['no-colon', 'long', 'many', 'folded', 'nul', 'empty-name', 'space-before-colon'] as const);
    if (kind === 'no-colon') part.headers.push(['X-Broken header line', '']);
    if (kind === 'long') part.headers.push(['X-Long', 'x'.repeat(r.size(200_000))]);
    if (kind === 'many') for (let i = r.size(5000); i > 0; i--) part.headers.push([`X-H${i}`, 'v']);
    if (kind === 'folded') part.headers.push(['X-Folded', 'a\r\n b']);
    if (kind === 'nul') part.headers.push(['X-Nul', 'a\u0000b']);
    if (kind === 'empty-name') part.headers.push(['', ': x']);
    if (kind === 'space-before-colon') part.headers.push(['Content-ID ', '<doc>']);
    return kind;
  },
  manyParts(r, d) {
    const m = mp(d);
    const n = r.weighted([
      [2, r.range(3, 31)],
      [2, r.range(32, 40)],
      [1, r.size(20_000)],
    ]);
    for (let i = 0; i < n; i++) m.parts.push({ headers: [['Content-ID', `<p${i}>`]], body: Buffer.from('x') });
    return `${n}`;
  },
  partOrder(r, d) {
    const m = mp(d);
    m.parts.reverse();
    if (r.chance(0.5)) setParam(m, 'start', undefined);
    return 'attachment first';
  },
  noAttachment(_r, d) {
    mp(d).parts.pop();
    return 'envelope only';
  },
  bigAttachment(r, d) {
    // Past DHX_INLINE_BLOB_BYTES (a temporary file) and sometimes past DHX_MAX_CAPSULE_BYTES.
    const a = attachment(d);
    const n = r.size(6 * 1024 * 1024);
    a.body = Buffer.concat([a.body, Buffer.from('\r\n'), Buffer.alloc(n, r.pick(['A', '=', ' ', '\n', '*']))]);
    return `+${n}`;
  },
  attachmentBytes(r, d) {
    const a = attachment(d);
    const kind = r.pick(['garbage', 'bad-base64-tail', 'padding-middle', 'empty', 'boundary-inside'] as const);
    if (kind === 'garbage') a.body = r.bytes(r.size(300_000));
    if (kind === 'bad-base64-tail') a.body = Buffer.concat([a.body, Buffer.from('@@@=')]);
    if (kind === 'padding-middle') a.body = Buffer.concat([a.body.subarray(0, 100), Buffer.from('=='), a.body.subarray(100)]);
    if (kind === 'empty') a.body = Buffer.alloc(0);
    if (kind === 'boundary-inside') a.body = Buffer.concat([a.body.subarray(0, 50), Buffer.from(`\r\n--${mp(d).boundary}\r\n`), a.body.subarray(50)]);
    return kind;
  },
  notMultipart(r, d) {
    const kind = r.pick(['envelope', 'capsule', 'empty'] as const);
    d.plainBody = kind === 'envelope' ? Buffer.from(d.envelope) : kind === 'capsule' ? Buffer.from(d.capsule) : Buffer.alloc(0);
    setHeader(d.http.headers, 'Content-Type', r.pick(['text/xml; charset=utf-8', 'application/soap+xml', 'text/plain', '']));
    return kind;
  },
};

export const httpMutators: Record<string, Mutator> = {
  method(r, d) {
    d.http.method = r.pick(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'post', 'P0ST', 'PRI', 'M'.repeat(r.size(10_000)), '']);
    return d.http.method.slice(0, 12);
  },
  target(r, d) {
    d.http.target = r.pick([
      '/dhx?x=1', '/dhx/', '//dhx', '/DHX', '/dhx%00', '/dhx\u0000', '/../dhx', '/./dhx', '/dhx#f', '/dhx/..%2f', 'http://127.0.0.1/dhx', 'http://[/dhx', 'http://[::1/dhx', 'http://a:99999/dhx',
      'http://%/dhx', 'http://a b/dhx', 'h://x', '*', '', '/', '/health', '/dhx?wsdl', '/metrics', '/api/opinions', `/dhx?${'a'.repeat(r.size(100_000))}`, '/%', '/dhx?%', 'dhx',
    ]);
    return JSON.stringify(d.http.target.slice(0, 30));
  },
  version(r, d) {
    d.http.version = r.pick(['HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1', 'http/1.1', 'HTTP/1.1 x', 'FOO', '']);
    return JSON.stringify(d.http.version);
  },
  contentType(r, d) {
    const h = d.http.headers;
    const kind = r.pick(['missing', 'text/xml', 'twice', 'form-data', 'garbage', 'huge'] as const);
    const current = h.find(([k]) => k === 'Content-Type')?.[1] ?? '';
    if (kind === 'missing') setHeader(h, 'Content-Type', undefined);
    if (kind === 'text/xml') setHeader(h, 'Content-Type', 'text/xml; charset=utf-8');
    if (kind === 'twice') h.push(['Content-Type', 'text/plain']);
    if (kind === 'form-data') setHeader(h, 'Content-Type', current.replace('multipart/related', 'multipart/form-data'));
    if (kind === 'garbage') setHeader(h, 'Content-Type', r.pick(['multipart/related; boundary', ';', 'multipart/related; boundary=""; boundary=x', '\u00ff\u00fe']));
    if (kind === 'huge') setHeader(h, 'Content-Type', `${current}; x="${'y'.repeat(r.size(100_000))}"`);
    return kind;
  },
  contentLength(r, d) {
    const h = d.http.headers;
    const kind = r.pick(['missing', 'smaller', 'larger', 'huge', 'negative', 'garbage', 'twice-differ', 'twice-same', 'with-chunked'] as const);
    d.http.framing = 'none';
    // The body's length is known only when it is serialised: `{LEN±n}` is replaced then.
    const lengthOf = (delta: number): string => `{LEN${delta >= 0 ? '+' : ''}${delta}}`;
    if (kind === 'smaller') h.push(['Content-Length', lengthOf(-r.range(1, 500))]);
    if (kind === 'larger') h.push(['Content-Length', lengthOf(r.range(1, 100_000))]);
    if (kind === 'huge') h.push(['Content-Length', r.pick(['1073741824', '99999999999999999999', '9007199254740993'])]);
    if (kind === 'negative') h.push(['Content-Length', '-1']);
    if (kind === 'garbage') h.push(['Content-Length', r.pick(['abc', '1e3', '0x10', ' ', '12 34', '+5'])]);
    if (kind === 'twice-differ') h.push(['Content-Length', lengthOf(0)], ['Content-Length', lengthOf(1)]);
    if (kind === 'twice-same') h.push(['Content-Length', lengthOf(0)], ['Content-Length', lengthOf(0)]);
    if (kind === 'with-chunked') {
      d.http.framing = 'chunked';
      h.push(['Content-Length', lengthOf(0)]);
    }
    return kind;
  },
  chunked(r, d) {
    d.http.framing = 'chunked';
    d.http.chunkSize = r.size(70_000);
    const kind = r.pick(['plain', 'te-twice', 'te-gzip', 'te-identity', 'te-case'] as const);
    if (kind === 'te-twice') d.http.headers.push(['Transfer-Encoding', 'chunked']);
    if (kind === 'te-gzip') d.http.headers.push(['Transfer-Encoding', 'gzip']);
    if (kind === 'te-identity') d.http.headers.push(['Transfer-Encoding', 'identity']);
    if (kind === 'te-case') d.http.headers.push(['TRANSFER-ENCODING', 'Chunked']);
    return `${kind}/${d.http.chunkSize}`;
  },
  headers(r, d) {
    const h = d.http.headers;
    const kind = r.pick(['no-host', 'two-hosts', 'long', 'many', 'nul-value', 'nul-name', 'space-name', 'folded', 'expect', 'upgrade', 'keep-alive', 'no-colon', 'utf8'] as const);
    if (kind === 'no-host') setHeader(h, 'Host', undefined);
    if (kind === 'two-hosts') h.push(['Host', 'evil.example']);
    if (kind === 'long') h.push(['X-Long', 'x'.repeat(r.size(200_000))]);
    if (kind === 'many') for (let i = r.size(5000); i > 0; i--) h.push([`X-H${i}`, 'v']);
    if (kind === 'nul-value') h.push(['X-Nul', 'a\u0000b']);
    if (kind === 'nul-name') h.push(['X-\u0000', 'a']);
    if (kind === 'space-name') h.push(['X Bad', 'a']);
    if (kind === 'folded') h.push(['X-Folded', 'a\r\n b']);
    if (kind === 'expect') h.push(['Expect', r.pick(['100-continue', 'something-else'])]);
    if (kind === 'upgrade') h.push(['Upgrade', 'websocket'], ['Connection', 'Upgrade']);
    if (kind === 'keep-alive') setHeader(h, 'Connection', 'keep-alive');
    if (kind === 'no-colon') h.push(['X-NoColon-Line', '']);
    if (kind === 'utf8') h.push(['X-Name', 'Tõnu Õun']);
    return kind;
  },
  lineEnds(r, d) {
    d.http.eol = r.pick(['\n', '\r', '\r\r\n', '']);
    return JSON.stringify(d.http.eol);
  },
  pipelined(r, d) {
    d.http.trailer = Buffer.from(
      r.pick([
        'GET /health HTTP/1.1\r\nHost: x\r\n\r\n',
        'POST /dhx HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello',
        'garbage\r\n\r\n',
        'GET /dhx?wsdl HTTP/1.1\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n',
      ]),
    );
    return 'second request';
  },
  abort(_r, d) {
    d.abort = true;
    return 'client resets';
  },
};

export type ByteMutator = (r: Rng, b: Buffer) => [Buffer, string];

export const byteMutators: Record<string, ByteMutator> = {
  flip(r, b) {
    const out = Buffer.from(b);
    const n = r.range(1, 8);
    for (let i = 0; i < n && out.length; i++) {
      const at = r.int(out.length);
      out[at] = out[at]! ^ (1 << r.int(8));
    }
    return [out, `${n} bits`];
  },
  insert(r, b) {
    const at = r.int(b.length + 1);
    return [Buffer.concat([b.subarray(0, at), r.bytes(r.range(1, 64)), b.subarray(at)]), `@${at}`];
  },
  delete(r, b) {
    const at = r.int(b.length);
    const n = r.size(Math.max(2, b.length - at));
    return [Buffer.concat([b.subarray(0, at), b.subarray(at + n)]), `${n}@${at}`];
  },
  repeat(r, b) {
    const at = r.int(b.length);
    const n = r.size(Math.max(2, Math.min(4096, b.length - at)));
    return [Buffer.concat([b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n)]), `${n}@${at}`];
  },
  truncate(r, b) {
    const at = r.int(b.length);
    return [b.subarray(0, at), `@${at}`];
  },
};
