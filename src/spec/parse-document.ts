import { load, YAMLException } from 'js-yaml';
import { lineColumnAt, locateJsonError } from '../json-position.js';
import { asciiJsonText } from './ascii-json.js';

export interface ParseFailure {
  line: number;
  column: number;
  reason: string;
}

type Parsed = { ok: true; value: unknown } | { ok: false; failure: ParseFailure };

/**
 * Parses a spec file as read from disk. JSON goes through a one-byte text
 * ({@link asciiJsonText}) when it can; anything else, and JSON that fails to
 * parse (so its line and column are those of the file), through
 * {@link parseYamlOrJson}.
 *
 * @example
 * parseDocumentBytes(await readFile('api.json'), 'api.json') // { ok: true, value: { openapi: '3.1.0', ... } }
 */
export function parseDocumentBytes(bytes: Buffer, fileName: string): Parsed {
  if (looksJsonBytes(bytes, fileName)) {
    const ascii = asciiJsonText(bytes);
    if (ascii !== null) {
      try {
        return { ok: true, value: JSON.parse(ascii) };
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        // Fall through: the error is reported from the text as written.
      }
    }
  }
  return parseYamlOrJson(bytes.toString('utf8'), fileName);
}

/** A `.json` name, or a first non-blank byte `{` or `[` (ASCII blanks only; anything else takes the text path). */
function looksJsonBytes(bytes: Buffer, fileName: string): boolean {
  if (/\.json$/i.test(fileName)) return true;
  for (const b of bytes) {
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}

/**
 * Parses YAML or JSON text. JSON goes through JSON.parse (an order of
 * magnitude faster than a YAML parser on multi-megabyte specs); anything else
 * through js-yaml (4× faster than the yaml package on a cold start, which is
 * what `npx mockdeck replay` pays), which rejects duplicate keys and reports
 * line and column.
 */
export function parseYamlOrJson(text: string, fileName: string): Parsed {
  const looksJson = /\.json$/i.test(fileName) || /^\s*[{[]/.test(text);
  if (looksJson) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      return { ok: false, failure: jsonFailure(text, err as SyntaxError) };
    }
  }
  try {
    return { ok: true, value: load(text, { filename: fileName, json: false }) };
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    return { ok: false, failure: { line: err.mark.line + 1, column: err.mark.column + 1, reason: err.reason } };
  }
}

/**
 * Where a JSON text stops being JSON, as a 1-based line and column. V8's
 * messages do not always carry a position, so the text is re-scanned.
 */
export function jsonFailure(text: string, err: SyntaxError): ParseFailure {
  const problem = locateJsonError(text);
  if (!problem) return { line: 1, column: 1, reason: err.message };
  return { ...lineColumnAt(text, problem.offset), reason: problem.reason };
}
