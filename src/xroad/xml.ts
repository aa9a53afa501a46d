import sax from 'sax';
import { loadedLibxml2, SAFE_PARSE_OPTIONS, type Libxml2Lib } from '../xml/libxml2';

/**
 * A small, namespace-aware XML reader for SOAP envelopes and other short documents (a few KB): elements
 * are matched by namespace URI and local name, never by prefix. DOCTYPEs are refused.
 * Large content never comes this way: capsules are read by src/capsule/read.ts. Once libxml2 is loaded
 * (the daemon loads it with the capsule schema) it builds the tree; sax stays the reference and reads
 * whatever libxml2 declines (test/xroad/xml.test.ts holds the two side by side).
 */

export interface XmlElement {
  uri: string;
  local: string;
  /** Attributes by `{uri}local` (or `local` when unqualified). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Direct text content, concatenated. */
  text: string;
}

export class XmlReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlReadError';
  }
}

/**
 * The same tree built by libxml2 (twice as fast as sax for a 2 KB SOAP envelope), for documents it can
 * take without a doubt; undefined otherwise — a DOCTYPE, parse errors or warnings, an entity reference
 * node — and the sax reader below decides, with its messages. The text is given as UTF-8 whatever its
 * declaration says, as the sax reader reads it.
 */
export function readWithLibxml2(lib: Libxml2Lib, text: string): XmlElement | undefined {
  if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) return undefined;
  let doc: InstanceType<Libxml2Lib['XmlDocument']>;
  try {
    doc = lib.XmlDocument.fromBuffer(Buffer.from(text, 'utf8'), { option: SAFE_PARSE_OPTIONS, encoding: 'utf-8' });
  } catch {
    return undefined;
  }
  try {
    if (doc.warnings.length > 0) return undefined;
    const convert = (el: InstanceType<Libxml2Lib['XmlElement']>): XmlElement | undefined => {
      const attributes: Record<string, string> = {};
      for (const a of el.attrs) attributes[a.namespaceUri ? `{${a.namespaceUri}}${a.name}` : a.name] = a.value;
      const out: XmlElement = { uri: el.namespaceUri, local: el.name, attributes, children: [], text: '' };
      for (let n = el.firstChild; n; n = n.next) {
        if (n instanceof lib.XmlElement) {
          const c = convert(n);
          if (!c) return undefined;
          out.children.push(c);
        } else if (n instanceof lib.XmlText || n instanceof lib.XmlCData) out.text += n.content;
        else if (n instanceof lib.XmlEntityReference) return undefined;
      }
      return out;
    };
    return convert(doc.root);
  } finally {
    doc.dispose();
  }
}

export function readXml(input: string | Buffer, maxLength = 4 * 1024 * 1024): XmlElement {
  // XML 1.0 §2.11: line ends are read as a single line feed (libxml2 does so; sax does not by itself).
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.length > maxLength) throw new XmlReadError(`document longer than ${maxLength} characters`);
  const lib = loadedLibxml2();
  const fast = lib ? readWithLibxml2(lib, text) : undefined;
  if (fast) return fast;
  return readWithSax(text);
}

/** Reads `text` with sax: the reference reader, and the one that explains a document it refuses. */
export function readWithSax(text: string): XmlElement {
  const saxOptions = { xmlns: true, position: true, trim: false, normalize: false, strictEntities: true };
  const p = sax.parser(true, saxOptions as sax.SAXOptions);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: string | undefined;
  // The first error is the verdict: the parser is left at once (the catch below records it). sax would
  // go on to the end of the text, and outside the root element it reports one error (an Error with its
  // stack) per character: a 1 MB envelope that is not XML held the event loop for 40 s.
  p.onerror = (err) => {
    throw err;
  };
  p.ondoctype = () => {
    throw new XmlReadError('a DOCTYPE is not allowed');
  };
  p.onopentag = (node) => {
    const tag = node as sax.QualifiedTag;
    if (root && stack.length === 0) failure ??= 'more than one root element';
    const attributes: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attributes[a.uri ? `{${a.uri}}${a.local}` : a.local] = a.value;
    }
    const el: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    stack[stack.length - 1]?.children.push(el);
    root ??= el;
    stack.push(el);
  };
  p.onclosetag = () => void stack.pop();
  p.ontext = (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  p.oncdata = p.ontext;
  try {
    p.write(text).close();
  } catch (err) {
    failure ??= (err as Error).message.split('\n')[0];
  }
  if (failure) throw new XmlReadError(`not well-formed XML: ${failure}`);
  if (!root) throw new XmlReadError('not XML: no root element');
  return root;
}

/** The first child with this namespace and local name. */
export function child(el: XmlElement | undefined, uri: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local && c.uri === uri);
}

export function children(el: XmlElement | undefined, uri: string, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local && c.uri === uri) : [];
}

/** Trimmed text of a child, or undefined when the child is absent. */
export function childText(el: XmlElement | undefined, uri: string, local: string): string | undefined {
  const c = child(el, uri, local);
  return c === undefined ? undefined : c.text.trim();
}
