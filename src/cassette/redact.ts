import { MockdeckError } from '../errors.js';
import type { Interaction, RecordedRequest, RecordedResponse, StoredHeaders } from '../types.js';

/** What to replace by `"[REDACTED]"` before an interaction is written. */
export interface RedactRules {
  /** Header names, matched case-insensitively, on the request and the response. */
  headers: readonly string[];
  /** Query parameter names, matched exactly (query names are case-sensitive). */
  query: readonly string[];
  /** RFC 6901 JSON pointers into the request and response JSON bodies. */
  pointers: readonly string[];
}

/** The value that replaces every secret. */
export const REDACTED = '[REDACTED]';

/** Headers that are always redacted. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = Object.freeze(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** The rules applied when nothing else is configured. */
export const DEFAULT_REDACT_RULES: RedactRules = Object.freeze({ headers: DEFAULT_REDACTED_HEADERS, query: Object.freeze([]), pointers: Object.freeze([]) });

/**
 * Returns a copy of `interaction` with every value named by `rules` replaced by
 * `"[REDACTED]"` (each element of a repeated header or query parameter). The
 * input is not modified; headers, queries and bodies with nothing to redact
 * are shared with it rather than copied. Absent names and pointers that do
 * not resolve are left alone; non-JSON bodies are never touched by pointers.
 *
 * Matching never needs the secret: keys are derived after redaction. The
 * recorder redacts before writing, and the matcher replaces the same names and
 * pointers of a live request by the same placeholder before keying it, so a
 * request carrying the real secret still matches the redacted recording.
 *
 * @example
 * redactInteraction(interaction, mergeRedactRules(DEFAULT_REDACT_RULES, parseRedactOption(['x-api-key', '/password'])))
 */
export function redactInteraction(interaction: Interaction, rules: RedactRules): Interaction {
  const { headerNames, queryNames, pointers } = compiled(rules);
  const request: RecordedRequest = {
    ...redactMessage(interaction.request, headerNames, pointers),
    query: redactQuery(interaction.request.query, queryNames),
  };
  const response: RecordedResponse = redactMessage(interaction.response, headerNames, pointers);
  return { ...interaction, request, response };
}

interface CompiledRules {
  headerNames: ReadonlySet<string>;
  queryNames: ReadonlySet<string>;
  pointers: readonly string[][];
}

/** A recorder redacts every exchange with the same rules: their sets and parsed pointers are made once per rules object. */
const compiledRules = new WeakMap<RedactRules, CompiledRules>();

function compiled(rules: RedactRules): CompiledRules {
  let c = compiledRules.get(rules);
  if (!c) {
    c = { headerNames: new Set(rules.headers.map((name) => name.toLowerCase())), queryNames: new Set(rules.query), pointers: rules.pointers.map(parsePointer) };
    compiledRules.set(rules, c);
  }
  return c;
}

/**
 * Turns `--redact` values into rules: a value starting with `/` is a JSON
 * pointer into bodies; anything else names both a header and a query parameter
 * (the CLI cannot know which one the user meant, and redacting both is safe).
 *
 * @example
 * parseRedactOption(['x-api-key', '/user/token'])
 * // { headers: ['x-api-key'], query: ['x-api-key'], pointers: ['/user/token'] }
 */
export function parseRedactOption(values: readonly string[]): RedactRules {
  const rules = { headers: [] as string[], query: [] as string[], pointers: [] as string[] };
  for (const raw of values) {
    const value = raw.trim();
    if (value === '') throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: '--redact needs a header name, a query parameter name or a JSON pointer such as /password; got an empty value' });
    if (value.startsWith('/')) {
      parsePointer(value); // fail at start, not on the first recorded request
      rules.pointers.push(value);
    } else {
      rules.headers.push(value);
      rules.query.push(value);
    }
  }
  return rules;
}

/**
 * Union of several rule sets, without duplicates.
 *
 * @example
 * mergeRedactRules(DEFAULT_REDACT_RULES, { headers: ['x-api-key'], query: ['api_key'], pointers: [] })
 */
export function mergeRedactRules(...sets: readonly RedactRules[]): RedactRules {
  const union = (pick: (r: RedactRules) => readonly string[]): string[] => [...new Set(sets.flatMap(pick))];
  return { headers: union((r) => r.headers), query: union((r) => r.query), pointers: union((r) => r.pointers) };
}

function redactMessage<M extends RecordedRequest | RecordedResponse>(message: M, headerNames: ReadonlySet<string>, pointers: readonly string[][]): M {
  const headers = redactHeaders(message.headers, headerNames);
  if (message.bodyEncoding !== 'json') return { ...message, headers };
  const body = pointers.reduce((value, tokens) => replaceAt(value, tokens), message.body);
  return { ...message, headers, body };
}

/** The headers with the named ones redacted; the same object when none is named. */
function redactHeaders(headers: StoredHeaders, names: ReadonlySet<string>): StoredHeaders {
  const named = (name: string): boolean => names.has(name.toLowerCase());
  if (!someKey(headers, named)) return headers;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, named(name) ? redactValue(value) : value]));
}

/** The query with the named parameters redacted; the same object when none is named. */
function redactQuery(query: Record<string, string[]>, names: ReadonlySet<string>): Record<string, string[]> {
  if (!someKey(query, (name) => names.has(name))) return query;
  return Object.fromEntries(Object.entries(query).map(([name, values]) => [name, names.has(name) ? values.map(() => REDACTED) : values]));
}

/** Whether some key of `record` passes `test` (without building the list of its keys). */
function someKey(record: object, test: (key: string) => boolean): boolean {
  for (const key in record) if (test(key)) return true;
  return false;
}

const redactValue = (value: string | string[]): string | string[] => (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED);

/**
 * Copy of `value` with the location `tokens` replaced, copying only the path to
 * it (siblings are shared) and keeping every object's key order.
 */
function replaceAt(value: unknown, tokens: readonly string[]): unknown {
  if (tokens.length === 0) return REDACTED;
  const [head, ...rest] = tokens as [string, ...string[]];
  if (Array.isArray(value)) {
    if (!/^(?:0|[1-9]\d*)$/.test(head) || Number(head) >= value.length) return value;
    const index = Number(head);
    return value.map((item, i) => (i === index ? replaceAt(item, rest) : item));
  }
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, head)) return value;
  // Object.fromEntries keeps order and treats a "__proto__" key as plain data.
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, key === head ? replaceAt(child, rest) : child]));
}

/** RFC 6901: `""` is the whole body; `/a~1b/c~0d` is ["a/b", "c~d"]. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/') || /~(?![01])/.test(pointer)) {
    throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `redact pointer "${pointer}" is not an RFC 6901 JSON pointer (it must start with "/", and "~" must be written ~0 and "/" inside a name ~1)` });
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}
