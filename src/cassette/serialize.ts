import { MockdeckError } from '../errors.js';
import type { CassetteMeta, Interaction, RecordedRequest, RecordedResponse } from '../types.js';
import { lineColumnAt, locateJsonError } from '../json-position.js';
import { knownBodyText, ONE_LINE_BODY_CHARS } from './body-text.js';

/** The content of `<operationId>.json` / `_unmatched.json`. */
export interface OperationFile {
  /** `null` for `_unmatched.json`. */
  operationId: string | null;
  interactions: Interaction[];
}

/**
 * Text of an operation file: the file's own structure has sorted keys, so a
 * re-recording shows a small diff in review, while a JSON body keeps the key
 * order the upstream sent (replay returns it in that order). Two-space indent,
 * newline at the end.
 *
 * @example
 * serializeOperationFile({ operationId: 'getPetById', interactions: [interaction] })
 */
export function serializeOperationFile(file: OperationFile): string {
  return operationFileChunks(file.operationId, file.interactions.map(serializeInteractionEntry)).join('');
}

/**
 * Text of one interaction as it stands inside an operation file's
 * `interactions` array (indented four spaces, no separator). Serializing each
 * interaction once and joining the texts gives exactly the text of
 * serializeOperationFile, so a store can keep them and never serialize an
 * interaction twice.
 *
 * @example
 * operationFileChunks('getPetById', [serializeInteractionEntry(a), serializeInteractionEntry(b)]).join('')
 */
export function serializeInteractionEntry(interaction: Interaction): string {
  return interactionEntryChunks(interaction)
    .map((chunk) => (typeof chunk === 'string' ? chunk : chunk.toString('utf8')))
    .join('');
}

/**
 * The text of serializeInteractionEntry as pieces to write one after the
 * other: a big JSON body the recorder parsed from one line of text is one of
 * the pieces, as the very bytes it was read from (see rememberBodyText), so
 * it is neither serialized again nor copied.
 *
 * @example
 * Buffer.concat(interactionEntryChunks(interaction).map((c) => Buffer.from(c))).toString() === serializeInteractionEntry(interaction)
 */
export function interactionEntryChunks(interaction: Interaction): Array<string | Buffer> {
  const { response } = interaction;
  if (response.bodyEncoding !== 'json') return [indentedEntry(interaction)];
  const known = knownBodyText(response.body);
  if (known) return bodyOnItsOwnLine(interaction, known);
  // Most bodies are small: then the indented entry, which is longer than the
  // compact body, settles it without serializing the body a second time.
  let indented: string | undefined;
  if (!compactLengthAtLeast(response.body, ONE_LINE_BODY_CHARS)) {
    indented = indentedEntry(interaction);
    if (indented.length < ONE_LINE_BODY_CHARS) return [indented];
  }
  const compact = JSON.stringify(response.body);
  if (compact === undefined || compact.length < ONE_LINE_BODY_CHARS) return [indented ?? indentedEntry(interaction)];
  return bodyOnItsOwnLine(interaction, compact);
}

/** The entry with its body written as `compact`, on one line of its own. */
function bodyOnItsOwnLine(interaction: Interaction, compact: string | Buffer): Array<string | Buffer> {
  const text = indentedEntry({ ...interaction, response: { ...interaction.response, body: BODY_SLOT } });
  const slot = text.lastIndexOf(BODY_SLOT_TEXT);
  return [text.slice(0, slot), compact, text.slice(slot + BODY_SLOT_TEXT.length)];
}

/**
 * Whether JSON.stringify(value) looks at least `limit` characters long: a
 * walk that adds up each part's least length (a string's characters and
 * quotes, a key's with its colon, one per other value) and stops once it
 * reaches the limit. For plain data that is a lower bound; a key whose value
 * JSON drops still counts. It only decides which serialization is tried
 * first: the text is the same either way. Stops on a cycle too, since every
 * visit adds at least one.
 */
function compactLengthAtLeast(value: unknown, limit: number): boolean {
  let length = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    length += typeof item === 'string' ? item.length + 2 : 1;
    if (length >= limit) return true;
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) pending.push(item[i]);
      continue;
    }
    for (const key in item) {
      length += key.length + 3;
      pending.push((item as Record<string, unknown>)[key]);
    }
  }
  return false;
}

export { ONE_LINE_BODY_CHARS };

// Stands in for a big body while the rest is indented; `response` sorts after
// `request` and `body` first inside it, so its last occurrence is the slot.
const BODY_SLOT = '\u0000mockdeck:body\u0000';
const BODY_SLOT_TEXT = JSON.stringify(BODY_SLOT);

function indentedEntry(interaction: Interaction): string {
  // An interaction whose objects already list their keys in file order (the
  // recorder builds them so) is written by JSON.stringify itself, inside a
  // wrapper two levels deep so that it comes out indented as it stands in the
  // file: faster than the walk below, and one flat string instead of a tree
  // of concatenations that encoding it has to flatten first.
  if (inFileOrder(interaction)) {
    const text = JSON.stringify({ i: [interaction] }, null, 2);
    return text.slice(ENTRY_START.length, text.length - ENTRY_END.length);
  }
  return ENTRY_INDENT + interactionText(interaction, ENTRY_INDENT);
}

const ENTRY_START = '{\n  "i": [\n';
const ENTRY_END = '\n  ]\n}';

/**
 * True when JSON.stringify of the interaction as it is gives the file's text:
 * outside the bodies every object is plain data (no toJSON, no prototype but
 * Object's) whose keys come in JSON key order (array indices aside, which
 * every object lists first anyway), and every value is one JSON writes as
 * itself. Bodies keep their own order and go through JSON.stringify either way.
 *
 * @example
 * inFileOrder(JSON.parse(readFileSync('cassettes/petstore/getPetById.json', 'utf8')).interactions[0]) // true
 */
export function inFileOrder(interaction: Interaction): boolean {
  const record = interaction as unknown as Record<string, unknown>;
  if (!sortedPlainObject(record)) return false;
  for (const key in record) {
    const value = record[key];
    if (key === 'request' || key === 'response') {
      if (!isPlainObject(value) || !sortedPlainObject(value)) return false;
      for (const inner in value) if (inner !== 'body' && !plainData(value[inner])) return false;
    } else if (!plainData(value)) return false;
  }
  return 'request' in record && 'response' in record && 'body' in (record['request'] as object) && 'body' in (record['response'] as object);
}

function plainData(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => item !== undefined && plainData(item));
      if (!isPlainObject(value) || !sortedPlainObject(value)) return false;
      for (const key in value) if (!plainData(value[key])) return false;
      return true;
    default:
      return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Own keys in code-unit order once array indices (listed first by every object) are set aside; no inherited enumerable ones. */
function sortedPlainObject(value: Record<string, unknown>): boolean {
  let previous: string | null = null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (isArrayIndex(key)) continue;
    if (previous !== null && !(previous < key)) return false;
    previous = key;
  }
  return true;
}

/**
 * The pieces of an operation file around entries made by
 * serializeInteractionEntry, in write order: head, entries separated by
 * `,\n`, tail. Works for strings and for Buffers (written with writev).
 */
export function operationFileChunks<T>(operationId: string | null, entries: readonly T[]): Array<T | string> {
  const tail = `\n  ],\n  "operationId": ${JSON.stringify(operationId)}\n}\n`;
  if (entries.length === 0) return [`{\n  "interactions": [],\n  "operationId": ${JSON.stringify(operationId)}\n}\n`];
  const chunks: Array<T | string> = ['{\n  "interactions": [\n'];
  entries.forEach((entry, i) => {
    if (i > 0) chunks.push(',\n');
    chunks.push(entry);
  });
  chunks.push(tail);
  return chunks;
}

/**
 * Text of `cassette.json`, keys sorted at every level.
 *
 * @example
 * serializeCassetteMeta({ name: 'petstore', spec: null, target: null, createdAt, updatedAt, formatVersion: 1 })
 */
export function serializeCassetteMeta(meta: CassetteMeta): string {
  return `${JSON.stringify(sortKeysDeep(meta), null, 2)}\n`;
}

/**
 * Parses the text of a cassette file; invalid JSON becomes CASSETTE_PARSE with
 * the 1-based line and column of the first offending character, so the user
 * can jump to it. A leading BOM (added by some Windows editors) is tolerated.
 *
 * @example
 * parseCassetteJson(await readFile(file, 'utf8'), file)
 */
export function parseCassetteJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // The scanner agrees with JSON.parse on what is valid; fall back to the end of
    // the text only if it somehow does not, rather than inventing a position.
    const problem = locateJsonError(body) ?? { offset: body.length, reason: err.message };
    const { line, column } = lineColumnAt(body, problem.offset);
    throw new MockdeckError('MOCKDECK_ERR_CASSETTE_PARSE', { file, line, column, reason: problem.reason }, { cause: err });
  }
}

// The entry is written by hand rather than as JSON.stringify(sortedDeepCopy,
// null, 2): a recording proxy serializes every interaction it records, and the
// copy (an Object.fromEntries at every level) cost several times the stringify.
// The text is the same byte for byte, down to JSON.stringify's quirks: it drops
// properties whose value is undefined, writes null for undefined array items,
// `{}` and `[]` when empty, and lists array-index keys ("0", "10") first, in
// numeric order, as it does for any object. test/cassette/serialize-fast.test.ts
// compares it with the old algorithm.

const GAP = '  ';
/** An entry stands in the file's `interactions` array, two levels in. */
const ENTRY_INDENT = GAP.repeat(2);

function interactionText(interaction: Interaction, indent: string): string {
  const record = interaction as unknown as Record<string, unknown>;
  const keys = withKeys(Object.keys(record), 'request', 'response');
  return objectText(keys, indent, (key, inner) =>
    key === 'request' || key === 'response' ? messageText(record[key] as RecordedRequest | RecordedResponse, inner) : valueText(record[key], inner),
  );
}

/** A request/response with sorted keys; its body keeps the order it has. */
function messageText(message: RecordedRequest | RecordedResponse, indent: string): string {
  const record = message as unknown as Record<string, unknown>;
  return objectText(withKeys(Object.keys(record), 'body'), indent, (key, inner) =>
    key === 'body' ? bodyText(record[key]) : valueText(record[key], inner),
  );
}

/**
 * `value` with sorted keys at every level; undefined for what JSON.stringify
 * leaves out (undefined, functions, symbols).
 */
function valueText(value: unknown, indent: string): string | undefined {
  if (value === null || typeof value !== 'object') return leafText(value);
  if (Array.isArray(value)) return arrayText(value, indent);
  const record = value as Record<string, unknown>;
  return objectText(Object.keys(record), indent, (key, inner) => valueText(record[key], inner));
}

/** What JSON.stringify writes for a primitive, without a call to it for the common ones. */
function leafText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value === null ? 'null' : JSON.stringify(value);
  }
}

/** JSON.stringify(text); most strings need no escape and are just put in quotes. */
function quoted(text: string): string {
  return NEEDS_NO_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** No quote, backslash, control character or surrogate (JSON.stringify escapes lone ones). */
const NEEDS_NO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function arrayText(array: readonly unknown[], indent: string): string {
  if (array.length === 0) return '[]';
  const inner = indent + GAP;
  let text = `[\n${inner}${valueText(array[0], inner) ?? 'null'}`;
  for (let i = 1; i < array.length; i++) text += `,\n${inner}${valueText(array[i], inner) ?? 'null'}`;
  return `${text}\n${indent}]`;
}

/** An object whose members are `keys` in JSON key order, each written by `memberText` (undefined leaves it out). */
function objectText(keys: string[], indent: string, memberText: (key: string, inner: string) => string | undefined): string {
  const inner = indent + GAP;
  let text = '';
  for (const key of inJsonKeyOrder(keys)) {
    const member = memberText(key, inner);
    if (member === undefined) continue;
    text += `${text === '' ? '{\n' : ',\n'}${inner}${quoted(key)}: ${member}`;
  }
  return text === '' ? '{}' : `${text}\n${indent}}`;
}

/** `keys` plus those of `always` it lacks (properties the old copy always had). */
function withKeys(keys: string[], ...always: string[]): string[] {
  for (const key of always) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/**
 * Keys in the order JSON.stringify wrote a copy made with the keys sorted:
 * array indices first, numerically (objects list them that way whatever the
 * insertion order), then the other keys in code-unit order.
 */
function inJsonKeyOrder(keys: string[]): string[] {
  sortCodeUnits(keys);
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return indices.concat(keys.filter((key) => !isArrayIndex(key)));
}

/**
 * Sorts in place as `keys.sort()` does (strings compare by code unit). An
 * insertion sort: objects here have a handful of keys, and for those it is
 * several times faster than the built-in sort.
 */
function sortCodeUnits(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39)) return false;
  const n = Number(key);
  return Number.isInteger(n) && n < 2 ** 32 - 1 && String(n) === key;
}

/**
 * A body as stored, at the depth of a request/response member. Stringified
 * inside a wrapper of that depth so that JSON.stringify indents it in its one
 * pass and calls a `toJSON` with the key `body`, as it did on the copy.
 */
function bodyText(body: unknown): string | undefined {
  if (body === null || (typeof body !== 'object' && typeof body !== 'function')) return JSON.stringify(body);
  const text = JSON.stringify({ i: [{ r: { body } }] }, null, 2);
  if (!text.startsWith(BODY_START)) return undefined; // left out, like an undefined value
  return text.slice(BODY_START.length, text.length - BODY_END.length);
}

const BODY_START = '{\n  "i": [\n    {\n      "r": {\n        "body": ';
const BODY_END = '\n      }\n    }\n  ]\n}';

/**
 * Deep copy with keys in code-unit order. `Object.fromEntries` defines own
 * properties, so a key named `__proto__` stays data instead of a prototype.
 */
function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeysDeep(record[key])])) as T;
}
