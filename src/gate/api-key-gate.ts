import { timingSafeEqual } from 'node:crypto';
import { MockdeckError } from '../errors.js';
import { digestKey, type AccessPolicy } from '../config.js';

export interface KeySource {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string[]>;
}

/** Where a policy expects its key, in words for error messages (never the key). */
export function keyLocation(access: Extract<AccessPolicy, { kind: 'apiKey' }>): string {
  switch (access.in) {
    case 'header':
      return `the ${access.name} header`;
    case 'query':
      return `the ${access.name} query parameter`;
    case 'bearer':
      return 'an Authorization: Bearer header';
  }
}

/** Extracts the presented key, or undefined when the request carries none. */
export function presentedKey(access: Extract<AccessPolicy, { kind: 'apiKey' }>, req: KeySource): string | undefined {
  switch (access.in) {
    case 'header': {
      const v = req.headers[access.name];
      return (Array.isArray(v) ? v[0] : v) || undefined;
    }
    case 'query':
      return req.query[access.name]?.[0] || undefined;
    case 'bearer': {
      const auth = req.headers['authorization'];
      const m = /^Bearer\s+(.+)$/i.exec((Array.isArray(auth) ? auth[0] : auth) ?? '');
      return m?.[1]?.trim() || undefined;
    }
  }
}

/**
 * True when `key` equals one of `digests`. Keys are compared as sha256
 * digests with timingSafeEqual, against every digest without early exit, so
 * neither the key's length nor its position in the list leaks through timing.
 */
export function keyMatches(key: string, digests: readonly Buffer[]): boolean {
  const candidate = digestKey(key);
  let ok = false;
  for (const d of digests) ok = timingSafeEqual(candidate, d) || ok;
  return ok;
}

/**
 * The gate's verdict: null to let the request through, or the 401/403 error.
 * Runs before routing, so a caller without a key learns nothing about the API.
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

/** The WWW-Authenticate challenge for a 401/403 of this policy. */
export function challenge(access: AccessPolicy): string | undefined {
  if (access.kind === 'public') return undefined;
  return access.in === 'bearer' ? 'Bearer realm="mockdeck"' : `ApiKey realm="mockdeck", in="${access.in}", name="${access.name}"`;
}
