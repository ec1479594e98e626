import { MockdeckError } from '../errors.js';

/**
 * Maps a transport failure talking to the target to a typed gateway error
 * (502/504), keeping the cause. Nothing is recorded for these.
 */
export function upstreamError(err: unknown, target: string, timeoutMs: number, timedOut: boolean): MockdeckError {
  const e = err as NodeJS.ErrnoException;
  const cause = `${e.code ?? 'error'}: ${e.message}`;
  if (timedOut || e.code === 'ETIMEDOUT' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT') return new MockdeckError('MOCKDECK_ERR_UPSTREAM_TIMEOUT', { target, timeout: timeoutMs }, { cause: err });
  if (e.code !== undefined && CERTIFICATE_CODES.has(e.code)) return new MockdeckError('MOCKDECK_ERR_UPSTREAM_TLS', { target, cause }, { cause: err });
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_REFUSED', { target, cause }, { cause: err });
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET': // undici: the upstream closed the connection before answering
    case 'EPIPE':
    case 'ECONNABORTED':
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_RESET', { target, cause }, { cause: err });
    default:
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_FAILED', { target, cause }, { cause: err });
  }
}

/** Node's codes for a certificate it will not trust (its own, or the chain); the fix differs from other failures. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
