import type { AccessPolicy } from '../../config.js';
import { decodeBody } from '../../cassette/index.js';
import { generateValue, seedFrom } from '../../responder/index.js';
import type { JsonSchema, MediaModel, ResolvedOperation, SchemaValidator } from '../../spec/index.js';
import type { Interaction } from '../../types.js';

/** A request the dashboard can show as curl and send: the mock's key is never part of it. */
export interface ExampleRequest {
  operationId: string;
  method: string;
  /** Path below the mock's base URL, query included. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** `recording` replays a recorded request (a cassette hit); `spec` is built from the spec's examples and schemas. */
  from: 'recording' | 'spec';
}

/** Shell placeholder standing for the mock's API key in curl lines. */
export const KEY_PLACEHOLDER = '$MOCKDECK_API_KEY';
/** Value sent for credentials the spec requires: an ungated mock only checks they are present. */
export const SPEC_CREDENTIAL = 'example';

const queryString = (query: Record<string, readonly string[]>): string => {
  const pairs = Object.entries(query).flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
};

/** A readable value for a parameter: the spec's own example, default or first enum value, else a plain one. */
export function sampleValue(schema: JsonSchema, validator: SchemaValidator, seed: string): unknown {
  if (typeof schema !== 'object') return 'example';
  if ('example' in schema) return schema['example'];
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  if ('default' in schema) return schema['default'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  switch (schema['type']) {
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? Math.max(schema['minimum'], 1) : 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema['format'] === 'date') return '2026-01-01';
      if (schema['format'] === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema['format'] === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return schema['pattern'] || schema['minLength'] ? generateValue(schema, seedFrom(seed), validator) : 'example';
    default:
      return generateValue(schema, seedFrom(seed), validator);
  }
}

const asParam = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

function pickMedia(content: Record<string, MediaModel>): [string, MediaModel] | undefined {
  const entries = Object.entries(content);
  return entries.find(([type]) => /json/i.test(type)) ?? entries.find(([type]) => /^text\/|form-urlencoded/i.test(type)) ?? entries[0];
}

function exampleBody(op: ResolvedOperation, validator: SchemaValidator): { type: string; body: string } | null {
  if (!op.requestBody) return null;
  const picked = pickMedia(op.requestBody.content);
  if (!picked) return null;
  const [type, media] = picked;
  const value = media.examples[0]?.value ?? (media.schema === null ? null : generateValue(media.schema, seedFrom(`${op.method} ${op.path}`), validator));
  if (/json/i.test(type)) return { type, body: JSON.stringify(value) };
  if (/form-urlencoded/i.test(type) && typeof value === 'object' && value !== null) return { type, body: new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, asParam(v)])).toString() };
  if (typeof value === 'string') return { type, body: value };
  return null; // binary or structured non-JSON bodies: nothing sensible to type into a terminal
}

/** Headers an ungated mock needs for the spec's own security requirement: any value passes. */
function specCredentials(op: ResolvedOperation, gated: boolean): { headers: Record<string, string>; query: Record<string, string[]> } {
  const out = { headers: {} as Record<string, string>, query: {} as Record<string, string[]> };
  if (gated || op.security.length === 0 || op.security.some((alt) => alt.length === 0)) return out;
  for (const scheme of op.security[0] ?? []) {
    if (scheme.kind === 'apiKey' && scheme.in === 'header') out.headers[scheme.paramName.toLowerCase()] = SPEC_CREDENTIAL;
    else if (scheme.kind === 'apiKey' && scheme.in === 'query') out.query[scheme.paramName] = [SPEC_CREDENTIAL];
    else if (scheme.kind === 'apiKey') out.headers['cookie'] = `${scheme.paramName}=${SPEC_CREDENTIAL}`;
    else if (scheme.kind === 'http' && scheme.scheme.toLowerCase() === 'basic') out.headers['authorization'] = 'Basic ZXhhbXBsZTpleGFtcGxl';
    else out.headers['authorization'] = `Bearer ${SPEC_CREDENTIAL}`;
  }
  return out;
}

/**
 * The example request of an operation. A recorded request comes first (it is
 * known to hit a cassette); otherwise one is built from the spec: required
 * parameters with their example, default or a plain value, and the first
 * request-body example (or one generated from the schema).
 *
 * @example
 * exampleRequest(op, { recorded, gated: false, matchHeaders: [], validator }).path // '/pets/1'
 */
export function exampleRequest(op: ResolvedOperation, ctx: { recorded: Interaction | undefined; gated: boolean; matchHeaders: readonly string[]; validator: SchemaValidator }): ExampleRequest {
  const creds = specCredentials(op, ctx.gated);
  const rec = ctx.recorded;
  if (rec && rec.request.bodyEncoding !== 'base64') {
    const headers: Record<string, string> = { ...creds.headers };
    for (const [name, value] of Object.entries(rec.request.headers)) {
      const lower = name.toLowerCase();
      if ((lower === 'content-type' || ctx.matchHeaders.includes(lower)) && value !== '[REDACTED]') headers[lower] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const body = rec.request.body === null ? null : decodeBody(rec.request).toString('utf8');
    return { operationId: op.id, method: rec.request.method.toUpperCase(), path: rec.request.path + queryString({ ...rec.request.query, ...creds.query }), headers, body: body === '' ? null : body, from: 'recording' };
  }
  const seed = `${op.method} ${op.path}`;
  const path = op.path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
    return param ? encodeURIComponent(asParam(sampleValue(param.schema, ctx.validator, seed))) : whole;
  });
  const query: Record<string, string[]> = {};
  const headers: Record<string, string> = { ...creds.headers };
  for (const p of op.parameters.filter((p) => p.required)) {
    if (p.in === 'query') query[p.name] = [asParam(sampleValue(p.schema, ctx.validator, seed))];
    if (p.in === 'header') headers[p.name.toLowerCase()] = asParam(sampleValue(p.schema, ctx.validator, seed));
  }
  const body = exampleBody(op, ctx.validator);
  if (body) headers['content-type'] = body.type;
  return { operationId: op.id, method: op.method, path: path + queryString({ ...query, ...creds.query }), headers, body: body?.body ?? null, from: 'spec' };
}

const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
/** Escapes text for a double-quoted shell word, so only our placeholder expands. */
const escapeDouble = (text: string): string => text.replace(/(["\\$`])/g, '\\$1');

/**
 * A curl line for an example: ready to paste, the key as a `$MOCKDECK_API_KEY`
 * placeholder (double-quoted so the shell fills it in), never the key.
 *
 * @example
 * curlLine('http://127.0.0.1:4010', ex, { kind: 'apiKey', in: 'header', name: 'x-api-key', digests: [] })
 * // curl -i -X GET 'http://127.0.0.1:4010/pets/1' -H "x-api-key: $MOCKDECK_API_KEY"
 */
export function curlLine(baseUrl: string, example: ExampleRequest, access: AccessPolicy): string {
  const url = baseUrl.replace(/\/+$/, '') + example.path;
  const parts = ['curl', '-i', '-X', example.method];
  if (access.kind === 'apiKey' && access.in === 'query') parts.push(`"${escapeDouble(`${url}${url.includes('?') ? '&' : '?'}${encodeURIComponent(access.name)}=`)}${KEY_PLACEHOLDER}"`);
  else parts.push(singleQuoted(url));
  if (access.kind === 'apiKey' && access.in === 'header') parts.push('-H', `"${access.name}: ${KEY_PLACEHOLDER}"`);
  if (access.kind === 'apiKey' && access.in === 'bearer') parts.push('-H', `"Authorization: Bearer ${KEY_PLACEHOLDER}"`);
  for (const [name, value] of Object.entries(example.headers)) parts.push('-H', singleQuoted(`${name}: ${value}`));
  if (example.body !== null) parts.push('--data-raw', singleQuoted(example.body));
  return parts.join(' ');
}
