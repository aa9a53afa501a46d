import { maskText } from '../../log/privacy';

/**
 * Server-rendered HTML for the dashboard. Every value put into a page goes through {@link html}: escaped,
 * and with personal codes masked — unless the page wraps it in {@link revealed} after an audited reveal.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Markup we wrote ourselves (never text from a document or a request). */
export const raw = (s: string): Html => new Html(s);

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** A value shown as it is (escaped, personal codes not masked): only on a page an operator revealed. */
export function revealed(v: unknown): Html {
  return new Html(escape(v === null || v === undefined ? '' : String(v)));
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  return escape(maskText(String(v)));
}

/** A template whose interpolations are escaped and masked; arrays are joined; null, undefined and false vanish. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#f6f7f9;--accent:#1f5fa8;--bad:#b3261e;--warn:#9a6700;--ok:#1a7f37}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#fff;border-bottom:1px solid var(--line)}
header strong{font-size:15px}header nav a{margin-right:1rem}header form{margin-left:auto}
main{padding:1rem 1.2rem;max-width:1200px}h1{font-size:20px;margin:.2rem 0 1rem}h2{font-size:16px;margin:1.4rem 0 .5rem}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.n,th.n{text-align:right}.empty{color:var(--muted);font-style:italic}
.state{display:inline-block;padding:0 .4rem;border-radius:3px;background:#e8ebf0;font-size:12px}
.state.failed,.state.overdue{background:#fbe3e1;color:var(--bad)}.state.parked,.state.ambiguous,.state.due_soon,.state.triage{background:#fff1cc;color:var(--warn)}
.state.sent,.state.done,.state.ok{background:#dcf3e2;color:var(--ok)}
form.inline{display:inline-flex;gap:.3rem;margin:0}button{font:inherit;padding:.2rem .6rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:3px;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}select,input{font:inherit;padding:.15rem .3rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;background:#fff;border:1px solid var(--line);padding:.6rem}dt{color:var(--muted)}dd{margin:0}
.note{padding:.5rem .7rem;border-left:4px solid var(--accent);background:#fff;margin:.5rem 0}.note.bad{border-color:var(--bad)}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid var(--line);padding:.6rem .9rem;min-width:150px}.card b{display:block;font-size:20px}
.chart{background:#fff;border:1px solid var(--line);padding:.5rem;margin:.5rem 0}.login{max-width:360px;margin:4rem auto;background:#fff;border:1px solid var(--line);padding:1.2rem}
.login label{display:block;margin:.6rem 0 .2rem}.login input{width:100%}.login button{margin-top:1rem}
`;

export interface Chrome {
  title: string;
  /** The session's form token for the logout button; absent for a Bearer caller and before login. */
  csrf?: string;
  /** Who is signed in (shown in the header). */
  who?: string;
}

export function page(c: Chrome, body: Html): string {
  const nav = c.who
    ? html`<nav><a href="/admin">Now</a><a href="/admin/report">Report</a><a href="/admin/health">Health</a><a href="/admin/audit">Audit</a><a href="/admin/queues">Queues</a></nav>
      <span>${c.who}</span>${c.csrf ? html`<form method="post" action="/admin/logout"><input type="hidden" name="csrf" value="${revealed(c.csrf)}"><button class="secondary" type="submit">Log out</button></form>` : ''}`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${c.title} · dhx-adapter</title><link rel="stylesheet" href="/admin/static/style.css"></head>
<body><header><strong>dhx-adapter</strong>${nav}</header><main>${body}</main></body></html>`.value;
}
