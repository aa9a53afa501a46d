import fs from 'node:fs';
import { Readable } from 'node:stream';
import { readBlob } from '../blob/read';
import type { StoredTemp } from '../blob/store';
import { ContainerError, containerKind, unpackContainer, type ContainerLimits } from '../capsule/container';
import { markHoldsPersonalData } from '../cases/statements';
import { foldedForSearch } from '../content/fold';
import { DEFAULT_TEXT_LIMITS, extractText, type TextLimits } from '../content/text';
import { pendingTexts, storeTexts, type AttachmentRecord, type SignatureRecord, type TextRecord } from '../inbound/steps';
import { findPersonalCodes, maskPersonalCodes } from '../log/personal-code';
import type { BlobStore } from '../blob/store';
import type { ReadResult } from '../capsule/read';
import type { Pool } from '../db/pool';

/**
 * Attachments' content in intake (docs/intake.md, "Content"): signed containers unpacked when the capsule is
 * read (each data file an attachment beside its container, stored through the blob store like the capsule's own
 * files; the container kept untouched), the text of every file read with the caps of src/content/text.ts, and
 * personal codes in that text counted (never logged) to flag the case.
 */

/** What this module needs of intake's dependencies (IntakeDeps, stages.ts). */
export interface ContentDeps {
  pool: Pool;
  store: BlobStore;
  inlineBlobBytes?: number;
  text?: Partial<TextLimits>;
}

/** A capsule as read (stages.ts, Reading): its files in temporary blobs by index. */
interface ReadFiles {
  result: ReadResult;
  temps: Map<number, StoredTemp>;
}

/** A data file unpacked from a container of the capsule, with its attachment row. */
export interface UnpackedFile {
  record: AttachmentRecord;
  temp: StoredTemp;
}

/** What a capsule's containers held: their data files (in temporary blobs), signatures, problems per container. */
export interface Unpacked {
  files: UnpackedFile[];
  signatures: SignatureRecord[];
  /** Container file_index → its problem (error_code, error_message; personal codes masked). */
  problems: Map<number, { code: string; message: string }>;
}

export const NOTHING_UNPACKED: Unpacked = { files: [], signatures: [], problems: new Map() };

/** A temporary blob's bytes (in memory when small, else its temporary file). */
export async function tempBytes(temp: StoredTemp): Promise<Buffer> {
  if (temp.bytes) return temp.bytes;
  if (temp.path) return fs.promises.readFile(temp.path);
  return Buffer.alloc(0);
}

/**
 * Unpacks the signed containers among the capsule's files (ASiC-E/BDOC, DDOC; nested ones as the container
 * library allows). Data files get the indexes after the capsule's files. A container the library refuses
 * keeps its row with the problem recorded on it; nothing here is fatal.
 */
export async function unpackContainers(d: ContentDeps, reading: ReadFiles, limits?: Partial<ContainerLimits>): Promise<Unpacked> {
  const capsuleFiles = reading.result.files;
  const metas = reading.result.capsule?.files ?? [];
  let next = capsuleFiles.reduce((n, f) => Math.max(n, f.index), 0) + 1;
  const out: Unpacked = { files: [], signatures: [], problems: new Map() };
  for (const f of capsuleFiles) {
    const temp = reading.temps.get(f.index);
    if (!temp || f.error) continue;
    const declared = metas[f.index - 1]?.mimeType ?? '';
    // Sniff first: only a container's bytes are read whole.
    const head = temp.bytes ?? (await readHead(temp));
    if (!looksLikeContainer(f.fileName, head, declared)) continue;
    const bytes = await tempBytes(temp);
    if (!containerKind(f.fileName, bytes, declared)) continue;
    let unpacked;
    try {
      unpacked = unpackContainer(f.fileName, bytes, limits);
    } catch (err) {
      const e = err as Error;
      out.problems.set(f.index, { code: err instanceof ContainerError ? err.code : 'CONTAINER_INVALID', message: maskPersonalCodes(e.message) });
      continue;
    }
    if (unpacked.problems.length > 0) {
      out.problems.set(f.index, { code: unpacked.problems[0]!.code, message: unpacked.problems.map((p) => `${p.code}: ${p.message}`).join('; ').slice(0, 2000) });
    }
    for (const df of unpacked.files) {
      const t = await d.store.writeTemp(Readable.from([df.bytes]), { inlineMax: d.inlineBlobBytes ?? 0 });
      out.files.push({
        temp: t,
        record: {
          index: next++,
          guid: null,
          name: df.name,
          safe: df.safeName,
          declaredMime: df.declaredMimeType,
          mime: df.sniffedMimeType,
          declaredSize: null,
          size: df.size,
          sha: df.sha256,
          encoding: 'container',
          main: false,
          errorCode: null,
          errorMessage: null,
          fromContainer: df.from,
          containerIndex: f.index,
          digest: df.digest,
        },
      });
    }
    // A nested container's signatures belong to its own row (a data file of the outer one).
    const rowOf = (from: string): number => (from === f.fileName ? f.index : (out.files.find((u) => u.record.containerIndex === f.index && u.record.name === from)?.record.index ?? f.index));
    unpacked.signatures.forEach((s, n) =>
      out.signatures.push({
        fileIndex: rowOf(s.from),
        n: n + 1,
        signatureId: s.id,
        fromContainer: s.from,
        signer: s.signer,
        signerPersonalCode: s.signerPersonalCode,
        signedAt: s.signedAt,
        digest: s.digest,
        references: s.references,
      }),
    );
  }
  return out;
}

async function readHead(temp: StoredTemp): Promise<Buffer> {
  if (!temp.path) return Buffer.alloc(0);
  const fh = await fs.promises.open(temp.path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** A cheap first look: a ZIP or XML whose name, declared type or first bytes may make it a container. */
function looksLikeContainer(name: string, head: Buffer, declared: string): boolean {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return true;
  const start = head.toString('latin1', 0, Math.min(head.length, 4096));
  return /SignedDoc/.test(start) || /\.ddoc$/i.test(name) || declared.toLowerCase().includes('ddoc');
}

/**
 * A file intake stored and whose text is not read yet, as the text step needs it: its row's values and, when
 * intake still held it in memory (StoredTemp.bytes), its content. Spares the text step a lookup and a read back.
 */
export interface StoredFile {
  index: number;
  name: string;
  mime: string;
  declaredMime: string;
  size: number;
  sha256: string;
  bytes?: Buffer;
}

/** A file to read text from: its index, name, types and a way to get its bytes. */
export interface TextSource {
  index: number;
  name: string;
  mime: string;
  declaredMime: string;
  /** Bytes, known before reading them: a file past TEXT_MAX_INPUT_BYTES is not read into memory at all. */
  size: number;
  bytes: () => Promise<Buffer>;
}

/** Whether a file is a signed container (its data files are read instead). */
function isContainerType(mime: string, name: string): boolean {
  return /asic-e|ddoc/i.test(mime) || /\.(asice|sce|bdoc|ddoc)$/i.test(name);
}

/** The text of one file as stored: read, none for its type, or failed (never throws). */
export async function readTextOf(src: TextSource, limits: Partial<TextLimits>): Promise<TextRecord> {
  const base = { fileIndex: src.index, truncated: false, errorCode: null, errorMessage: null, personalCodes: 0, text: null, folded: null, chars: 0 };
  if (isContainerType(src.mime, src.name)) return { ...base, state: 'none' };
  const maxInput = limits.maxInputBytes ?? DEFAULT_TEXT_LIMITS.maxInputBytes;
  if (src.size > maxInput) return { ...base, state: 'failed', errorCode: 'TEXT_TOO_LARGE', errorMessage: `${src.size} bytes, more than the ${maxInput} read for text` };
  let bytes: Buffer;
  try {
    bytes = await src.bytes();
  } catch (err) {
    return { ...base, state: 'failed', errorCode: 'TEXT_UNREADABLE', errorMessage: maskPersonalCodes((err as Error).message) };
  }
  // The sniffed type first: a declared type is the sender's hint (src/content/formats.ts decides by the bytes).
  const mime = src.mime && src.mime !== 'application/octet-stream' ? src.mime : src.declaredMime;
  const outcome = await extractText(bytes, mime, src.name, limits);
  switch (outcome.kind) {
    case 'none':
      return { ...base, state: 'none' };
    case 'failed':
      return { ...base, state: 'failed', errorCode: outcome.code, errorMessage: maskPersonalCodes(outcome.message) };
    case 'text':
      return {
        ...base,
        state: 'text',
        text: outcome.text,
        chars: outcome.chars,
        truncated: outcome.truncated,
        personalCodes: findPersonalCodes(outcome.text),
        folded: foldedForSearch(outcome.text),
      };
  }
}

/**
 * The texts of the files of a reading (capsule files and unpacked data files), for classification by content,
 * within one time cap (TEXT_TIMEOUT_MS) for them all.
 */
export async function readTextsOfReading(d: ContentDeps, reading: ReadFiles, unpacked: Unpacked): Promise<TextRecord[]> {
  const metas = reading.result.capsule?.files ?? [];
  const sources: TextSource[] = [];
  for (const f of reading.result.files) {
    const temp = reading.temps.get(f.index);
    if (!temp || f.error) continue;
    sources.push({ index: f.index, name: f.fileName, mime: f.sniffedMimeType, declaredMime: metas[f.index - 1]?.mimeType ?? '', size: f.size, bytes: () => tempBytes(temp) });
  }
  for (const u of unpacked.files) {
    sources.push({ index: u.record.index, name: u.record.name, mime: u.record.mime, declaredMime: u.record.declaredMime, size: u.record.size, bytes: () => tempBytes(u.temp) });
  }
  // One time cap for the whole capsule, not only per file: intake waits at most TEXT_TIMEOUT_MS here. Files not
  // reached are left for the text step (no row: not read yet).
  const limits = d.text ?? {};
  const budget = limits.timeoutMs ?? DEFAULT_TEXT_LIMITS.timeoutMs;
  const deadline = Date.now() + budget;
  const texts: TextRecord[] = [];
  for (const s of sources) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const t = await readTextOf(s, { ...limits, timeoutMs: Math.min(budget, left) });
    // Cut short by the capsule's cap rather than its own: left for the text step to read with the full cap.
    if (t.errorCode === 'TEXT_TIMEOUT' && left < budget) break;
    texts.push(t);
  }
  return texts;
}

/** The texts joined for the classifier's content field. */
export function contentOf(texts: readonly TextRecord[]): string {
  return texts
    .filter((t) => t.state === 'text' && t.text)
    .map((t) => t.text!)
    .join('\n\n');
}

/** What the text step did for one capsule. */
export interface TextStepResult {
  files: number;
  failed: number;
  personalData: boolean;
}

/**
 * The text step (docs/intake.md, "Text"): reads the text of every stored file of capsules `ids` not read yet
 * and stores it (a failure or timeout is recorded on the file); flags a capsule's case when a text holds a
 * personal code. Never moves a capsule; never throws for a file. The files of a capsule intake `handed` over
 * (StoredFile: what it stored and did not read) are taken as given, their content too when it came along; the
 * others' are looked up in PostgreSQL and read from the blob store. The capsules are looked up, stored and flagged
 * together (one statement each); when the joint write fails, each capsule is written alone, so that one
 * capsule's problem holds back no other.
 */
export async function runTextSteps(d: ContentDeps, ids: readonly string[], handed?: ReadonlyMap<string, readonly StoredFile[]>): Promise<Map<string, TextStepResult>> {
  const filesOf = new Map<string, StoredFile[]>(ids.map((id) => [id, [...(handed?.get(id) ?? [])]]));
  const lookUp = ids.filter((id) => !handed?.has(id));
  if (lookUp.length > 0) {
    for (const p of await pendingTexts(d.pool, lookUp)) {
      filesOf.get(p.capsule_id)?.push({ index: p.file_index, name: p.file_name, mime: p.sniffed_mime_type, declaredMime: p.declared_mime_type, size: Number(p.size), sha256: p.sha256 });
    }
  }
  const byCapsule = new Map<string, TextRecord[]>();
  for (const [id, files] of filesOf) {
    const texts: TextRecord[] = [];
    for (const f of files) {
      const bytes = async (): Promise<Buffer> => f.bytes ?? readBlob(d.pool, d.store, f.sha256);
      texts.push(await readTextOf({ index: f.index, name: f.name, mime: f.mime, declaredMime: f.declaredMime, size: f.size, bytes }, d.text ?? {}));
    }
    byCapsule.set(id, texts);
  }
  const entries = [...byCapsule].map(([capsuleId, texts]) => ({ capsuleId, texts }));
  const flagged = new Set(entries.filter((e) => e.texts.some((t) => t.personalCodes > 0)).map((e) => e.capsuleId));
  try {
    await storeTexts(d.pool, entries);
    await markHoldsPersonalData(d.pool, [...flagged]);
  } catch (err) {
    if (entries.length <= 1) throw err;
    for (const e of entries) {
      await storeTexts(d.pool, [e]);
      if (flagged.has(e.capsuleId)) await markHoldsPersonalData(d.pool, [e.capsuleId]);
    }
  }
  return new Map(
    entries.map((e) => [e.capsuleId, { files: e.texts.length, failed: e.texts.filter((t) => t.state === 'failed').length, personalData: flagged.has(e.capsuleId) }]),
  );
}

/** The text step for one capsule (runTextSteps). */
export async function runTextStep(d: ContentDeps, id: string): Promise<TextStepResult> {
  return (await runTextSteps(d, [id])).get(id)!;
}
