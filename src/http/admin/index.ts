import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { lastAddressBookRefresh } from '../../addressbook/views';
import { isCategory, isSubKind } from '../../cases/categories';
import { casesNeedingAnswer, showCase, stats, statsCsv } from '../../cases/views';
import type { Config } from '../../config';
import { listAudit } from '../../db/audit';
import type { Pool } from '../../db/pool';
import { lastPolls } from '../../inbound/polls';
import { runDoctor } from '../../operator/doctor';
import { attachmentsOf, inboundDocumentTitle, inboundHistory, inboundView, intakeView, listInbound } from '../../inbound/views';
import { listOutbound, outboundDocument, outboundHistory } from '../../outbound/views';
import { BodyError, bodyFailureStatus, readWholeBody } from '../../mime/body';
import { send, sendAndClose } from '../edge';
import { makeAdminActions, type ActionResult, type AdminQueues } from './actions';
import { makeAdminAuth, type Caller } from './auth';
import { CSS, page, type Html } from './html';
import { auditPage, casePage, healthPage, inboundPage, loginPage, messagePage, nowPage, outboundPage, reportPage, type FormContext, type QueueCounts } from './pages';
import { makeQueuesBoard } from './queues';

/**
 * The operators' dashboard under /admin (docs/operations.md, "Dashboard"): plain node:http like the rest of
 * the edge, server-rendered pages, every action a POST with the session's form token, done through
 * actions.ts (the operator functions the CLI calls). bull-board is mounted under /admin/queues, read-only.
 */

export interface AdminDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  queues?: AdminQueues;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams) => Promise<void>;

const HTML = 'text/html; charset=utf-8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A form of the dashboard is a few short fields. */
const MAX_FORM_BYTES = 16 * 1024;
/** Cases due within this many days show on *Now*. */
const DUE_SOON_DAYS = 7;
/** Answers of pages: never cached, never framed, no script but ours (none), forms only to us. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/**
 * bull-board's page: its own scripts and styles (inline styles too), nothing from elsewhere — its template
 * names a web font on a CDN, which the browser is told not to fetch (the page falls back to a system font).
 */
const BOARD_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'",
};

/** Fixed notes shown after an action (the query names one; nothing of the request is echoed). */
const FLASH: Record<string, string> = {
  replayed: 'Replayed: queued again.',
  classified: 'Classified: intake continues.',
  delivered: 'Marked delivered.',
  'logged-out': 'Logged out.',
};

export function makeAdminHandler(deps: AdminDeps): AdminHandler {
  const token = deps.config.adminToken;
  const auth = token ? makeAdminAuth({ token, secureCookie: deps.config.tls !== undefined }) : undefined;
  const actions = makeAdminActions({ pool: deps.pool, queues: deps.queues ?? {}, log: deps.log });
  const board = makeQueuesBoard(deps.queues ?? {});

  const htmlPage = (res: ServerResponse, status: number, title: string, body: Html, c?: Caller, extra: Record<string, string> = {}): void =>
    send(
      res,
      status,
      page({ title, ...(c ? { who: c.actor.replace(/^dashboard:/, '') } : {}), ...(c?.kind === 'session' ? { csrf: c.session.csrf } : {}) }, body),
      HTML,
      { ...PAGE_HEADERS, ...extra },
    );
  const redirect = (res: ServerResponse, to: string, extra: Record<string, string> = {}): void => send(res, 303, '', HTML, { ...PAGE_HEADERS, location: to, ...extra });
  const formOf = (c: Caller): FormContext => ({ csrf: c.kind === 'session' ? c.session.csrf : '' });

  /** The form of a POST: urlencoded, at most MAX_FORM_BYTES; undefined when answered already (refused). */
  async function readForm(req: IncomingMessage, res: ServerResponse): Promise<URLSearchParams | undefined> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      sendAndClose(req, res, 415, 'send application/x-www-form-urlencoded', 'text/plain; charset=utf-8');
      return undefined;
    }
    try {
      const body = await readWholeBody(req, { maxBytes: MAX_FORM_BYTES, idleMs: deps.config.http.idleTimeoutSeconds * 1000 });
      return new URLSearchParams(body.toString('utf8'));
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      sendAndClose(req, res, bodyFailureStatus(err.failure), 'the form could not be read', 'text/plain; charset=utf-8');
      return undefined;
    }
  }

  /**
   * A browser's POST from another site is refused even before the form token is looked at. The page's own
   * origin is the Host it was asked for, or, behind a reverse proxy that rewrites Host, X-Forwarded-Host
   * (this check only adds to the form token, which alone decides).
   */
  function crossSite(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return true;
    }
    const forwarded = req.headers['x-forwarded-host'];
    const ours = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((x) => x.trim()) : [])];
    return !ours.includes(host);
  }

  async function queueCounts(): Promise<QueueCounts[]> {
    const out: QueueCounts[] = [];
    for (const q of [deps.queues?.intake, deps.queues?.send]) {
      if (!q) continue;
      try {
        out.push({ name: q.name, counts: await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed') });
      } catch {
        out.push({ name: q.name, error: 'Redis did not answer' });
      }
    }
    return out;
  }

  async function now(res: ServerResponse, c: Caller, query: URLSearchParams): Promise<void> {
    const [triage, stoppedInbound, stoppedOutbound, cases, addressBook, polls, queues] = await Promise.all([
      listInbound(deps.pool, { states: ['triage'] }),
      listInbound(deps.pool, { states: ['failed', 'parked'] }),
      listOutbound(deps.pool, { states: ['failed', 'ambiguous'], limit: 200 }),
      casesNeedingAnswer(deps.pool, { soonDays: DUE_SOON_DAYS }),
      lastAddressBookRefresh(deps.pool),
      lastPolls(deps.pool),
      queueCounts(),
    ]);
    const flash = FLASH[query.get('done') ?? ''];
    htmlPage(res, 200, 'Now', nowPage({ triage, stoppedInbound, stoppedOutbound, cases, polls, queues, ...(addressBook ? { addressBook } : {}) }, formOf(c), flash), c);
  }

  /** A reveal is written to the audit log before anything is shown, and only for something that exists. */
  const audited = async (c: Caller, kind: 'inbound' | 'outbound' | 'case', id: string, reveal: boolean): Promise<void> => {
    if (reveal) await actions.reveal(kind, id, c.actor);
  };

  async function inboundDetail(res: ServerResponse, c: Caller, id: string, reveal: boolean, flash?: string): Promise<void> {
    const v = await inboundView(deps.pool, id);
    if (!v) return htmlPage(res, 404, 'Not found', messagePage('Not found', `no inbound capsule ${id}`), c);
    await audited(c, 'inbound', id, reveal);
    const [intake, files, title, steps, audit] = await Promise.all([
      intakeView(deps.pool, id),
      attachmentsOf(deps.pool, id),
      inboundDocumentTitle(deps.pool, id),
      inboundHistory(deps.pool, id),
      listAudit(deps.pool, { subject: id }),
    ]);
    htmlPage(res, 200, 'Inbound', inboundPage(v, intake, files, title, steps, formOf(c), { reveal, audit, ...(flash ? { flash } : {}) }), c);
  }

  async function outboundDetail(res: ServerResponse, c: Caller, id: string, reveal: boolean, flash?: string): Promise<void> {
    const d = await outboundDocument(deps.pool, id, { reveal });
    if (!d) return htmlPage(res, 404, 'Not found', messagePage('Not found', `no outgoing document ${id}`), c);
    await audited(c, 'outbound', id, reveal);
    const [steps, audit] = await Promise.all([outboundHistory(deps.pool, id), listAudit(deps.pool, { subject: id })]);
    htmlPage(res, 200, 'Outbound', outboundPage(d, steps, formOf(c), { reveal, audit, ...(flash ? { flash } : {}) }), c);
  }

  async function caseDetail(res: ServerResponse, c: Caller, id: string, reveal: boolean): Promise<void> {
    const d = await showCase(deps.pool, id, { reveal });
    if (!d) return htmlPage(res, 404, 'Not found', messagePage('Not found', `no case ${id}`), c);
    await audited(c, 'case', id, reveal);
    htmlPage(res, 200, 'Case', casePage(d, formOf(c), { reveal }), c);
  }

  function reportRange(res: ServerResponse, c: Caller, query: URLSearchParams): { from?: string; to?: string } | undefined {
    const from = query.get('from') || undefined;
    const to = query.get('to') || undefined;
    if ((from && !DATE.test(from)) || (to && !DATE.test(to))) {
      htmlPage(res, 400, 'Report', messagePage('Report', 'from and to are dates, YYYY-MM-DD'), c);
      return undefined;
    }
    return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  }

  async function report(res: ServerResponse, c: Caller, query: URLSearchParams, csv: boolean): Promise<void> {
    const range = reportRange(res, c, query);
    if (!range) return;
    const s = await stats(deps.pool, range);
    if (csv) {
      const name = `dhx-report${range.from ? `-${range.from}` : ''}${range.to ? `-${range.to}` : ''}.csv`;
      send(res, 200, statsCsv(s), 'text/csv; charset=utf-8', { ...PAGE_HEADERS, 'content-disposition': `attachment; filename="${name}"` });
      return;
    }
    const q = new URLSearchParams(range as Record<string, string>).toString();
    htmlPage(res, 200, 'Report', reportPage(s, q ? `?${q}` : ''), c);
  }

  function actionDone(res: ServerResponse, c: Caller, r: ActionResult, back: string, done: string): void {
    if (r.kind === 'ok') return redirect(res, `${back}?done=${done}`);
    htmlPage(res, 409, 'Refused', messagePage('Refused', r.reason), c);
  }

  async function action(req: IncomingMessage, res: ServerResponse, c: Caller, pathname: string): Promise<void> {
    if (crossSite(req)) return htmlPage(res, 403, 'Refused', messagePage('Refused', 'a form from another site'), c);
    const form = await readForm(req, res);
    if (!form) return;
    if (!auth!.csrfValid(c, form.get('csrf') ?? undefined)) {
      return htmlPage(res, 403, 'Refused', messagePage('Refused', 'the form token is missing or wrong: reload the page and try again'), c);
    }
    if (pathname === '/admin/logout') {
      auth!.logout(c);
      return redirect(res, '/admin/login?done=logged-out', { 'set-cookie': auth!.clearCookie() });
    }
    const m = /^\/admin\/(inbound|outbound|case)\/([^/]+)\/(replay|classify|delivered|reveal)$/.exec(pathname);
    if (!m || !UUID.test(m[2]!)) return htmlPage(res, 404, 'Not found', messagePage('Not found', 'no such action'), c);
    const kind = m[1] as 'inbound' | 'outbound' | 'case';
    const id = m[2]!.toLowerCase();
    const verb = m[3]!;
    const back = `/admin/${kind}/${id}`;
    if (verb === 'reveal') {
      if (kind === 'inbound') return inboundDetail(res, c, id, true);
      if (kind === 'outbound') return outboundDetail(res, c, id, true);
      return caseDetail(res, c, id, true);
    }
    if (verb === 'replay' && kind !== 'case') return actionDone(res, c, await actions.replay(kind, id, c.actor), back, 'replayed');
    if (verb === 'classify' && kind === 'inbound') {
      const category = form.get('category');
      const subKind = form.get('subKind') || undefined;
      if (!isCategory(category) || (subKind !== undefined && (!isSubKind(subKind) || category !== 'klat_arvamus'))) {
        return htmlPage(res, 400, 'Refused', messagePage('Refused', 'choose a category; a sub-kind only with klat_arvamus'), c);
      }
      return actionDone(res, c, await actions.classify(id, category, subKind, c.actor), back, 'classified');
    }
    if (verb === 'delivered' && kind === 'outbound') {
      const note = form.get('note')?.slice(0, 500) || undefined;
      return actionDone(res, c, await actions.markDelivered(id, c.actor, note), back, 'delivered');
    }
    htmlPage(res, 404, 'Not found', messagePage('Not found', 'no such action'), c);
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (crossSite(req)) return htmlPage(res, 403, 'Refused', messagePage('Refused', 'a form from another site'));
    const form = await readForm(req, res);
    if (!form) return;
    const outcome = auth!.login(form.get('token') ?? '', form.get('name') ?? '', req.socket.remoteAddress);
    if (outcome.kind === 'limited') {
      deps.log.warn({ address: req.socket.remoteAddress }, 'dashboard logins refused: too many failures');
      return htmlPage(res, 429, 'Login', loginPage({ error: `too many failed logins; try again in ${outcome.retryAfterSeconds} s` }), undefined, {
        'retry-after': String(outcome.retryAfterSeconds),
      });
    }
    if (outcome.kind === 'refused') {
      deps.log.info({ address: req.socket.remoteAddress }, 'dashboard login refused');
      return htmlPage(res, 401, 'Login', loginPage({ error: 'wrong token' }));
    }
    deps.log.info({ actor: `dashboard:${outcome.session.label}` }, 'dashboard login');
    redirect(res, '/admin', { 'set-cookie': outcome.cookie });
  }

  return async (req, res, pathname, query) => {
    if (!auth) {
      return send(res, 503, page({ title: 'Dashboard off' }, messagePage('Dashboard off', 'the dashboard is off: set ADMIN_TOKEN (at least 16 characters) to use it')), HTML, PAGE_HEADERS);
    }
    if (pathname === '/admin/static/style.css' && req.method === 'GET') return send(res, 200, CSS, 'text/css; charset=utf-8', { 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' });
    if (pathname === '/admin/login') {
      if (req.method === 'POST') return login(req, res);
      if (req.method === 'GET') {
        const notice = FLASH[query.get('done') ?? ''];
        return htmlPage(res, 200, 'Login', loginPage(notice ? { notice } : {}));
      }
    }
    const c = auth.caller(req);
    if (!c) {
      const unauthorized = page({ title: 'Login required' }, messagePage('Login required', 'log in, or send Authorization: Bearer <ADMIN_TOKEN>', { login: true }));
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendAndClose(req, res, 401, unauthorized, HTML, { ...PAGE_HEADERS, 'www-authenticate': 'Bearer' });
      return send(res, 401, unauthorized, HTML, { ...PAGE_HEADERS, 'www-authenticate': 'Bearer' });
    }
    if (pathname === '/admin/queues' || pathname.startsWith('/admin/queues/')) {
      // Read-only: a change to jobs is an operator action, made on the pages (audited), not in bull-board.
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendAndClose(req, res, 405, 'bull-board is read-only here', 'text/plain; charset=utf-8', { allow: 'GET' });
      for (const [k, v] of Object.entries(BOARD_HEADERS)) res.setHeader(k, v);
      return board(req, res);
    }
    if (req.method === 'POST') return action(req, res, c, pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8', { allow: 'GET, POST' });
    if (pathname === '/admin' || pathname === '/admin/') return now(res, c, query);
    if (pathname === '/admin/report') return report(res, c, query, false);
    if (pathname === '/admin/audit') {
      const actor = query.get('actor')?.trim().slice(0, 200) || undefined;
      return htmlPage(res, 200, 'Audit', auditPage(await listAudit(deps.pool, { limit: 200, ...(actor ? { actor } : {}) }), actor), c);
    }
    if (pathname === '/admin/health') return htmlPage(res, 200, 'Health', healthPage(await runDoctor({ config: deps.config, pool: deps.pool })), c);
    if (pathname === '/admin/report.csv') return report(res, c, query, true);
    const m = /^\/admin\/(inbound|outbound|case)\/([^/]+)$/.exec(pathname);
    if (m && UUID.test(m[2]!)) {
      const flash = FLASH[query.get('done') ?? ''];
      const id = m[2]!.toLowerCase();
      if (m[1] === 'inbound') return inboundDetail(res, c, id, false, flash);
      if (m[1] === 'outbound') return outboundDetail(res, c, id, false, flash);
      return caseDetail(res, c, id, false);
    }
    htmlPage(res, 404, 'Not found', messagePage('Not found', 'no such page'), c);
  };
}
