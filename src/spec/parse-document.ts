import { parseDocument } from 'yaml';

export interface ParseFailure {
  line: number;
  column: number;
  reason: string;
}

/**
 * Parses YAML or JSON text. JSON goes through JSON.parse (an order of
 * magnitude faster than a YAML parser on multi-megabyte specs); anything else,
 * or JSON that fails, through the YAML parser so the error carries a line.
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
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    return { ok: false, failure: { line: pos?.line ?? 1, column: pos?.col ?? 1, reason: first.message.split('\n')[0] ?? first.message } };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
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
