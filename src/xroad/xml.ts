import sax from 'sax';

/**
 * A small, namespace-aware XML reader for SOAP envelopes and other short documents (a few KB): elements
 * are matched by namespace URI and local name, never by prefix (STYLE habit 8). DOCTYPEs are refused.
 * Large content never comes this way: capsules are read by src/capsule/read.ts.
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

export function readXml(input: string | Buffer, maxLength = 4 * 1024 * 1024): XmlElement {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  if (text.length > maxLength) throw new XmlReadError(`document longer than ${maxLength} characters`);
  const saxOptions = { xmlns: true, position: true, trim: false, normalize: false, strictEntities: true };
  const p = sax.parser(true, saxOptions as sax.SAXOptions);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: string | undefined;
  p.onerror = (err) => {
    failure ??= err.message.split('\n')[0];
  };
  p.ondoctype = () => {
    failure ??= 'a DOCTYPE is not allowed';
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
