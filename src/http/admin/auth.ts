import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may use /admin (docs/operations.md, "Dashboard"): a script with `Authorization: Bearer <ADMIN_TOKEN>`,
 * or a browser with the session cookie the login form (the same token) gave. Sessions live in this
 * process's memory: a restart, or another HTTP process, asks for a new login. Failed logins are limited
 * per address and in total, so the token cannot be guessed through the form.
 */

export const SESSION_COOKIE = 'dhx_admin';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and this long after its login, whatever happens. */
export const SESSION_MAX_MS = 8 * 3600 * 1000;
const MAX_SESSIONS = 1000;
/** Failed logins: per address, and from all addresses together, within the window. */
export const LOGIN_FAILURES_PER_ADDRESS = 5;
export const LOGIN_FAILURES_TOTAL = 50;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_TRACKED_ADDRESSES = 10_000;

export interface Session {
  /** Who works in it (the name given at login), as the audit log's actor says: `dashboard:<label>`. */
  label: string;
  /** The form token of this session (hidden field `csrf`). */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
}

export type Caller = { kind: 'bearer'; actor: string } | { kind: 'session'; actor: string; session: Session; key: string };

export type LoginOutcome =
  | { kind: 'ok'; cookie: string; session: Session }
  | { kind: 'refused' }
  /** Too many failed logins: try again after `retryAfterSeconds`. */
  | { kind: 'limited'; retryAfterSeconds: number };

export interface AdminAuth {
  /** Bearer or session; undefined when the request carries neither (or a wrong or expired one). */
  caller(req: IncomingMessage): Caller | undefined;
  login(token: string, name: string, address: string | undefined): LoginOutcome;
  logout(caller: Caller): void;
  /** The form token matches the session's (constant time); a Bearer caller needs none. */
  csrfValid(caller: Caller, given: string | undefined): boolean;
  /** The Set-Cookie value that removes the session cookie. */
  clearCookie(): string;
}

/** Two secrets compared in constant time (their lengths are not secret: both are ours or fixed). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The name a person gives at login, as it may appear in the audit log: letters, digits, space, `.`, `_`, `-`; at most 40. */
export function sessionLabel(name: string): string | undefined {
  const t = name.trim().replace(/\s+/g, ' ');
  return /^[\p{L}\p{N} ._-]{1,40}$/u.test(t) ? t : undefined;
}

function cookieOf(req: IncomingMessage): string | undefined {
  const raw = req.headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === SESSION_COOKIE) return part.slice(i + 1).trim();
  }
  return undefined;
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('hex');

export function makeAdminAuth(o: { token: string; secureCookie: boolean; now?: () => number }): AdminAuth {
  const now = o.now ?? Date.now;
  // Keyed by the hash of the cookie value: the map never holds a usable cookie.
  const sessions = new Map<string, Session>();
  const failures = new Map<string, number[]>();
  let allFailures: number[] = [];
  const attributes = `Path=/admin; HttpOnly; SameSite=Strict${o.secureCookie ? '; Secure' : ''}`;

  const alive = (s: Session, t: number): boolean => t - s.lastSeenAt < SESSION_IDLE_MS && t - s.createdAt < SESSION_MAX_MS;

  function recent(list: number[] | undefined, t: number): number[] {
    return (list ?? []).filter((x) => t - x < LOGIN_WINDOW_MS);
  }

  function limited(address: string, t: number): number | undefined {
    const mine = recent(failures.get(address), t);
    allFailures = recent(allFailures, t);
    const blocking = mine.length >= LOGIN_FAILURES_PER_ADDRESS ? mine : allFailures.length >= LOGIN_FAILURES_TOTAL ? allFailures : undefined;
    if (!blocking) return undefined;
    return Math.max(1, Math.ceil((blocking[0]! + LOGIN_WINDOW_MS - t) / 1000));
  }

  function failed(address: string, t: number): void {
    if (failures.size >= MAX_TRACKED_ADDRESSES) {
      for (const [a, list] of failures) if (!recent(list, t).length) failures.delete(a);
      if (failures.size >= MAX_TRACKED_ADDRESSES) failures.clear();
    }
    failures.set(address, [...recent(failures.get(address), t), t]);
    allFailures.push(t);
  }

  return {
    caller(req) {
      const auth = req.headers.authorization;
      if (auth !== undefined) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
        // A wrong Authorization header is a wrong caller, whatever cookie comes with it.
        return given !== undefined && sameSecret(given, o.token) ? { kind: 'bearer', actor: 'dashboard:bearer' } : undefined;
      }
      const id = cookieOf(req);
      if (!id || id.length > 100) return undefined;
      const key = keyOf(id);
      const s = sessions.get(key);
      const t = now();
      if (!s) return undefined;
      if (!alive(s, t)) {
        sessions.delete(key);
        return undefined;
      }
      s.lastSeenAt = t;
      return { kind: 'session', actor: `dashboard:${s.label}`, session: s, key };
    },
    login(token, name, address) {
      const t = now();
      const from = address ?? 'unknown';
      const wait = limited(from, t);
      if (wait !== undefined) return { kind: 'limited', retryAfterSeconds: wait };
      if (!sameSecret(token, o.token)) {
        failed(from, t);
        return { kind: 'refused' };
      }
      failures.delete(from);
      for (const [k, s] of sessions) if (!alive(s, t)) sessions.delete(k);
      if (sessions.size >= MAX_SESSIONS) {
        const oldest = [...sessions.entries()].sort((a, b) => a[1].lastSeenAt - b[1].lastSeenAt)[0];
        if (oldest) sessions.delete(oldest[0]);
      }
      const id = randomBytes(32).toString('base64url');
      const session: Session = {
        label: sessionLabel(name) ?? `session-${keyOf(id).slice(0, 6)}`,
        csrf: randomBytes(32).toString('base64url'),
        createdAt: t,
        lastSeenAt: t,
      };
      sessions.set(keyOf(id), session);
      return { kind: 'ok', session, cookie: `${SESSION_COOKIE}=${id}; ${attributes}; Max-Age=${SESSION_MAX_MS / 1000}` };
    },
    logout(caller) {
      if (caller.kind === 'session') sessions.delete(caller.key);
    },
    csrfValid(caller, given) {
      if (caller.kind === 'bearer') return true;
      return given !== undefined && sameSecret(given, caller.session.csrf);
    },
    clearCookie() {
      return `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`;
    },
  };
}
