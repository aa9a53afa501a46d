/**
 * Signed containers made at test time, shaped like the ones Estonian document systems send: ASiC-E
 * (`.asice`/`.bdoc`: a ZIP with `mimetype`, `META-INF/manifest.xml`, `META-INF/signatures0.xml` holding a
 * XAdES signature) and DDOC (DigiDoc XML 1.3 with base64 DataFiles). The signing certificate is made here
 * with the `openssl` CLI for a fictional person whose personal code comes from personal-code.ts; digests
 * are computed from the data files, so the containers verify as far as the adapter checks them (data
 * digests). The SignatureValue is a real signature over the SignedInfo text as written (not canonicalised);
 * the adapter does not verify it. Any data files can go in (e.g. the PDF and DOCX the text fixtures make).
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { personalCode } from './personal-code';

export interface SignerIdentity {
  givenName: string;
  surname: string;
  /** Fictional, with a valid checksum (personal-code.ts). */
  personalCode: string;
  /**
   * How the subject carries the identity: `etsi` (today's ID card: CN "SURNAME,GIVENNAME,PNOEE-code",
   * SN, GN, serialNumber "PNOEE-code") or `legacy` (CN "SURNAME,GIVENNAME,code" only).
   */
  style?: 'etsi' | 'legacy';
}

/** A fictional signer; `serial` varies the personal code. */
export function fictionalSigner(givenName = 'MARI', surname = 'MAASIKAS', serial = 17, style: 'etsi' | 'legacy' = 'etsi'): SignerIdentity {
  return { givenName, surname, personalCode: personalCode('F', '1980-03-14', serial), style };
}

export interface SigningKey {
  certDer: Buffer;
  privateKey: crypto.KeyObject;
}

const keys = new Map<string, SigningKey>();

/** A self-signed P-256 certificate for the signer (made once per identity per process, with openssl). */
export function signingKey(who: SignerIdentity): SigningKey {
  const style = who.style ?? 'etsi';
  const cacheKey = `${style}|${who.givenName}|${who.surname}|${who.personalCode}`;
  const cached = keys.get(cacheKey);
  if (cached) return cached;
  const subject =
    style === 'etsi'
      ? `/C=EE/CN=${who.surname},${who.givenName},PNOEE-${who.personalCode}/SN=${who.surname}/GN=${who.givenName}/serialNumber=PNOEE-${who.personalCode}`
      : `/C=EE/O=ESTEID/OU=digital signature/CN=${who.surname},${who.givenName},${who.personalCode}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1825', '-utf8',
        '-subj', subject, '-keyout', path.join(dir, 'key.pem'), '-outform', 'DER', '-out', path.join(dir, 'cert.der')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const key: SigningKey = {
      certDer: fs.readFileSync(path.join(dir, 'cert.der')),
      privateKey: crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem'))),
    };
    keys.set(cacheKey, key);
    return key;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface DataFileSpec {
  name: string;
  bytes: Buffer;
  mimeType?: string;
}

export type DigestName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const DIGEST_URI: Record<DigestName, string> = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
};

export interface ContainerOptions {
  files: DataFileSpec[];
  /** One signature per signer (default: one fictional signer). */
  signers?: SignerIdentity[];
  signingTime?: Date;
  /** ASiC-E only (DDOC 1.3 is SHA-1). */
  digest?: DigestName;
  /** The data file (by name) whose bytes are altered after signing. */
  tamper?: string;
  /** Data files put in the container but left out of the signature. */
  unsigned?: DataFileSpec[];
  /** ASiC-E: a digest algorithm URI to write instead of the real one. */
  digestAlgorithmUri?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tampered(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy.length > 0 ? copy : Buffer.from('x');
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,64}/g) ?? ['']).join('\n');
}

function signedInfoSignature(signedInfo: string, key: SigningKey): string {
  return crypto.sign('sha256', Buffer.from(signedInfo), key.privateKey).toString('base64');
}

/** One XAdES `ds:Signature` over `refs` (URI → digest) for ASiC-E. */
export function xadesSignature(id: string, refs: { uri: string; digest: Buffer; algorithmUri: string }[], who: SignerIdentity, signingTime: Date): string {
  const key = signingKey(who);
  const certDigest = crypto.createHash('sha256').update(key.certDer).digest('base64');
  const signedProps =
    `<xades:SignedProperties Id="${id}-SignedProperties"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z')}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${DIGEST_URI.sha256}"/>` +
    `<ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>` +
    `</xades:SignedSignatureProperties><xades:SignedDataObjectProperties>` +
    refs.map((_, i) => `<xades:DataObjectFormat ObjectReference="#${id}-RefId${i}"><xades:MimeType>application/octet-stream</xades:MimeType></xades:DataObjectFormat>`).join('') +
    `</xades:SignedDataObjectProperties></xades:SignedProperties>`;
  const propsDigest = crypto.createHash('sha256').update(signedProps).digest('base64');
  const signedInfo =
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>` +
    refs
      .map(
        (r, i) =>
          `<ds:Reference Id="${id}-RefId${i}" URI="${esc(r.uri)}"><ds:DigestMethod Algorithm="${esc(r.algorithmUri)}"/>` +
          `<ds:DigestValue>${r.digest.toString('base64')}</ds:DigestValue></ds:Reference>`,
      )
      .join('') +
    `<ds:Reference Id="${id}-RefId-SP" Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-SignedProperties">` +
    `<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2006/12/xml-c14n11"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${DIGEST_URI.sha256}"/><ds:DigestValue>${propsDigest}</ds:DigestValue></ds:Reference>` +
    `</ds:SignedInfo>`;
  return (
    `<ds:Signature Id="${id}">${signedInfo}` +
    `<ds:SignatureValue Id="${id}-SIG">${signedInfoSignature(signedInfo, key)}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certDer.toString('base64')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties Id="${id}-QualifyingProperties" Target="#${id}">${signedProps}</xades:QualifyingProperties></ds:Object>` +
    `</ds:Signature>`
  );
}

/** A file name as a URI reference in a signature (RFC 3986: what is not unreserved or `/` is %-encoded). */
export function fileUri(name: string): string {
  return encodeURIComponent(name).replace(/%2F/g, '/');
}

export interface ZipEntrySpec {
  name: string;
  bytes: Buffer;
  /** 0 stored, 8 deflated (default 8). */
  method?: number;
  /** General purpose flags as written (bit 0: encrypted; bit 11 UTF-8 names is always added). */
  flags?: number;
  /** Written instead of the real uncompressed size (a ZIP that lies). */
  declaredSize?: number;
  /** Written instead of the real CRC-32. */
  crc32?: number;
  /** Compressed bytes written instead of deflating `bytes` (e.g. a bomb made once). */
  compressed?: Buffer;
}

/** A plain ZIP writer with every header field under the test's control. */
export function writeZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const data = e.compressed ?? (method === 8 ? zlib.deflateRawSync(e.bytes) : e.bytes);
    const name = Buffer.from(e.name, 'utf8');
    const flags = (e.flags ?? 0) | 0x800;
    const crc = e.crc32 ?? zlib.crc32(e.bytes) >>> 0;
    const size = e.declaredSize ?? e.bytes.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** The entries of an ASiC-E (mimetype first and stored, data files, manifest, one signatures file). */
export function asiceEntries(opts: ContainerOptions): ZipEntrySpec[] {
  const digest = opts.digest ?? 'sha256';
  const time = opts.signingTime ?? new Date('2026-11-20T09:15:00Z');
  const signers = opts.signers ?? [fictionalSigner()];
  const refs = opts.files.map((f) => ({
    uri: fileUri(f.name),
    digest: crypto.createHash(digest).update(f.bytes).digest(),
    algorithmUri: opts.digestAlgorithmUri ?? DIGEST_URI[digest],
  }));
  const signatures =
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` +
    `<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">` +
    signers.map((who, i) => xadesSignature(`S${i}`, refs, who, time)).join('') +
    `</asic:XAdESSignatures>`;
  const all = [...opts.files, ...(opts.unsigned ?? [])];
  const manifest =
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` +
    `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">` +
    `<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>` +
    all.map((f) => `<manifest:file-entry manifest:full-path="${esc(f.name)}" manifest:media-type="${esc(f.mimeType ?? 'application/octet-stream')}"/>`).join('') +
    `</manifest:manifest>`;
  return [
    { name: 'mimetype', bytes: Buffer.from('application/vnd.etsi.asic-e+zip'), method: 0 },
    ...all.map((f) => ({ name: f.name, bytes: f.name === opts.tamper ? tampered(f.bytes) : f.bytes })),
    { name: 'META-INF/manifest.xml', bytes: Buffer.from(manifest) },
    { name: 'META-INF/signatures0.xml', bytes: Buffer.from(signatures) },
  ];
}

export function buildAsice(opts: ContainerOptions): Buffer {
  return writeZip(asiceEntries(opts));
}

const DDOC_NS = 'http://www.sk.ee/DigiDoc/v1.3.0#';

export interface DdocOptions extends ContainerOptions {
  /** Write DataFile attributes in this order and without their own xmlns (the digest is the same: it is over the canonical form). */
  shuffledAttributes?: boolean;
}

/** A DigiDoc XML 1.3 container. The DataFile digest is SHA-1 over its canonical form, as DigiDoc computes it. */
export function buildDdoc(opts: DdocOptions): Buffer {
  const time = opts.signingTime ?? new Date('2026-11-20T09:15:00Z');
  const signers = opts.signers ?? [fictionalSigner()];
  const all = [...opts.files, ...(opts.unsigned ?? [])];
  const dataFiles = all.map((f, i) => {
    const id = `D${i}`;
    const attrs: [string, string][] = [
      ['ContentType', 'EMBEDDED_BASE64'],
      ['Filename', f.name],
      ['Id', id],
      ['MimeType', f.mimeType ?? 'application/octet-stream'],
      ['Size', String(f.bytes.length)],
    ];
    const body = `${base64Lines(f.bytes)}\n`;
    // Canonical XML: the in-scope default namespace first, then attributes by name (what is signed).
    const canonical = `<DataFile xmlns="${DDOC_NS}"${attrs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('')}>${body}</DataFile>`;
    const writtenBody = f.name === opts.tamper ? `${base64Lines(tampered(f.bytes))}\n` : body;
    const written = opts.shuffledAttributes
      ? `<DataFile${[...attrs].reverse().map(([k, v]) => ` ${k}="${esc(v)}"`).join('')}>${writtenBody}</DataFile>`
      : `<DataFile${attrs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('')} xmlns="${DDOC_NS}">${writtenBody}</DataFile>`;
    return { id, canonical, written, signed: i < opts.files.length };
  });
  const signatures = signers.map((who, s) => {
    const key = signingKey(who);
    const id = `S${s}`;
    const signedProps =
      `<SignedProperties xmlns="http://uri.etsi.org/01903/v1.1.1#" Id="${id}-SignedProperties"><SignedSignatureProperties>` +
      `<SigningTime>${time.toISOString().replace(/\.\d{3}Z$/, 'Z')}</SigningTime>` +
      `</SignedSignatureProperties><SignedDataObjectProperties></SignedDataObjectProperties></SignedProperties>`;
    const signedInfo =
      `<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">\n` +
      `<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"></CanonicalizationMethod>\n` +
      `<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"></SignatureMethod>\n` +
      dataFiles
        .filter((d) => d.signed)
        .map(
          (d) =>
            `<Reference URI="#${d.id}">\n<DigestMethod Algorithm="${DIGEST_URI.sha1}"></DigestMethod>\n` +
            `<DigestValue>${crypto.createHash('sha1').update(d.canonical).digest('base64')}</DigestValue>\n</Reference>\n`,
        )
        .join('') +
      `<Reference Type="http://uri.etsi.org/01903/v1.1.1#SignedProperties" URI="#${id}-SignedProperties">\n` +
      `<DigestMethod Algorithm="${DIGEST_URI.sha1}"></DigestMethod>\n` +
      `<DigestValue>${crypto.createHash('sha1').update(signedProps).digest('base64')}</DigestValue>\n</Reference>\n</SignedInfo>`;
    return (
      `<Signature Id="${id}" xmlns="http://www.w3.org/2000/09/xmldsig#">\n${signedInfo}` +
      `<SignatureValue Id="${id}-SIG">${signedInfoSignature(signedInfo, key)}</SignatureValue>\n` +
      `<KeyInfo>\n<X509Data><X509Certificate>\n${base64Lines(key.certDer)}</X509Certificate></X509Data></KeyInfo>\n` +
      `<Object><QualifyingProperties xmlns="http://uri.etsi.org/01903/v1.1.1#" Target="#${id}">\n${signedProps}` +
      `</QualifyingProperties></Object>\n</Signature>\n`
    );
  });
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<SignedDoc format="DIGIDOC-XML" version="1.3" xmlns="${DDOC_NS}">\n` +
      dataFiles.map((d) => `${d.written}\n`).join('') +
      signatures.join('') +
      `</SignedDoc>\n`,
  );
}
