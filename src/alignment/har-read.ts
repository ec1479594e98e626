import type { Entry, Har } from 'har-format';
import { decodeBase64, headersFromPairs, isHttpMethod, queryOf, rankOrigins, type ReadResult, type SkipNote, type SourcedExchange } from './exchange.js';
import { assertHar } from './har-schema-check.js';
import { dottedPath, invalid, pointerOf, readImportJson } from './import-file.js';

/** HAR 1.2 content/postData may carry an encoding; only base64 is defined. */
type WithEncoding = { encoding?: string; _encoding?: string };

/**
 * Reads a HAR 1.2 file (browser devtools, Playwright, proxies, `mockdeck
 * export har`) into exchanges. Everything is checked before anything is
 * returned; a problem is IMPORT_INVALID naming `log.entries[i]...`.
 *
 * - Content is already decoded in a HAR, so `content-encoding` and
 *   `content-length` are dropped (the bytes are not gzip any more).
 * - `encoding: "base64"` content (images, fonts) is decoded to its bytes.
 * - Entries the browser never got an answer for (status 0) and non-HTTP URLs
 *   (`data:`, `blob:`, extensions) are skipped, and listed.
 * - A 304 that revalidates a 2xx of the same request in the file is skipped
 *   (it carries no new answer); a lone 304 is kept, without a body.
 * - A response whose body the browser did not keep is imported with an empty
 *   body and reported as a warning.
 *
 * @example
 * const { exchanges, skipped } = await readHar('session.har')
 */
export async function readHar(file: string): Promise<ReadResult> {
  const data = await readImportJson(file);
  await assertHar(data, file);
  const entries = (data as Har).log.entries;
  const exchanges: SourcedExchange[] = [];
  const skipped: SkipNote[] = [];
  const warnings: string[] = [];
  const origins: string[] = [];
  const pending304: Array<{ index: number; key: string; exchange: SourcedExchange }> = [];
  const answered = new Set<string>();
  entries.forEach((entry, index) => {
    const converted = convertEntry(entry, index, file);
    if (converted.kind === 'skip') return void skipped.push({ where: `log.entries[${index}]`, reason: converted.reason });
    const { exchange, url } = converted;
    if (converted.warning) warnings.push(converted.warning);
    origins.push(url.origin);
    const key = `${entry.request.method.toUpperCase()} ${url.href}`;
    if (exchange.exchange.status === 304) pending304.push({ index, key, exchange });
    else {
      if (exchange.exchange.status < 300) answered.add(key);
      exchanges.push(exchange);
    }
  });
  for (const p of pending304) {
    if (answered.has(p.key)) skipped.push({ where: `log.entries[${p.index}]`, reason: '304 revalidation of a 2xx answer to the same request in this file' });
    else exchanges.push(p.exchange);
  }
  exchanges.sort((a, b) => a.exchange.startedAt.getTime() - b.exchange.startedAt.getTime());
  return { exchanges, skipped, warnings, origins: rankOrigins(origins) };
}

type Converted = { kind: 'skip'; reason: string } | { kind: 'ok'; exchange: SourcedExchange; url: URL; warning?: string };

function convertEntry(entry: Entry, index: number, file: string): Converted {
  const at = (...keys: Array<string | number>) => ['log', 'entries', index, ...keys];
  const fail = (keys: Array<string | number>, problem: string) => invalid(file, pointerOf(keys), `${dottedPath(keys)}: ${problem}`);
  let url: URL;
  try {
    url = new URL(entry.request.url);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw fail(at('request', 'url'), `${JSON.stringify(entry.request.url)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'skip', reason: `${url.protocol} URL, not an HTTP request` };
  const { status } = entry.response;
  if (status === 0) {
    const error = (entry.response as { _error?: unknown })._error;
    return { kind: 'skip', reason: `no response was received${typeof error === 'string' ? ` (${error})` : ''}` };
  }
  if (status < 100 || status > 599) throw fail(at('response', 'status'), `${status} is not an HTTP status (100-599)`);
  if (!isHttpMethod(entry.request.method)) throw fail(at('request', 'method'), `${JSON.stringify(entry.request.method)} is not an HTTP method`);
  const startedAt = new Date(entry.startedDateTime);
  if (Number.isNaN(startedAt.getTime())) throw fail(at('startedDateTime'), `${JSON.stringify(entry.startedDateTime)} is not a date`);

  const requestBody = requestBytes(entry, () => fail(at('request', 'postData', 'text'), 'is marked base64 but is not valid base64'));
  const content = entry.response.content as Entry['response']['content'] & WithEncoding;
  const encoding = content.encoding ?? content._encoding;
  if (encoding !== undefined && encoding !== 'base64' && content.text !== undefined) throw fail(at('response', 'content', 'encoding'), `"${encoding}" is not supported; HAR 1.2 defines only base64`);
  let responseBody: Buffer = Buffer.alloc(0);
  if (status !== 304 && content.text !== undefined) {
    const bytes = encoding === 'base64' ? decodeBase64(content.text) : Buffer.from(content.text, 'utf8');
    if (!bytes) throw fail(at('response', 'content', 'text'), 'is marked base64 but is not valid base64');
    responseBody = bytes;
  }
  const bodyExpected = status !== 204 && status !== 304 && entry.request.method.toUpperCase() !== 'HEAD' && content.size !== 0;
  const warning = content.text === undefined && bodyExpected
    ? `log.entries[${index}] (${entry.request.method} ${url.pathname}): the HAR has no response body (the browser did not keep it); it replays with an empty body`
    : undefined;
  const responseHeaders = headersFromPairs(entry.response.headers);
  // A revalidated answer may carry only the 304's headers; the browser still knows the body's type.
  if (responseHeaders['content-type'] === undefined && responseBody.length > 0 && content.mimeType && content.mimeType !== 'x-unknown') responseHeaders['content-type'] = content.mimeType;
  // A HAR holds decoded content: the framing headers describe bytes that are not there any more.
  delete responseHeaders['content-encoding'];
  delete responseHeaders['content-length'];
  const exchange: SourcedExchange = {
    where: `log.entries[${index}]`,
    exchange: {
      method: entry.request.method,
      path: url.pathname,
      query: queryOf(url),
      requestHeaders: headersFromPairs(entry.request.headers),
      requestBody,
      status,
      responseHeaders,
      responseBody,
      startedAt,
      durationMs: Number.isFinite(entry.time) && entry.time > 0 ? entry.time : 0,
    },
  };
  return warning === undefined ? { kind: 'ok', exchange, url } : { kind: 'ok', exchange, url, warning };
}

function requestBytes(entry: Entry, badBase64: () => Error): Buffer {
  const post = entry.request.postData as (Entry['request']['postData'] & WithEncoding) | undefined;
  if (!post) return Buffer.alloc(0);
  if (post.text !== undefined) {
    if ((post.encoding ?? post._encoding) !== 'base64') return Buffer.from(post.text, 'utf8');
    const bytes = decodeBase64(post.text);
    if (!bytes) throw badBase64();
    return bytes;
  }
  const params = (post as { params?: Array<{ name: string; value?: string }> }).params ?? [];
  return Buffer.from(new URLSearchParams(params.map((p): [string, string] => [p.name, p.value ?? ''])).toString(), 'utf8');
}
