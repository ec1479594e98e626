import { STATUS_CODES } from 'node:http';
import type { Entry, Har, Header } from 'har-format';
import { decodeBody } from '../cassette/index.js';
import type { Cassette, Interaction, StoredBody, StoredHeaders } from '../types.js';
import { mockdeckVersion } from './package-info.js';

export interface HarExportOptions {
  /** Scheme, host and port the URLs get, e.g. the recorded target or the mock's URL. */
  baseUrl: string;
}

/**
 * A cassette as a HAR 1.2 log, in recorded order, that browser devtools and
 * har-validator accept. JSON bodies are written compact (as replay sends
 * them), text as text, binary as base64 content. Redacted values stay
 * `[REDACTED]`. Each entry names its interaction and operation in `_mockdeck`.
 *
 * @example
 * const har = cassetteToHar(await loadCassette('cassettes/petstore'), { baseUrl: 'http://127.0.0.1:4010' })
 */
export function cassetteToHar(cassette: Cassette, options: HarExportOptions): Har {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    log: {
      version: '1.2',
      creator: { name: 'mockdeck', version: mockdeckVersion() },
      pages: [],
      entries: cassette.interactions.map((i) => toEntry(i, base)),
      comment: `cassette "${cassette.meta.name}"`,
    },
  };
}

function toEntry(i: Interaction, base: string): Entry {
  const search = new URLSearchParams(Object.entries(i.request.query).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]))).toString();
  const requestBytes = decodeBody(i.request);
  const responseBytes = decodeBody(i.response);
  const requestType = headerValue(i.request.headers, 'content-type');
  const responseType = headerValue(i.response.headers, 'content-type') ?? (i.response.bodyEncoding === 'json' ? 'application/json' : '');
  const entry: Entry & { _mockdeck: { interactionId: string; operationId: string | null } } = {
    startedDateTime: i.recordedAt,
    time: i.durationMs,
    request: {
      method: i.request.method,
      url: `${base}${i.request.path}${search ? `?${search}` : ''}`,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(i.request.headers),
      queryString: Object.entries(i.request.query).flatMap(([name, vs]) => vs.map((value) => ({ name, value }))),
      headersSize: -1,
      bodySize: requestBytes.length,
      ...(requestBytes.length > 0 ? { postData: { mimeType: requestType ?? 'application/octet-stream', ...textOf(i.request, requestBytes, '_encoding') } } : {}),
    },
    response: {
      status: i.response.status,
      statusText: STATUS_CODES[i.response.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(i.response.headers),
      content: { size: responseBytes.length, mimeType: responseType, ...(responseBytes.length > 0 ? textOf(i.response, responseBytes, 'encoding') : {}) },
      redirectURL: headerValue(i.response.headers, 'location') ?? '',
      headersSize: -1,
      bodySize: responseBytes.length,
    },
    cache: {},
    timings: { send: 0, wait: i.durationMs, receive: 0 },
    _mockdeck: { interactionId: i.id, operationId: i.operationId },
  };
  return entry;
}

/** Text for text bodies; base64 plus the encoding marker for binary ones. */
function textOf(stored: StoredBody, bytes: Buffer, marker: 'encoding' | '_encoding'): { text: string; encoding?: string; _encoding?: string } {
  if (stored.bodyEncoding === 'base64') return { text: bytes.toString('base64'), [marker]: 'base64' };
  return { text: bytes.toString('utf8') };
}

function headerList(headers: StoredHeaders): Header[] {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v })));
}

function headerValue(headers: StoredHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
