import { gzipSync } from 'node:zlib';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import type { Rng } from './prng';

/**
 * The valid DHX sendDocument request every fuzz case starts from, kept in pieces that the mutators
 * change one level at a time (capsule text → envelope text → multipart parts → HTTP message → bytes),
 * and the serialisation of those pieces to the bytes that go on the wire.
 */

export const SENDER = '75006546';
export const RECEIVER = '70001975';
export const CAPSULE_NS = 'http://www.riik.ee/schemas/deccontainer/vers_2_1/';

export interface Part {
  headers: Array<[string, string]>;
  body: Buffer;
}

export interface Multipart {
  mediaType: string;
  /** Content-Type parameters in order (name, value as written, quotes included); `null` drops the header. */
  params: Array<[string, string]>;
  boundary: string;
  preamble: string;
  parts: Part[];
  epilogue: string;
  /** The closing delimiter `--boundary--`. */
  closing: boolean;
  eol: string;
}

export interface HttpMessage {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
  /** `auto`: a correct Content-Length; `chunked`: Transfer-Encoding chunked with `chunkSize` pieces; `none`: neither. */
  framing: 'auto' | 'chunked' | 'none';
  chunkSize: number;
  eol: string;
  /** Bytes sent after the body (a pipelined request, garbage). */
  trailer: Buffer;
}

export interface Draft {
  consignmentId: string;
  capsule: string;
  /** How the capsule text becomes bytes. */
  capsuleEncoding: 'utf8' | 'latin1' | 'utf16le-bom' | 'utf16be-bom';
  /** Replaces the encoded capsule when set (gzip of it, random bytes, ...). */
  capsuleBytes?: Buffer;
  /** `base64` (76-character lines), `base64-long` (one line), `binary`. */
  attachmentEncoding: 'base64' | 'base64-long' | 'binary';
  envelope: string;
  envelopeEncoding: 'utf8' | 'latin1' | 'utf16le-bom';
  multipart?: Multipart;
  /** The body when not multipart (set by a mutator that sends the envelope alone or raw bytes). */
  plainBody?: Buffer;
  http: HttpMessage;
  /** After the bytes are sent, the client resets the connection instead of waiting for the answer. */
  abort: boolean;
}

export function fileXml(content: string, name = 'taotlus.pdf', mime = 'application/pdf', guid = '0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a01'): string {
  return `  <File>
    <FileGuid>${guid}</FileGuid>
    <RecordMainComponent>true</RecordMainComponent>
    <FileName>${name}</FileName>
    <MimeType>${mime}</MimeType>
    <ZipBase64Content>${content}</ZipBase64Content>
  </File>
`;
}

export function gzipBase64(bytes: Buffer): string {
  return (gzipSync(bytes).toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

function hex(r: Rng, n: number): string {
  return r.bytes(n).toString('hex');
}

function guid(r: Rng): string {
  const h = hex(r, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Capsule 2.1 document from SENDER to RECEIVER with one small gzip'd file (valid against the schema). */
export function baseCapsule(r: Rng): string {
  const child = makeTestPersonalCode(r.int(1000));
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), r.bytes(r.range(16, 600)), Buffer.from('\n%%EOF\n')]);
  return `<?xml version="1.0" encoding="UTF-8"?>
<DecContainer xmlns="${CAPSULE_NS}">
  <Transport>
    <DecSender><OrganisationCode>${SENDER}</OrganisationCode></DecSender>
    <DecRecipient><OrganisationCode>${RECEIVER}</OrganisationCode></DecRecipient>
  </Transport>
  <Recipient><Organisation><Name>Sotsiaalkindlustusamet</Name></Organisation></Recipient>
  <RecordMetadata>
    <RecordGuid>${guid(r)}</RecordGuid>
    <RecordType>Taotlus</RecordType>
    <RecordOriginalIdentifier>7-1/${r.int(10000)}</RecordOriginalIdentifier>
    <RecordDateRegistered>2026-03-02T10:15:00</RecordDateRegistered>
    <RecordTitle>Nõustamise taotlus (lapse isikukood ${child})</RecordTitle>
  </RecordMetadata>
  <Access><AccessConditionsCode>Avalik</AccessConditionsCode></Access>
${fileXml(gzipBase64(pdf), 'taotlus.pdf', 'application/pdf', guid(r))}</DecContainer>
`;
}

export function baseEnvelope(consignmentId: string, cid = 'doc'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prod="http://dhx.x-road.eu/producer">
  <soapenv:Header>
    <xrd:protocolVersion>4.0</xrd:protocolVersion>
    <xrd:id>${consignmentId}-msg</xrd:id>
    <xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>${SENDER}</id:memberCode><id:subsystemCode>DHX</id:subsystemCode></xrd:client>
    <xrd:service id:objectType="SERVICE"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>${RECEIVER}</id:memberCode><id:subsystemCode>DHX</id:subsystemCode><id:serviceCode>sendDocument</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>
  </soapenv:Header>
  <soapenv:Body>
    <prod:sendDocument>
      <prod:DHXVersion>1.0</prod:DHXVersion>
      <prod:consignmentId>${consignmentId}</prod:consignmentId>
      <prod:documentAttachment>cid:${cid}</prod:documentAttachment>
    </prod:sendDocument>
  </soapenv:Body>
</soapenv:Envelope>`;
}

export function baseDraft(r: Rng, consignmentId: string): Draft {
  return {
    consignmentId,
    capsule: baseCapsule(r),
    capsuleEncoding: 'utf8',
    attachmentEncoding: 'base64',
    envelope: baseEnvelope(consignmentId),
    envelopeEncoding: 'utf8',
    http: {
      method: 'POST',
      target: '/dhx',
      version: 'HTTP/1.1',
      headers: [
        ['Host', '127.0.0.1'],
        ['Content-Type', ''], // filled from the multipart when it is built
        ['SOAPAction', '""'],
        ['Connection', 'close'],
      ],
      framing: 'auto',
      chunkSize: 4096,
      eol: '\r\n',
      trailer: Buffer.alloc(0),
    },
    abort: false,
  };
}

function encodeText(text: string, encoding: Draft['capsuleEncoding'] | Draft['envelopeEncoding']): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom': {
      const le = Buffer.from(text, 'utf16le');
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
    }
  }
}

export function capsuleBytes(d: Draft): Buffer {
  return d.capsuleBytes ?? encodeText(d.capsule, d.capsuleEncoding);
}

export function attachmentBody(d: Draft): Buffer {
  const raw = capsuleBytes(d);
  switch (d.attachmentEncoding) {
    case 'binary':
      return raw;
    case 'base64-long':
      return Buffer.from(raw.toString('base64'));
    case 'base64':
      return Buffer.from((raw.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'));
  }
}

/** The SwA body as the security server sends it: envelope part (root), capsule part. */
export function baseMultipart(d: Draft, r: Rng): Multipart {
  const boundary = `MIMEBoundary_${hex(r, 12)}`;
  return {
    mediaType: 'multipart/related',
    params: [
      ['type', '"text/xml"'],
      ['start', '"<rootpart>"'],
      ['boundary', `"${boundary}"`],
    ],
    boundary,
    preamble: '',
    parts: [
      {
        headers: [
          ['Content-Type', 'text/xml; charset=UTF-8'],
          ['Content-Transfer-Encoding', '8bit'],
          ['Content-ID', '<rootpart>'],
        ],
        body: encodeText(d.envelope, d.envelopeEncoding),
      },
      {
        headers: [
          ['Content-Type', 'application/octet-stream'],
          ['Content-Transfer-Encoding', d.attachmentEncoding === 'binary' ? 'binary' : 'base64'],
          ['Content-ID', '<doc>'],
        ],
        body: attachmentBody(d),
      },
    ],
    epilogue: '',
    closing: true,
    eol: '\r\n',
  };
}

export function multipartContentType(m: Multipart): string {
  return [m.mediaType, ...m.params.map(([k, v]) => `${k}=${v}`)].join('; ');
}

export function multipartBody(m: Multipart): Buffer {
  const out: Buffer[] = [Buffer.from(m.preamble)];
  for (const p of m.parts) {
    out.push(Buffer.from(`--${m.boundary}${m.eol}${p.headers.map(([k, v]) => `${k}: ${v}${m.eol}`).join('')}${m.eol}`, 'latin1'), p.body, Buffer.from(m.eol));
  }
  if (m.closing) out.push(Buffer.from(`--${m.boundary}--${m.eol}`));
  out.push(Buffer.from(m.epilogue));
  return Buffer.concat(out);
}

function chunkedBody(body: Buffer, size: number, eol: string): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) {
    const piece = body.subarray(i, i + size);
    out.push(Buffer.from(`${piece.length.toString(16)}${eol}`), piece, Buffer.from(eol));
  }
  out.push(Buffer.from(`0${eol}${eol}`));
  return Buffer.concat(out);
}

/** The request's bytes: request line, headers (with the framing the draft asks for), body, trailer. */
export function serialize(d: Draft): Buffer {
  const body = d.plainBody ?? (d.multipart ? multipartBody(d.multipart) : Buffer.alloc(0));
  const h = d.http;
  const headers = h.headers
    .filter(([k]) => k !== '')
    .map(([k, v]): [string, string] => [k, v.replace(/^\{LEN([+-]\d+)\}$/, (_m, delta: string) => String(body.length + Number(delta)))]);
  if (h.framing === 'auto') headers.push(['Content-Length', String(body.length)]);
  if (h.framing === 'chunked') headers.push(['Transfer-Encoding', 'chunked']);
  const head = `${[h.method, h.target, h.version].filter((s) => s !== '').join(' ')}${h.eol}${headers.map(([k, v]) => `${k}: ${v}${h.eol}`).join('')}${h.eol}`;
  const payload = h.framing === 'chunked' ? chunkedBody(body, Math.max(1, h.chunkSize), h.eol) : body;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload, h.trailer]);
}
