import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ADMIN_PREFIX } from '../mount-mock.js';

/**
 * Dashboard sessions. A browser cannot add the admin header when it
 * navigates, so the dashboard trades a key, once, for an HttpOnly cookie
 * holding a random token. The server keeps, per token, only the sha256
 * digest of the key that was accepted: the cookie never holds the key, and
 * a session opens exactly the mocks that key opens.
 */

/** Cookie names start with this, then the mock's name, so mocks on other ports of one host keep their own session. */
export const SESSION_COOKIE_PREFIX = 'mockdeck_ui_';
/** Absolute lifetime of a session; the browser drops the cookie when it closes anyway. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

interface Session {
  readonly digest: Buffer;
  readonly expires: number;
}

/** Token → session, process-wide, so a deck's mocks share it (a deck runs in one process). */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Opens a session for a key already accepted; returns the token for the cookie. */
  open(digest: Buffer): string {
    const token = randomBytes(32).toString('base64url');
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(token, { digest, expires: this.now() + SESSION_TTL_MS });
    return token;
  }

  /** The accepted key's digest, or undefined for an unknown or expired token. */
  digestOf(token: string): Buffer | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (session.expires <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session.digest;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }
}

export const dashboardSessions = new SessionStore();

/** sha256 of a key as typed (UTF-8), the form keys are configured in. */
export const digestOfKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** True when `digest` is one of `digests`; compares against all of them without early exit. */
export function digestAccepted(digest: Buffer, digests: readonly Buffer[]): boolean {
  let ok = false;
  for (const d of digests) ok = (d.length === digest.length && timingSafeEqual(d, digest)) || ok;
  return ok;
}

/** Every `name=value` pair of a Cookie header. */
export function parseCookies(header: string | string[] | undefined): Array<[string, string]> {
  const text = Array.isArray(header) ? header.join('; ') : header ?? '';
  const pairs: Array<[string, string]> = [];
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return pairs;
}

/**
 * Browsers say where a request comes from in `Sec-Fetch-Site`. A session
 * cookie only counts for requests from the dashboard's own origin (or typed
 * in the address bar); another port of the same host is "same-site", gets
 * the SameSite=Strict cookie too, and must not ride on it (CSRF).
 * Clients that send no such header are not browsers being tricked.
 */
function fromOwnOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * True when the request carries a live dashboard session whose key is one of
 * `digests` (the digests that open this mock's admin API).
 *
 * @example
 * sessionOpens(adminDigests(config), request.headers) // true after a dashboard login
 */
export function sessionOpens(digests: readonly Buffer[], headers: IncomingHttpHeaders, store: SessionStore = dashboardSessions): boolean {
  if (!fromOwnOrigin(headers)) return false;
  let ok = false;
  for (const [name, token] of parseCookies(headers.cookie)) {
    if (!name.startsWith(SESSION_COOKIE_PREFIX)) continue;
    const digest = store.digestOf(token);
    if (digest && digestAccepted(digest, digests)) ok = true;
  }
  return ok;
}

/** The cookie name of one mock's dashboard session. */
export const sessionCookieName = (mockName: string): string => SESSION_COOKIE_PREFIX + mockName.replace(/[^A-Za-z0-9_-]/g, '_');

/** Path the cookie is scoped to: this mock's admin API only, never the mocked API. */
export const sessionCookiePath = (basePath: string): string => `${basePath}${ADMIN_PREFIX}`;

/** `Set-Cookie` value for a new session. No `Secure`: mocks serve plain http on loopback. */
export function sessionCookie(mockName: string, basePath: string, token: string): string {
  return `${sessionCookieName(mockName)}=${token}; Path=${sessionCookiePath(basePath)}; HttpOnly; SameSite=Strict`;
}

/** `Set-Cookie` value that removes the session cookie. */
export function expiredSessionCookie(mockName: string, basePath: string): string {
  return `${sessionCookieName(mockName)}=; Path=${sessionCookiePath(basePath)}; HttpOnly; SameSite=Strict; Max-Age=0`;
}
