import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';

/** Test-only capsule text: lets each test vary one element. Production code builds XML with src/capsule/build.ts. */
export interface CapsuleXmlParts {
  prolog?: string;
  rootOpen?: string;
  rootClose?: string;
  transport?: string;
  recordGuid?: string;
  title?: string;
  registered?: string;
  access?: string;
  files?: string[];
  extra?: string;
}

export function gzipBase64(bytes: Buffer | string, lineLength = 76): string {
  const b64 = gzipSync(typeof bytes === 'string' ? Buffer.from(bytes) : bytes).toString('base64');
  return lineLength > 0 ? (b64.match(new RegExp(`.{1,${lineLength}}`, 'g')) ?? []).join('\n') : b64;
}

export function fileXml(content: string, name = 'otsus.pdf', mime = 'application/pdf', size?: number): string {
  return `  <File>
    <FileGuid>0b5e1a9c-2f4d-4c11-9e0a-6d2f3b7c8a01</FileGuid>
    <RecordMainComponent>true</RecordMainComponent>
    <FileName>${name}</FileName>
    <MimeType>${mime}</MimeType>
${size === undefined ? '' : `    <FileSize>${size}</FileSize>\n`}    <ZipBase64Content>${content}</ZipBase64Content>
  </File>
`;
}

export function capsuleXml(p: CapsuleXmlParts = {}): string {
  const ns = 'http://www.riik.ee/schemas/deccontainer/vers_2_1/';
  return `${p.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>\n'}${p.rootOpen ?? `<DecContainer xmlns="${ns}">`}
${p.transport ?? `  <Transport>
    <DecSender><OrganisationCode>75006546</OrganisationCode></DecSender>
    <DecRecipient><OrganisationCode>70001975</OrganisationCode></DecRecipient>
  </Transport>`}
  <Recipient><Organisation><Name>Sotsiaalkindlustusamet</Name></Organisation></Recipient>
  <RecordMetadata>
    <RecordGuid>${p.recordGuid ?? '5f0c7d2e-8a31-4b6e-9d14-2c7a9e0b3f51'}</RecordGuid>
    <RecordType>Taotlus</RecordType>
    <RecordOriginalIdentifier>7-1/123</RecordOriginalIdentifier>
    <RecordDateRegistered>${p.registered ?? '2026-03-02T10:15:00'}</RecordDateRegistered>
    <RecordTitle>${p.title ?? 'Nõustamise taotlus'}</RecordTitle>
  </RecordMetadata>
${p.access ?? '  <Access><AccessConditionsCode>Avalik</AccessConditionsCode></Access>'}
${(p.files ?? [fileXml(gzipBase64('%PDF-1.4 test'))]).join('')}${p.extra ?? ''}${p.rootClose ?? '</DecContainer>'}
`;
}

/** A stream that hands the text out in pieces of `size` bytes, to exercise chunk boundaries. */
export function chunked(text: string | Buffer, size: number): Readable {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const pieces: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) pieces.push(buf.subarray(i, i + size));
  return Readable.from(pieces);
}
