import type { RawExchange } from '../recorder/index.js';

/** One exchange read from an import file, with where it came from (for messages). */
export interface SourcedExchange {
  exchange: RawExchange;
  /** Human path of the source, e.g. `log.entries[3]` or `item "Pets › List pets" › example "two"`. */
  where: string;
}

/** Something in the file that is valid but was not imported, and why. */
export interface SkipNote {
  where: string;
  reason: string;
}

/** What a reader made of an import file, before anything touches a cassette. */
export interface ReadResult {
  exchanges: SourcedExchange[];
  skipped: SkipNote[];
  /** Imported, but the user should know (e.g. a body the browser did not keep). */
  warnings: string[];
  /** Origins seen, most frequent first; the first becomes the cassette's target when it has none. */
  origins: string[];
}

/** An HTTP method as RFC 9110 allows it: one token, so "GE T" or "" is refused rather than stored. */
export function isHttpMethod(method: unknown): method is string {
  return typeof method === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method);
}

/** Name/value pairs (HAR, Postman) to stored header shape: lower-case names, repeated names as arrays. */
export function headersFromPairs(pairs: ReadonlyArray<{ name: string; value: string }>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const { name, value } of pairs) {
    const lower = name.toLowerCase();
    // HTTP/2 pseudo-headers (:authority, :path) are framing, not headers a server sees.
    if (lower.startsWith(':')) continue;
    const prev = out[lower];
    out[lower] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Query of a URL with repeated keys kept, in order. */
export function queryOf(url: URL): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (out[key] ??= []).push(value);
  return out;
}

/** Origins by how often they occur, most frequent first (ties in first-seen order). */
export function rankOrigins(origins: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const o of origins) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
}

/** Strict base64 (what the cassette schema accepts), ignoring line breaks some tools insert. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64');
}
