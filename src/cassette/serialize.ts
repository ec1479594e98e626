import { MockdeckError } from '../errors.js';
import type { CassetteMeta, Interaction, RecordedRequest, RecordedResponse } from '../types.js';
import { lineColumnAt, locateJsonError } from '../json-position.js';

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
  const { response } = interaction;
  const compact = response.bodyEncoding === 'json' ? JSON.stringify(response.body) : undefined;
  if (compact === undefined || compact.length < ONE_LINE_BODY_CHARS) return indentedEntry(interaction);
  // A JSON body this big is not read line by line in review: written on one
  // line it costs a third of the time and the bytes of an indented one.
  const text = indentedEntry({ ...interaction, response: { ...response, body: BODY_SLOT } });
  const slot = text.lastIndexOf(BODY_SLOT_TEXT);
  return text.slice(0, slot) + compact + text.slice(slot + BODY_SLOT_TEXT.length);
}

/** JSON bodies at least this long (in characters, compact) are written on one line. */
export const ONE_LINE_BODY_CHARS = 64 * 1024;

// Stands in for a big body while the rest is indented; `response` sorts after
// `request` and `body` first inside it, so its last occurrence is the slot.
const BODY_SLOT = '\u0000mockdeck:body\u0000';
const BODY_SLOT_TEXT = JSON.stringify(BODY_SLOT);

function indentedEntry(interaction: Interaction): string {
  // Stringified where it stands in the file (inside `interactions`), so
  // JSON.stringify indents it at that depth in its one pass over a big body;
  // the wrapper's own first and last lines are cut off.
  const text = JSON.stringify({ i: [sortInteraction(interaction)] }, null, 2);
  return text.slice(ENTRY_START.length, text.length - ENTRY_END.length);
}

/**
 * The pieces of an operation file around entries made by
 * serializeInteractionEntry, in write order: head, entries separated by
 * `,\n`, tail. Works for strings and for Buffers (written with writev).
 */
export function operationFileChunks<T extends string | Buffer>(operationId: string | null, entries: readonly T[]): Array<T | string> {
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

const ENTRY_START = '{\n  "i": [\n';
const ENTRY_END = '\n  ]\n}';

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

function sortInteraction(interaction: Interaction): Record<string, unknown> {
  const { request, response, ...rest } = interaction;
  return sortTopLevel({ ...sortKeysDeep(rest), request: sortMessage(request), response: sortMessage(response) });
}

/** Sorts a request/response but leaves its body exactly as stored. */
function sortMessage(message: RecordedRequest | RecordedResponse): Record<string, unknown> {
  const { body, ...rest } = message;
  return sortTopLevel({ ...sortKeysDeep(rest), body });
}

function sortTopLevel(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, value[key]]));
}

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
