import { createHash } from 'node:crypto';
import type { Interaction } from '../types.js';

/** What a request is reduced to before it becomes a key. */
export interface KeyParts {
  method: string;
  /** Operation the request routed to; null for requests outside the spec. */
  operationId: string | null;
  /** Concrete request path (used only when operationId is null). */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** JSON value, text, or base64 string for binary; undefined when empty. */
  body: unknown;
  bodyEncoding: 'json' | 'utf8' | 'base64';
}

/**
 * What takes part in matching. Separate from redaction on purpose: "never
 * store this" and "ignore this when matching" are different questions.
 */
export interface MatchRules {
  /** Request headers that must be equal (lower case). None by default. */
  headers: readonly string[];
  /** Query parameters left out of the key. */
  ignoreQuery: readonly string[];
  /** JSON pointers into JSON bodies left out of the key. */
  ignoreBodyPointers: readonly string[];
  /**
   * Redacted query names / headers / body pointers: their values are replaced
   * by the placeholder before keying, so a live request carrying the real
   * secret still matches the redacted recording.
   */
  redacted: { readonly headers: readonly string[]; readonly query: readonly string[]; readonly pointers: readonly string[] };
}

export const REDACTED = '[REDACTED]';

export const DEFAULT_MATCH_RULES: MatchRules = Object.freeze({
  headers: [],
  ignoreQuery: [],
  ignoreBodyPointers: [],
  redacted: { headers: [], query: [], pointers: [] },
});

/** The canonical form of a request: what two equal requests share. Exposed for near-miss explanations. */
export function canonicalRequest(parts: KeyParts, rules: MatchRules): { target: string; query: Array<[string, string[]]>; body: unknown; headers: Array<[string, string]> } {
  const redactedQuery = rules.redacted.query;
  const query = Object.keys(parts.query)
    .filter((k) => !rules.ignoreQuery.includes(k))
    .sort()
    .map((k): [string, string[]] => [k, redactedQuery.includes(k) ? (parts.query[k] ?? []).map(() => REDACTED) : [...(parts.query[k] ?? [])]]);
  const target = parts.operationId !== null
    ? `op:${parts.operationId}${Object.keys(parts.pathParams).sort().map((k) => `;${k}=${parts.pathParams[k]}`).join('')}`
    : `path:${parts.path}`;
  const headers = rules.headers.map((name): [string, string] => {
    const v = parts.headers[name];
    const text = Array.isArray(v) ? v.join(', ') : v ?? '';
    return [name, rules.redacted.headers.includes(name) && text !== '' ? REDACTED : text];
  });
  return { target, query, body: canonicalBody(parts, rules), headers };
}

/**
 * The text both keys are derived from: equal texts, equal requests. It is
 * exactly `JSON.stringify([METHOD, target, query, body ?? null, headers])` of
 * {@link canonicalRequest}, written out piece by piece because it runs on
 * every request: no intermediate arrays, and each string quoted by
 * JSON.stringify itself so the escaping is the same (test/matcher pins both
 * forms equal).
 */
export function canonicalText(parts: KeyParts, rules: MatchRules): string {
  return `[${JSON.stringify(parts.method.toUpperCase())},${JSON.stringify(targetOf(parts))},${queryText(parts.query, rules)},${jsonOf(canonicalBody(parts, rules) ?? null)},${headersText(parts.headers, rules)}]`;
}

/** `op:<id>;name=value...` (path params sorted), or `path:<path>` outside the spec. */
function targetOf(parts: KeyParts): string {
  if (parts.operationId === null) return `path:${parts.path}`;
  const names = Object.keys(parts.pathParams);
  if (names.length > 1) names.sort();
  let target = `op:${parts.operationId}`;
  for (const k of names) target += `;${k}=${parts.pathParams[k]}`;
  return target;
}

/** An array element as JSON.stringify writes it inside an array (undefined and the like become null). */
const jsonOf = (value: unknown): string => JSON.stringify(value) ?? 'null';

function queryText(query: Record<string, string[]>, rules: MatchRules): string {
  const names = Object.keys(query);
  if (names.length === 0) return '[]';
  if (names.length > 1) names.sort();
  let out = '';
  for (const k of names) {
    if (rules.ignoreQuery.includes(k)) continue;
    const values = query[k] ?? [];
    const masked = rules.redacted.query.includes(k);
    let list = '';
    for (let i = 0; i < values.length; i++) list += (i === 0 ? '' : ',') + (!masked ? jsonOf(values[i]) : i in values ? REDACTED_JSON : 'null');
    out += `${out === '' ? '' : ','}[${JSON.stringify(k)},[${list}]]`;
  }
  return `[${out}]`;
}

const REDACTED_JSON = JSON.stringify(REDACTED);

function headersText(headers: KeyParts['headers'], rules: MatchRules): string {
  if (rules.headers.length === 0) return '[]';
  let out = '';
  for (const name of rules.headers) {
    const v = headers[name];
    const text = Array.isArray(v) ? v.join(', ') : v ?? '';
    const value = rules.redacted.headers.includes(name) && text !== '' ? REDACTED : text;
    out += `${out === '' ? '' : ','}[${JSON.stringify(name)},${JSON.stringify(value)}]`;
  }
  return `[${out}]`;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 32);

/**
 * A stable key for a request: method, operation + path params (or the raw
 * path outside the spec), sorted query with repeated keys kept, canonical
 * JSON body (sorted keys), and the headers the rules name. Pinned by a test:
 * changing it orphans existing cassettes.
 *
 * @example
 * requestKey({ method: 'GET', operationId: 'getPetById', path: '/pets/7', pathParams: { petId: '7' }, query: {}, headers: {}, body: undefined, bodyEncoding: 'utf8' }, DEFAULT_MATCH_RULES)
 */
export function requestKey(parts: KeyParts, rules: MatchRules = DEFAULT_MATCH_RULES): string {
  return digest(canonicalText(parts, rules));
}

/** Canonical texts up to this length key the index as they are; longer ones (big bodies) are hashed to bound its memory. */
const PLAIN_KEY_MAX = 512;

/**
 * The key the replay index files a request under: equal exactly when
 * `requestKey` is, but a short canonical text is used as it is, since a Map
 * lookup on it costs less than hashing it on every request. A plain key starts
 * with `[`, which never starts a base64url digest, so the two kinds cannot meet.
 *
 * @example
 * indexKey({ method: 'GET', operationId: 'getPetById', path: '/pets/7', pathParams: { petId: '7' }, query: {}, headers: {}, body: undefined, bodyEncoding: 'utf8' }, DEFAULT_MATCH_RULES)
 * // '["GET","op:getPetById;petId=7",[],null,[]]'
 */
export function indexKey(parts: KeyParts, rules: MatchRules = DEFAULT_MATCH_RULES): string {
  const text = canonicalText(parts, rules);
  return text.length <= PLAIN_KEY_MAX ? text : digest(text);
}

function canonicalBody(parts: KeyParts, rules: MatchRules): unknown {
  if (parts.body === undefined || parts.body === null && parts.bodyEncoding !== 'json') return null;
  if (parts.bodyEncoding !== 'json') return `${parts.bodyEncoding}:${String(parts.body)}`;
  let value = parts.body;
  const drop = rules.ignoreBodyPointers;
  const mask = rules.redacted.pointers;
  if ((drop.length > 0 || mask.length > 0) && value !== null && typeof value === 'object') {
    value = structuredClone(value);
    for (const p of drop) setAtPointer(value, p, undefined);
    for (const p of mask) setAtPointer(value, p, REDACTED, true);
  }
  return sortKeys(value);
}

/** Deep copy with object keys sorted, so `{b,a}` and `{a,b}` key alike. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

function setAtPointer(root: unknown, pointer: string, value: unknown, onlyIfPresent = false): void {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root as Record<string, unknown>;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = node?.[tokens[i] as string];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string, unknown>;
  }
  const last = tokens[tokens.length - 1];
  if (last === undefined || node === null || typeof node !== 'object') return;
  if (onlyIfPresent && !(last in node)) return;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Turns a stored interaction back into key parts, the same way a live request is reduced. */
export function partsOfInteraction(i: Interaction): KeyParts {
  const { request } = i;
  return {
    method: request.method,
    operationId: i.operationId,
    path: request.path,
    pathParams: request.pathParams,
    query: request.query,
    headers: request.headers,
    body: request.body === null && request.bodyEncoding !== 'json' ? undefined : request.body,
    bodyEncoding: request.bodyEncoding,
  };
}

