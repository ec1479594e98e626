import { isHttpMethod } from './exchange.js';

type Keys = Array<string | number>;
type Json = Record<string, unknown>;
/** Builds the IMPORT_INVALID error for a place in the collection, named by its keys. */
export type Fail = (keys: Keys, problem: string) => Error;

/**
 * Checks the raw JSON of one saved example where postman-collection would
 * quietly coerce a bad value (method "GE T" kept, url 12 read as "/", a header
 * value {…} stored as "[object Object]") or crash on it (a numeric body).
 * `request` is the example's originalRequest, or the item's request.
 *
 * @example
 * assertExampleShape(rawResponse, rawRequest, ['item', 0, 'response', 1], ['item', 0, 'request'], fail)
 */
export function assertExampleShape(response: Json, request: unknown, responseAt: Keys, requestAt: Keys, fail: Fail): void {
  assertRequestShape(request, requestAt, fail);
  assertHeaderList(response['header'], [...responseAt, 'header'], fail);
  const body = response['body'];
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw fail([...responseAt, 'body'], `${shown(body)} is not text; Postman saves every example body as a string, JSON included`);
  }
}

function assertRequestShape(request: unknown, at: Keys, fail: Fail): void {
  // v2.1 allows a request that is only its URL.
  if (typeof request === 'string') return;
  if (!isObject(request)) throw fail(at, `${shown(request)} is not a request (an object with method and url, or a URL string)`);
  const { method, url } = request;
  if (method !== undefined && !isHttpMethod(method)) throw fail([...at, 'method'], `${shown(method)} is not an HTTP method`);
  if (url !== undefined && typeof url !== 'string' && !isObject(url)) throw fail([...at, 'url'], `${shown(url)} is not a URL (a string, or an object with raw, host and path)`);
  assertHeaderList(request['header'], [...at, 'header'], fail);
}

function assertHeaderList(list: unknown, at: Keys, fail: Fail): void {
  // Absent, or the "Name: value" text form, which the SDK parses itself.
  if (!Array.isArray(list)) return;
  list.forEach((header: unknown, i) => {
    if (typeof header === 'string') return;
    if (!isObject(header)) throw fail([...at, i], `${shown(header)} is not a header (an object with key and value)`);
    if (header['key'] !== undefined && typeof header['key'] !== 'string') throw fail([...at, i, 'key'], `${shown(header['key'])} is not a header name; it must be a string`);
    const value = header['value'];
    if (value !== undefined && value !== null && typeof value !== 'string') throw fail([...at, i, 'value'], `${shown(value)} is not a header value; it must be a string`);
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as JSON, cut short: a whole body in a message helps nobody. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
