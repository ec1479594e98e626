import { load, YAMLException } from 'js-yaml';

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

/** Turns JSON.parse's "at position N" into a 1-based line and column. */
export function jsonFailure(text: string, err: SyntaxError): ParseFailure {
  const reason = err.message.replace(/^JSON\.parse: /, '');
  const posMatch = /position (\d+)/.exec(reason);
  const lineMatch = /line (\d+) column (\d+)/.exec(reason);
  if (lineMatch) return { line: Number(lineMatch[1]), column: Number(lineMatch[2]), reason };
  const position = posMatch ? Number(posMatch[1]) : text.length;
  return { ...lineAndColumn(text, position), reason };
}

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}
