import { MockdeckError } from '../errors.js';

/**
 * Maps a transport failure talking to the target to a typed gateway error
 * (502/504), keeping the cause. Nothing is recorded for these.
 */
export function upstreamError(err: unknown, target: string, timeoutMs: number, timedOut: boolean): MockdeckError {
  const e = err as NodeJS.ErrnoException;
  const cause = `${e.code ?? 'error'}: ${e.message}`;
  if (timedOut || e.code === 'ETIMEDOUT' || e.code === 'UND_ERR_HEADERS_TIMEOUT') return new MockdeckError('MOCKDECK_ERR_UPSTREAM_TIMEOUT', { target, timeout: timeoutMs }, { cause: err });
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_REFUSED', { target, cause }, { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_RESET', { target, cause }, { cause: err });
    default:
      return new MockdeckError('MOCKDECK_ERR_UPSTREAM_FAILED', { target, cause }, { cause: err });
  }
}
