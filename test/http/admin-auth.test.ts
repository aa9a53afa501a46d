import type { IncomingMessage } from 'node:http';
import {
  LOGIN_FAILURES_PER_ADDRESS,
  LOGIN_FAILURES_TOTAL,
  LOGIN_WINDOW_MS,
  makeAdminAuth,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionLabel,
} from '../../src/http/admin/auth';
import { stackedBarChart } from '../../src/http/admin/chart';
import { html, revealed } from '../../src/http/admin/html';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';

/** The dashboard's sessions and login limit on a clock the test moves, and its HTML escaping and masking. */

const TOKEN = 'unit-test-admin-token-0123456';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const cookieHeader = (setCookie: string): string => setCookie.split(';')[0]!;

test('a session ends after SESSION_IDLE_MS without a request, and after SESSION_MAX_MS whatever happens', () => {
  const c = clock();
  const auth = makeAdminAuth({ token: TOKEN, secureCookie: true, now: c.now });
  const a = auth.login(TOKEN, 'Mari', '10.0.0.1');
  if (a.kind !== 'ok') throw new Error('login refused');
  expect(a.cookie).toMatch(/; Secure/);
  const req = request({ cookie: `other=1; ${cookieHeader(a.cookie)}` });
  c.advance(SESSION_IDLE_MS - 1000);
  expect(auth.caller(req)).toMatchObject({ kind: 'session', actor: 'dashboard:Mari' });
  c.advance(SESSION_IDLE_MS - 1000);
  expect(auth.caller(req)?.kind).toBe('session');
  c.advance(SESSION_IDLE_MS + 1);
  expect(auth.caller(req)).toBeUndefined();

  const b = auth.login(TOKEN, 'Jaan', '10.0.0.1');
  if (b.kind !== 'ok') throw new Error('login refused');
  const reqB = request({ cookie: cookieHeader(b.cookie) });
  for (let t = 0; t < SESSION_MAX_MS; t += SESSION_IDLE_MS / 2) {
    expect(auth.caller(reqB)?.kind).toBe('session');
    c.advance(SESSION_IDLE_MS / 2);
  }
  expect(auth.caller(reqB)).toBeUndefined();
});

test('failed logins: per address, then in total; the window passes; a success clears the address', () => {
  const c = clock();
  const auth = makeAdminAuth({ token: TOKEN, secureCookie: false, now: c.now });
  for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) expect(auth.login('wrong', '', '10.0.0.2').kind).toBe('refused');
  expect(auth.login(TOKEN, '', '10.0.0.2')).toMatchObject({ kind: 'limited' });
  // Another address is not held up by this one.
  expect(auth.login(TOKEN, '', '10.0.0.3').kind).toBe('ok');
  c.advance(LOGIN_WINDOW_MS + 1);
  expect(auth.login(TOKEN, '', '10.0.0.2').kind).toBe('ok');

  // Many addresses guessing together stop everyone's form logins for the window.
  for (let i = 0; i < LOGIN_FAILURES_TOTAL; i++) auth.login('wrong', '', `10.1.${Math.floor(i / 4)}.${i % 4}`);
  const limited = auth.login(TOKEN, '', '10.9.9.9');
  expect(limited.kind).toBe('limited');
  expect(limited.kind === 'limited' && limited.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_WINDOW_MS / 1000);
  c.advance(LOGIN_WINDOW_MS + 1);
  expect(auth.login(TOKEN, '', '10.9.9.9').kind).toBe('ok');
});

test('Bearer needs the exact token; the form token is checked per session; a forged or oversized cookie is nobody', () => {
  const auth = makeAdminAuth({ token: TOKEN, secureCookie: false });
  expect(auth.caller(request({ authorization: `Bearer ${TOKEN}` }))).toEqual({ kind: 'bearer', actor: 'dashboard:bearer' });
  expect(auth.caller(request({ authorization: `bearer   ${TOKEN}  ` }))?.kind).toBe('bearer');
  for (const a of [`Bearer ${TOKEN}0`, `Bearer ${TOKEN.slice(1)}`, 'Bearer', `Token ${TOKEN}`, `Bearer ${TOKEN} extra`]) expect(auth.caller(request({ authorization: a }))).toBeUndefined();
  expect(auth.caller(request({ cookie: `dhx_admin=${'A'.repeat(5000)}` }))).toBeUndefined();
  const s = auth.login(TOKEN, '<script>alert(1)</script>', undefined);
  if (s.kind !== 'ok') throw new Error('login refused');
  // A name that is not a plain name is not kept: the session gets a label of its own.
  expect(s.session.label).toMatch(/^session-[0-9a-f]{6}$/);
  const caller = auth.caller(request({ cookie: cookieHeader(s.cookie) }))!;
  expect(auth.csrfValid(caller, s.session.csrf)).toBe(true);
  expect(auth.csrfValid(caller, undefined)).toBe(false);
  expect(auth.csrfValid(caller, `${s.session.csrf}x`)).toBe(false);
  auth.logout(caller);
  expect(auth.caller(request({ cookie: cookieHeader(s.cookie) }))).toBeUndefined();
  expect(sessionLabel('  Mari   Maasikas ')).toBe('Mari Maasikas');
  expect(sessionLabel('a'.repeat(41))).toBeUndefined();
  expect(sessionLabel('x;y')).toBeUndefined();
});

test('pages escape what they show and mask personal codes unless revealed', () => {
  const code = makeTestPersonalCode(77);
  const out = html`<td>${`<img src=x onerror=alert(1)> "${code}" & '`}</td><td>${[1, '<b>']}</td>${null}${false}`.value;
  expect(out).toBe(`<td>&lt;img src=x onerror=alert(1)&gt; &quot;${maskedForm(code)}&quot; &amp; &#39;</td><td>1&lt;b&gt;</td>`);
  expect(html`${revealed(code)}`.value).toBe(code);
  const svg = stackedBarChart({ title: 'x', xs: ['2026-01'], series: [{ name: '</text><script>alert(1)</script>', values: [3] }] }).value;
  expect(svg).not.toContain('<script>');
  expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
});
