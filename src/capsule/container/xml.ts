/**
 * A small namespace-aware element tree for the XML inside signed containers (manifest, XAdES signatures,
 * DDOC). Strict (sax), no DTD (a DOCTYPE is refused: no entity expansion of any kind), bounded in depth and
 * element count; the caller bounds the text's size before parsing. Line ends are normalised as an XML parser
 * must (CR LF and CR → LF) before sax sees the text, so text nodes are what a canonicaliser would see.
 */
import sax from 'sax';

export interface XmlElement {
  /** Local name (without prefix) and namespace URI. */
  local: string;
  uri: string;
  /** Attributes by qualified name as written (`Id`, `manifest:full-path`), namespace declarations excluded. */
  attrs: Record<string, string>;
  /** Attributes by local name, for readers that do not care about the prefix. */
  attrsLocal: Record<string, string>;
  /** The default namespace in scope (`xmlns="..."` here or on an ancestor), '' when none. */
  defaultNs: string;
  children: XmlElement[];
  /** Text and CDATA directly inside this element, concatenated. */
  text: string;
}

export class XmlReadError extends Error {}

export interface XmlReadLimits {
  maxDepth: number;
  maxElements: number;
}

export const XML_READ_LIMITS: XmlReadLimits = { maxDepth: 64, maxElements: 100_000 };

/** Parses `text` into a tree; throws XmlReadError when it is not well-formed or passes a limit. */
export function readXmlTree(text: string, limits: XmlReadLimits = XML_READ_LIMITS): XmlElement {
  const parser = sax.parser(true, { xmlns: true, position: false } as sax.SAXOptions);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let failure: string | undefined;
  const fail = (msg: string): void => {
    if (failure === undefined) failure = msg;
  };
  parser.onerror = (err: Error): void => {
    fail(`not well-formed XML (${err.message.split('\n')[0]})`);
  };
  parser.ondoctype = (): void => fail('a DOCTYPE is not accepted');
  parser.onopentag = (tag): void => {
    if (failure !== undefined) return;
    const t = tag as sax.QualifiedTag;
    if (++count > limits.maxElements) return fail(`more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) return fail(`nested deeper than ${limits.maxDepth} elements`);
    const attrs: Record<string, string> = {};
    const attrsLocal: Record<string, string> = {};
    for (const [name, a] of Object.entries(t.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      attrs[name] = a.value;
      attrsLocal[a.local] = a.value;
    }
    const el: XmlElement = {
      local: t.local,
      uri: t.uri,
      attrs,
      attrsLocal,
      defaultNs: t.ns?.[''] ?? '',
      children: [],
      text: '',
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root === undefined) root = el;
    stack.push(el);
  };
  parser.onclosetag = (): void => {
    stack.pop();
  };
  const onText = (s: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += s;
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  try {
    parser.write(text.replace(/\r\n?/g, '\n')).close();
  } catch (err) {
    fail(`not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  if (failure !== undefined) throw new XmlReadError(failure);
  if (root === undefined) throw new XmlReadError('no root element');
  return root;
}

/** Decodes UTF-8 (a BOM allowed), refusing bad bytes. */
export function utf8Text(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Direct children with this local name (any namespace). */
export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

export function childNamed(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

/** Every descendant with this local name, depth first (the tree is bounded, so is the walk). */
export function descendantsNamed(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.local === local) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** The first element at this path of local names below `el`. */
export function pathFirst(el: XmlElement, ...path: string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const p of path) {
    cur = cur ? childNamed(cur, p) : undefined;
    if (!cur) return undefined;
  }
  return cur;
}
