/**
 * Reading a ZIP (an ASiC-E/BDOC container) from its central directory, with every size bounded while it is
 * inflated. The declared sizes of a hostile ZIP can lie, so inflating stops at the smallest of the
 * remaining budgets (zlib's `maxOutputLength` counts while it inflates, docs/capsule.md "Signed containers").
 */
import zlib from 'node:zlib';

export interface ZipEntry {
  /** Name as stored: UTF-8 when flag bit 11 is set or the bytes are valid UTF-8, otherwise CP437 read as latin1. */
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipReadError extends Error {
  constructor(
    readonly code: 'ZIP_INVALID' | 'ZIP64_UNSUPPORTED' | 'TOO_MANY_ENTRIES',
    message: string,
  ) {
    super(message);
  }
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

function entryName(raw: Buffer, flags: number): string {
  if (flags & 0x800) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** The entries of the central directory, in order; throws ZipReadError when it cannot be read. */
export function readZipDirectory(zip: Buffer, maxEntries: number): ZipEntry[] {
  if (zip.length < EOCD_MIN) throw new ZipReadError('ZIP_INVALID', 'too short to be a ZIP');
  let eocd = -1;
  const lowest = Math.max(0, zip.length - EOCD_MIN - MAX_COMMENT);
  for (let i = zip.length - EOCD_MIN; i >= lowest; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIG && i + EOCD_MIN + zip.readUInt16LE(i + 20) <= zip.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipReadError('ZIP_INVALID', 'no end of central directory record');
  const total = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new ZipReadError('ZIP64_UNSUPPORTED', 'ZIP64 containers are not supported');
  }
  if (total > maxEntries) throw new ZipReadError('TOO_MANY_ENTRIES', `${total} entries, more than ${maxEntries}`);
  if (cdOffset + cdSize > eocd) throw new ZipReadError('ZIP_INVALID', 'central directory outside the file');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < total; n++) {
    if (p + 46 > eocd || zip.readUInt32LE(p) !== CEN_SIG) {
      throw new ZipReadError('ZIP_INVALID', `central directory entry ${n + 1} is damaged`);
    }
    const flags = zip.readUInt16LE(p + 8);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > eocd) throw new ZipReadError('ZIP_INVALID', `central directory entry ${n + 1} is damaged`);
    const entry: ZipEntry = {
      name: entryName(zip.subarray(p + 46, p + 46 + nameLen), flags),
      flags,
      method: zip.readUInt16LE(p + 10),
      crc32: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new ZipReadError('ZIP64_UNSUPPORTED', 'ZIP64 containers are not supported');
    }
    entries.push(entry);
    p = end;
  }
  return entries;
}

/** The compressed bytes of an entry, located through its local header; undefined when outside the file. */
export function entryData(zip: Buffer, e: ZipEntry): Buffer | undefined {
  const p = e.localOffset;
  if (p + 30 > zip.length || zip.readUInt32LE(p) !== LOC_SIG) return undefined;
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const end = start + e.compressedSize;
  return end <= zip.length ? zip.subarray(start, end) : undefined;
}

export type InflateOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'limit'; limit: number }
  | { ok: false; reason: 'corrupt'; message: string };

/**
 * Inflates a deflated entry into at most `maxBytes` bytes: zlib stops as soon as its output would pass
 * the cap, whatever the entry declares.
 */
export function inflateBounded(data: Buffer, maxBytes: number): InflateOutcome {
  try {
    // maxOutputLength must be ≥ 1; a cap of 0 is checked by the caller on the result.
    const bytes = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    if (bytes.length > maxBytes) return { ok: false, reason: 'limit', limit: maxBytes };
    return { ok: true, bytes };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return { ok: false, reason: 'limit', limit: maxBytes };
    return { ok: false, reason: 'corrupt', message: e.message };
  }
}

export function crc32(bytes: Buffer): number {
  return zlib.crc32(bytes) >>> 0;
}
