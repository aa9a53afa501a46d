/**
 * Signed containers unpacked: ASiC-E/BDOC (a ZIP with `mimetype`, `META-INF/manifest.xml` and XAdES
 * signatures) and DDOC (DigiDoc XML with embedded base64 data files). Pure and synchronous over Buffers:
 * the caller stores the container untouched beside what is unpacked here. Each data file's digest is
 * checked against the signatures' references; the signature value, the certificate chain and revocation
 * are not (offline that is not possible). Hostile input is bounded like a capsule's content
 * (docs/capsule.md, "Signed containers").
 */
import crypto from 'node:crypto';
import { maskPersonalCodes } from '../../log/personal-code';
import { DEFAULT_LIMITS } from '../content';
import { sanitizeFileName } from '../filename';
import { SNIFF_BYTES, sniffMimeType } from '../sniff';
import { decodeBase64Strict, digestOf, readSignature, signatureElements, type SignatureParts } from './signature';
import { XmlReadError, childrenNamed, readXmlTree, utf8Text, type XmlElement } from './xml';
import { ZipReadError, crc32, entryData, inflateBounded, readZipDirectory, type ZipEntry } from './zip';

export type ContainerKind = 'asice' | 'ddoc';
export type DigestStatus = 'ok' | 'mismatch' | 'not-checked';

export const ASICE_MIME = 'application/vnd.etsi.asic-e+zip';
export const DDOC_MIME = 'application/x-ddoc';

export interface ContainerDataFile {
  /** The name inside the container, as written there (data: never used as a path). */
  name: string;
  /** A name safe to create in a folder (sanitizeFileName), unique within the result. */
  safeName: string;
  bytes: Buffer;
  /** From the manifest (ASiC-E) or the DataFile's MimeType (DDOC); '' when not declared. */
  declaredMimeType: string;
  sniffedMimeType: string;
  size: number;
  /** Hex. */
  sha256: string;
  /** The name of the container this file was unpacked from (the outer one, or a nested container). */
  from: string;
  /** 1 for a file of the container given, 2 for a file of a container inside it. */
  depth: number;
  /** This file against its container's signatures: mismatch if any reference to it mismatches, ok if referenced and all match, not-checked if no signature checks it. */
  digest: DigestStatus;
}

export interface ContainerSignature {
  id: string;
  /** The name of the container holding this signature (matches `ContainerDataFile.from`). */
  from: string;
  /** The signer's name only, e.g. "Mari Maasikas"; null when the certificate cannot be read. */
  signer: string | null;
  /** Personal data: stored, never logged, masked on display. */
  signerPersonalCode: string | null;
  /** The claimed signing time (xades:SigningTime), ISO 8601 UTC. */
  signedAt: string | null;
  /** mismatch if any reference mismatches; ok if every data reference was checked and matches; else not-checked. */
  digest: DigestStatus;
  references: { file: string; digest: DigestStatus }[];
}

export interface ContainerProblem {
  code: string;
  /** Never holds a personal code (masked). */
  message: string;
}

export interface UnpackedContainer {
  kind: ContainerKind;
  files: ContainerDataFile[];
  signatures: ContainerSignature[];
  problems: ContainerProblem[];
}

export interface ContainerLimits {
  /** Bytes of the container given (ASiC-E). */
  maxContainerBytes: number;
  /** Bytes of a DDOC: it is held as text and parsed whole. */
  maxDdocBytes: number;
  /** ZIP entries, or DDOC DataFile elements. */
  maxEntries: number;
  /** Unpacked bytes of one data file. */
  maxFileBytes: number;
  /** Unpacked bytes of everything, nested containers included. */
  maxTotalBytes: number;
  /** Inflated ÷ compressed bytes of one entry, past the first MiB. */
  maxRatio: number;
  /** Bytes of a manifest or signatures file. */
  maxXmlBytes: number;
  /** Signatures in one container. */
  maxSignatures: number;
  /** Container levels unpacked: 2 = the container and the containers inside it. */
  maxDepth: number;
}

export const DEFAULT_CONTAINER_LIMITS: ContainerLimits = {
  maxContainerBytes: DEFAULT_LIMITS.maxFileBytes,
  maxDdocBytes: 64 * 1024 * 1024,
  maxEntries: DEFAULT_LIMITS.maxFiles,
  maxFileBytes: DEFAULT_LIMITS.maxFileBytes,
  maxTotalBytes: DEFAULT_LIMITS.maxTotalBytes,
  maxRatio: DEFAULT_LIMITS.maxGzipRatio,
  maxXmlBytes: 4 * 1024 * 1024,
  maxSignatures: 100,
  maxDepth: 2,
};

/** The ratio check starts once an entry has inflated this much, as for capsule content. */
const RATIO_GRACE_BYTES = 1024 * 1024;

export const ContainerErrorCode = {
  NOT_A_CONTAINER: 'NOT_A_CONTAINER',
  ZIP_INVALID: 'ZIP_INVALID',
  ZIP64_UNSUPPORTED: 'ZIP64_UNSUPPORTED',
  TOO_MANY_ENTRIES: 'TOO_MANY_ENTRIES',
  XML_INVALID: 'XML_INVALID',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
} as const;
export type ContainerErrorCode = (typeof ContainerErrorCode)[keyof typeof ContainerErrorCode];

/** The whole container is unusable; the message never holds a personal code. */
export class ContainerError extends Error {
  constructor(
    readonly code: ContainerErrorCode,
    message: string,
  ) {
    super(maskPersonalCodes(message));
    this.name = 'ContainerError';
  }
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
}

const SIGNATURES_ENTRY = /^META-INF\/[^/]*signatures[^/]*\.xml$/i;
const ASICE_EXTENSION = /\.(asice|sce|bdoc)$/i;

/**
 * The kind of signed container these bytes are, by content: a ZIP whose first entry `mimetype` says
 * ASiC-E (BDOC too), or a ZIP holding `META-INF/*signatures*.xml` that its name or declared type calls
 * ASiC-E/BDOC; an XML document whose root is `SignedDoc` (DDOC). Undefined otherwise (an ASiC-S, an ODF
 * or DOCX, a plain ZIP).
 */
export function containerKind(name: string, bytes: Buffer, declaredMime?: string): ContainerKind | undefined {
  const sniffed = sniffMimeType(bytes.subarray(0, SNIFF_BYTES), name);
  if (sniffed === DDOC_MIME) return 'ddoc';
  if (!isZip(bytes)) return undefined;
  if (sniffed === ASICE_MIME && firstEntryIsMimetype(bytes)) return 'asice';
  const claimed = ASICE_EXTENSION.test(name) || declaredMime?.trim().toLowerCase() === ASICE_MIME || sniffed === ASICE_MIME;
  if (!claimed) return undefined;
  try {
    return readZipDirectory(bytes, DEFAULT_CONTAINER_LIMITS.maxEntries).some((e) => SIGNATURES_ENTRY.test(e.name))
      ? 'asice'
      : undefined;
  } catch {
    return undefined;
  }
}

function firstEntryIsMimetype(bytes: Buffer): boolean {
  return bytes.length >= 38 && bytes.readUInt16LE(26) === 8 && bytes.toString('latin1', 30, 38) === 'mimetype';
}

/**
 * Unpacks a signed container. Problems with a part (an encrypted or damaged entry, a malformed signature,
 * a nested container too deep) are listed in `problems` and the rest is unpacked; ContainerError is thrown
 * only when the whole container is unusable or passes a limit.
 */
export function unpackContainer(name: string, bytes: Buffer, limits?: Partial<ContainerLimits>): UnpackedContainer {
  const l: ContainerLimits = { ...DEFAULT_CONTAINER_LIMITS, ...limits };
  const kind = containerKind(name, bytes);
  if (!kind) throw new ContainerError('NOT_A_CONTAINER', 'neither an ASiC-E/BDOC nor a DDOC container');
  const out = unpackLevel(kind, name, bytes, 1, l, { used: 0 });
  for (const p of out.problems) p.message = maskPersonalCodes(p.message);
  return out;
}

interface Budget {
  used: number;
}

interface RawFile {
  /** What references point at: the entry name (ASiC-E) or the DataFile Id (DDOC, where names may repeat). */
  key: string;
  name: string;
  bytes: Buffer;
  declaredMimeType: string;
}

/** What one level of unpacking hands to the common part: data files, their references' outcomes, problems. */
interface Level {
  files: RawFile[];
  signatures: SignatureParts[];
  /** A reference's digest outcome, given the signature's reference. */
  check: (ref: SignatureParts['references'][number]) => { key: string; file: string; digest: DigestStatus } | undefined;
  problems: ContainerProblem[];
}

function unpackLevel(kind: ContainerKind, name: string, bytes: Buffer, depth: number, l: ContainerLimits, budget: Budget): UnpackedContainer {
  const level = kind === 'asice' ? readAsice(bytes, l, budget) : readDdoc(bytes, l, budget);
  const problems = level.problems;
  if (level.signatures.length > l.maxSignatures) {
    problems.push({ code: 'TOO_MANY_SIGNATURES', message: `${level.signatures.length} signatures, only the first ${l.maxSignatures} are read` });
    level.signatures.length = l.maxSignatures;
  }
  if (level.signatures.length === 0) problems.push({ code: 'NO_SIGNATURES', message: 'the container holds no signature' });

  const byFile = new Map<string, DigestStatus[]>();
  const signatures: ContainerSignature[] = level.signatures.map((s) => {
    problems.push(...s.problems);
    const references: ContainerSignature['references'] = [];
    for (const ref of s.references) {
      const r = level.check(ref);
      if (!r) continue;
      references.push({ file: r.file, digest: r.digest });
      const list = byFile.get(r.key) ?? [];
      list.push(r.digest);
      byFile.set(r.key, list);
    }
    const digest: DigestStatus = references.some((r) => r.digest === 'mismatch')
      ? 'mismatch'
      : references.length > 0 && references.every((r) => r.digest === 'ok')
        ? 'ok'
        : 'not-checked';
    return { id: s.id, from: name, signer: s.signer, signerPersonalCode: s.signerPersonalCode, signedAt: s.signedAt, digest, references };
  });

  const files: ContainerDataFile[] = [];
  const nestedFiles: ContainerDataFile[] = [];
  const taken = new Set<string>();
  for (const f of level.files) {
    const outcomes = byFile.get(f.key) ?? [];
    const digest: DigestStatus = outcomes.includes('mismatch') ? 'mismatch' : outcomes.includes('ok') ? 'ok' : 'not-checked';
    if (outcomes.length === 0 && level.signatures.length > 0) {
      problems.push({ code: 'UNSIGNED_FILE', message: `data file ${quote(f.name)} is not covered by any signature` });
    }
    files.push({
      name: f.name,
      safeName: uniqueName(sanitizeFileName(f.name), taken),
      bytes: f.bytes,
      declaredMimeType: f.declaredMimeType,
      sniffedMimeType: sniffMimeType(f.bytes.subarray(0, SNIFF_BYTES), f.name),
      size: f.bytes.length,
      sha256: crypto.createHash('sha256').update(f.bytes).digest('hex'),
      from: name,
      depth,
      digest,
    });
    const inner = containerKind(f.name, f.bytes, f.declaredMimeType);
    if (!inner) continue;
    if (depth >= l.maxDepth) {
      problems.push({ code: 'NESTED_TOO_DEEP', message: `${quote(f.name)} is a container nested deeper than ${l.maxDepth} levels: kept as a file` });
      continue;
    }
    try {
      const nested = unpackLevel(inner, f.name, f.bytes, depth + 1, l, budget);
      nestedFiles.push(...nested.files);
      signatures.push(...nested.signatures);
      problems.push(...nested.problems.map((p) => ({ code: p.code, message: `in ${quote(f.name)}: ${p.message}` })));
    } catch (err) {
      if (!(err instanceof ContainerError) || err.code === 'LIMIT_EXCEEDED') throw err;
      problems.push({ code: 'NESTED_UNUSABLE', message: `${quote(f.name)} could not be unpacked (${err.code}): ${err.message}` });
    }
  }
  for (const f of nestedFiles) f.safeName = uniqueName(f.safeName, taken);
  return { kind, files: [...files, ...nestedFiles], signatures, problems };
}

function uniqueName(safe: string, taken: Set<string>): string {
  let candidate = safe;
  const dot = safe.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** A name for a message: JSON-quoted (control characters escaped) and cut to 120 characters. */
function quote(name: string): string {
  return JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);
}

function charge(budget: Budget, bytes: number, l: ContainerLimits): void {
  if (bytes > l.maxFileBytes) throw new ContainerError('LIMIT_EXCEEDED', `a data file of ${bytes} bytes, more than ${l.maxFileBytes}`);
  budget.used += bytes;
  if (budget.used > l.maxTotalBytes) throw new ContainerError('LIMIT_EXCEEDED', `unpacked data past ${l.maxTotalBytes} bytes`);
}

/** Whether an entry name tries to leave its folder or hide what it is (it is still kept, as data, with a safe name). */
function unsafeName(name: string): boolean {
  return (
    name.includes('\\') ||
    name.includes('\0') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((seg) => seg === '..' || seg === '.') ||
    Buffer.byteLength(name) > 255
  );
}

// ─── ASiC-E / BDOC ─────────────────────────────────────────────────────────────────────────────────

function readAsice(zip: Buffer, l: ContainerLimits, budget: Budget): Level {
  if (zip.length > l.maxContainerBytes) throw new ContainerError('LIMIT_EXCEEDED', `a container of ${zip.length} bytes, more than ${l.maxContainerBytes}`);
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(zip, l.maxEntries);
  } catch (err) {
    if (err instanceof ZipReadError) throw new ContainerError(err.code, err.message);
    throw err;
  }
  const problems: ContainerProblem[] = [];
  const first = entries[0];
  if (!first || first.name !== 'mimetype') problems.push({ code: 'MIMETYPE_NOT_FIRST', message: 'the first entry is not "mimetype"' });

  // Declared sizes are checked before anything is inflated; inflating is bounded again (they can lie).
  let declared = 0;
  for (const e of entries) {
    if (e.size > l.maxFileBytes) throw new ContainerError('LIMIT_EXCEEDED', `an entry declares ${e.size} bytes, more than ${l.maxFileBytes}`);
    declared += e.size;
  }
  if (budget.used + declared > l.maxTotalBytes) throw new ContainerError('LIMIT_EXCEEDED', `entries declare more than ${l.maxTotalBytes} bytes`);

  const files: RawFile[] = [];
  const unreadable = new Set<string>(); // skipped: a reference to it is not-checked
  const seen = new Set<string>();
  const duplicates = new Set<string>(); // which of the entries was signed is ambiguous: not-checked
  const xml: { name: string; bytes: Buffer }[] = [];
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const isMeta = e.name === 'mimetype' || e.name.startsWith('META-INF/');
    if (seen.has(e.name)) {
      problems.push({ code: 'DUPLICATE_NAME', message: `more than one entry is named ${quote(e.name)}: only the first is read` });
      duplicates.add(e.name);
      continue;
    }
    seen.add(e.name);
    if (e.flags & 0x1) {
      problems.push({ code: 'ENCRYPTED_ENTRY', message: `entry ${quote(e.name)} is encrypted: skipped` });
      unreadable.add(e.name);
      continue;
    }
    if (e.method !== 0 && e.method !== 8) {
      problems.push({ code: 'UNSUPPORTED_COMPRESSION', message: `entry ${quote(e.name)} uses compression method ${e.method}: skipped` });
      unreadable.add(e.name);
      continue;
    }
    const isXml = e.name === 'META-INF/manifest.xml' || SIGNATURES_ENTRY.test(e.name);
    if (isMeta && !isXml) continue;
    const data = entryData(zip, e);
    if (!data) {
      problems.push({ code: 'ENTRY_DAMAGED', message: `entry ${quote(e.name)} lies outside the file: skipped` });
      unreadable.add(e.name);
      continue;
    }
    const remaining = Math.min(l.maxFileBytes, l.maxTotalBytes - budget.used);
    const cap = isXml ? Math.min(l.maxXmlBytes, remaining) : remaining;
    const ratioCap = Math.max(RATIO_GRACE_BYTES, data.length * l.maxRatio);
    let bytes: Buffer;
    if (e.method === 0) {
      bytes = data;
      if (bytes.length > cap) {
        if (isXml && cap === l.maxXmlBytes) {
          problems.push({ code: 'XML_TOO_LARGE', message: `${quote(e.name)} is larger than ${l.maxXmlBytes} bytes: skipped` });
          continue;
        }
        throw new ContainerError('LIMIT_EXCEEDED', `entry ${quote(e.name)} passes the size limit`);
      }
    } else {
      // One byte past the declared size is enough to know the entry lies: inflating stops there too.
      const declaredCap = e.size + 1;
      const r = inflateBounded(data, Math.min(cap, ratioCap, declaredCap));
      if (!r.ok && r.reason === 'limit' && declaredCap <= Math.min(cap, ratioCap)) {
        charge(budget, declaredCap, l);
        problems.push({ code: 'ENTRY_DAMAGED', message: `entry ${quote(e.name)} inflates past its declared size: skipped` });
        unreadable.add(e.name);
        continue;
      }
      if (!r.ok && r.reason === 'corrupt') {
        problems.push({ code: 'ENTRY_DAMAGED', message: `entry ${quote(e.name)} does not inflate: skipped` });
        unreadable.add(e.name);
        continue;
      }
      if (!r.ok) {
        if (isXml && Math.min(cap, ratioCap) === l.maxXmlBytes) {
          problems.push({ code: 'XML_TOO_LARGE', message: `${quote(e.name)} is larger than ${l.maxXmlBytes} bytes: skipped` });
          continue;
        }
        throw new ContainerError(
          'LIMIT_EXCEEDED',
          ratioCap < cap ? `entry ${quote(e.name)} inflates more than ${l.maxRatio} times its size` : `entry ${quote(e.name)} passes the size limit`,
        );
      }
      bytes = r.bytes;
    }
    // Counted whether kept or not: what was inflated was work and memory.
    charge(budget, bytes.length, l);
    if (bytes.length !== e.size || crc32(bytes) !== e.crc32) {
      problems.push({ code: 'ENTRY_DAMAGED', message: `entry ${quote(e.name)} does not match its size or CRC: skipped` });
      unreadable.add(e.name);
      continue;
    }
    if (isXml) {
      xml.push({ name: e.name, bytes });
      continue;
    }
    if (unsafeName(e.name)) problems.push({ code: 'UNSAFE_NAME', message: `entry name ${quote(e.name)} is not a plain relative name: kept under a safe name` });
    files.push({ key: e.name, name: e.name, bytes, declaredMimeType: '' });
  }

  const mimetype = entries.find((e) => e.name === 'mimetype');
  const mimeData = mimetype && mimetype.method === 0 ? entryData(zip, mimetype) : undefined;
  if (!mimeData || mimeData.toString('latin1').trim() !== ASICE_MIME) {
    problems.push({ code: 'MIMETYPE_INVALID', message: `"mimetype" is missing, compressed or not ${ASICE_MIME}` });
  }

  // The manifest declares each data file's media type.
  const manifest = xml.find((x) => x.name === 'META-INF/manifest.xml');
  if (!manifest) problems.push({ code: 'MANIFEST_MISSING', message: 'no META-INF/manifest.xml' });
  else {
    const root = parseXml(manifest.name, manifest.bytes, problems, 'MANIFEST_INVALID');
    if (root) {
      const declaredTypes = new Map<string, string>();
      for (const fe of childrenNamed(root, 'file-entry')) {
        const path = fe.attrsLocal['full-path'];
        if (path !== undefined && path !== '/') declaredTypes.set(path, fe.attrsLocal['media-type'] ?? '');
      }
      for (const f of files) f.declaredMimeType = declaredTypes.get(f.name) ?? '';
      for (const path of declaredTypes.keys()) {
        if (!seen.has(path)) problems.push({ code: 'MANIFEST_FILE_MISSING', message: `the manifest lists ${quote(path)}, which is not in the container` });
      }
    }
  }

  const signatures: SignatureParts[] = [];
  for (const x of xml) {
    if (x === manifest) continue;
    const root = parseXml(x.name, x.bytes, problems, 'SIGNATURE_UNREADABLE');
    if (!root) continue;
    const found = signatureElements(root);
    if (found.length === 0) problems.push({ code: 'SIGNATURE_UNREADABLE', message: `${quote(x.name)} holds no Signature` });
    for (const sig of found) {
      if (signatures.length > l.maxSignatures) break;
      signatures.push(readSignature(sig, signatures.length));
    }
  }

  const byName = new Map(files.map((f) => [f.name, f]));
  const check: Level['check'] = (ref) => {
    if (ref.uri.startsWith('#') || ref.type.endsWith('#SignedProperties')) return undefined;
    let file = ref.uri;
    try {
      file = decodeURIComponent(ref.uri);
    } catch {
      // keep the URI as written
    }
    if (duplicates.has(file)) return { key: file, file, digest: 'not-checked' };
    const f = byName.get(file) ?? byName.get(ref.uri);
    if (!f) {
      if (unreadable.has(file) || unreadable.has(ref.uri)) return { key: file, file, digest: 'not-checked' };
      problems.push({ code: 'REFERENCE_MISSING', message: `a signature references ${quote(file)}, which is not in the container` });
      return { key: file, file, digest: 'mismatch' };
    }
    return { key: f.key, file: f.name, digest: compare(ref, () => f.bytes, problems) };
  };
  return { files, signatures, check, problems };
}

function parseXml(name: string, bytes: Buffer, problems: ContainerProblem[], code: string): XmlElement | undefined {
  try {
    return readXmlTree(utf8Text(bytes).replace(/^\uFEFF/, ''));
  } catch (err) {
    const why = err instanceof XmlReadError ? err.message : 'not UTF-8';
    problems.push({ code, message: `${quote(name)} cannot be read: ${why}` });
    return undefined;
  }
}

function compare(ref: SignatureParts['references'][number], content: () => Buffer | string | undefined, problems: ContainerProblem[]): DigestStatus {
  if (!ref.algorithm) {
    problems.push({ code: 'DIGEST_ALGORITHM_UNKNOWN', message: `digest algorithm ${quote(ref.algorithmUri)} is not known: not checked` });
    return 'not-checked';
  }
  if (!ref.digest) {
    problems.push({ code: 'DIGEST_INVALID', message: `a DigestValue is not base64: not checked` });
    return 'not-checked';
  }
  const c = content();
  if (c === undefined) return 'not-checked';
  const actual = digestOf(ref.algorithm, c);
  return actual.length === ref.digest.length && crypto.timingSafeEqual(actual, ref.digest) ? 'ok' : 'mismatch';
}

// ─── DDOC (DigiDoc XML 1.1–1.3) ───────────────────────────────────────────────────────────────────

function readDdoc(bytes: Buffer, l: ContainerLimits, budget: Budget): Level {
  if (bytes.length > l.maxDdocBytes) throw new ContainerError('LIMIT_EXCEEDED', `a DDOC of ${bytes.length} bytes, more than ${l.maxDdocBytes}`);
  let root: XmlElement;
  try {
    root = readXmlTree(utf8Text(bytes).replace(/^\uFEFF/, ''), { maxDepth: 64, maxElements: Math.max(10_000, l.maxEntries * 4) });
  } catch (err) {
    throw new ContainerError('XML_INVALID', err instanceof XmlReadError ? err.message : 'not UTF-8');
  }
  if (root.local !== 'SignedDoc') throw new ContainerError('NOT_A_CONTAINER', 'the root element is not SignedDoc');
  const problems: ContainerProblem[] = [];
  const dataFiles = childrenNamed(root, 'DataFile');
  if (dataFiles.length > l.maxEntries) throw new ContainerError('TOO_MANY_ENTRIES', `${dataFiles.length} data files, more than ${l.maxEntries}`);
  const files: RawFile[] = [];
  const byId = new Map<string, { el: XmlElement; name: string }>();
  const names = new Set<string>();
  for (const el of dataFiles) {
    const id = el.attrsLocal['Id'] ?? '';
    const name = el.attrsLocal['Filename'] ?? id;
    if (byId.has(id)) {
      problems.push({ code: 'DUPLICATE_ID', message: `more than one DataFile has Id ${quote(id)}: only the first is read` });
      continue;
    }
    byId.set(id, { el, name });
    const contentType = el.attrsLocal['ContentType'] ?? '';
    if (contentType !== 'EMBEDDED_BASE64') {
      problems.push({ code: 'UNSUPPORTED_CONTENT_TYPE', message: `DataFile ${quote(name)} has ContentType ${quote(contentType)}: skipped` });
      continue;
    }
    const content = decodeBase64Strict(el.text);
    if (!content) {
      problems.push({ code: 'BASE64_INVALID', message: `DataFile ${quote(name)} is not valid base64: skipped` });
      continue;
    }
    if (names.has(name)) problems.push({ code: 'DUPLICATE_NAME', message: `more than one DataFile is named ${quote(name)}` });
    names.add(name);
    charge(budget, content.length, l);
    if (unsafeName(name)) problems.push({ code: 'UNSAFE_NAME', message: `file name ${quote(name)} is not a plain relative name: kept under a safe name` });
    files.push({ key: id, name, bytes: content, declaredMimeType: el.attrsLocal['MimeType'] ?? '' });
  }

  const signatures = childrenNamed(root, 'Signature')
    .slice(0, l.maxSignatures + 1)
    .map((sig, i) => readSignature(sig, i));
  const canonical = new Map<string, string | undefined>();
  const check: Level['check'] = (ref) => {
    if (!ref.uri.startsWith('#')) return undefined;
    const target = byId.get(ref.uri.slice(1));
    if (!target) return undefined; // SignedProperties and other signed parts of the signature itself
    return {
      key: ref.uri.slice(1),
      file: target.name,
      digest: compare(
        ref,
        () => {
          if (!canonical.has(ref.uri)) canonical.set(ref.uri, canonicalDataFile(target.el));
          const c = canonical.get(ref.uri);
          if (c === undefined) problems.push({ code: 'DIGEST_NOT_CHECKED', message: `DataFile ${quote(target.name)} cannot be canonicalised here: not checked` });
          return c;
        },
        problems,
      ),
    };
  };
  return { files, signatures, check, problems };
}

/**
 * The DataFile element in canonical XML (C14N 1.0) form, as DigiDoc computes its digest: the default
 * namespace in scope declared first, the attributes sorted by name, the text escaped. Undefined for an
 * element this does not canonicalise exactly (child elements, prefixed attributes): then not-checked.
 */
export function canonicalDataFile(el: XmlElement): string | undefined {
  if (el.children.length > 0) return undefined;
  const names = Object.keys(el.attrs);
  if (names.some((n) => n.includes(':'))) return undefined;
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const attrEsc = (v: string): string =>
    v
      .replace(/[\t\n]/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/"/g, '&quot;');
  const textEsc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const ns = el.defaultNs ? ` xmlns="${attrEsc(el.defaultNs)}"` : '';
  const attrs = names.map((n) => ` ${n}="${attrEsc(el.attrs[n]!)}"`).join('');
  return `<DataFile${ns}${attrs}>${textEsc(el.text)}</DataFile>`;
}
