import { createHash, timingSafeEqual } from 'node:crypto';
import { MockdeckError } from '../errors.js';
import type { AccessPolicy } from '../config.js';

export interface KeySource {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string[]>;
}

type KeyedPolicy = Extract<AccessPolicy, { kind: 'apiKey' }>;

/** Where a policy expects its key, in words for error messages (never the key). */
export function keyLocation(access: KeyedPolicy): string {
  switch (access.in) {
    case 'header':
      return `the ${access.name} header`;
    case 'query':
      return `the ${access.name} query parameter`;
    case 'bearer':
      return 'an Authorization: Bearer header';
  }
}

const firstOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Node decodes header values as latin1, so a UTF-8 key sent in a header
 * arrives as one char per byte. Re-encoding as latin1 gives back the bytes the
 * client sent, which are then compared with the UTF-8 bytes of the
 * configured key. Query values are already percent-decoded UTF-8.
 */
const headerBytes = (value: string): Buffer => Buffer.from(value, 'latin1');

/** Extracts the presented key as bytes, or undefined when the request carries none. */
export function presentedKey(access: KeyedPolicy, req: KeySource): Buffer | undefined {
  const text = presentedText(access, req);
  if (text === undefined) return undefined;
  return access.in === 'query' ? Buffer.from(text, 'utf8') : headerBytes(text);
}

/** The presented key as the request holds it (a latin1 header value, or a decoded query value). */
function presentedText(access: KeyedPolicy, req: KeySource): string | undefined {
  switch (access.in) {
    case 'header':
      return firstOf(req.headers[access.name]) || undefined;
    case 'query':
      return req.query[access.name]?.[0] || undefined;
    case 'bearer':
      return bearerToken(req.headers['authorization']);
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = firstOf(header);
  if (!value || value.length < 7 || value.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return value.slice(7).trim() || undefined;
}

const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/**
 * True when `key` equals one of `digests`. Keys are compared as sha256
 * digests with timingSafeEqual, against every digest without early exit, so
 * neither the key's length nor its position in the list leaks through timing.
 * A string is taken as UTF-8; a Buffer as the bytes the client sent.
 */
export function keyMatches(key: string | Buffer, digests: readonly Buffer[]): boolean {
  const candidate = sha256(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  let ok = false;
  for (const d of digests) ok = timingSafeEqual(candidate, d) || ok;
  return ok;
}

/**
 * The gate's verdict: null to let the request through, or the 401/403 error.
 * Runs before routing, so a caller without a key learns nothing about the
 * API: the answer depends on the key alone, never on the path.
 *
 * @example
 * checkAccess({ kind: 'public' }, req) // null
 */
export function checkAccess(access: AccessPolicy, req: KeySource): MockdeckError | null {
  if (access.kind === 'public') return null;
  const key = presentedKey(access, req);
  const where = keyLocation(access);
  if (key === undefined) return new MockdeckError('MOCKDECK_ERR_GATE_KEY_MISSING', { where });
  return keyMatches(key, access.digests) ? null : new MockdeckError('MOCKDECK_ERR_GATE_KEY_INVALID', { where });
}

/** Accepted keys remembered per gate, and the longest one remembered. */
const ACCEPTED_MAX = 64;
const ACCEPTED_KEY_MAX = 1024;

/**
 * One keyed mock's gate: {@link checkAccess} plus a small memory of the
 * presented key strings it has accepted, so a client sending its key on
 * every request is not hashed on every request. Only accepted keys are
 * remembered: a missing or wrong key always takes the full path (sha256 and a
 * constant-time comparison with every digest), so refusing stays as slow for
 * a near guess as for a far one, and guesses cannot push the real keys out.
 * Finding a remembered key is a hash-map lookup, whose string comparison only
 * runs on an equal 32-bit hash; nothing here is logged or exposed.
 *
 * @example
 * const gate = new ApiKeyGate(access);
 * gate.check({ headers: request.headers, query: {} }) // null, or the 401/403 error
 */
export class ApiKeyGate {
  private readonly accepted = new Map<string, true>();

  constructor(private readonly access: KeyedPolicy) {}

  /** Where the policy reads its key; the query is parsed only when the key lives there. */
  get readsQuery(): boolean {
    return this.access.in === 'query';
  }

  check(req: KeySource): MockdeckError | null {
    const text = presentedText(this.access, req);
    if (text !== undefined && this.accepted.has(text)) return null;
    const denied = checkAccess(this.access, req);
    if (denied === null && text !== undefined && text.length <= ACCEPTED_KEY_MAX) {
      if (this.accepted.size >= ACCEPTED_MAX) this.accepted.delete(this.accepted.keys().next().value as string);
      this.accepted.set(text, true);
    }
    return denied;
  }
}

/** The WWW-Authenticate challenge for a 401/403 of this policy. */
export function challenge(access: AccessPolicy): string | undefined {
  if (access.kind === 'public') return undefined;
  return access.in === 'bearer' ? 'Bearer realm="mockdeck"' : `ApiKey realm="mockdeck", in="${access.in}", name="${access.name}"`;
}
