import { monotonicFactory } from 'ulid';
import { encodeBody, redactInteraction } from '../cassette/index.js';
import { checkResponse, type SchemaValidator, type Spec } from '../spec/index.js';
import type { Alignment, Interaction, StoredHeaders } from '../types.js';
import { HOP_BY_HOP_HEADERS } from './hop-by-hop.js';
import type { RepeatedBodies } from './repeated-bodies.js';

/** One request/response pair as seen on the wire (or read from a HAR/Postman file). */
export interface RawExchange {
  method: string;
  /** Path as the client sent it to the mock (mount prefix removed), no query. */
  path: string;
  query: Record<string, string[]>;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: Buffer;
  status: number;
  responseHeaders: Record<string, string | string[] | number | undefined>;
  /** Body bytes as received: possibly gzip/br/deflate-encoded. */
  responseBody: Buffer;
  startedAt: Date;
  durationMs: number;
}

export interface BuildContext {
  spec: Spec;
  redaction: { headers: readonly string[]; query: readonly string[]; pointers: readonly string[] };
  validator: SchemaValidator;
  /** Where a recorder remembers its last big bodies (see RepeatedBodies); importers decode every body. */
  bodies?: RepeatedBodies;
}

// Host and length describe the recorded exchange's connection, not the API: replay writes its own.
const NOT_STORED = new Set([...HOP_BY_HOP_HEADERS, 'host', 'content-length']);
// ulid asks its random source once per character (16 per id); the default
// source makes one crypto call each time, 4 % of a recording proxy's CPU.
// The same crypto bytes, drawn from a pool refilled 4096 at a time.
const pool = new Uint32Array(4096);
let drawn = pool.length;
const pooledRandom = (): number => {
  if (drawn === pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  return (pool[drawn++] as number) / 0x1_0000_0000;
};
const nextId = monotonicFactory(pooledRandom);

function storedHeaders(headers: RawExchange['responseHeaders'], drop: Set<string>): StoredHeaders {
  // A loop over the names rather than Object.entries: two pairs fewer per header, on every recorded exchange.
  const kept: Array<[string, string | string[]]> = [];
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value === undefined || NOT_STORED.has(lower) || drop.has(lower) || lower.startsWith('x-mockdeck-')) continue;
    kept.push([lower, typeof value === 'number' ? String(value) : value]);
  }
  if (kept.length > 1) kept.sort(byName);
  return Object.fromEntries(kept);
}

/**
 * A copy with keys in code-unit order. The interaction is built with every
 * key in the order the file lists it, so that the store can write it with
 * JSON.stringify as it is instead of walking it (see serialize.ts).
 */
function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
  const names = Object.keys(record);
  if (names.length === 0) return {};
  // Computed keys define own properties, "__proto__" included, as Object.fromEntries does.
  if (names.length === 1) return { [names[0] as string]: record[names[0] as string] as V };
  return Object.fromEntries(Object.entries(record).sort(byName));
}

/** Code-unit order of entry names, as Array.prototype.sort orders strings. */
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

const first = (v: string | string[] | number | undefined): string | undefined => (Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v));

/**
 * Turns an exchange into a stored interaction: tagged with its operation,
 * bodies decoded and encoded for review, checked against the spec, and
 * redacted. The recorder and the HAR/Postman importers share this one path,
 * so an imported interaction is indistinguishable from a recorded one.
 */
export function buildInteraction(raw: RawExchange, ctx: BuildContext): Interaction {
  const route = ctx.spec.route(raw.method, raw.path);
  const operation = route.kind === 'operation' ? route.operation : null;
  const request = encodeBody(raw.requestBody, { contentType: first(raw.requestHeaders['content-type']) });
  const responseHeaders = { contentType: first(raw.responseHeaders['content-type']), contentEncoding: first(raw.responseHeaders['content-encoding']) };
  const response = ctx.bodies ? ctx.bodies.encode(`${operation?.id ?? ''} ${raw.status}`, raw.responseBody, responseHeaders) : encodeBody(raw.responseBody, responseHeaders);
  // A decoded body no longer carries its content-encoding; length is recomputed on replay.
  const dropResponse = new Set(response.decodeFailed ? [] : ['content-encoding']);
  const { ok, findings } = align(raw, ctx, operation === null ? null : ctx.spec.resolve(operation), response);
  // Keys in file order at every level (redaction keeps them): see sortedRecord.
  const interaction: Interaction = {
    alignment: { findings: findings.map(({ message, pointer }) => ({ message, pointer })), ok },
    durationMs: Math.max(0, Math.round(raw.durationMs)),
    id: nextId(raw.startedAt.getTime()),
    operationId: operation?.id ?? null,
    recordedAt: raw.startedAt.toISOString(),
    request: {
      body: request.body,
      bodyEncoding: request.bodyEncoding,
      headers: storedHeaders(raw.requestHeaders, new Set()),
      method: raw.method.toUpperCase(),
      path: raw.path,
      pathParams: route.kind === 'operation' ? sortedRecord(route.params) : {},
      query: sortedRecord(raw.query),
    },
    response: { body: response.body, bodyEncoding: response.bodyEncoding, headers: storedHeaders(raw.responseHeaders, dropResponse), status: raw.status },
  };
  return redactInteraction(interaction, ctx.redaction);
}

function align(raw: RawExchange, ctx: BuildContext, op: ReturnType<Spec['resolve']> | null, response: { body: unknown; bodyEncoding: string }): Alignment {
  if (op === null) {
    if (ctx.spec.operations.length === 0) return { ok: true, findings: [] }; // recorded without a spec
    return { ok: false, findings: [{ pointer: '', message: `${raw.method.toUpperCase()} ${raw.path} matches no operation of the spec (undocumented endpoint)` }] };
  }
  const mediaType = first(raw.responseHeaders['content-type'])?.split(';')[0]?.trim().toLowerCase();
  return checkResponse(op, { status: raw.status, headers: lowerKeys(raw.responseHeaders), body: response.bodyEncoding === 'json' ? response.body : undefined, mediaType, mayRepeat: ctx.bodies?.shares(raw.responseBody) ?? false }, ctx.spec.info.version, ctx.validator);
}

/** The headers with lower-case names and string values: as given when they already are (undici's are). */
function lowerKeys(h: RawExchange['responseHeaders']): Record<string, string | string[] | undefined> {
  let plain = true;
  for (const k in h) {
    if (typeof h[k] === 'number' || k !== k.toLowerCase()) {
      plain = false;
      break;
    }
  }
  if (plain) return h as Record<string, string | string[] | undefined>;
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = typeof v === 'number' ? String(v) : v;
  return out;
}
