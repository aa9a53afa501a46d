/**
 * Content sniffing by magic bytes. Capsules' declared `MimeType` and `FileSize` are often wrong, so the
 * adapter keeps the declared values and computes its own beside them (docs/capsule.md, "Payload encodings").
 */

/** How `ZipBase64Content` wraps the file: base64(gzip) in practice, but some producers send a ZIP or raw bytes. */
export const PayloadEncoding = { gzip: 'gzip', zip: 'zip', raw: 'raw', empty: 'empty' } as const;
export type PayloadEncoding = (typeof PayloadEncoding)[keyof typeof PayloadEncoding];

export function sniffPayloadEncoding(head: Buffer): PayloadEncoding {
  if (head.length === 0) return PayloadEncoding.empty;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return PayloadEncoding.gzip;
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return PayloadEncoding.zip;
  return PayloadEncoding.raw;
}

/** How many leading decoded bytes `sniffMimeType` looks at. */
export const SNIFF_BYTES = 64 * 1024;

const OCTET = 'application/octet-stream';

function startsWith(buf: Buffer, bytes: number[] | string, at = 0): boolean {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return buf.length >= at + b.length && buf.subarray(at, at + b.length).equals(b);
}

/** MIME type of a ZIP-based container (ODF, OOXML, ASiC/BDOC) from its first entries, else application/zip. */
function sniffZip(head: Buffer): string {
  const nameLen = head.length >= 30 ? head.readUInt16LE(26) : 0;
  const extraLen = head.length >= 30 ? head.readUInt16LE(28) : 0;
  const firstName = head.subarray(30, 30 + nameLen).toString('latin1');
  const method = head.length >= 10 ? head.readUInt16LE(8) : -1;
  if (firstName === 'mimetype' && method === 0) {
    const size = head.readUInt32LE(18);
    const start = 30 + nameLen + extraLen;
    const declared = head.subarray(start, start + Math.min(size, 200)).toString('latin1').trim();
    if (/^[\w.+-]+\/[\w.+-]+$/.test(declared)) return declared;
  }
  const text = head.toString('latin1');
  if (text.includes('[Content_Types].xml') || text.includes('_rels/')) {
    if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    if (text.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  }
  if (text.includes('META-INF/')) return 'application/vnd.etsi.asic-e+zip';
  return 'application/zip';
}

function looksLikeText(head: Buffer): boolean {
  let text: string;
  try {
    // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes.
    text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(head));
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const byte = buf[buf.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (back < need) end = buf.length - back;
    }
    break;
  }
  return buf.subarray(0, end);
}

/**
 * The MIME type the decoded bytes show. `fileName` only disambiguates containers whose magic is shared
 * (an OLE2 file is a .doc, .xls or .ppt).
 */
export function sniffMimeType(head: Buffer, fileName = ''): string {
  if (head.length === 0) return 'application/x-empty';
  if (startsWith(head, '%PDF-')) return 'application/pdf';
  if (startsWith(head, 'PK\x03\x04') || startsWith(head, 'PK\x05\x06')) return sniffZip(head);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    const ext = fileName.toLowerCase().split('.').pop();
    if (ext === 'xls') return 'application/vnd.ms-excel';
    if (ext === 'ppt') return 'application/vnd.ms-powerpoint';
    if (ext === 'msg') return 'application/vnd.ms-outlook';
    return 'application/msword';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x1f, 0x8b])) return 'application/gzip';
  if (startsWith(head, '{\\rtf')) return 'application/rtf';
  if (looksLikeText(head)) {
    const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '').trimStart();
    if (/^<\?xml[^>]*>\s*<SignedDoc\b/.test(text) || text.startsWith('<SignedDoc')) return 'application/x-ddoc';
    if (text.startsWith('<?xml') || /^<[A-Za-z_][\w.:-]*[\s>/]/.test(text)) {
      return /^(<\?xml[^>]*>\s*)?(<!DOCTYPE html|<html)/i.test(text) ? 'text/html' : 'application/xml';
    }
    return 'text/plain';
  }
  return OCTET;
}
