import type { FastifyRequest } from 'fastify';
import { MockdeckError } from '../../errors.js';
import { bearerToken, keyMatches, presentedKey } from '../../gate/index.js';
import type { MockConfig } from '../../config.js';
import { splitUrl } from '../request-parts.js';
import { sessionOpens } from './ui-session.js';

export const ADMIN_KEY_HEADER = 'x-mockdeck-admin-key';

/** Digests that open the admin API: the admin key, else the mock's own keys, else none (open). */
export function adminDigests(config: MockConfig): readonly Buffer[] | null {
  if (config.adminDigests) return config.adminDigests;
  if (config.access.kind === 'apiKey') return config.access.digests;
  return null;
}

/**
 * Keys a request presents for admin access, as the bytes the client sent:
 * the admin header, a bearer token, or (on a keyed mock without an admin
 * key) the mock's own key location.
 */
export function presentedAdminKeys(config: MockConfig, request: Pick<FastifyRequest, 'headers' | 'url'>): Buffer[] {
  const keys: Buffer[] = [];
  const header = request.headers[ADMIN_KEY_HEADER];
  if (typeof header === 'string' && header) keys.push(Buffer.from(header, 'latin1'));
  const bearer = bearerToken(request.headers['authorization']);
  if (bearer) keys.push(Buffer.from(bearer, 'latin1'));
  if (config.access.kind === 'apiKey' && !config.adminDigests) {
    const own = presentedKey(config.access, { headers: request.headers, query: splitUrl(request.url, '').query });
    if (own) keys.push(own);
  }
  return keys;
}

/** Null when allowed, else the 401/403 to send. `extraOk` accepts e.g. a dashboard session. */
export function checkAdmin(config: MockConfig, request: Pick<FastifyRequest, 'headers' | 'url'>, extraOk = false): MockdeckError | null {
  const digests = adminDigests(config);
  if (digests === null || extraOk || sessionOpens(digests, request.headers)) return null;
  const keys = presentedAdminKeys(config, request);
  const where = `the ${ADMIN_KEY_HEADER} header`;
  if (keys.length === 0) return new MockdeckError('MOCKDECK_ERR_GATE_KEY_MISSING', { where });
  let ok = false;
  for (const key of keys) ok = keyMatches(key, digests) || ok;
  return ok ? null : new MockdeckError('MOCKDECK_ERR_GATE_KEY_INVALID', { where });
}
