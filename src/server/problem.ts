import type { FastifyReply } from 'fastify';
import { MockdeckError, toProblem } from '../errors.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** Sends a typed error as problem+json; extra headers (Allow, WWW-Authenticate) ride along. */
export function sendProblem(reply: FastifyReply, err: MockdeckError, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(err.status).headers(headers).type(PROBLEM_TYPE).send(JSON.stringify(toProblem(err)));
}

/**
 * Maps Fastify's own errors (body limit, bad content type...) and anything
 * unexpected to a typed error, so clients always get problem+json, never an
 * empty 500.
 */
export function asMockdeckError(err: unknown): MockdeckError {
  if (err instanceof MockdeckError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MockdeckError('MOCKDECK_ERR_REQ_BODY_TOO_LARGE', { limit: /(\d+)/.exec(e.message ?? '')?.[1] ?? 'configured' }, { cause: err });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MockdeckError('MOCKDECK_ERR_REQ_MALFORMED_BODY', { contentType: '(declared)', reason: e.message }, { cause: err });
    case 'FST_ERR_BAD_URL':
      return new MockdeckError('MOCKDECK_ERR_REQ_BAD_URL', { reason: e.message ?? 'the URL does not decode' }, { cause: err });
    case 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE': // Fastify requires a QUERY to say what its body is
      return new MockdeckError('MOCKDECK_ERR_REQ_MALFORMED_BODY', { contentType: '(none)', reason: 'a QUERY request must carry a Content-Type header naming its body' }, { cause: err });
    default:
      if (e.statusCode === 431) return new MockdeckError('MOCKDECK_ERR_REQ_HEADERS_TOO_LARGE', {}, { cause: err });
      return new MockdeckError('MOCKDECK_ERR_INTERNAL_UNEXPECTED', { reason: e.message ?? String(err) }, { cause: err });
  }
}
