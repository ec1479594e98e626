import { readFile } from 'node:fs/promises';
import { MockdeckError } from '../errors.js';
import { parseJsonLocated } from '../json-position.js';

/**
 * Reads a HAR or Postman file as JSON. A missing file is IMPORT_NOT_FOUND;
 * text that is not JSON is IMPORT_INVALID with the line and column of the
 * problem.
 *
 * @example
 * const data = await readImportJson('session.har')
 */
export async function readImportJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new MockdeckError('MOCKDECK_ERR_IMPORT_NOT_FOUND', { file }, { cause: err });
    throw err;
  }
  const parsed = parseJsonLocated(text);
  if ('value' in parsed) return parsed.value;
  const { line, column, reason, cause } = parsed.failure;
  throw invalid(file, '', `not valid JSON (line ${line}, column ${column}: ${reason})`, cause);
}

/**
 * The error every importer throws for bad input: names the file, the JSON
 * pointer of the problem and says that nothing was written.
 *
 * @example
 * throw invalid('session.har', '/log/entries/3/response/status', 'log.entries[3].response.status: 0 is not an HTTP status')
 */
export function invalid(file: string, pointer: string, reason: string, cause?: unknown): MockdeckError {
  return new MockdeckError('MOCKDECK_ERR_IMPORT_INVALID', { file, pointer, reason }, cause === undefined ? {} : { cause });
}

/**
 * `log.entries[3].response` style path for a list of keys, the form people
 * read in HAR viewers and ajv messages.
 *
 * @example
 * dottedPath(['log', 'entries', 3, 'response']) // 'log.entries[3].response'
 */
export function dottedPath(keys: ReadonlyArray<string | number>): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/**
 * JSON pointer for a list of keys.
 *
 * @example
 * pointerOf(['log', 'entries', 3]) // '/log/entries/3'
 */
export function pointerOf(keys: ReadonlyArray<string | number>): string {
  return keys.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
