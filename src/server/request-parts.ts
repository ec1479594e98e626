import { MockdeckError } from '../errors.js';

/** The parts of an incoming request every later step works from. */
export interface IncomingRequest {
  method: string;
  /** Path after the mock's mount prefix, percent-encoding kept, no query. */
  path: string;
  /** The request target as received (mount prefix and query included), when known. */
  url?: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes; empty when none was sent. */
  rawBody: Buffer;
  /** Media type of the body without parameters, lower case. */
  mediaType: string | undefined;
  /** Parsed body: JSON value, form object, text, or undefined when empty/binary. */
  body: unknown;
}

/** Splits `url` into path and multi-valued query (repeated keys kept in order). */
export function splitUrl(url: string, prefix: string): { path: string; query: Record<string, string[]> } {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (prefix && (path === prefix || path.startsWith(prefix + '/'))) path = path.slice(prefix.length) || '/';
  const query: Record<string, string[]> = {};
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) (query[k] ??= []).push(v);
  }
  return { path, query };
}

export function mediaTypeOf(contentType: string | string[] | undefined): string | undefined {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!value) return undefined;
  return value.split(';')[0]?.trim().toLowerCase() || undefined;
}

export const isJsonType = (mediaType: string | undefined): boolean => !!mediaType && (mediaType === 'application/json' || mediaType.endsWith('+json'));

/**
 * Parses the body as its declared content type. A body that does not parse
 * is the client's error (400), not a reason to crash or to guess.
 */
export function parseBody(raw: Buffer, mediaType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (isJsonType(mediaType)) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new MockdeckError('MOCKDECK_ERR_REQ_MALFORMED_BODY', { contentType: mediaType, reason: (err as Error).message }, { cause: err });
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  if (mediaType?.startsWith('text/')) return raw.toString('utf8');
  return undefined;
}
