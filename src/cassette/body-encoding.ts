import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import type { StoredBody } from '../types.js';
import { rememberBodyText } from './body-text.js';

/** What `encodeBody` needs to know about the body's headers. */
export interface BodyHeaders {
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
}

/** A body ready for the cassette, plus whether its content-encoding could be undone. */
export interface EncodedBody extends StoredBody {
  /**
   * True when the content-encoding was malformed or unknown: `body` then holds
   * the raw, still-encoded bytes as base64 and the caller must keep the
   * `content-encoding` header so replay sends what upstream sent. Not part of
   * the stored shape: copy `body` and `bodyEncoding`, not the whole object.
   */
  decodeFailed: boolean;
}

/**
 * Turns body bytes into their stored form: content-encoding undone first, then
 * JSON media types as parsed JSON, text as a utf8 string (only when it
 * round-trips byte-exact), anything else as base64. An empty body is stored as
 * `{ body: null, bodyEncoding: 'utf8' }`.
 *
 * @example
 * encodeBody(Buffer.from('{"id":7}'), { contentType: 'application/json' })
 * // { body: { id: 7 }, bodyEncoding: 'json', decodeFailed: false }
 */
export function encodeBody(bytes: Buffer, headers: BodyHeaders): EncodedBody {
  const decoded = undoContentEncoding(bytes, headers.contentEncoding);
  if (decoded === undefined) return { body: bytes.toString('base64'), bodyEncoding: 'base64', decodeFailed: true };
  return { ...storeDecoded(decoded, headers.contentType), decodeFailed: false };
}

/**
 * The bytes to send for a stored body: JSON is re-serialized (compact; key
 * order as stored), utf8 and base64 give back the exact bytes.
 *
 * @example
 * decodeBody({ body: 'aGk=', bodyEncoding: 'base64' }) // <Buffer 68 69>
 */
export function decodeBody(stored: StoredBody): Buffer {
  switch (stored.bodyEncoding) {
    case 'json':
      return Buffer.from(JSON.stringify(stored.body), 'utf8');
    case 'utf8':
      if (stored.body === null) return Buffer.alloc(0);
      return Buffer.from(expectString(stored), 'utf8');
    case 'base64':
      return Buffer.from(expectString(stored), 'base64');
    default: {
      const never: never = stored.bodyEncoding;
      throw new TypeError(`unknown bodyEncoding ${String(never)}`);
    }
  }
}

/**
 * True for `application/json`, `text/json` and any `+json` suffix type.
 *
 * @example
 * isJsonMediaType('application/problem+json; charset=utf-8') // true
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = mediaTypeEssence(contentType);
  return essence === 'application/json' || essence === 'text/json' || essence.endsWith('+json');
}

/**
 * True for media types whose bodies are text: `text/*`, XML, JavaScript,
 * form-urlencoded, YAML, NDJSON, GraphQL and the JSON types.
 *
 * @example
 * isTextMediaType('image/svg+xml') // true
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const essence = mediaTypeEssence(contentType);
  if (essence === '') return false;
  return (
    essence.startsWith('text/') ||
    isJsonMediaType(essence) ||
    essence.endsWith('/xml') ||
    essence.endsWith('+xml') ||
    essence.includes('javascript') ||
    essence.includes('ecmascript') ||
    TEXT_APPLICATION_TYPES.has(essence)
  );
}

const TEXT_APPLICATION_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/ndjson',
  'application/x-ndjson',
  'application/graphql',
]);

function mediaTypeEssence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function expectString(stored: StoredBody): string {
  if (typeof stored.body !== 'string') throw new TypeError(`a ${stored.bodyEncoding} body must be a string, got ${typeof stored.body}`);
  return stored.body;
}

/** Undoes `gzip, br`-style lists last-applied first; undefined when it cannot. */
function undoContentEncoding(bytes: Buffer, contentEncoding: string | undefined): Buffer | undefined {
  if (bytes.length === 0) return bytes;
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let current = bytes;
  for (const coding of codings.reverse()) {
    const next = decodeOne(current, coding);
    if (next === undefined) return undefined;
    current = next;
  }
  return current;
}

function decodeOne(bytes: Buffer, coding: string): Buffer | undefined {
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(bytes);
      case 'br':
        return brotliDecompressSync(bytes);
      case 'deflate':
        return inflateDeflate(bytes);
      default:
        return undefined;
    }
  } catch (err) {
    // zlib reports corrupt input as an Error with a Z_* code; anything else is a bug.
    if (isZlibError(err)) return undefined;
    throw err;
  }
}

/** HTTP "deflate" is zlib-wrapped, but some servers send raw deflate: accept both. */
function inflateDeflate(bytes: Buffer): Buffer {
  try {
    return inflateSync(bytes);
  } catch (err) {
    if (!isZlibError(err)) throw err;
    return inflateRawSync(bytes);
  }
}

/** zlib's Z_* codes, brotli's decoder errors (ERR__ERROR_FORMAT_...), or output too large. */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR_') || code === 'ERR_BUFFER_TOO_LARGE');
}

function storeDecoded(bytes: Buffer, contentType: string | undefined): StoredBody {
  if (bytes.length === 0) return { body: null, bodyEncoding: 'utf8' };
  const text = exactUtf8(bytes);
  if (text !== undefined && isJsonMediaType(contentType)) {
    const parsed = parseJsonLosslessly(text);
    if (parsed.ok) {
      rememberBodyText(parsed.value, bytes, text);
      return { body: parsed.value, bodyEncoding: 'json' };
    }
  }
  if (text !== undefined && looksLikeText(text, contentType)) return { body: text, bodyEncoding: 'utf8' };
  return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}

/** The text, only when the bytes are valid UTF-8 (so that encoding the text again gives the same bytes). */
function exactUtf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

function looksLikeText(text: string, contentType: string | undefined): boolean {
  if (mediaTypeEssence(contentType) === '') return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
  return isTextMediaType(contentType);
}

/**
 * JSON.parse, refused when the parsed value would replay as a different value:
 * integers beyond 2^53 (ids!), numbers that overflow to Infinity, and objects
 * whose key order JavaScript would change (integer-like keys always enumerate
 * first). Such a body is stored as text instead, which replays byte-exact.
 */
function parseJsonLosslessly(text: string): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return { ok: false };
    throw err;
  }
  switch (inspectParsed(value)) {
    case 'lossless':
      return { ok: true, value };
    case 'lossy':
      return { ok: false };
    case 'large numbers':
      return integersSurvive(text) ? { ok: true, value } : { ok: false };
  }
}

/**
 * One pass over the parsed value (a loop, not recursion: JSON as deep as
 * JSON.parse accepts must not overflow the stack here). `lossy`: a number
 * overflowed, an object mixes an integer-like key with others, or the value
 * nests deeper than MAX_JSON_DEPTH.
 * `large numbers`: some number is 2^53 or more, which the text alone can tell
 * is exact or not. A fifth of the time of scanning a 1 MB body's text with
 * regular expressions.
 */
function inspectParsed(root: unknown): 'lossless' | 'lossy' | 'large numbers' {
  let large = false;
  const pending: unknown[] = [root];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const value = pending.pop();
    const depth = depths.pop() as number;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'lossy';
      if (Math.abs(value) >= 2 ** 53) large = true;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return 'lossy';
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        pending.push(value[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    const keys = Object.keys(value);
    let integerKey = false;
    for (const key of keys) {
      const first = key.charCodeAt(0);
      if (first >= 0x30 && first <= 0x39 && ARRAY_INDEX.test(key)) integerKey = true;
      pending.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
    if (integerKey && keys.length > 1) return 'lossy';
  }
  return large ? 'large numbers' : 'lossless';
}

/**
 * Deeper than this, a JSON body is kept as text: JSON.stringify, structured
 * clone and schema validation recurse, and a few thousand levels overflow the
 * stack, which would lose the recording instead of storing it.
 */
const MAX_JSON_DEPTH = 1000;

/** Every integer token of 16 digits or more parses to exactly itself (the tokens outside strings). */
function integersSurvive(text: string): boolean {
  const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [token] of outsideStrings.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (/^-?\d{16,}$/.test(token) && BigInt(token) !== BigInt(Number(token))) return false;
  }
  return true;
}

// Property keys V8 orders numerically: canonical integers below 2^32 - 1.
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
