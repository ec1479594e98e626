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

  /**
   * The chunks of an answer as one Buffer. When they equal the bytes of a
   * remembered answer, those bytes are returned: compared chunk by chunk,
   * an answer repeated again and again is neither copied nor allocated anew
   * (joining and then comparing 1 MB cost twice the comparison alone, and
   * each joined copy was garbage the moment it matched).
   */
  join(chunks: readonly Buffer[]): Buffer {
    if (chunks.length === 1) return chunks[0] as Buffer;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    if (length >= REPEAT_MIN_BYTES) {
      for (const { bytes } of this.#last.values()) if (bytes.length === length && equalsChunks(bytes, chunks)) return bytes;
    }
    return Buffer.concat(chunks as Buffer[], length);
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

/** Whether `chunks`, one after the other, are `bytes` (of the same total length). */
function equalsChunks(bytes: Buffer, chunks: readonly Buffer[]): boolean {
  let at = 0;
  for (const chunk of chunks) {
    if (bytes.compare(chunk, 0, chunk.length, at, at + chunk.length) !== 0) return false;
    at += chunk.length;
  }
  return true;
}
