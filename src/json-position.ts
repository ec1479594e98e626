/**
 * Finds where a JSON text stops being JSON. V8's `JSON.parse` messages do not
 * always carry a position ("Unexpected token '}', ... is not valid JSON"), so
 * this small scanner re-reads a text that failed to parse and reports the first
 * offending offset with a short reason. It runs only on the error path.
 */

export interface JsonSyntaxProblem {
  /** Index (UTF-16 code units) of the offending character. */
  offset: number;
  reason: string;
}

export interface LineColumn {
  line: number;
  column: number;
}

class Stop extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

/**
 * Returns the first syntax problem of `text`, or null when it is valid JSON.
 *
 * @example
 * locateJsonError('{"a":}') // { offset: 5, reason: "unexpected '}', expected a value" }
 */
export function locateJsonError(text: string): JsonSyntaxProblem | null {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value();
    scanner.skipSpace();
    if (scanner.pos < text.length) scanner.fail('unexpected content after the JSON value');
    return null;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, reason: err.reason };
    throw err;
  }
}

/**
 * 1-based line and column of `offset`; a line ends at `\n` (a `\r\n` pair
 * counts once because the column restarts after the `\n`).
 *
 * @example
 * lineColumnAt('{\n  x', 4) // { line: 2, column: 3 }
 */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    throw new Stop(at, reason);
  }

  describe(): string {
    return this.pos >= this.text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(this.text[this.pos])}`;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos++;
  }

  value(): void {
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`${this.describe()}, expected a value`);
  }

  object(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`${this.describe()}, expected a double-quoted property name`);
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`${this.describe()}, expected ':' after the property name`);
      this.pos++;
      this.skipSpace();
      this.value();
      this.skipSpace();
      if (this.closeOrComma('}')) return;
    }
  }

  array(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.closeOrComma(']')) return;
    }
  }

  /** Consumes `,` (returns false, ready for the next item) or `close` (returns true). */
  closeOrComma(close: '}' | ']'): boolean {
    const ch = this.text[this.pos];
    if (ch === close) {
      this.pos++;
      return true;
    }
    if (ch !== ',') this.fail(`${this.describe()}, expected ',' or '${close}'`);
    this.pos++;
    this.skipSpace();
    // A trailing comma is the most common hand-edit mistake: name it.
    if (this.text[this.pos] === close) this.fail(`trailing comma before '${close}'`);
    return false;
  }

  string(): void {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 34) {
        this.pos++;
        return;
      }
      if (code < 0x20) this.fail('control character inside a string; escape it');
      if (code === 92) this.escape();
      else this.pos++;
    }
    this.fail('unterminated string', start);
  }

  escape(): void {
    const next = this.text[this.pos + 1];
    if (next !== undefined && '"\\/bfnrt'.includes(next)) {
      this.pos += 2;
      return;
    }
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
      this.pos += 6;
      return;
    }
    this.fail('invalid escape sequence in a string');
  }

  number(): void {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
  }
}

/** Where and why a text is not JSON: 1-based line and column, the reason, and JSON.parse's own error. */
export interface JsonParseFailure extends LineColumn {
  reason: string;
  cause: SyntaxError;
}

/**
 * JSON.parse that says where the text went wrong. A leading BOM (added by some
 * Windows editors) is tolerated. Anything but a SyntaxError is rethrown.
 *
 * @example
 * const parsed = parseJsonLocated(text)
 * if ('failure' in parsed) throw new Error(`line ${parsed.failure.line}: ${parsed.failure.reason}`)
 */
export function parseJsonLocated(text: string): { value: unknown } | { failure: JsonParseFailure } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body) };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // The scanner agrees with JSON.parse on what is valid; fall back to the end of
    // the text only if it somehow does not, rather than inventing a position.
    const problem = locateJsonError(body) ?? { offset: body.length, reason: err.message };
    return { failure: { ...lineColumnAt(body, problem.offset), reason: problem.reason, cause: err } };
  }
}
