/**
 * What the adapter reads from an XML-DSig/XAdES `Signature` (ASiC-E and DDOC alike): its data references
 * with their digests, the signer from the signing certificate's subject, and the claimed signing time.
 * The signature value, the certificate chain and revocation data are not checked here (docs/capsule.md,
 * "Signed containers": what is and is not verified).
 */
import crypto from 'node:crypto';
import { childNamed, childrenNamed, descendantsNamed, pathFirst, type XmlElement } from './xml';

export interface SignatureReference {
  uri: string;
  type: string;
  /** Node's hash name, or undefined for an algorithm not known here. */
  algorithm: string | undefined;
  algorithmUri: string;
  /** The decoded digest, or undefined when DigestValue is not base64. */
  digest: Buffer | undefined;
}

export interface SignatureParts {
  id: string;
  references: SignatureReference[];
  signer: string | null;
  signerPersonalCode: string | null;
  signedAt: string | null;
  /** Why a part could not be read (no personal data in these texts). */
  problems: { code: string; message: string }[];
}

const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#sha224': 'sha224',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-256': 'sha3-256',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-384': 'sha3-384',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-512': 'sha3-512',
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (white space ignored): undefined when it is not. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const s = text.replace(/\s+/g, '');
  if (s.length % 4 !== 0 || !BASE64.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

/** The `Signature` elements of a signatures file or a DDOC, in document order. */
export function signatureElements(root: XmlElement): XmlElement[] {
  return root.local === 'Signature' ? [root] : descendantsNamed(root, 'Signature');
}

export function readSignature(sig: XmlElement, index: number): SignatureParts {
  const problems: SignatureParts['problems'] = [];
  const id = sig.attrsLocal['Id'] ?? `S${index}`;
  const references: SignatureReference[] = [];
  const signedInfo = childNamed(sig, 'SignedInfo');
  if (!signedInfo) problems.push({ code: 'SIGNATURE_UNREADABLE', message: `signature ${id} has no SignedInfo` });
  for (const ref of signedInfo ? childrenNamed(signedInfo, 'Reference') : []) {
    const algorithmUri = childNamed(ref, 'DigestMethod')?.attrsLocal['Algorithm'] ?? '';
    references.push({
      uri: ref.attrsLocal['URI'] ?? '',
      type: ref.attrsLocal['Type'] ?? '',
      algorithm: DIGESTS[algorithmUri],
      algorithmUri,
      digest: decodeBase64Strict(childNamed(ref, 'DigestValue')?.text ?? ''),
    });
  }
  let signer: string | null = null;
  let signerPersonalCode: string | null = null;
  const certText = pathFirst(sig, 'KeyInfo', 'X509Data', 'X509Certificate')?.text;
  if (certText === undefined) {
    problems.push({ code: 'SIGNER_UNKNOWN', message: `signature ${id} carries no signing certificate` });
  } else {
    const subject = certificateSubject(certText);
    if (subject === undefined) {
      problems.push({ code: 'SIGNER_UNKNOWN', message: `signature ${id}: the signing certificate cannot be read` });
    } else {
      ({ signer, personalCode: signerPersonalCode } = signerOf(subject));
    }
  }
  const props = descendantsNamed(sig, 'SignedSignatureProperties')[0];
  const timeText = props ? childNamed(props, 'SigningTime')?.text.trim() : undefined;
  let signedAt: string | null = null;
  if (timeText) {
    const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(timeText) ? Date.parse(timeText) : NaN;
    if (Number.isNaN(t)) problems.push({ code: 'SIGNING_TIME_INVALID', message: `signature ${id}: SigningTime is not a date-time with a zone` });
    else signedAt = new Date(t).toISOString();
  }
  return { id, references, signer, signerPersonalCode, signedAt, problems };
}

/** The subject's attributes (`CN`, `SN`, `GN`, `serialNumber`...) of a base64 DER certificate. */
export function certificateSubject(base64: string): Map<string, string> | undefined {
  const der = decodeBase64Strict(base64);
  if (!der || der.length === 0) return undefined;
  let subject: string;
  try {
    subject = new crypto.X509Certificate(der).subject;
  } catch {
    return undefined;
  }
  const out = new Map<string, string>();
  // Node prints one attribute a line, `KEY=value`, with `,` `+` `\` and friends escaped by a backslash.
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!out.has(key)) out.set(key, line.slice(eq + 1).replace(/\\(.)/g, '$1'));
  }
  return out;
}

/** "MARI-LIIS" → "Mari-Liis"; a name already in mixed case is kept as written. */
function nameCase(name: string): string {
  if (name !== name.toLocaleUpperCase('et')) return name;
  return name.toLocaleLowerCase('et').replace(/(^|[\s\-'’])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toLocaleUpperCase('et'));
}

/**
 * The signer's name and personal identifier from a certificate subject: givenName + surname, else the
 * Estonian ID-card CN "SURNAME,GIVENNAME,CODE", else the CN as it is (an e-seal names an organisation).
 * The identifier is the ETSI semantics identifier of serialNumber ("PNOEE-" dropped for an Estonian code)
 * or the CN's third part.
 */
export function signerOf(subject: Map<string, string>): { signer: string | null; personalCode: string | null } {
  const gn = subject.get('GN') ?? subject.get('givenName');
  const sn = subject.get('SN') ?? subject.get('surname');
  const cn = subject.get('CN');
  const serial = subject.get('serialNumber');
  let signer: string | null = null;
  let code: string | null = null;
  const cnParts = cn?.split(',').map((s) => s.trim());
  if (gn && sn) signer = `${nameCase(gn)} ${nameCase(sn)}`;
  else if (cnParts && cnParts.length === 3 && cnParts[0] && cnParts[1]) signer = `${nameCase(cnParts[1])} ${nameCase(cnParts[0])}`;
  else if (cn) signer = cn;
  if (serial) code = /^PNOEE-\d{11}$/.test(serial) ? serial.slice(6) : serial;
  else if (cnParts && cnParts.length === 3 && /^(PNOEE-)?\d{11}$/.test(cnParts[2]!)) code = cnParts[2]!.replace(/^PNOEE-/, '');
  return { signer, personalCode: code };
}

/** The digest of `bytes` with a node hash name. */
export function digestOf(algorithm: string, bytes: Buffer | string): Buffer {
  return crypto.createHash(algorithm).update(bytes).digest();
}
