import fs from 'node:fs';
import path from 'node:path';
import type * as Libxml2 from 'libxml2-wasm' with { 'resolution-mode': 'import' };
import { loadLibxml2, SAFE_PARSE_OPTIONS, type Libxml2Lib } from '../xml/libxml2';
import { textWithinBytes, type CapsuleLimits } from './content';
import { CAPSULE_NS, type Transport, type TransportParty } from './model';
import type { XmlNode } from './tree';

/**
 * Capsule 2.1 schema validation with libxml2 (libxml2-wasm: no native build, libxml2's own verdict).
 * The module is ESM-only with top-level await, so it is loaded with a real dynamic import.
 * libxml2's messages name elements as `{namespace}Local` and locate them by a positional XPath;
 * they are rewritten here as element paths by local name (`DecContainer/RecordMetadata/RecordGuid`).
 */

export interface SchemaIssue {
  /** Element path by local names from the root ('' when the document is not well-formed). */
  path: string;
  /** 1-based line in the validated text, mapped through `mapLine` when given. */
  line: number;
  /** Human-readable; starts with the path. */
  message: string;
}

export interface CapsuleSchema {
  validate(xml: string, mapLine?: (line: number) => number): SchemaIssue[];
  /**
   * A quick verdict on a small UTF-8 capsule held in memory: the whole document parsed and validated by
   * libxml2 at once (about 5× faster than the one-pass reader for a 10 KB capsule). Returns the transport
   * parties when the document is valid and within `limits`; undefined whenever it is not, or the
   * document is of a kind only the full reader judges (another encoding, a DOCTYPE, XML 1.1, warnings):
   * the caller then runs `readCapsule`, whose verdict and messages stand. A valid verdict here is one the
   * full reader gives too (test/capsule/quick.test.ts holds them side by side over every sample).
   */
  quickTransport?(bytes: Buffer, limits: QuickLimits): Transport | undefined;
  /**
   * The same quick verdict, giving the element tree the one-pass reader would build (file contents as
   * text) for a valid capsule without RecordTypeSpecificMetadata or carriage returns; undefined otherwise.
   * `readCapsuleBuffer` decodes the files from it (test/capsule/quick.test.ts compares the two readers).
   */
  quickTree?(bytes: Buffer, limits: QuickLimits): XmlNode | undefined;
}

/** The limits the quick path applies itself (file content limits are the decoder's). */
export type QuickLimits = Pick<CapsuleLimits, 'maxFiles' | 'maxMetadataBytes' | 'maxTextBytes'>;

/** Largest capsule the quick check takes (larger ones stream through the full reader). */
export const QUICK_CHECK_MAX_BYTES = 1024 * 1024;
const XML_DECL = /^<\?xml\s([^?]*)\?>/;

type Lib = Libxml2Lib;

function countByte(bytes: Buffer, byte: number): number {
  let n = 0;
  for (let i = bytes.indexOf(byte); i !== -1; i = bytes.indexOf(byte, i + 1)) n++;
  return n;
}
const loadLib = loadLibxml2;

/** The package root (holds package.json), from src/ under ts-jest and from dist/src/ after a build. */
function packageRoot(): string {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
  }
  throw new Error('package root not found');
}

export function defaultSchemaPath(): string {
  return path.join(packageRoot(), 'wsdl', 'capsule-2.1.xsd');
}

/**
 * Simple types named in messages for facet failures (the schema's own type names), by element.
 * libxml2 reports the facet but not always the named type it belongs to.
 */
const SIMPLE_TYPE_OF: Record<string, string> = {
  RecordGuid: 'GuidType',
  FileGuid: 'GuidType',
  RecipientRecordGuid: 'GuidType',
  Phone: 'PhoneType',
  PostalCode: 'PostalCodeType',
  AccessConditionsCode: 'AccessConditionType',
};

const NAME_IN_BRACES = /\{[^}]*\}([\w.-]+)/g;
const ELEMENT_PREFIX = /^Element '(?:\{[^}]*\})?([\w.-]+)'(?:, attribute '[^']*')?: /;

function localNames(list: string): string[] {
  return list
    .replace(/^\s*\(\s*|\s*\)\s*\.?\s*$/g, '')
    .split(',')
    .map((s) => s.trim().replace(/^\{[^}]*\}/, ''))
    .filter(Boolean);
}

const PARSE_OPTIONS = SAFE_PARSE_OPTIONS;

class LibxmlCapsuleSchema implements CapsuleSchema {
  constructor(
    private readonly lib: Lib,
    private readonly validator: Libxml2.XsdValidator,
  ) {}

  validate(xml: string, mapLine: (line: number) => number = (l) => l): SchemaIssue[] {
    const { XmlDocument, XmlLibError } = this.lib;
    if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) {
      return [{ path: '', line: 1, message: 'a DOCTYPE is not allowed in a capsule' }];
    }
    let doc: Libxml2.XmlDocument;
    try {
      // UTF-8 bytes made natively and copied in: fromString encodes character by character in JS.
      // The skeleton has no XML declaration, so the encoding is stated here.
      doc = XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'), { option: PARSE_OPTIONS, encoding: 'utf-8' });
    } catch (err) {
      const details = err instanceof XmlLibError ? err.details : [];
      const d = details[0];
      const text = (d?.message ?? (err as Error).message).trim();
      return [{ path: '', line: mapLine(d?.line ?? 0), message: `not well-formed XML: ${text}` }];
    }
    try {
      this.validator.validate(doc);
      return [];
    } catch (err) {
      if (!(err instanceof XmlLibError)) throw err;
      return this.translate(doc, err.details, mapLine);
    } finally {
      doc.dispose();
    }
  }

  /**
   * The quick path's common part: `use` sees the document only when it is small, UTF-8, XML 1.0, free of
   * DTDs, well-formed without warnings, a `DecContainer` valid against the schema and within the file
   * count; otherwise (or when `use` declines) the answer is undefined and the full reader decides.
   */
  private quick<T>(bytes: Buffer, limits: QuickLimits, use: (root: Libxml2.XmlElement) => T | undefined): T | undefined {
    if (bytes.length > QUICK_CHECK_MAX_BYTES || bytes.length > limits.maxMetadataBytes) return undefined;
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    if (bytes[start] !== 0x3c /* < */) return undefined;
    const decl = XML_DECL.exec(bytes.subarray(start, start + 256).toString('latin1'))?.[1];
    if (decl !== undefined) {
      const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(decl)?.[1];
      if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) return undefined;
      if (!/version\s*=\s*["']1\.0["']/.exec(decl)) return undefined;
    }
    // Never a DTD through this path: the full reader refuses it with its own message.
    for (let i = bytes.indexOf('<!'); i !== -1; i = bytes.indexOf('<!', i + 2)) {
      const what = bytes.toString('latin1', i + 2, i + 8);
      if (what.startsWith('DOCTYP') || what.startsWith('ENTITY')) return undefined;
    }
    const { XmlDocument, XmlLibError } = this.lib;
    let doc: Libxml2.XmlDocument;
    try {
      doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
    } catch {
      return undefined;
    }
    try {
      if (doc.warnings.length > 0) return undefined;
      try {
        this.validator.validate(doc);
      } catch (err) {
        if (err instanceof XmlLibError) return undefined;
        throw err;
      }
      const root = doc.root;
      if (root.name !== 'DecContainer' || root.namespaceUri !== CAPSULE_NS) return undefined;
      // A File element takes more than 100 bytes, so a smaller document cannot pass the file limit and
      // its elements need not be counted.
      if (bytes.length > (limits.maxFiles + 1) * 100 && this.elements(root, 'File').length > limits.maxFiles) return undefined;
      // A text is never longer than the document, so a small one needs no walk. The one-pass reader keeps
      // the carriage returns of CR LF in text where libxml2 drops them (XML 1.0 §2.11): a text counts here
      // with every carriage return of the document, so what passes here passes there too.
      if (bytes.length > limits.maxTextBytes && !this.textsWithin(root, limits.maxTextBytes - countByte(bytes, 0x0d), 0)) return undefined;
      return use(root);
    } finally {
      doc.dispose();
    }
  }

  /**
   * Whether every element's text (its text and CDATA children together, as the one-pass reader collects
   * it) is at most `max` UTF-8 bytes; file content (`File/ZipBase64Content`) is not metadata and is skipped.
   */
  private textsWithin(el: Libxml2.XmlElement, max: number, depth: number): boolean {
    const { XmlElement, XmlText, XmlCData } = this.lib;
    const isFile = depth === 1 && el.name === 'File' && el.namespaceUri === CAPSULE_NS;
    let text = '';
    for (let n = el.firstChild; n; n = n.next) {
      if (n instanceof XmlElement) {
        if (isFile && n.name === 'ZipBase64Content' && n.namespaceUri === CAPSULE_NS) continue;
        if (!this.textsWithin(n, max, depth + 1)) return false;
      } else if (n instanceof XmlText || n instanceof XmlCData) text += n.content;
    }
    return textWithinBytes(text, max);
  }

  /** Child elements in the capsule namespace (walked by hand: an XPath query costs more than the whole validation). */
  private elements(parent: Libxml2.XmlElement, local?: string): Libxml2.XmlElement[] {
    const out: Libxml2.XmlElement[] = [];
    for (let n = parent.firstChild; n; n = n.next) {
      if (n instanceof this.lib.XmlElement && (local === undefined || n.name === local) && n.namespaceUri === CAPSULE_NS) out.push(n);
    }
    return out;
  }

  quickTransport(bytes: Buffer, limits: QuickLimits): Transport | undefined {
    return this.quick(bytes, limits, (root) => {
      // Transport is the first element of a valid capsule.
      let transport: Libxml2.XmlElement | undefined;
      for (let n = root.firstChild; n && !transport; n = n.next) if (n instanceof this.lib.XmlElement) transport = n;
      if (!transport || transport.name !== 'Transport') return undefined;
      const party = (node: Libxml2.XmlElement): TransportParty => {
        const out: TransportParty = { organisationCode: '' };
        for (const e of this.elements(node)) {
          if (e.name === 'OrganisationCode') out.organisationCode = e.content;
          else if (e.name === 'StructuralUnit') out.structuralUnit = e.content;
          else if (e.name === 'PersonalIdCode') out.personalIdCode = e.content;
        }
        return out;
      };
      const parties = this.elements(transport);
      const sender = parties.find((e) => e.name === 'DecSender');
      if (!sender) return undefined;
      return { sender: party(sender), recipients: parties.filter((e) => e.name === 'DecRecipient').map(party) };
    });
  }

  quickTree(bytes: Buffer, limits: QuickLimits): XmlNode | undefined {
    // Line ends: libxml2 reads CR LF as LF (XML 1.0 §2.11), the one-pass reader keeps the CR in text.
    if (bytes.includes(0x0d)) return undefined;
    const { XmlElement, XmlText, XmlCData, XmlEntityReference } = this.lib;
    return this.quick(bytes, limits, (root) => {
      // RecordTypeSpecificMetadata is kept as re-serialised text by the one-pass reader; that reader takes it.
      if (this.elements(root, 'RecordTypeSpecificMetadata').length > 0) return undefined;
      const convert = (el: Libxml2.XmlElement): XmlNode | undefined => {
        const out: XmlNode = { local: el.name, uri: el.namespaceUri, children: [], text: '', line: el.line };
        for (let n = el.firstChild; n; n = n.next) {
          if (n instanceof XmlElement) {
            const c = convert(n);
            if (!c) return undefined;
            out.children.push(c);
          } else if (n instanceof XmlText || n instanceof XmlCData) out.text += n.content;
          else if (n instanceof XmlEntityReference) return undefined;
        }
        return out;
      };
      return convert(root);
    });
  }

  private translate(doc: Libxml2.XmlDocument, details: Libxml2.XmlLibError['details'], mapLine: (l: number) => number): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    for (const d of details) {
      const raw = d.message.trim();
      const elementPath = this.pathOf(doc, d.xpath);
      const line = mapLine(d.line);
      const element = ELEMENT_PREFIX.exec(raw)?.[1] ?? elementPath.split('/').pop() ?? '';
      const body = raw.replace(ELEMENT_PREFIX, '');
      const parentPath = elementPath.split('/').slice(0, -1).join('/');
      let issue: SchemaIssue;

      const unexpected = /^This element is not expected\.(?: Expected is (?:one of )?(\(.*\)))?/.exec(body);
      const missing = /^Missing child element\(s\)\. Expected is (?:one of )?(\(.*\))/.exec(body);
      const facet = /^\[facet '(\w+)'\] The value '([\s\S]*)' (?:is not accepted by the pattern|is not an element of the set)/.exec(body);
      const atomic = /^'([\s\S]*)' is not a valid value of the (?:atomic|local atomic) type '(?:\{[^}]*\})?([\w.-]+)'/.exec(body);

      if (/^No matching global declaration available for the validation root/.test(body)) {
        issue = {
          path: elementPath,
          line,
          message: `${elementPath}: the root element must be DecContainer in namespace http://www.riik.ee/schemas/deccontainer/vers_2_1/`,
        };
      } else if (unexpected) {
        const expected = unexpected[1] ? localNames(unexpected[1]) : [];
        if (expected.length === 1) {
          const p = `${parentPath}/${expected[0]}`;
          issue = { path: p, line, message: `${p} is missing (found ${element} at line ${line})` };
        } else if (expected.length > 1) {
          issue = { path: elementPath, line, message: `${elementPath} is not expected here; expected one of ${expected.join(', ')}` };
        } else {
          issue = { path: elementPath, line, message: `${elementPath} is not expected here` };
        }
      } else if (missing) {
        const expected = localNames(missing[1]!);
        const p = expected.length === 1 ? `${elementPath}/${expected[0]}` : elementPath;
        issue = {
          path: p,
          line,
          message: expected.length === 1 ? `${p} is missing` : `${elementPath}: a child is missing; expected one of ${expected.join(', ')}`,
        };
      } else if (facet) {
        const type = SIMPLE_TYPE_OF[element] ?? 'its type';
        const set = facet[1] === 'enumeration' ? ` (one of ${/\{(.*)\}/.exec(body)?.[1] ?? ''})` : '';
        issue = { path: elementPath, line, message: `${elementPath}: '${facet[2]}' does not match ${type}${set}` };
      } else if (atomic) {
        const last = issues[issues.length - 1];
        // libxml2 follows a facet failure with this more general one for the same value.
        if (last && last.path === elementPath && last.message.includes(`'${atomic[1]}' does not match`)) continue;
        issue = { path: elementPath, line, message: `${elementPath}: '${atomic[1]}' is not a valid ${atomic[2]}` };
      } else {
        issue = { path: elementPath, line, message: `${elementPath}: ${body.replace(NAME_IN_BRACES, '$1')}` };
      }
      issues.push(issue);
    }
    return issues;
  }

  /** Converts libxml2's positional XPath (`/*\/*[3]`) into local names. */
  private pathOf(doc: Libxml2.XmlDocument, xpath: string | undefined): string {
    if (!xpath) return '';
    let node: Libxml2.XmlNode | null;
    try {
      node = doc.get(xpath);
    } catch {
      return '';
    }
    const names: string[] = [];
    while (node && node instanceof this.lib.XmlElement) {
      names.unshift(node.name.replace(/^[^:]*:/, ''));
      node = node.parent;
    }
    return names.join('/');
  }
}

const cache = new Map<string, Promise<CapsuleSchema>>();

/** Loads (once per path and process) the Capsule 2.1 schema; default: the project's wsdl/capsule-2.1.xsd. */
export function loadCapsuleSchema(xsdPath: string = defaultSchemaPath()): Promise<CapsuleSchema> {
  const key = path.resolve(xsdPath);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const lib = await loadLib();
      const text = fs.readFileSync(key, 'utf8').replace(/^\uFEFF/, '');
      // The schema document stays alive with its validator for the life of the process.
      const xsdDoc = lib.XmlDocument.fromString(text, { option: PARSE_OPTIONS, url: key });
      return new LibxmlCapsuleSchema(lib, lib.XsdValidator.fromDoc(xsdDoc));
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
