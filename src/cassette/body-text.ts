/**
 * JSON bodies at least this long (in characters, compact) are written on one
 * line: a body this big is not read line by line in review, and on one line
 * it costs a third of the time and the bytes of an indented one.
 */
export const ONE_LINE_BODY_CHARS = 64 * 1024;

/** The text each big parsed body was read from (see rememberBodyText). */
const texts = new WeakMap<object, Buffer>();

/**
 * Remembers the JSON text `body` was parsed from, so that the body is written
 * into the cassette as those bytes instead of being serialized again: for a
 * 1 MB body, JSON.stringify and encoding its result cost half as much as the
 * parse itself. Only a big body on one line is remembered (a small one is
 * indented with the rest of the file, a multi-line one would break the
 * file's indentation). The text parses to the body, so what is written reads
 * back as the same value, in the same key order. Keyed by the object itself:
 * a redacted copy is a new object and is serialized anew.
 *
 * @example
 * rememberBodyText(JSON.parse(text), Buffer.from(text), text) // text: one line, 64 KiB or more
 */
export function rememberBodyText(body: unknown, bytes: Buffer, text: string): void {
  if (body === null || typeof body !== 'object' || text.length < ONE_LINE_BODY_CHARS) return;
  if (text.includes('\n') || text.includes('\r')) return;
  texts.set(body, bytes);
}

/** The bytes remembered for `body`, if any (the caller must not change them). */
export function knownBodyText(body: unknown): Buffer | undefined {
  return body !== null && typeof body === 'object' ? texts.get(body) : undefined;
}
