import { STATUS_CODES } from 'node:http';
import postman from 'postman-collection';
import openapiToPostman from 'openapi-to-postmanv2';
import { MockdeckError } from '../errors.js';
import { decodeBody } from '../cassette/index.js';
import { partsOfInteraction, requestKey } from '../matcher/index.js';
import type { Spec } from '../spec/index.js';
import type { Cassette, Interaction, StoredHeaders } from '../types.js';
import { BODY_ENCODING_HEADER } from './postman-read.js';

const SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PostmanExportOptions {
  /** Value of the `{{baseUrl}}` collection variable: where the collection sends its requests (the mock). */
  baseUrl: string;
}

type Json = Record<string, unknown>;

/**
 * A Postman collection v2.1 generated from the spec by openapi-to-postmanv2
 * (folders per tag, parameter values from examples), whose `{{baseUrl}}`
 * points at the mock (plus the spec's own base path, if it has one).
 *
 * @example
 * const collection = await specToPostman(await loadSpec('specs/petstore.yaml'), { baseUrl: 'http://127.0.0.1:4010' })
 */
export async function specToPostman(spec: Spec, options: PostmanExportOptions): Promise<Json> {
  const output = await new Promise<Json>((resolve, reject) => {
    openapiToPostman.convert(
      { type: 'json', data: structuredClone(spec.doc) as never },
      { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback' } as never,
      (err, result) => {
        if (err) return reject(new MockdeckError('MOCKDECK_ERR_EXPORT_FAILED', { what: spec.info.file, reason: `openapi-to-postmanv2 failed: ${err.message}` }, { cause: err }));
        const data = result?.output?.find((o) => o.type === 'collection')?.data as Json | undefined;
        if (!result?.result || !data) return reject(new MockdeckError('MOCKDECK_ERR_EXPORT_FAILED', { what: spec.info.file, reason: `openapi-to-postmanv2 could not convert it: ${result?.reason ?? 'no collection produced'}` }));
        resolve(data);
      },
    );
  });
  const baseUrl = options.baseUrl.replace(/\/+$/, '') + (spec.basePaths[0] ?? '');
  const others = ((output['variable'] as Json[] | undefined) ?? []).filter((v) => v['key'] !== 'baseUrl');
  return normalize({ ...output, variable: [{ key: 'baseUrl', value: baseUrl, type: 'string' }, ...others] });
}

/**
 * A Postman collection v2.1 of a cassette: a folder per operation
 * (`_unmatched` for the rest), one request per distinct request, and every
 * recorded answer to it as a saved example, in recorded order. URLs start with
 * `{{baseUrl}}`. Binary bodies are base64 text marked by an
 * `x-mockdeck-body-encoding: base64` header, which `mockdeck import postman`
 * understands (and never stores).
 *
 * @example
 * const collection = cassetteToPostman(await loadCassette('cassettes/petstore'), { baseUrl: 'http://127.0.0.1:4010' })
 */
export function cassetteToPostman(cassette: Cassette, options: PostmanExportOptions): Json {
  const folders = new Map<string, Map<string, Interaction[]>>();
  for (const i of cassette.interactions) {
    const folder = i.operationId ?? '_unmatched';
    const byKey = folders.get(folder) ?? new Map<string, Interaction[]>();
    const key = requestKey(partsOfInteraction(i));
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
    folders.set(folder, byKey);
  }
  const item = [...folders].map(([name, byKey]) => ({ name, item: [...byKey.values()].map(requestItem) }));
  return normalize({
    info: { name: `mockdeck cassette ${cassette.meta.name}`, schema: SCHEMA_V21, description: `Recorded interactions of cassette "${cassette.meta.name}"${cassette.meta.target ? ` (target ${cassette.meta.target})` : ''}, exported by mockdeck.` },
    variable: [{ key: 'baseUrl', value: options.baseUrl.replace(/\/+$/, ''), type: 'string' }],
    item,
  });
}

/** Round-trips through postman-collection, so what is written is what the SDK (and Postman) reads. */
function normalize(collection: Json): Json {
  return { ...(new postman.Collection(collection).toJSON() as Json), info: { ...(collection['info'] as Json), schema: SCHEMA_V21 } };
}

function requestItem(interactions: Interaction[]): Json {
  const first = interactions[0] as Interaction;
  const request = postmanRequest(first);
  const search = querySuffix(first.request.query);
  return {
    name: `${first.request.method} ${first.request.path}${search}`,
    request,
    response: interactions.map((i) => ({
      name: `${i.response.status} ${STATUS_CODES[i.response.status] ?? ''} (${i.id})`.replace('  ', ' '),
      originalRequest: postmanRequest(i),
      code: i.response.status,
      status: STATUS_CODES[i.response.status] ?? '',
      header: [...headerPairs(i.response.headers), ...(i.response.bodyEncoding === 'base64' ? [{ key: BODY_ENCODING_HEADER, value: 'base64' }] : [])],
      body: bodyText(i.response.bodyEncoding, i.response.body, decodeBody(i.response)),
      responseTime: i.durationMs,
      _postman_previewlanguage: i.response.bodyEncoding === 'json' ? 'json' : 'text',
    })),
  };
}

function postmanRequest(i: Interaction): Json {
  const { request } = i;
  const bytes = decodeBody(request);
  const header = [...headerPairs(request.headers), ...(bytes.length > 0 && request.bodyEncoding === 'base64' ? [{ key: BODY_ENCODING_HEADER, value: 'base64' }] : [])];
  return {
    method: request.method,
    header,
    url: {
      raw: `{{baseUrl}}${request.path}${querySuffix(request.query)}`,
      host: ['{{baseUrl}}'],
      path: request.path.replace(/^\//, '').split('/'),
      query: Object.entries(request.query).flatMap(([key, values]) => values.map((value) => ({ key, value }))),
    },
    ...(bytes.length > 0
      ? { body: { mode: 'raw', raw: bodyText(request.bodyEncoding, request.body, bytes), ...(request.bodyEncoding === 'json' ? { options: { raw: { language: 'json' } } } : {}) } }
      : {}),
  };
}

function bodyText(encoding: Interaction['response']['bodyEncoding'], body: unknown, bytes: Buffer): string {
  if (encoding === 'json') return JSON.stringify(body, null, 2);
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
}

function headerPairs(headers: StoredHeaders): Array<{ key: string; value: string }> {
  return Object.entries(headers).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: v })));
}

function querySuffix(query: Record<string, string[]>): string {
  const text = new URLSearchParams(Object.entries(query).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]))).toString();
  return text ? `?${text}` : '';
}
