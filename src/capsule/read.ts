import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import sax from 'sax';
import { CAPSULE_NS, type Capsule, type CapsuleFileMeta } from './model';
import { CapsuleLimitError, DEFAULT_LIMITS, FileDecoder, textWithinBytes, type CapsuleLimits, type DecodeBudget, type DecodedFile } from './content';
import { loadCapsuleSchema, type CapsuleSchema } from './schema';
import { fileMeta, toCapsule, type XmlNode } from './tree';
import { openTextDecoder, type StreamTextDecoder } from './encoding';

/**
 * Reads a capsule in one pass, with memory flat for any size (of the parsers measured, only `sax` keeps it flat):
 * every `File/ZipBase64Content` is decoded into its own sink while the rest of the document is re-written
 * into a small skeleton (content left empty), which is then validated against the Capsule 2.1 schema.
 * The verdict is the schema's; the skeleton's lines are mapped back so issues name the original line.
 */

export const CapsuleIssueCode = {
  /** The input does not start as XML at all (e.g. plain text, or a base64(gzip) wrapped capsule). */
  NOT_XML: 'NOT_XML',
  /** XML that is not well-formed. */
  MALFORMED: 'MALFORMED',
  /** A DOCTYPE (and with it any entity declaration) is refused: no XXE, no entity expansion. */
  DTD_FORBIDDEN: 'DTD_FORBIDDEN',
  /** An encoding the reader cannot decode, or bytes invalid in the declared encoding. */
  ENCODING: 'ENCODING',
  /** The schema (wsdl/capsule-2.1.xsd) rejects the document. */
  SCHEMA: 'SCHEMA',
  /** A configured limit was passed; reading stopped there. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
} as const;
export type CapsuleIssueCode = (typeof CapsuleIssueCode)[keyof typeof CapsuleIssueCode];

export interface CapsuleIssue {
  code: CapsuleIssueCode;
  /** Element path from the root, e.g. `DecContainer/RecordMetadata/RecordGuid` ('' when not known). */
  path: string;
  /** 1-based line in the original document (0 when not known). */
  line: number;
  message: string;
}

export interface FileStart {
  /** 1-based position of the `File` element. */
  index: number;
  /** What the `File` element declared before its content (FileGuid, FileName, MimeType, ...). */
  meta: Partial<CapsuleFileMeta>;
}

export interface ReadOptions {
  limits?: Partial<CapsuleLimits>;
  /** Decode file contents (size, sha256, sniffed type). Default true; forced on when `sink` is given. */
  decode?: boolean;
  /** Where each file's decoded bytes go; return undefined to only measure it. */
  sink?: (file: FileStart) => Writable | undefined;
  /** Schema to validate with (default: the project's wsdl/capsule-2.1.xsd). */
  schema?: CapsuleSchema;
  /**
   * Files of at most this many (base64-decoded) bytes are decoded in one call when their element ends;
   * larger ones as a stream. Default 64 KiB; 0 streams every file (the two give the same results).
   */
  decodeAtOnceMax?: number;
}

export interface ReadResult {
  valid: boolean;
  issues: CapsuleIssue[];
  /** The model, whenever the root was a `DecContainer` (also for invalid capsules, for inspection). */
  capsule?: Capsule;
  /** Decoded files (empty when `decode` is off or reading stopped before a file). */
  files: DecodedFile[];
  bytesRead: number;
  /** Length of the schema-validated skeleton, in characters. */
  skeletonLength: number;
}

const FILE_CONTENT_DEPTH = 3; // DecContainer/File/ZipBase64Content
/**
 * sax's internal parser states (not its public API): the fast path asks whether the parser sits in plain
 * text (parserInText). package.json pins sax to one exact version for this (docs/packages.md).
 */
const TEXT_STATE = (sax as unknown as { STATE: Record<string, number> }).STATE.TEXT;
/** Thrown out of the parser's callbacks when the reader stops (CapsuleReader.parse). */
const PARSER_STOPPED = Symbol('parser stopped');

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttr(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function looksLikeWrappedCapsule(text: string): boolean {
  return /^\s*H4sI[A-Za-z0-9+/=\s]{8}/.test(text);
}

/** Whether file contents are decoded (a sink forces it). */
const decodes = (options: ReadOptions): boolean => options.decode !== false || options.sink !== undefined;

/** The decoder for one `File` element's content: its declared metadata to the caller's sink, the shared budget. */
function openFileDecoder(
  file: XmlNode,
  index: number,
  limits: CapsuleLimits,
  budget: DecodeBudget,
  options: ReadOptions,
  onLimit: (err: CapsuleLimitError) => void,
): FileDecoder {
  const meta = fileMeta(file);
  const sink = options.sink?.({ index, meta: { ...meta } });
  return new FileDecoder(index, () => meta.fileName, limits, budget, sink, onLimit, options.decodeAtOnceMax);
}

class CapsuleReader {
  readonly issues: CapsuleIssue[] = [];
  readonly decoders: FileDecoder[] = [];
  readonly limits: CapsuleLimits;
  bytesRead = 0;
  stopped = false;
  private readonly parser: sax.SAXParser;
  /** Set while the parser runs: a stop then leaves the parser at once (parse()). */
  private inParser = false;
  private readonly skeleton: string[] = [];
  private skeletonLength = 0;
  private skeletonLine = 1;
  /** Pairs [skeleton line, original line] at each start tag, ascending. */
  private readonly lineMap: number[] = [];
  private readonly stack: XmlNode[] = [];
  private root: XmlNode | undefined;
  private rtsmMark: number | undefined;
  private rtsm: string | undefined;
  private content: FileDecoder | 'skip' | undefined;
  private fileCount = 0;
  private skippedLines = 0;
  private sawRoot = false;
  private readonly budget = { totalBytes: 0 };

  constructor(private readonly options: ReadOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // strictEntities: only XML's five predefined entities; HTML names such as &nbsp; are errors, as in libxml2.
    const saxOptions = { xmlns: true, position: true, trim: false, normalize: false, strictEntities: true };
    const p = sax.parser(true, saxOptions as sax.SAXOptions);
    p.onopentag = (tag) => this.openTag(tag as sax.QualifiedTag);
    p.onclosetag = (name) => this.closeTag(name);
    p.ontext = (t) => this.text(t);
    p.oncdata = (t) => this.text(t);
    p.ondoctype = () =>
      this.stop(CapsuleIssueCode.DTD_FORBIDDEN, 'a DOCTYPE is not allowed in a capsule (no DTDs, no entity declarations)');
    p.onerror = (err) => {
      const first = err.message.split('\n')[0] ?? err.message;
      const code = this.sawRoot ? CapsuleIssueCode.MALFORMED : CapsuleIssueCode.NOT_XML;
      this.stop(code, code === CapsuleIssueCode.NOT_XML ? `not XML: ${first}` : `not well-formed XML: ${first}`);
    };
    this.parser = p;
  }

  write(text: string): void {
    if (this.stopped) return;
    if (!this.sawRoot && this.skeletonLength === 0 && looksLikeWrappedCapsule(text)) {
      this.stop(CapsuleIssueCode.NOT_XML, 'not XML: the input looks like base64(gzip(...)); a capsule must be plain XML');
      return;
    }
    let rest = text;
    while (rest !== '' && !this.stopped) {
      if (this.content !== undefined && this.parserInText()) {
        // Fast path (most of a capsule's bytes): content text up to the next markup goes straight to the
        // decoder instead of through the parser's per-character loop. Lines skipped are counted so that
        // later elements keep their original line numbers.
        const lt = rest.indexOf('<');
        const amp = rest.indexOf('&');
        const cut = amp !== -1 && (lt === -1 || amp < lt) ? amp : lt === -1 ? rest.length : lt;
        if (cut > 0) {
          const piece = cut === rest.length ? rest : rest.slice(0, cut);
          this.skippedLines += countNewlines(piece);
          this.text(piece);
          rest = cut === rest.length ? '' : rest.slice(cut);
          continue;
        }
      }
      // Give the parser text up to the end of the next ZipBase64Content tag, so that content right after
      // it takes the fast path within the same chunk.
      const tag = rest.indexOf('ZipBase64Content');
      const gt = tag === -1 ? -1 : rest.indexOf('>', tag);
      const end = gt === -1 ? rest.length : gt + 1;
      this.parse((p) => p.write(end === rest.length ? rest : rest.slice(0, end)));
      rest = end === rest.length ? '' : rest.slice(end);
      // Inside content, hand over text the parser still buffers, so that what the fast path passes
      // next comes after it.
      if (this.content !== undefined && !this.stopped) this.parse((p) => p.flush());
    }
  }

  /**
   * Runs the parser until the reader stops. sax goes on after an error to the end of what it was given,
   * and outside the root element it reports one error per character, each an Error with its stack:
   * 1 MB of text that is not XML took 40 s of the event loop. A stop inside the parser's callbacks
   * therefore ends the parser's work on the spot (the verdict is made; nothing after it counts).
   */
  private parse(run: (p: sax.SAXParser) => void): void {
    this.inParser = true;
    try {
      run(this.parser);
    } catch (err) {
      if (err !== PARSER_STOPPED) throw err;
    } finally {
      this.inParser = false;
    }
  }

  /** True when the parser sits in plain text with nothing buffered (safe to bypass it). */
  private parserInText(): boolean {
    const p = this.parser as unknown as { state: number; textNode: string };
    return p.state === TEXT_STATE && p.textNode === '';
  }

  /** 1-based line of the parser's position in the original document. */
  private line(): number {
    return this.parser.line + 1 + this.skippedLines;
  }

  end(): void {
    if (this.stopped) return;
    if (!this.sawRoot) {
      this.stop(CapsuleIssueCode.NOT_XML, this.bytesRead === 0 ? 'not XML: the input is empty' : 'not XML: no root element');
      return;
    }
    this.parse((p) => p.close());
  }

  /** Waits until every file being decoded can take more input. */
  async drained(): Promise<void> {
    for (const d of this.decoders) {
      let p = d.drained();
      while (p && !this.stopped) {
        await p;
        p = d.drained();
      }
    }
  }

  stop(code: CapsuleIssueCode, message: string, path = this.path()): void {
    if (this.stopped) return;
    this.stopped = true;
    this.issues.push({ code, path, line: this.line(), message: path ? `${path}: ${message}` : message });
    for (const d of this.decoders) d.abort();
    if (this.inParser) throw PARSER_STOPPED;
  }

  /** Element path of the current position, by local names. */
  private path(): string {
    return this.stack.map((n) => n.local).join('/');
  }

  private emit(s: string): void {
    this.skeleton.push(s);
    this.skeletonLength += s.length;
    if (this.skeletonLength > this.limits.maxMetadataBytes) {
      this.stop(
        CapsuleIssueCode.LIMIT_EXCEEDED,
        `capsule metadata (XML other than file content) exceeds ${this.limits.maxMetadataBytes} bytes`,
      );
    }
  }

  private openTag(tag: sax.QualifiedTag): void {
    if (this.stopped) return;
    if (this.sawRoot && this.stack.length === 0) {
      this.stop(CapsuleIssueCode.MALFORMED, 'not well-formed XML: a second root element', '');
      return;
    }
    this.sawRoot = true;
    const parent = this.stack[this.stack.length - 1];
    const node: XmlNode = { local: tag.local, uri: tag.uri, children: [], text: '', line: this.line() };
    if (parent) parent.children.push(node);
    else this.root = node;
    this.stack.push(node);

    this.lineMap.push(this.skeletonLine, node.line);
    let s = `<${tag.name}`;
    for (const [name, attr] of Object.entries(tag.attributes)) s += ` ${name}="${escapeAttr(attr.value)}"`;
    this.emit(`${s}>`);

    const inCapsule = tag.uri === CAPSULE_NS && this.stack[0]?.local === 'DecContainer';
    if (!inCapsule) return;
    if (this.stack.length === 2 && tag.local === 'RecordTypeSpecificMetadata') this.rtsmMark = this.skeleton.length;
    if (this.stack.length === 2 && tag.local === 'File') {
      this.fileCount++;
      if (this.fileCount > this.limits.maxFiles) {
        this.stop(CapsuleIssueCode.LIMIT_EXCEEDED, `more than ${this.limits.maxFiles} File elements`);
      }
    }
    if (this.stack.length === FILE_CONTENT_DEPTH && tag.local === 'ZipBase64Content' && parent?.local === 'File') {
      this.content = this.startContent(parent);
    }
  }

  private startContent(file: XmlNode): FileDecoder | 'skip' {
    if (!decodes(this.options)) return 'skip';
    const index = this.fileCount;
    const decoder = openFileDecoder(file, index, this.limits, this.budget, this.options, (err) =>
      this.stop(CapsuleIssueCode.LIMIT_EXCEEDED, err.message, `DecContainer/File[${index}]/ZipBase64Content`),
    );
    this.decoders.push(decoder);
    return decoder;
  }

  private closeTag(qname: string): void {
    if (this.stopped) return;
    const top = this.stack[this.stack.length - 1];
    if (top && !textWithinBytes(top.text, this.limits.maxTextBytes)) {
      this.textTooLong();
      return;
    }
    const node = this.stack.pop();
    if (!node) return;
    if (this.content !== undefined && this.stack.length === FILE_CONTENT_DEPTH - 1) {
      if (this.content !== 'skip') this.content.end();
      this.content = undefined;
    }
    if (this.rtsmMark !== undefined && this.stack.length === 1) {
      this.rtsm = this.skeleton.slice(this.rtsmMark).join('').trim();
      this.rtsmMark = undefined;
    }
    this.emit(`</${qname}>`);
  }

  private text(t: string): void {
    if (this.stopped) return;
    if (this.content !== undefined && this.stack.length === FILE_CONTENT_DEPTH) {
      if (this.content !== 'skip') this.content.write(t);
      return;
    }
    const node = this.stack[this.stack.length - 1];
    if (!node) return; // whitespace around the root element
    node.text += t;
    // Each UTF-16 unit is at least one UTF-8 byte: past the limit in units is past it in bytes, and
    // reading stops before such a text grows any further.
    if (node.text.length > this.limits.maxTextBytes) {
      this.textTooLong();
      return;
    }
    this.skeletonLine += countNewlines(t);
    this.emit(escapeText(t));
  }

  private textTooLong(): void {
    this.stop(CapsuleIssueCode.LIMIT_EXCEEDED, `text longer than ${this.limits.maxTextBytes} bytes (one element's text other than file content)`);
  }

  mapLine = (line: number): number => {
    const m = this.lineMap;
    let lo = 0;
    let hi = m.length / 2 - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid * 2]! <= line) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? line : m[best * 2 + 1]! + (line - m[best * 2]!);
  };

  skeletonText(): string {
    return this.skeleton.join('');
  }

  capsule(): Capsule | undefined {
    const root = this.root;
    if (!root || root.local !== 'DecContainer' || root.uri !== CAPSULE_NS) return undefined;
    return toCapsule(root, this.rtsm);
  }

  get skeletonChars(): number {
    return this.skeletonLength;
  }
}

/** Reads, validates and (unless `decode: false`) decodes a capsule from a file path or a stream. */
export async function readCapsule(source: Readable | string, options: ReadOptions = {}): Promise<ReadResult> {
  const input = typeof source === 'string' ? fs.createReadStream(source, { highWaterMark: 256 * 1024 }) : source;
  const schemaPromise = options.schema ? Promise.resolve(options.schema) : loadCapsuleSchema();
  const reader = new CapsuleReader(options);
  let decoder: StreamTextDecoder | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      reader.bytesRead += bytes.length;
      if (!decoder) {
        const opened = openTextDecoder(bytes);
        if ('error' in opened) {
          reader.stop(CapsuleIssueCode.ENCODING, opened.error, '');
          break;
        }
        decoder = opened;
      }
      reader.write(decoder.decode(bytes));
      if (reader.stopped) break;
      await reader.drained();
      if (reader.stopped) break;
    }
    if (!reader.stopped) {
      if (decoder) reader.write(decoder.flush());
      reader.end();
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      reader.stop(CapsuleIssueCode.ENCODING, 'bytes are not valid in the declared encoding', '');
    } else {
      reader.stop(CapsuleIssueCode.MALFORMED, `reading stopped: ${(err as Error).message}`);
      throw err;
    }
  } finally {
    if (typeof source === 'string' || reader.stopped) input.destroy();
  }

  const files = await Promise.all(reader.decoders.map((d) => d.done));
  const issues = [...reader.issues];
  if (issues.length === 0) {
    const schema = await schemaPromise;
    for (const issue of schema.validate(reader.skeletonText(), reader.mapLine)) {
      issues.push({ code: CapsuleIssueCode.SCHEMA, ...issue });
    }
  }
  return {
    valid: issues.length === 0,
    issues,
    capsule: reader.capsule(),
    files: reader.stopped ? [] : files,
    bytesRead: reader.bytesRead,
    skeletonLength: reader.skeletonChars,
  };
}

/**
 * Reads a capsule held in memory. A small valid one (the common case) is parsed and validated by libxml2
 * in one call (`CapsuleSchema.quickTree`) and its files decoded from that tree — a fifth of the one-pass
 * reader's time for a 5 KB capsule; anything the quick path declines, and any file that passes a limit
 * there, is read by `readCapsule`, whose verdict and messages stand. Same options and result; only
 * `skeletonLength` is the document's length less file content on the quick path.
 */
export async function readCapsuleBuffer(bytes: Buffer, options: ReadOptions = {}): Promise<ReadResult> {
  const limits: CapsuleLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const root = decodes(options) ? options.schema?.quickTree?.(bytes, limits) : undefined;
  if (root) {
    const quick = await decodeTree(root, bytes, limits, options);
    if (quick) return quick;
  }
  return readCapsule(Readable.from([bytes]), options);
}

/** Decodes the files of a tree from `quickTree`; undefined when a limit was passed (the full reader then says so). */
async function decodeTree(root: XmlNode, bytes: Buffer, limits: CapsuleLimits, options: ReadOptions): Promise<ReadResult | undefined> {
  const decoders: FileDecoder[] = [];
  const budget = { totalBytes: 0 };
  let limited = false;
  // As the one-pass reader does on a limit: every file stops and its sink is destroyed.
  const onLimit = (): void => {
    if (limited) return;
    limited = true;
    for (const d of decoders) d.abort();
  };
  let index = 0;
  let contentChars = 0;
  for (const file of root.children) {
    if (file.local !== 'File' || file.uri !== CAPSULE_NS) continue;
    index++;
    const content = file.children.find((c) => c.local === 'ZipBase64Content' && c.uri === CAPSULE_NS);
    if (!content) continue;
    const decoder = openFileDecoder(file, index, limits, budget, options, onLimit);
    decoders.push(decoder);
    contentChars += content.text.length;
    decoder.write(content.text);
    decoder.end();
    if (limited) break;
    await decoder.drained();
  }
  const files = await Promise.all(decoders.map((d) => d.done));
  if (limited) return undefined;
  return { valid: true, issues: [], capsule: toCapsule(root, undefined), files, bytesRead: bytes.length, skeletonLength: bytes.length - contentChars };
}

/** Schema verdict only: file contents are not decoded. */
export function validateCapsule(source: Readable | string, options: Omit<ReadOptions, 'decode' | 'sink'> = {}): Promise<ReadResult> {
  return readCapsule(source, { ...options, decode: false });
}
