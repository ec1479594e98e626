import { encodeBody, type BodyHeaders, type EncodedBody } from '../cassette/index.js';

/** Bodies smaller than this are decoded every time: comparing and remembering them would cost about as much. */
export const REPEAT_MIN_BYTES = 16 * 1024;

/**
 * The last big answer body of each kind (operation, status and content
 * headers), decoded. An upstream often answers the same request with the same
 * bytes (a catalogue fetched by every test, a poll): an answer whose bytes
 * equal the last one of its kind takes that decoding, parsed JSON included,
 * instead of parsing again. Comparing 1 MB costs about a hundredth of parsing
 * it. The interactions then share one body value, which nothing changes
 * (redaction copies what it replaces), and the schema check and the cassette
 * writer, both keyed by that value, reuse their work too.
 *
 * @example
 * const bodies = new RepeatedBodies()
 * bodies.encode('getLarge 200', bytes, { contentType: 'application/json' }) // parsed once, then shared
 */
export class RepeatedBodies {
  readonly #last = new Map<string, { bytes: Buffer; encoded: EncodedBody }>();

  /** True for a body big enough to be compared and shared (its decoding may then come again). */
  shares(bytes: Buffer): boolean {
    return bytes.length >= REPEAT_MIN_BYTES;
  }

  encode(kind: string, bytes: Buffer, headers: BodyHeaders): EncodedBody {
    if (!this.shares(bytes)) return encodeBody(bytes, headers);
    const key = `${kind}\u0000${headers.contentType ?? ''}\u0000${headers.contentEncoding ?? ''}`;
    const last = this.#last.get(key);
    if (last && last.bytes.equals(bytes)) return last.encoded;
    const encoded = encodeBody(bytes, headers);
    this.#last.set(key, { bytes, encoded });
    return encoded;
  }
}
