import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { MockdeckError } from '../errors.js';

/** Where a value sits in the config file, for messages: 1-based line, or undefined when unknown. */
export type Locate = (segments: readonly (string | number)[], key?: string) => number | undefined;

export interface ParsedConfig {
  readonly value: unknown;
  readonly locate: Locate;
}

/**
 * Parses the config text (YAML, so JSON too). Syntax errors and duplicate
 * keys are MOCKDECK_ERR_CONFIG_PARSE with line and column.
 *
 * @example
 * parseConfigText('mocks: []\n', 'mockdeck.config.yaml').value // { mocks: [] }
 */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    // Some yaml messages end by quoting the offending source (`...: "<text>"`), which could be a key: drop it, the line and column point there.
    const reason = (first.message.split('\n')[0] ?? '').replace(/: ".*"$/, '');
    throw new MockdeckError('MOCKDECK_ERR_CONFIG_PARSE', { file, line: at.line, column: at.col, reason }, { cause: first });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new MockdeckError('MOCKDECK_ERR_CONFIG_PARSE', { file, line: 1, column: 1, reason: (err as Error).message }, { cause: err });
  }
  return { value, locate: locator(doc, lineCounter) };
}

/** Finds the line of a value (or of one key of a mapping) by its path in the document. */
function locator(doc: Document, lineCounter: LineCounter): Locate {
  return (segments, key) => {
    const node = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    let offset: number | undefined;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    }
    if (offset === undefined) offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}
