import postman from 'postman-collection';
import { decodeBase64, headersFromPairs, queryOf, rankOrigins, type ReadResult, type SkipNote, type SourcedExchange } from './exchange.js';
import { dottedPath, invalid, pointerOf, readImportJson } from './import-file.js';
import { assertExampleShape } from './postman-example-check.js';

/** Marks a base64 body in an exported example; stripped again on import like every x-mockdeck-* header. */
export const BODY_ENCODING_HEADER = 'x-mockdeck-body-encoding';

type Keys = Array<string | number>;
type Json = Record<string, unknown>;

interface WalkContext {
  file: string;
  vars: postman.VariableList;
  exchanges: SourcedExchange[];
  skipped: SkipNote[];
  origins: string[];
  now: number;
}

/**
 * Reads a Postman collection (v2.1, or the compatible v2.0) with saved
 * example responses into exchanges, one per example, read with
 * postman-collection. Collection variables (`{{baseUrl}}`) and path variables
 * (`:petId`) are resolved. Requests without examples are listed as skipped.
 * A problem is IMPORT_INVALID naming the item path, e.g.
 * `item[0].item[2].response[1].code (item "Pets › List pets", example "two")`.
 *
 * @example
 * const { exchanges } = await readPostman('petstore.postman_collection.json')
 */
export async function readPostman(file: string, now: Date = new Date()): Promise<ReadResult> {
  const data = await readImportJson(file);
  assertCollectionShape(data, file);
  const collection = new postman.Collection(data as Json);
  const ctx: WalkContext = { file, vars: collection.variables, exchanges: [], skipped: [], origins: [], now: now.getTime() };
  walk(collection.items.all() as Array<postman.Item | postman.ItemGroup>, (data as Json)['item'] as Json[], ['item'], [], ctx);
  return { exchanges: ctx.exchanges, skipped: ctx.skipped, warnings: [], origins: rankOrigins(ctx.origins) };
}

function assertCollectionShape(data: unknown, file: string): void {
  const info = (data as Json | null)?.['info'] as Json | undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof info !== 'object' || info === null) {
    throw invalid(file, '/info', 'info: is missing, so this is not a Postman collection v2.x; export it from Postman as "Collection v2.1"');
  }
  const schema = String(info['schema'] ?? '');
  if (!/\/v2\.[01]\.\d+\//.test(schema)) throw invalid(file, '/info/schema', `info.schema: ${JSON.stringify(schema)} is not a Postman collection v2.1 schema URL; export the collection as "Collection v2.1"`);
  if (!Array.isArray((data as Json)['item'])) throw invalid(file, '/item', 'item: must be a list of requests and folders');
}

function walk(items: Array<postman.Item | postman.ItemGroup>, raw: Json[], keys: Keys, names: string[], ctx: WalkContext): void {
  items.forEach((item, index) => {
    const at = [...keys, index];
    const rawItem = raw[index] ?? {};
    const path = [...names, String(rawItem['name'] ?? item.name ?? `#${index}`)];
    if (postman.ItemGroup.isItemGroup(item)) {
      const group = item as postman.ItemGroup;
      return walk(group.items.all() as Array<postman.Item | postman.ItemGroup>, (rawItem['item'] as Json[] | undefined) ?? [], [...at, 'item'], path, ctx);
    }
    readItem(item as postman.Item, rawItem, at, path, ctx);
  });
}

function readItem(item: postman.Item, raw: Json, at: Keys, names: string[], ctx: WalkContext): void {
  const label = `item "${names.join(' › ')}"`;
  if (raw['request'] === undefined) throw invalid(ctx.file, pointerOf([...at, 'request']), `${dottedPath([...at, 'request'])} (${label}): is missing; every request item needs one`);
  const responses = item.responses.all() as postman.Response[];
  if (responses.length === 0) return void ctx.skipped.push({ where: `${dottedPath(at)} (${label})`, reason: 'no saved example response' });
  const rawResponses = (raw['response'] as Json[] | undefined) ?? [];
  responses.forEach((response, r) => readExample({ item, raw, response, rawResponse: rawResponses[r] ?? {}, at, r, label }, ctx));
}

interface Example {
  item: postman.Item;
  raw: Json;
  response: postman.Response;
  rawResponse: Json;
  at: Keys;
  r: number;
  label: string;
}

function readExample({ item, raw, response, rawResponse, at, r, label }: Example, ctx: WalkContext): void {
  const rAt = [...at, 'response', r];
  const where = `${dottedPath(rAt)} (${label}, example "${response.name ?? r}")`;
  const fail = (keys: Keys, problem: string) => invalid(ctx.file, pointerOf(keys), `${dottedPath(keys)} (${label}, example "${response.name ?? r}"): ${problem}`);
  const code = rawResponse['code'];
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) throw fail([...rAt, 'code'], `${JSON.stringify(code)} is not an HTTP status (100-599)`);
  const request = response.originalRequest ?? item.request;
  const requestAt = response.originalRequest ? [...rAt, 'originalRequest'] : [...at, 'request'];
  assertExampleShape(rawResponse, response.originalRequest ? rawResponse['originalRequest'] : raw['request'], rAt, requestAt, fail);
  const requestHeaders = headersFromPairs(enabledPairs(request.headers, ctx));
  const body = requestBody(request, requestHeaders[BODY_ENCODING_HEADER] === 'base64', (key, problem) => fail([...requestAt, 'body', key], problem), ctx);
  const target = resolveUrl(request, ctx, (problem) => fail([...requestAt, 'url'], problem));
  if (target.origin) ctx.origins.push(target.origin);
  if (body.contentType && requestHeaders['content-type'] === undefined) requestHeaders['content-type'] = body.contentType;
  const responseHeaders = headersFromPairs(enabledPairs(response.headers, ctx));
  const responseBody = responseBytes(response, responseHeaders, () => fail([...rAt, 'body'], `is marked ${BODY_ENCODING_HEADER}: base64 but is not valid base64`));
  // Postman keeps bodies decoded, like a HAR: framing headers no longer describe them.
  delete responseHeaders['content-encoding'];
  delete responseHeaders['content-length'];
  ctx.exchanges.push({
    where,
    exchange: {
      method: request.method || 'GET',
      path: target.path,
      query: target.query,
      requestHeaders,
      requestBody: body.bytes,
      status: code,
      responseHeaders,
      responseBody,
      // Examples carry no time: keep file order with one millisecond apart.
      startedAt: new Date(ctx.now + ctx.exchanges.length),
      // Finite only: JSON's 1e999 parses to Infinity, which no cassette can hold.
      durationMs: Number.isFinite(response.responseTime) && response.responseTime > 0 ? response.responseTime : 0,
    },
  });
}

function enabledPairs(list: postman.PropertyList | undefined, ctx: WalkContext): Array<{ name: string; value: string }> {
  const all = (list?.all() ?? []) as postman.Header[];
  return all.filter((h) => !h.disabled && h.key).map((h) => ({ name: h.key as string, value: ctx.vars.replace(String(h.value ?? '')) }));
}

/** Path variables resolved, then collection variables; the host may stay unresolved (only path and query matter). */
function resolveUrl(request: postman.Request, ctx: WalkContext, fail: (problem: string) => Error): { path: string; query: Record<string, string[]>; origin: string | null } {
  const url = request.url;
  const resolved = new postman.Url(url.toJSON());
  resolved.path = url.getPath().replace(/^\//, '').split('/');
  const full = ctx.vars.replace(resolved.toString());
  let parsed: URL | undefined;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(full) ? full : `http://${full}`);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  const hostResolved = parsed !== undefined && !/\{\{/.test(parsed.host);
  let path = hostResolved ? parsed!.pathname : ctx.vars.replace(url.getPath());
  if (!path.startsWith('/')) path = `/${path}`;
  const unresolved = /\{\{([^}]+)\}\}/.exec(decodeURI(path));
  if (unresolved) throw fail(`the path ${JSON.stringify(path)} uses {{${unresolved[1]}}}, which is not a collection variable; define it under the collection's Variables`);
  const query = hostResolved ? queryOf(parsed!) : queryOf(new URL(`http://x/?${ctx.vars.replace(url.getQueryString())}`));
  return { path, query, origin: hostResolved && /^https?:$/.test(parsed!.protocol) ? parsed!.origin : null };
}

function requestBody(request: postman.Request, base64: boolean, fail: (key: string, problem: string) => Error, ctx: WalkContext): { bytes: Buffer; contentType?: string } {
  const body = request.body;
  if (!body || !body.mode || body.isEmpty?.()) return { bytes: Buffer.alloc(0) };
  switch (body.mode) {
    case 'raw': {
      const language = (body as unknown as { options?: { raw?: { language?: string } } }).options?.raw?.language;
      const type = language === 'json' ? 'application/json' : language === 'xml' ? 'application/xml' : undefined;
      const bytes = base64 ? decodeBase64(body.raw ?? '') : Buffer.from(ctx.vars.replace(body.raw ?? ''), 'utf8');
      if (!bytes) throw fail('raw', `is marked ${BODY_ENCODING_HEADER}: base64 but is not valid base64`);
      return { bytes, ...(type ? { contentType: type } : {}) };
    }
    case 'urlencoded': {
      const params = (body.urlencoded.all() as Array<{ key: string; value?: string; disabled?: boolean }>).filter((p) => !p.disabled);
      const text = new URLSearchParams(params.map((p): [string, string] => [p.key, ctx.vars.replace(String(p.value ?? ''))])).toString();
      return { bytes: Buffer.from(text, 'utf8'), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'graphql': {
      const g = (body as unknown as { graphql?: { query?: string; variables?: string } }).graphql ?? {};
      const variables = g.variables ? parseJson(g.variables, () => fail('graphql', 'variables: is not valid JSON')) : undefined;
      return { bytes: Buffer.from(JSON.stringify({ query: g.query ?? '', ...(variables === undefined ? {} : { variables }) }), 'utf8'), contentType: 'application/json' };
    }
    default:
      throw fail('mode', `body mode "${body.mode}" cannot be imported (only raw, urlencoded and graphql)`);
  }
}

function parseJson(text: string, bad: () => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) throw bad();
    throw err;
  }
}

function responseBytes(response: postman.Response, headers: Record<string, string | string[]>, badBase64: () => Error): Buffer {
  const text = response.body ?? '';
  if (headers[BODY_ENCODING_HEADER] !== 'base64') return Buffer.from(text, 'utf8');
  const bytes = decodeBase64(text);
  if (!bytes) throw badBase64();
  return bytes;
}
