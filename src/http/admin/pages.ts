import { CATEGORIES, SUB_KINDS } from '../../cases/categories';
import type { CaseDetail, CaseSummary, Stats } from '../../cases/views';
import type { AttachmentView, InboundListItem, InboundView, IntakeView } from '../../inbound/views';
import type { OutboundListItem } from '../../outbound/views';
import type { LastRefresh } from '../../addressbook/views';
import type { PollResult } from '../../inbound/polls';
import type { Check } from '../../operator/doctor';
import type { AuditRow } from '../../db/audit';
import { RESTRICTED } from '../../log/privacy';
import { stackedBarChart } from './chart';
import { html, revealed, type Html } from './html';

/** The dashboard's pages as HTML fragments (the frame is html.ts's `page`). Nothing here reads or writes. */

/** What a page needs to draw the forms of its actions. */
export interface FormContext {
  /** The session's form token; empty for a Bearer caller (it needs none). */
  csrf: string;
}

const csrfField = (f: FormContext): Html => html`<input type="hidden" name="csrf" value="${revealed(f.csrf)}">`;
const when = (iso: string | Date | null | undefined): string => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');
const state = (s: string): Html => html`<span class="state ${s}">${s}</span>`;
/** A link to a detail page; its text is the id's first 8 characters unless given (ids are not personal data: never masked). */
const link = (kind: 'inbound' | 'outbound' | 'case', id: string, text?: string | Html): Html =>
  html`<a href="/admin/${kind}/${revealed(encodeURIComponent(id))}">${text === undefined ? revealed(id.slice(0, 8)) : text}</a>`;
const emptyRow = (cols: number, text: string): Html => html`<tr><td colspan="${cols}" class="empty">${text}</td></tr>`;

export function actionForm(f: FormContext, action: string, label: string, extra: Html | string = '', secondary = false): Html {
  return html`<form class="inline" method="post" action="${revealed(action)}">${csrfField(f)}${extra}<button type="submit"${secondary ? html` class="secondary"` : ''}>${label}</button></form>`;
}

function classifyForm(f: FormContext, id: string): Html {
  const options = CATEGORIES.map((c) => html`<option value="${c}">${c}</option>`);
  const subKinds = SUB_KINDS.map((k) => html`<option value="${k}">${k}</option>`);
  return actionForm(
    f,
    `/admin/inbound/${id}/classify`,
    'Classify',
    html`<select name="category" aria-label="category">${options}</select><select name="subKind" aria-label="KLAT sub-kind"><option value="">(sub-kind)</option>${subKinds}</select>`,
  );
}

export interface QueueCounts {
  name: string;
  counts?: Record<string, number>;
  error?: string;
}

export interface NowData {
  triage: InboundListItem[];
  stoppedInbound: InboundListItem[];
  stoppedOutbound: OutboundListItem[];
  cases: CaseSummary[];
  addressBook?: LastRefresh;
  polls: PollResult[];
  queues: QueueCounts[];
}

export function nowPage(d: NowData, f: FormContext, flash?: string): Html {
  const triage = d.triage.map(
    (x) => html`<tr data-id="${revealed(x.id)}"><td>${link('inbound', x.id)}</td><td>${when(x.receivedAt)}</td><td>${x.sender}</td><td>${x.title}</td><td>${classifyForm(f, x.id)}</td></tr>`,
  );
  const inbound = d.stoppedInbound.map(
    (x) => html`<tr data-id="${revealed(x.id)}"><td>${link('inbound', x.id)}</td><td>${state(x.state)}</td><td>${when(x.receivedAt)}</td><td>${x.sender}</td>
      <td>${x.failureCode ?? ''}</td><td>${x.failureMessage ?? ''}</td><td class="n">${String(x.attempts)}</td><td>${actionForm(f, `/admin/inbound/${x.id}/replay`, 'Replay')}</td></tr>`,
  );
  const outbound = d.stoppedOutbound.map(
    (x) => html`<tr data-id="${revealed(x.id)}"><td>${link('outbound', x.id)}</td><td>${state(x.state)}</td><td>${x.kind}</td><td>${x.recipient}</td>
      <td>${x.faultCode ?? ''}</td><td class="n">${String(x.attempts)}</td><td>${when(x.updatedAt)}</td>
      <td>${actionForm(f, `/admin/outbound/${x.id}/replay`, 'Resend')} ${x.state === 'ambiguous' ? actionForm(f, `/admin/outbound/${x.id}/delivered`, 'Mark delivered', '', true) : ''}</td></tr>`,
  );
  const cases = d.cases.map(
    (c) => html`<tr><td>${link('case', c.id, c.caseNumber)}</td><td>${c.category}</td><td>${c.kovName} (${c.kovCode})</td><td>${c.title}</td><td>${c.dueAt ?? ''}</td><td>${state(c.deadlineStatus)}</td></tr>`,
  );
  const ab = d.addressBook;
  const queues = d.queues.map((q) =>
    q.counts
      ? html`<tr><td>${q.name}</td>${['waiting', 'active', 'delayed', 'failed', 'completed'].map((k) => html`<td class="n">${String(q.counts?.[k] ?? 0)}</td>`)}</tr>`
      : html`<tr><td>${q.name}</td><td colspan="5" class="empty">${q.error ?? 'unavailable'}</td></tr>`,
  );
  return html`<h1>Now</h1>${flash ? html`<p class="note">${flash}</p>` : ''}
<div class="cards">
  <div class="card"><b>${String(d.triage.length)}</b>in triage</div>
  <div class="card"><b>${String(d.stoppedInbound.length)}</b>inbound failed or parked</div>
  <div class="card"><b>${String(d.stoppedOutbound.length)}</b>outbound failed or ambiguous</div>
  <div class="card"><b>${String(d.cases.filter((c) => c.deadlineStatus === 'overdue' || (c.dueAt !== null && c.dueAt < new Date().toISOString().slice(0, 10))).length)}</b>cases overdue</div>
</div>
<h2 id="triage">Waiting in triage</h2>
<table><thead><tr><th>Capsule</th><th>Received</th><th>Sender</th><th>Title</th><th>Decide</th></tr></thead><tbody>${triage.length ? triage : emptyRow(5, 'nothing waits in triage')}</tbody></table>
<h2 id="inbound">Inbound failed or parked</h2>
<table><thead><tr><th>Capsule</th><th>State</th><th>Received</th><th>Sender</th><th>Code</th><th>Message</th><th class="n">Attempts</th><th></th></tr></thead><tbody>${inbound.length ? inbound : emptyRow(8, 'none')}</tbody></table>
<h2 id="outbound">Outbound failed or ambiguous</h2>
<table><thead><tr><th>Document</th><th>State</th><th>Kind</th><th>Recipient</th><th>Fault</th><th class="n">Attempts</th><th>Changed</th><th></th></tr></thead><tbody>${outbound.length ? outbound : emptyRow(8, 'none')}</tbody></table>
<h2 id="cases">Cases due soon or overdue</h2>
<table><thead><tr><th>Case</th><th>Category</th><th>KOV</th><th>Title</th><th>Due</th><th>Deadline</th></tr></thead><tbody>${cases.length ? cases : emptyRow(6, 'no open case is due soon')}</tbody></table>
<h2 id="addressbook">Address book</h2>
${ab ? html`<p>Last refresh ${when(ab.finishedAt)}: ${state(ab.ok ? 'ok' : 'failed')} ${ab.error ?? ''} · last success ${when(ab.lastSuccessAt) || 'never'} · ${String(ab.members)} members · source ${ab.source}</p>` : html`<p class="empty">never refreshed</p>`}
<h2 id="polls">Pollers</h2>
${d.polls.length
    ? html`<table><thead><tr><th>Poller</th><th>Last poll</th><th>Result</th><th class="n">Fetched</th><th>Last success</th><th>Error</th></tr></thead><tbody>${d.polls.map(
        (p) =>
          html`<tr><td>${p.poller.toUpperCase()}</td><td>${when(p.at)}</td><td>${state(p.ok ? 'ok' : 'failed')}</td><td class="n">${String(p.fetched)}</td><td>${when(p.lastOkAt) || 'never'}</td><td>${p.stage ? `${p.stage}: ` : ''}${p.error ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">no poll recorded (DVK and ADIT polling are off, or have not run yet)</p>`}
<h2 id="queues">Queues</h2>
<table><thead><tr><th>Queue</th><th class="n">Waiting</th><th class="n">Active</th><th class="n">Delayed</th><th class="n">Failed</th><th class="n">Completed</th></tr></thead><tbody>${queues}</tbody></table>
<p><a href="/admin/queues">Jobs in detail (bull-board)</a></p>`;
}

export interface HistoryRow {
  state: string;
  at: string;
  detail: Record<string, unknown>;
}

/** A history detail as `key: value` pairs (values as JSON), for people. */
function detailText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

function history(rows: HistoryRow[], show: (v: unknown) => Html | string): Html {
  const list = rows.map((h) => html`<tr><td>${h.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</td><td>${state(h.state)}</td><td>${show(detailText(h.detail))}</td></tr>`);
  return html`<table><thead><tr><th>At</th><th>State</th><th>Detail</th></tr></thead><tbody>${list.length ? list : emptyRow(3, 'no history')}</tbody></table>`;
}

/** `show` renders a value that may hold personal codes or restricted names: masked unless revealed. */
const shower = (reveal: boolean) => (v: unknown): Html | string => (reveal ? revealed(v) : html`${v === null || v === undefined ? '' : String(v)}`);

export function inboundPage(
  v: InboundView,
  intake: IntakeView | undefined,
  files: AttachmentView[],
  title: string | undefined,
  steps: HistoryRow[],
  f: FormContext,
  o: { reveal: boolean; flash?: string; audit: AuditRow[] },
): Html {
  const show = shower(o.reveal);
  const restricted = intake?.restricted ?? false;
  const hide = restricted && !o.reveal;
  const actions = [
    v.state === 'failed' || v.state === 'parked' ? actionForm(f, `/admin/inbound/${v.id}/replay`, 'Replay') : '',
    v.state === 'triage' ? classifyForm(f, v.id) : '',
    o.reveal ? '' : actionForm(f, `/admin/inbound/${v.id}/reveal`, 'Reveal personal codes (audited)', '', true),
  ];
  const fileRows = files.map(
    (x) => html`<tr><td>${hide ? RESTRICTED : show(x.file_name)}</td><td class="n">${x.size}</td><td>${x.sniffed_mime_type}</td><td>${x.main_component ? 'main' : ''}</td></tr>`,
  );
  return html`<h1>Inbound capsule ${revealed(v.id)}</h1>${o.flash ? html`<p class="note">${o.flash}</p>` : ''}${o.reveal ? html`<p class="note bad">Revealed: this view is recorded in the audit log.</p>` : ''}
<p>${actions}</p>
<dl><dt>State</dt><dd>${state(v.state)}</dd><dt>Title</dt><dd>${hide ? RESTRICTED : show(title ?? '')}</dd>
<dt>Sender</dt><dd>${show(v.sender)}</dd><dt>Recipient</dt><dd>${show(v.recipient)}${v.recipient_system ? html` (${v.recipient_system})` : ''}</dd>
<dt>Via</dt><dd>${v.transport}</dd><dt>Consignment</dt><dd>${revealed(v.consignment_id)}</dd><dt>Received</dt><dd>${when(v.received_at)}</dd>
<dt>Size</dt><dd>${v.size} bytes</dd><dt>Attempts</dt><dd>${String(v.attempts)}</dd>
<dt>Failure</dt><dd>${v.failure_code ?? '—'} ${show(v.failure_message ?? '')}</dd>
<dt>Category</dt><dd>${intake?.category ?? '—'}${intake?.sub_kind ? ` / ${intake.sub_kind}` : ''}${intake?.decided_by ? ` (by ${intake.decided_by})` : ''}</dd>
<dt>Case</dt><dd>${intake?.case_id ? link('case', intake.case_id, intake.case_number ?? revealed(intake.case_id)) : '—'}${intake?.due_date ? ` · due ${intake.due_date}` : ''}</dd>
<dt>Access</dt><dd>${restricted ? 'restricted (AK)' : 'public'}</dd></dl>
<h2>State history</h2>${history(steps, show)}
<h2>Operator actions</h2>${auditTable(o.audit)}
<h2>Files</h2><p class="empty">Names and sizes only; the dashboard shows no file content.</p>
<table><thead><tr><th>Name</th><th class="n">Bytes</th><th>Type</th><th></th></tr></thead><tbody>${fileRows.length ? fileRows : emptyRow(4, 'no files extracted')}</tbody></table>`;
}

export function outboundPage(d: Record<string, unknown>, steps: HistoryRow[], f: FormContext, o: { reveal: boolean; flash?: string; audit: AuditRow[] }): Html {
  const show = shower(o.reveal);
  const id = String(d.id);
  const st = String(d.state);
  const actions = [
    st === 'failed' || st === 'ambiguous' ? actionForm(f, `/admin/outbound/${id}/replay`, 'Resend') : '',
    st === 'ambiguous' ? actionForm(f, `/admin/outbound/${id}/delivered`, 'Mark delivered', html`<input name="note" placeholder="how it was confirmed" aria-label="note">`, true) : '',
    o.reveal ? '' : actionForm(f, `/admin/outbound/${id}/reveal`, 'Reveal personal codes (audited)', '', true),
  ];
  const field = (label: string, key: string): Html => html`<dt>${label}</dt><dd>${show(d[key] ?? '—')}</dd>`;
  return html`<h1>Outgoing document ${revealed(id)}</h1>${o.flash ? html`<p class="note">${o.flash}</p>` : ''}${o.reveal ? html`<p class="note bad">Revealed: this view is recorded in the audit log.</p>` : ''}
<p>${actions}</p>
<dl><dt>State</dt><dd>${state(st)}</dd>${field('Kind', 'kind')}${field('Title', 'title')}${field('Recipient', 'recipient')}${field('Recipient name', 'recipientName')}
${field('Person (ADIT)', 'recipientPerson')}${field('Via', 'via')}${field('Route', 'route')}${field('Consignment', 'consignmentId')}${field('Attempts', 'attempts')}
${field('Fault', 'faultCode')}${field('Failure', 'failureCode')}${field('Fault message', 'faultMessage')}${field('Next attempt', 'nextAttemptAt')}
${field('Receipt', 'receiptId')}${field('Delivered', 'deliveredAt')}${field('Created', 'createdAt')}${field('Size (bytes)', 'size')}
<dt>Case</dt><dd>${d.caseId ? link('case', String(d.caseId), revealed(d.caseId)) : '—'}</dd>
<dt>In reply to</dt><dd>${d.inReplyTo ? link('inbound', String(d.inReplyTo), revealed(d.inReplyTo)) : '—'}</dd>
<dt>Access</dt><dd>${d.accessRestricted ? 'restricted (AK)' : 'public'}</dd></dl>
<h2>State history</h2>${history(steps, show)}
<h2>Operator actions</h2>${auditTable(o.audit)}`;
}

export function casePage(c: CaseDetail, f: FormContext, o: { reveal: boolean }): Html {
  const show = shower(o.reveal);
  const docs = c.documents.map(
    (x) => html`<tr><td>${link(x.direction, x.id)}</td><td>${x.direction}</td><td>${x.kind}</td><td>${state(x.state)}</td><td>${show(x.title)}</td><td>${when(x.at)}</td></tr>`,
  );
  return html`<h1>Case ${c.caseNumber}</h1>${o.reveal ? html`<p class="note bad">Revealed: this view is recorded in the audit log.</p>` : html`<p>${actionForm(f, `/admin/case/${c.id}/reveal`, 'Reveal personal codes (audited)', '', true)}</p>`}
<dl><dt>Category</dt><dd>${c.category}${c.subKind ? ` / ${c.subKind}` : ''}</dd><dt>KOV</dt><dd>${c.kovName} (${c.kovCode})</dd><dt>Title</dt><dd>${show(c.title)}</dd>
<dt>KOV registration</dt><dd>${show(c.kovRegNumber)}</dd><dt>Received</dt><dd>${when(c.receivedAt)}</dd><dt>Status</dt><dd>${c.status}</dd>
<dt>Due</dt><dd>${c.dueAt ?? '—'} ${state(c.deadlineStatus)}</dd><dt>Access</dt><dd>${c.accessRestricted ? 'restricted (AK)' : 'public'}</dd></dl>
<h2>Documents</h2><table><thead><tr><th>Id</th><th>Direction</th><th>Kind</th><th>State</th><th>Title</th><th>At</th></tr></thead><tbody>${docs.length ? docs : emptyRow(6, 'none')}</tbody></table>`;
}

export function reportPage(s: Stats, query: string): Html {
  const months = [...new Set(s.requests.map((r) => r.month))].sort();
  const categories = [...new Set(s.requests.map((r) => r.category))].sort();
  const sum = (pick: (r: Stats['requests'][number]) => number, m: string, filter: (r: Stats['requests'][number]) => boolean = () => true): number =>
    s.requests.filter((r) => r.month === m && filter(r)).reduce((t, r) => t + pick(r), 0);
  const byCategory = stackedBarChart({
    title: 'Requests by month and category',
    xs: months,
    series: categories.map((c) => ({ name: c, values: months.map((m) => sum((r) => r.count, m, (r) => r.category === c)) })),
  });
  const byAnswer = stackedBarChart({
    title: 'Requests with a due date by month: answered on time, late, open past due, open',
    xs: months,
    series: [
      { name: 'answered on time', colour: '#2e8540', values: months.map((m) => sum((r) => r.onTime, m)) },
      { name: 'answered late', colour: '#e07b00', values: months.map((m) => sum((r) => r.late, m)) },
      { name: 'open past due', colour: '#b3261e', values: months.map((m) => sum((r) => r.overdueOpen, m)) },
      { name: 'open', colour: '#8a94a6', values: months.map((m) => sum((r) => r.open, m)) },
    ],
  });
  const rows = s.requests.map(
    (r) =>
      html`<tr><td>${r.month}</td><td>${r.category}</td><td>${r.kovName} (${r.kovCode})</td><td class="n">${String(r.count)}</td><td class="n">${String(r.onTime)}</td><td class="n">${String(r.late)}</td><td class="n">${String(r.overdueOpen)}</td><td class="n">${String(r.open)}</td></tr>`,
  );
  const total = s.requests.reduce((t, r) => t + r.count, 0);
  return html`<h1>Report</h1>
<form method="get" action="/admin/report" class="inline"><label>From <input type="date" name="from" value="${s.from ?? ''}"></label>
<label>To <input type="date" name="to" value="${s.to ?? ''}"></label><button type="submit">Show</button></form>
<p><a href="/admin/report.csv${revealed(query)}">Download CSV</a> (the same as <code>dhx stats --csv</code>)</p>
<div class="cards"><div class="card"><b>${String(total)}</b>requests</div><div class="card"><b>${String(s.opinions.onTime)}</b>answered on time</div>
<div class="card"><b>${String(s.opinions.late)}</b>answered late</div><div class="card"><b>${String(s.opinions.overdueOpen)}</b>open past due</div>
<div class="card"><b>${String(s.opinions.open)}</b>open, within the due date</div><div class="card"><b>${String(s.triage)}</b>waiting in triage</div></div>
<h2>Requests by month and category</h2><div class="chart" id="chart-categories">${byCategory}</div>
<h2>Answered on time, late, open past due</h2><div class="chart" id="chart-answers">${byAnswer}</div>
<h2>By month, category and KOV</h2>
<table><thead><tr><th>Month</th><th>Category</th><th>KOV</th><th class="n">Requests</th><th class="n">On time</th><th class="n">Late</th><th class="n">Open past due</th><th class="n">Open</th></tr></thead>
<tbody>${rows.length ? rows : emptyRow(8, 'no requests in this period')}</tbody></table>`;
}

export function loginPage(o: { error?: string; notice?: string }): Html {
  return html`<div class="login"><h1>Dashboard login</h1>${o.error ? html`<p class="note bad">${o.error}</p>` : ''}${o.notice ? html`<p class="note">${o.notice}</p>` : ''}
<form method="post" action="/admin/login"><label for="name">Your name (recorded with every action)</label><input id="name" name="name" autocomplete="username" maxlength="40">
<label for="token">Admin token</label><input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form></div>`;
}

export function messagePage(title: string, text: string, o: { login?: boolean } = {}): Html {
  return html`<h1>${title}</h1><p class="note bad">${text}</p>${o.login ? html`<p><a href="/admin/login">Log in</a></p>` : html`<p><a href="/admin">Back to Now</a></p>`}`;
}

export function healthPage(checks: Check[]): Html {
  const rows = checks.map((c) => html`<tr><td>${c.name}</td><td>${state(c.status === 'fail' ? 'failed' : c.status === 'warn' ? 'parked' : 'ok')}</td><td>${c.detail}</td></tr>`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  return html`<h1>Health</h1><p>The checks of <code>dhx doctor</code>, run now: ${failed ? html`<b>${String(failed)} failing</b>` : 'nothing fails'}.</p>
<table><thead><tr><th>Check</th><th>Status</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Operator actions, newest first: who, what, on which document or case, what it recorded. */
export function auditTable(rows: AuditRow[]): Html {
  const subject = (r: AuditRow): Html | string =>
    r.subjectType === 'inbound' || r.subjectType === 'outbound' || r.subjectType === 'case' ? link(r.subjectType, r.subjectId) : html`${r.subjectType} ${revealed(r.subjectId)}`;
  const list = rows.map(
    (r) => html`<tr><td>${when(r.at)}</td><td>${r.actor}</td><td>${r.action}</td><td>${subject(r)}</td><td>${detailText(r.detail)}</td></tr>`,
  );
  return html`<table><thead><tr><th>At</th><th>Who</th><th>Action</th><th>Subject</th><th>Detail</th></tr></thead><tbody>${list.length ? list : emptyRow(5, 'no operator action recorded')}</tbody></table>`;
}

export function auditPage(rows: AuditRow[], actor: string | undefined): Html {
  return html`<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="inline"><label>Who <input name="actor" value="${actor ?? ''}" placeholder="dashboard:Mari"></label><button type="submit">Show</button></form>
<p>The last ${String(rows.length)} operator actions (CLI, API and dashboard), newest first; <code>dhx audit list</code> gives the same.</p>${auditTable(rows)}`;
}
