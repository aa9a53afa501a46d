import { gzipSync } from 'node:zlib';
import { fileXml, gzipBase64, type Draft } from './draft';
import type { Rng } from './prng';

/**
 * Mutators of the two XML documents of a request: the capsule (structure, encodings, file content,
 * long values, many files) and the SOAP envelope (missing or repeated elements, namespaces, huge
 * values, DTDs and entities, other encodings, deep nesting). Each returns a short description of what
 * it did, which names the case in reports.
 */

export type Mutator = (r: Rng, d: Draft) => string;

/** An element by local name, with any prefix (first match; documents here do not nest equal names). */
function elementRe(local: string): RegExp {
  return new RegExp(`<((?:[\\w.-]+:)?${local})\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1>)`);
}

function elementNames(xml: string): string[] {
  const names = new Set<string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?([A-Za-z][\w.-]*)[\s>/]/g)) names.add(m[1]!);
  return [...names];
}

export function dropElement(xml: string, local: string): string {
  return xml.replace(elementRe(local), '');
}

export function duplicateElement(xml: string, local: string): string {
  return xml.replace(elementRe(local), (m) => `${m}${m}`);
}

/** Replaces the text of a simple element (`<x:Name>text</x:Name>`). */
export function setText(xml: string, local: string, value: string): string {
  return xml.replace(new RegExp(`(<((?:[\\w.-]+:)?${local})\\b[^>]*>)[^<]*(</\\2>)`), (_m, open: string, _n, close: string) => `${open}${value}${close}`);
}

function insertAt(text: string, at: number, what: string): string {
  return text.slice(0, at) + what + text.slice(at);
}

const LONG_CHARS = ['a', 'õ', '€', '𝄞', '&amp;', ' ', '\u200e', '0'];
function longValue(r: Rng, max: number): string {
  return r.pick(LONG_CHARS).repeat(r.size(max));
}

function nested(depth: number, name = 'a'): string {
  return `${`<${name}>`.repeat(depth)}x${`</${name}>`.repeat(depth)}`;
}

const LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">' +
  '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>';
const EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';

/** Text that breaks a document in various ways when put at a random place. */
const POISON = ['<', '&', ']]>', '\u0000', '<!--', '<?pi x?>', '<![CDATA[x]]>', '&lol6;', '&xxe;', '\uFFFE', '\uD800', '</x>', '"', 'xmlns="urn:x"', '&#0;', '&#x110000;'];

function withDoctype(xml: string, doctype: string, entity: string, local: string): string {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  return setText(`<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n${body}`, local, entity);
}

const CAPSULE_ELEMENTS = ['Transport', 'DecSender', 'DecRecipient', 'OrganisationCode', 'Recipient', 'RecordMetadata', 'RecordGuid', 'RecordType', 'RecordDateRegistered', 'RecordTitle', 'Access', 'AccessConditionsCode', 'File', 'FileGuid', 'FileName', 'MimeType', 'ZipBase64Content', 'RecordMainComponent'];
const CAPSULE_TEXTS = ['OrganisationCode', 'RecordGuid', 'RecordType', 'RecordDateRegistered', 'RecordTitle', 'AccessConditionsCode', 'FileName', 'MimeType', 'FileGuid', 'RecordMainComponent', 'Name'];

const bombs = new Map<number, string>();
function gzipBomb(mb: number): string {
  let b = bombs.get(mb);
  if (b === undefined) {
    b = gzipBase64(Buffer.alloc(mb * 1024 * 1024));
    bombs.set(mb, b);
  }
  return b;
}

function setFileContent(d: Draft, content: string): void {
  d.capsule = setText(d.capsule, 'ZipBase64Content', content);
}

export const capsuleMutators: Record<string, Mutator> = {
  drop(r, d) {
    const el = r.pick(CAPSULE_ELEMENTS);
    d.capsule = dropElement(d.capsule, el);
    return el;
  },
  duplicate(r, d) {
    const el = r.pick(CAPSULE_ELEMENTS);
    d.capsule = duplicateElement(d.capsule, el);
    return el;
  },
  longValue(r, d) {
    const el = r.pick(CAPSULE_TEXTS);
    const v = longValue(r, r.chance(0.2) ? 400_000 : 20_000);
    d.capsule = setText(d.capsule, el, v);
    return `${el}×${v.length}`;
  },
  hugeFileName(r, d) {
    const n = r.size(300_000);
    d.capsule = setText(d.capsule, 'FileName', `${r.pick(['a', 'ä', '😀', '/', '.'])}`.repeat(n) + r.pick(['.pdf', '', '.x'.repeat(20)]));
    return `×${n}`;
  },
  weirdValue(r, d) {
    const el = r.pick(CAPSULE_TEXTS);
    const v = r.pick(['', ' ', '-1', '99999999999999999999', 'NaN', '../../etc/passwd', 'CON', 'C:\\x\\y.pdf', '\u202egpj.exe', '2026-13-45T99:99:99', 'true false', '&lt;x&gt;', '\t\n']);
    d.capsule = setText(d.capsule, el, v);
    return `${el}=${JSON.stringify(v)}`;
  },
  wrongNamespace(r, d) {
    const ns = r.pick(['http://www.riik.ee/schemas/deccontainer/vers_2_0/', '', 'urn:x', 'http://dhx.x-road.eu/producer']);
    d.capsule = d.capsule.replace(/xmlns="[^"]*"/, ns ? `xmlns="${ns}"` : '');
    return ns || '(none)';
  },
  encoding(r, d) {
    const kind = r.pick(['latin1-declared', 'latin1-undeclared', 'utf16le', 'utf16be', 'utf16-declared-utf8', 'bogus-declared', 'xml11', 'bom-utf8', 'no-prolog'] as const);
    switch (kind) {
      case 'latin1-declared':
        d.capsule = d.capsule.replace(/encoding="UTF-8"/, 'encoding="ISO-8859-1"');
        d.capsuleEncoding = 'latin1';
        break;
      case 'latin1-undeclared':
        d.capsuleEncoding = 'latin1';
        break;
      case 'utf16le':
        d.capsule = d.capsule.replace(/encoding="UTF-8"/, 'encoding="UTF-16"');
        d.capsuleEncoding = 'utf16le-bom';
        break;
      case 'utf16be':
        d.capsule = d.capsule.replace(/encoding="UTF-8"/, 'encoding="UTF-16"');
        d.capsuleEncoding = 'utf16be-bom';
        break;
      case 'utf16-declared-utf8':
        d.capsule = d.capsule.replace(/encoding="UTF-8"/, 'encoding="UTF-16"');
        break;
      case 'bogus-declared':
        d.capsule = d.capsule.replace(/encoding="UTF-8"/, `encoding="${r.pick(['x-unknown', 'EBCDIC-US', 'UTF-7', 'windows-1257', ''])}"`);
        break;
      case 'xml11':
        d.capsule = d.capsule.replace(/version="1.0"/, 'version="1.1"');
        break;
      case 'bom-utf8':
        d.capsule = `\uFEFF${d.capsule}`;
        break;
      case 'no-prolog':
        d.capsule = d.capsule.replace(/^<\?xml[^>]*\?>\s*/, '');
        break;
    }
    return kind;
  },
  doctype(r, d) {
    const kind = r.pick(['laughs', 'external'] as const);
    d.capsule = withDoctype(d.capsule, kind === 'laughs' ? LAUGHS : EXTERNAL, kind === 'laughs' ? '&lol6;' : '&xxe;', 'RecordTitle');
    return kind;
  },
  poison(r, d) {
    const what = r.pick(POISON);
    const at = r.int(d.capsule.length);
    d.capsule = insertAt(d.capsule, at, what);
    return `${JSON.stringify(what)}@${at}`;
  },
  invalidUtf8(r, d) {
    const bytes = Buffer.from(d.capsule, 'utf8');
    const at = r.int(bytes.length);
    d.capsuleBytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick([[0xc3], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]])), bytes.subarray(at)]);
    return `@${at}`;
  },
  truncate(r, d) {
    const at = r.int(d.capsule.length);
    d.capsule = d.capsule.slice(0, at);
    return `@${at}`;
  },
  content(r, d) {
    const kind = r.pick(['bad-base64', 'not-gzip', 'truncated-gzip', 'empty', 'padding-inside', 'gzip-bomb', 'plain-text', 'huge-line'] as const);
    switch (kind) {
      case 'bad-base64':
        setFileContent(d, '!!!not*base64@@@'.repeat(r.range(1, 50)));
        break;
      case 'not-gzip':
        setFileContent(d, r.bytes(r.range(1, 3000)).toString('base64'));
        break;
      case 'truncated-gzip': {
        const gz = gzipSync(r.bytes(r.range(100, 5000)));
        setFileContent(d, gz.subarray(0, r.int(gz.length)).toString('base64'));
        break;
      }
      case 'empty':
        setFileContent(d, '');
        break;
      case 'padding-inside':
        setFileContent(d, 'H4sI==AAAA==AAAA');
        break;
      case 'gzip-bomb':
        // 8–32 MB of zeros in 8–32 KB of gzip: past CAPSULE_MAX_GZIP_RATIO.
        setFileContent(d, gzipBomb(r.pick([8, 16, 32])));
        break;
      case 'plain-text':
        setFileContent(d, Buffer.from('tere').toString('base64'));
        break;
      case 'huge-line':
        setFileContent(d, gzipSync(r.bytes(r.size(150_000))).toString('base64'));
        break;
    }
    return kind;
  },
  manyFiles(r, d) {
    const n = r.weighted([
      [3, r.range(2, 50)],
      [1, r.range(990, 1010)],
      [1, r.range(1001, 3000)],
    ]);
    const one = fileXml(gzipBase64(Buffer.from('%PDF-1.4 x')), 'lisa.pdf');
    d.capsule = d.capsule.replace('</DecContainer>', `${one.repeat(n)}</DecContainer>`);
    return `${n}`;
  },
  deepNesting(r, d) {
    const depth = r.size(50_000);
    d.capsule = d.capsule.replace('<Access>', `<RecordTypeSpecificMetadata>${nested(depth)}</RecordTypeSpecificMetadata><Access>`);
    return `${depth}`;
  },
  randomElement(r, d) {
    const names = elementNames(d.capsule);
    const el = r.pick(names.length ? names : ['File']);
    d.capsule = r.chance(0.5) ? dropElement(d.capsule, el) : duplicateElement(d.capsule, el);
    return el;
  },
  attachmentEncoding(r, d) {
    d.attachmentEncoding = r.pick(['binary', 'base64-long'] as const);
    return d.attachmentEncoding;
  },
  gzippedCapsule(r, d) {
    d.capsuleBytes = r.chance(0.5) ? gzipSync(Buffer.from(d.capsule)) : Buffer.from(gzipBase64(Buffer.from(d.capsule)));
    return 'whole capsule gzip';
  },
  randomBytes(r, d) {
    d.capsuleBytes = r.bytes(r.size(100_000));
    return `${d.capsuleBytes.length}`;
  },
};

const ENVELOPE_ELEMENTS = ['Header', 'Body', 'sendDocument', 'DHXVersion', 'consignmentId', 'documentAttachment', 'client', 'service', 'protocolVersion', 'id', 'memberCode', 'xRoadInstance', 'memberClass', 'subsystemCode', 'serviceCode'];
const ENVELOPE_TEXTS = ['DHXVersion', 'consignmentId', 'documentAttachment', 'memberCode', 'xRoadInstance', 'memberClass', 'subsystemCode', 'serviceCode', 'id', 'protocolVersion'];

export const envelopeMutators: Record<string, Mutator> = {
  drop(r, d) {
    const el = r.pick(ENVELOPE_ELEMENTS);
    d.envelope = dropElement(d.envelope, el);
    return el;
  },
  duplicate(r, d) {
    const el = r.pick(ENVELOPE_ELEMENTS);
    d.envelope = duplicateElement(d.envelope, el);
    return el;
  },
  longValue(r, d) {
    const el = r.pick(ENVELOPE_TEXTS);
    const v = longValue(r, r.chance(0.3) ? 1_500_000 : 10_000);
    d.envelope = setText(d.envelope, el, v);
    return `${el}×${v.length}`;
  },
  weirdValue(r, d) {
    const el = r.pick(ENVELOPE_TEXTS);
    const v = r.pick(['', ' ', '2.0', '1.0 ', 'cid:', 'cid:nope', 'cid:rootpart', '<doc>', 'doc', 'cid:%3Cdoc%3E', 'cid:%E0%A4%A', '%', '70001975', '40000000', 'DHX.x', 'representationList']);
    d.envelope = setText(d.envelope, el, v.replace(/</g, '&lt;'));
    return `${el}=${JSON.stringify(v)}`;
  },
  namespace(r, d) {
    const which = r.pick(['soap12', 'dhx', 'xroad', 'identifiers', 'none'] as const);
    switch (which) {
      case 'soap12':
        d.envelope = d.envelope.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope');
        break;
      case 'dhx':
        d.envelope = d.envelope.replace('http://dhx.x-road.eu/producer', 'http://dhx.x-road.eu/producer/v2');
        break;
      case 'xroad':
        d.envelope = d.envelope.replace('http://x-road.eu/xsd/xroad.xsd', 'http://x-road.eu/xsd/xroad');
        break;
      case 'identifiers':
        d.envelope = d.envelope.replace('xmlns:id="http://x-road.eu/xsd/identifiers"', '');
        break;
      case 'none':
        d.envelope = d.envelope.replace(/ xmlns:\w+="[^"]*"/g, '');
        break;
    }
    return which;
  },
  operation(r, d) {
    const op = r.pick(['representationList', 'sendDocuments', 'getSendStatus', '']);
    d.envelope = d.envelope.replace(/prod:sendDocument>/g, op ? `prod:${op}>` : 'sendDocument>').replace(/<prod:sendDocument\b/, op ? `<prod:${op}` : '<sendDocument');
    return op || '(unqualified)';
  },
  doctype(r, d) {
    const kind = r.pick(['laughs', 'external'] as const);
    d.envelope = withDoctype(d.envelope, kind === 'laughs' ? LAUGHS : EXTERNAL, kind === 'laughs' ? '&lol6;' : '&xxe;', 'consignmentId');
    return kind;
  },
  poison(r, d) {
    const what = r.pick(POISON);
    const at = r.int(d.envelope.length);
    d.envelope = insertAt(d.envelope, at, what);
    return `${JSON.stringify(what)}@${at}`;
  },
  encoding(r, d) {
    const kind = r.pick(['latin1', 'utf16le', 'bom', 'declared-latin1'] as const);
    if (kind === 'latin1') d.envelopeEncoding = 'latin1';
    if (kind === 'utf16le') d.envelopeEncoding = 'utf16le-bom';
    if (kind === 'bom') d.envelope = `\uFEFF${d.envelope}`;
    if (kind === 'declared-latin1') {
      d.envelope = d.envelope.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
      d.envelope = setText(d.envelope, 'consignmentId', `${d.consignmentId}-äöü`);
      d.envelopeEncoding = 'latin1';
    }
    return kind;
  },
  deepNesting(r, d) {
    const depth = r.size(100_000);
    d.envelope = d.envelope.replace('<xrd:protocolVersion>', `${nested(depth, 'xrd:x')}<xrd:protocolVersion>`);
    return `${depth}`;
  },
  manyAttributes(r, d) {
    const n = r.size(20_000);
    const attrs = Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
    d.envelope = d.envelope.replace('<prod:sendDocument', `<prod:sendDocument${attrs}`);
    return `${n}`;
  },
  truncate(r, d) {
    const at = r.int(d.envelope.length);
    d.envelope = d.envelope.slice(0, at);
    return `@${at}`;
  },
  trailing(r, d) {
    const what = r.pick(['<x/>', 'garbage', '<soapenv:Envelope/>', '\u0000', '<?xml version="1.0"?>']);
    d.envelope = `${d.envelope}${what}`;
    return JSON.stringify(what);
  },
  representedParty(r, d) {
    const code = r.pick(['75006546', '10391131', '', 'x'.repeat(300)]);
    d.envelope = d.envelope
      .replace('xmlns:prod=', 'xmlns:repr="http://x-road.eu/xsd/representation.xsd" xmlns:prod=')
      .replace('</soapenv:Header>', `<repr:representedParty><repr:partyCode>${code}</repr:partyCode></repr:representedParty></soapenv:Header>`);
    return code.slice(0, 20);
  },
  recipient(r, d) {
    const v = r.pick(['70001975', '10391131', 'nope', '']);
    d.envelope = d.envelope.replace('<prod:consignmentId>', `<prod:recipient>${v}</prod:recipient><prod:recipientSystem>DHX</prod:recipientSystem><prod:consignmentId>`);
    return v;
  },
};
