import type { TextSink } from './sink';

/**
 * HTML text: tags removed, the content of script, style, template, noscript and head-only elements skipped,
 * comments and CDATA skipped, block elements ended with a newline, character references decoded with the
 * `entities` package (HTML5 rules, legacy names without a semicolon included). One linear pass, no regular
 * expression over the whole document (a hostile page cannot make it backtrack).
 */

const RAW = new Set(['script', 'style', 'template', 'noscript', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes']);
const BLOCK = new Set(['p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'hr', 'dd', 'dt', 'address']);

export function readHtml(html: string, decode: (s: string) => string, out: TextSink): void {
  let i = 0;
  const n = html.length;
  let chunk = '';
  const flush = (): void => {
    if (chunk) out.push(decode(chunk));
    chunk = '';
  };
  while (i < n && !out.full) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      chunk += html.slice(i);
      break;
    }
    chunk += html.slice(i, lt);
    if (chunk.length > 65536) flush();
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const m = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 40));
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        const end = html.indexOf('>', lt);
        i = end < 0 ? n : end + 1;
      } else {
        chunk += '<';
        i = lt + 1;
      }
      continue;
    }
    const name = m[1]!.toLowerCase();
    const closing = html[lt + 1] === '/';
    const gt = tagEnd(html, lt + m[0].length);
    i = gt;
    if (BLOCK.has(name)) {
      flush();
      out.push('\n');
    } else if (name === 'td' || name === 'th') chunk += ' ';
    if (!closing && RAW.has(name)) {
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = i;
      const end = close.exec(html);
      i = end ? end.index : n;
    }
  }
  flush();
}

/** The index after the `>` that ends a tag, quotes respected. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let k = from; k < html.length; k++) {
    const ch = html[k];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return k + 1;
  }
  return html.length;
}
