/**
 * JSON bodies at least this long (in characters, compact) are written on one
 * line: a body this big is not read line by line in review, and on one line
 * it costs a third of the time and the bytes of an indented one.
 */
export const ONE_LINE_BODY_CHARS = 64 * 1024;

/** The text each big parsed body was read from, and whether it is one line (see rememberBodyText). */
const texts = new WeakMap<object, { bytes: Buffer; oneLine: boolean }>();

/**
 * Remembers the JSON text `body` was parsed from (64 KiB or more). On one
 * line, the body is written into the cassette as those bytes instead of being
 * serialized again: for a 1 MB body, JSON.stringify and encoding its result
 * cost half as much as the parse itself. A small body is indented with the
 * rest of the file, and a multi-line one would break the file's indentation,
 * so those are serialized; a multi-line one is still remembered for
 * shedParsedBody. The text parses to the body, so what is written reads back
 * as the same value, in the same key order. Keyed by the object itself: a
 * redacted copy is a new object, with no text remembered.
 *
 * @example
 * rememberBodyText(JSON.parse(text), Buffer.from(text), text) // text of 64 KiB or more
 */
export function rememberBodyText(body: unknown, bytes: Buffer, text: string): void {
  if (body === null || typeof body !== 'object' || text.length < ONE_LINE_BODY_CHARS) return;
  texts.set(body, { bytes, oneLine: !text.includes('\n') && !text.includes('\r') });
}

/** The one-line text remembered for `body`, if any, to write as it is (the caller must not change it). */
export function knownBodyText(body: unknown): Buffer | undefined {
  const known = rememberedText(body);
  return known?.oneLine ? known.bytes : undefined;
}

function rememberedText(body: unknown): { bytes: Buffer; oneLine: boolean } | undefined {
  return body !== null && typeof body === 'object' ? texts.get(body) : undefined;
}

/**
 * Lets `response` forget its parsed JSON body once the store has written it,
 * when that body is a big one remembered with its text (see rememberBodyText):
 * reading `body` then parses those bytes again. A parsed body takes several
 * times its text's size in the heap, and a recorder's index keeps every
 * recording for as long as it runs: recording distinct 1 MB answers, the
 * heap held 422 MB after 14 s instead of 42 MB, and the recorder's CPU per
 * answer fell from 40-50 ms to 22-27 ms (the garbage collector no longer
 * copies the kept trees from one generation to the next). Reads are rare
 * (a replay builds its reply once; the admin API on demand). A redacted body
 * is a copy with no remembered text, so it is kept as it is: the bytes read
 * back are always those of the body as recorded.
 *
 * @example
 * await store.append(interaction); shedParsedBody(interaction.response) // body now parsed on read
 */
export function shedParsedBody(response: { body: unknown }): void {
  const known = rememberedText(response.body);
  if (!known) return;
  Object.defineProperty(response, 'body', {
    enumerable: true,
    configurable: true,
    get: () => {
      const parsed = JSON.parse(known.bytes.toString('utf8')) as object;
      texts.set(parsed, known);
      return parsed;
    },
    // Assigning a body makes it a plain value again.
    set: (body: unknown) => Object.defineProperty(response, 'body', { value: body, writable: true, enumerable: true, configurable: true }),
  });
}
