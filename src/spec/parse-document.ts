import { load, YAMLException } from 'js-yaml';
import { lineColumnAt, locateJsonError } from '../json-position.js';

export interface ParseFailure {
  line: number;
  column: number;
  reason: string;
}

/**
 * Parses YAML or JSON text. JSON goes through JSON.parse (an order of
 * magnitude faster than a YAML parser on multi-megabyte specs); anything else
 * through js-yaml (4× faster than the yaml package on a cold start, which is
 * what `npx mockdeck replay` pays), which rejects duplicate keys and reports
 * line and column.
 */
export function parseYamlOrJson(text: string, fileName: string): { ok: true; value: unknown } | { ok: false; failure: ParseFailure } {
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
