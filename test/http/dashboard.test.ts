import { randomUUID } from 'node:crypto';
import { dhx } from '../cli/run';
import { startAdapter } from '../dhx/harness';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { startIntakeAdapter, type IntakeHarness } from '../intake/harness';
import { KOVS, kovCapsule } from '../intake/kov';

/** /admin at the HTTP level: who gets in (Bearer, login form, session cookie), form tokens, logout, the login limit, reveal. */

const TOKEN = 'dashboard-test-admin-token-0123';
const CODE = makeTestPersonalCode(41);
let h: IntakeHarness;
let triageId: string;

beforeAll(async () => {
  h = await startIntakeAdapter({ ADMIN_TOKEN: TOKEN });
  const r = await h.send(KOVS[4]!.code, await kovCapsule({ kov: KOVS[4], title: `Dokument ${CODE}`, abstract: 'Edastame dokumendi.', access: 'Avalik' }));
  triageId = r.receiptId!;
  expect(await h.waitFor(triageId)).toBe('triage');
});
afterAll(() => h.close());

const bearer = { authorization: `Bearer ${TOKEN}` };
const form = (fields: Record<string, string>): URLSearchParams => new URLSearchParams(fields);

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}${path}`, { headers, redirect: 'manual' });
}

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    body: form(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    redirect: 'manual',
  });
}

/** Logs in through the form: the session cookie (name=value) and the page's form token. */
async function login(name = 'Mari Maasikas'): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const r = await post('/admin/login', { token: TOKEN, name });
  expect(r.status).toBe(303);
  expect(r.headers.get('location')).toBe('/admin');
  const setCookie = r.headers.get('set-cookie')!;
  const cookie = setCookie.split(';')[0]!;
  const page = await (await get('/admin', { cookie })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf, setCookie };
}

async function auditRows(subjectId: string): Promise<Array<{ actor: string; action: string }>> {
  const r = await h.db.pool.query<{ actor: string; action: string }>('SELECT actor, action FROM audit_log WHERE subject_id = $1 ORDER BY id', [subjectId]);
  return r.rows;
}

test('without credentials every /admin page answers 401, an action too, and nothing happens', async () => {
  for (const p of ['/admin', '/admin/', '/admin/report', '/admin/report.csv', '/admin/health', '/admin/audit', '/admin/queues', '/admin/queues/api/queues', `/admin/inbound/${triageId}`, '/admin/nothing']) {
    const r = await get(p);
    expect([p, r.status]).toEqual([p, 401]);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
  }
  const r = await post(`/admin/inbound/${triageId}/classify`, { category: 'muu' });
  expect(r.status).toBe(401);
  expect(await auditRows(triageId)).toEqual([]);
});

test('Bearer ADMIN_TOKEN opens every page; a wrong token, another scheme or a cookie that was never given does not', async () => {
  for (const p of ['/admin', '/admin/report', `/admin/inbound/${triageId}`, '/admin/queues']) {
    const r = await get(p, bearer);
    expect([p, r.status]).toEqual([p, 200]);
  }
  const csv = await get('/admin/report.csv', bearer);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect((await get('/admin', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
  expect((await get('/admin', { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
  expect((await get('/admin', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` })).status).toBe(401);
  expect((await get('/admin', { cookie: 'dhx_admin=made-up-session-id' })).status).toBe(401);
  // A wrong Authorization header is not rescued by a good cookie.
  const { cookie } = await login();
  expect((await get('/admin', { cookie, authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
});

test('Health runs the checks of dhx doctor; Now shows the pollers (none recorded here)', async () => {
  const health = await get('/admin/health', bearer);
  expect(health.status).toBe(200);
  const text = await health.text();
  for (const check of ['configuration', 'postgresql', 'redis', 'security server', 'address book', 'queue intake', 'disk']) expect(text).toContain(`<td>${check}</td>`);
  const now = await (await get('/admin', bearer)).text();
  expect(now).toContain('no poll recorded');
});

test('pages are escaped, masked and not cacheable; bull-board is served by the adapter and read-only', async () => {
  const r = await get('/admin', bearer);
  const page = await r.text();
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(page).toContain(triageId);
  expect(page).not.toContain(CODE);
  expect(page).toContain(maskedForm(CODE));
  const detail = await (await get(`/admin/inbound/${triageId}`, bearer)).text();
  expect(detail).not.toContain(CODE);
  expect(detail).toContain(maskedForm(CODE));
  const boardPage = await get('/admin/queues', bearer);
  expect(boardPage.status).toBe(200);
  // Its scripts and styles come from the adapter; the browser may fetch nothing from anywhere else.
  const board = await boardPage.text();
  expect(board).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  for (const src of [...board.matchAll(/<script[^>]+src="([^"]+)"/g)].map((x) => x[1]!)) expect(src).toMatch(/^static\//);
  const csp = boardPage.headers.get('content-security-policy')!;
  for (const d of ['default-src', 'script-src', 'style-src', 'font-src', 'connect-src', 'img-src']) expect(csp).toMatch(new RegExp(`${d} 'self'(?: 'unsafe-inline')?(?: data:)?;`));
  const asset = /<script[^>]+src="(static\/js\/[^"]+)"/.exec(board)![1]!;
  expect((await get(`/admin/queues/${asset}`, bearer)).status).toBe(200);
  expect((await get(`/admin/queues/${asset}`)).status).toBe(401);
  const api = await get('/admin/queues/api/queues', bearer);
  expect(api.status).toBe(200);
  expect(JSON.stringify(await api.json())).toMatch(/"intake"/);
  const write = await fetch(`${h.url}/admin/queues/api/queues/intake/retry/failed`, { method: 'PUT', headers: bearer });
  expect(write.status).toBe(405);
});

test('the login form sets an HttpOnly, SameSite=Strict session cookie for /admin; a wrong token gets 401 and no cookie', async () => {
  const wrong = await post('/admin/login', { token: 'not-the-token-at-all-0000', name: 'x' });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('set-cookie')).toBeNull();
  const { setCookie, cookie } = await login();
  expect(setCookie).toMatch(/^dhx_admin=[A-Za-z0-9_-]{43};/);
  expect(setCookie).toMatch(/; HttpOnly/);
  expect(setCookie).toMatch(/; SameSite=Strict/);
  expect(setCookie).toMatch(/; Path=\/admin;/);
  expect(setCookie).toMatch(/; Max-Age=\d+/);
  // Plain HTTP here; with TLS_CERT the cookie is Secure.
  expect(setCookie).not.toMatch(/Secure/);
  const r = await get('/admin', { cookie });
  expect(r.status).toBe(200);
  expect(await r.text()).toContain('Mari Maasikas');
});

test('an action without the form token, with a wrong one, or from another site is refused (403); with it, it runs and is audited', async () => {
  const { cookie, csrf } = await login('Jaan Tamm');
  const target = `/admin/inbound/${triageId}/reveal`;
  expect((await post(target, {}, { cookie })).status).toBe(403);
  expect((await post(target, { csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }, { cookie })).status).toBe(403);
  expect((await post(target, { csrf: '' }, { cookie })).status).toBe(403);
  expect((await post(target, { csrf }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
  expect((await post(target, { csrf }, { cookie, origin: 'null' })).status).toBe(403);
  expect((await post(target, { csrf }, { cookie, origin: 'not a url' })).status).toBe(403);
  // Another session's token is not this session's.
  const other = await login('Other');
  expect((await post(target, { csrf: other.csrf }, { cookie })).status).toBe(403);
  // Not a form: refused before anything.
  const json = await fetch(`${h.url}${target}`, { method: 'POST', body: JSON.stringify({ csrf }), headers: { cookie, 'content-type': 'application/json' } });
  expect(json.status).toBe(415);
  expect(await auditRows(triageId)).toEqual([]);

  const shown = await post(target, { csrf }, { cookie, origin: 'https://dhx.example.ee', 'x-forwarded-host': 'dhx.example.ee' });
  expect(shown.status).toBe(200);
  const text = await shown.text();
  expect(text).toContain(CODE);
  expect(await auditRows(triageId)).toEqual([{ actor: 'dashboard:Jaan Tamm', action: 'reveal' }]);
});

test('a Bearer caller needs no form token: classify from triage runs, is audited as dashboard:bearer, and intake goes on', async () => {
  const bad = await post(`/admin/inbound/${triageId}/classify`, { category: 'nonsense' }, bearer);
  expect(bad.status).toBe(400);
  const wrongSubKind = await post(`/admin/inbound/${triageId}/classify`, { category: 'muu', subKind: 'esmane' }, bearer);
  expect(wrongSubKind.status).toBe(400);
  const r = await post(`/admin/inbound/${triageId}/classify`, { category: 'noustamine' }, bearer);
  expect(r.status).toBe(303);
  expect(r.headers.get('location')).toBe(`/admin/inbound/${triageId}?done=classified`);
  expect(await h.waitFor(triageId, ['done', 'failed', 'parked'])).toBe('done');
  expect((await auditRows(triageId)).filter((a) => a.action === 'classify')).toEqual([{ actor: 'dashboard:bearer', action: 'classify' }]);
  // The audit log page and the capsule's own page say who did it.
  const log = await (await get('/admin/audit?actor=dashboard%3Abearer', bearer)).text();
  expect(log).toMatch(new RegExp(`<td>dashboard:bearer</td><td>classify</td><td><a href="/admin/inbound/${triageId}">`));
  expect(await (await get('/admin/audit?actor=nobody', bearer)).text()).toContain('no operator action recorded');
  expect(await (await get(`/admin/inbound/${triageId}`, bearer)).text()).toMatch(/Operator actions[\s\S]*<td>dashboard:bearer<\/td><td>classify<\/td>/);
  // Not in triage any more: refused, said why.
  const again = await post(`/admin/inbound/${triageId}/classify`, { category: 'muu' }, bearer);
  expect(again.status).toBe(409);
  expect(await again.text()).toMatch(/not in triage/);
  // Something that is not there, or not an id.
  expect((await post(`/admin/outbound/${randomUUID()}/replay`, {}, bearer)).status).toBe(409);
  expect((await post('/admin/outbound/..%2F..%2Fetc/replay', {}, bearer)).status).toBe(404);
  expect((await get(`/admin/outbound/${randomUUID()}`, bearer)).status).toBe(404);
  const huge = await post(`/admin/inbound/${triageId}/classify`, { category: 'muu', pad: 'x'.repeat(64 * 1024) }, bearer).catch(() => undefined);
  expect(huge === undefined || huge.status === 413).toBe(true);
});

test('logout (POST with the form token) ends the session: the cookie no longer opens anything', async () => {
  const { cookie, csrf } = await login();
  expect((await post('/admin/logout', {}, { cookie })).status).toBe(403);
  expect((await get('/admin', { cookie })).status).toBe(200);
  const out = await post('/admin/logout', { csrf }, { cookie });
  expect(out.status).toBe(303);
  expect(out.headers.get('set-cookie')).toMatch(/^dhx_admin=; .*Max-Age=0/);
  expect(await (await get(out.headers.get('location')!)).text()).toContain('Logged out.');
  expect((await get('/admin', { cookie })).status).toBe(401);
  expect((await post(`/admin/inbound/${triageId}/reveal`, { csrf }, { cookie })).status).toBe(401);
});

test('the report CSV is the one dhx stats --csv prints; bad dates are refused', async () => {
  const csv = await (await get('/admin/report.csv?from=2020-01-01&to=2099-12-31', bearer)).text();
  expect(csv.split('\n')[0]).toBe('month,category,kov_code,kov_name,requests,answered_on_time,answered_late,open_past_due,open');
  expect(csv).toMatch(new RegExp(`^\\d{4}-\\d{2},noustamine,${KOVS[4]!.code},${KOVS[4]!.name},1,0,0,0,[01]$`, 'm'));
  const cli = await dhx(['stats', '--csv', '--from', '2020-01-01', '--to', '2099-12-31'], h.env);
  expect(cli.code).toBe(0);
  expect(`${cli.out}\n`).toBe(csv);
  expect((await dhx(['stats', '--csv', '--json'], h.env)).code).toBe(2);
  expect((await get('/admin/report?from=yesterday', bearer)).status).toBe(400);
  const page = await (await get('/admin/report', bearer)).text();
  expect(page).toMatch(/<svg[^>]+role="img"/);
});

test('failed logins are limited per address: after five, even the right token waits (429 with Retry-After)', async () => {
  for (let i = 0; i < 5; i++) expect((await post('/admin/login', { token: `wrong-token-number-${i}-xxxxx` })).status).toBe(401);
  const r = await post('/admin/login', { token: TOKEN });
  expect(r.status).toBe(429);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(r.headers.get('set-cookie')).toBeNull();
  // Scripts with the token are not locked out.
  expect((await get('/admin', bearer)).status).toBe(200);
});

test('without ADMIN_TOKEN the dashboard is off: 503 saying so, for every path and every caller', async () => {
  const off = await startAdapter({});
  try {
    for (const p of ['/admin', '/admin/login', '/admin/queues']) {
      const r = await fetch(`${off.url}${p}`, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(r.status).toBe(503);
      expect(await r.text()).toMatch(/set ADMIN_TOKEN/);
    }
  } finally {
    await off.close();
  }
});

test('a restricted (AK) document shows neither its title nor its file names, on its page or its case, until revealed (audited)', async () => {
  const r = await h.send(KOVS[0]!.code, await kovCapsule({ kov: KOVS[0], title: 'KLAT arvamus: Salajane Perekond', fileNames: ['salajane-perekond.pdf'], access: 'AK' }));
  const id = r.receiptId!;
  expect(await h.waitFor(id)).toBe('done');
  const caseId = (await h.db.pool.query<{ case_id: string }>('SELECT case_id FROM inbound_capsules WHERE id = $1', [id])).rows[0]!.case_id;
  for (const p of [`/admin/inbound/${id}`, `/admin/case/${caseId}`]) {
    const text = await (await get(p, bearer)).text();
    expect(text).toContain('[restricted]');
    expect(text).not.toMatch(/Salajane|salajane/);
  }
  expect(await auditRows(id)).toEqual([]);
  const shown = await (await post(`/admin/inbound/${id}/reveal`, {}, bearer)).text();
  expect(shown).toContain('KLAT arvamus: Salajane Perekond');
  expect(shown).toContain('salajane-perekond.pdf');
  expect(await auditRows(id)).toEqual([{ actor: 'dashboard:bearer', action: 'reveal' }]);
  const caseShown = await (await post(`/admin/case/${caseId}/reveal`, {}, bearer)).text();
  expect(caseShown).toContain('Salajane Perekond');
  expect(await auditRows(caseId)).toEqual([{ actor: 'dashboard:bearer', action: 'reveal' }]);
  // Nothing to reveal: 404, and no audit row for it.
  const ghost = randomUUID();
  expect((await post(`/admin/inbound/${ghost}/reveal`, {}, bearer)).status).toBe(404);
  expect(await auditRows(ghost)).toEqual([]);
});
