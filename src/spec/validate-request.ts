import type { ParameterModel, ResolvedOperation } from './operation-model.js';
import type { SchemaValidator, ValidationFinding } from './schema-validator.js';
import type { JsonSchema } from './schema-bundle.js';
import { escapeToken } from './json-pointer.js';

export interface RequestParts {
  pathParams: Record<string, string>;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed body (JSON or form), or undefined when none was sent. */
  body: unknown;
  /** Media type without parameters, e.g. `application/json`. */
  mediaType: string | undefined;
}

/**
 * Checks parameters and body against the operation, returning every violation
 * with its JSON pointer (`/query/limit`, `/path/petId`, `/header/x-id`, `/body/name`).
 * Parameters are coerced from strings first (`?limit=5` satisfies `type: integer`).
 */
export function checkRequest(op: ResolvedOperation, req: RequestParts, params: SchemaValidator, bodies: SchemaValidator): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const p of op.parameters) {
    const raw = rawParameter(p, req);
    const pointer = `/${p.in}/${escapeToken(p.name)}`;
    if (raw === undefined) {
      if (p.required) findings.push({ pointer, message: `${p.in} parameter "${p.name}" is required` });
      continue;
    }
    // Wrapped so ajv's type coercion can replace the value in place.
    const holder = { v: shape(p, raw) };
    findings.push(...params.check(holderSchema(p.schema), holder).map((f) => ({ pointer: pointer + f.pointer.replace(/^\/v/, ''), message: f.message })));
  }
  if (op.requestBody) {
    if (req.body === undefined) {
      if (op.requestBody.required) findings.push({ pointer: '/body', message: 'a request body is required' });
    } else {
      const media = req.mediaType ? findMedia(op.requestBody.content, req.mediaType) : undefined;
      if (media?.schema) findings.push(...bodies.check(media.schema, req.body, '/body'));
    }
  }
  return findings;
}

const holderSchemas = new WeakMap<object, JsonSchema>();
const HOLDER_TRUE: JsonSchema = { type: 'object', properties: { v: true } };
const HOLDER_FALSE: JsonSchema = { type: 'object', properties: { v: false } };

/**
 * The parameter schema as `properties.v` of a holder object. Its `$defs` move
 * to the holder's root, where its `#/$defs/...` refs point; and the holder is
 * made once per schema, so the validator's per-object compile cache holds
 * (a fresh wrapper per request would compile, and be kept by ajv, every time).
 */
function holderSchema(schema: JsonSchema): JsonSchema {
  if (typeof schema !== 'object') return schema ? HOLDER_TRUE : HOLDER_FALSE;
  let holder = holderSchemas.get(schema);
  if (!holder) {
    const { $defs, ...rest } = schema;
    holder = { type: 'object', properties: { v: rest }, ...($defs === undefined ? {} : { $defs }) };
    holderSchemas.set(schema, holder);
  }
  return holder;
}

function rawParameter(p: ParameterModel, req: RequestParts): string | string[] | undefined {
  switch (p.in) {
    case 'path':
      return req.pathParams[p.name];
    case 'query':
      return req.query[p.name];
    case 'header': {
      const v = req.headers[p.name.toLowerCase()];
      return v;
    }
    case 'cookie': {
      const cookie = req.headers['cookie'];
      const text = Array.isArray(cookie) ? cookie.join('; ') : cookie ?? '';
      const m = new RegExp(`(?:^|;\\s*)${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=([^;]*)`).exec(text);
      return m ? decodeURIComponent(m[1] ?? '') : undefined;
    }
  }
}

/** Strings as the schema wants them: arrays split per style, scalars from the first value. */
function shape(p: ParameterModel, raw: string | string[]): unknown {
  const schema = typeof p.schema === 'object' ? p.schema : {};
  const wantsArray = schema['type'] === 'array' || (Array.isArray(schema['type']) && schema['type'].includes('array'));
  const values = Array.isArray(raw) ? raw : [raw];
  if (wantsArray) {
    const explode = p.explode ?? (p.style === undefined || p.style === 'form');
    if (values.length === 1 && !(explode && p.in === 'query')) return (values[0] ?? '').split(p.style === 'pipeDelimited' ? '|' : p.style === 'spaceDelimited' ? ' ' : ',');
    return values;
  }
  return values[0];
}

export function findMedia<T>(content: Record<string, T>, mediaType: string): T | undefined {
  if (content[mediaType]) return content[mediaType];
  const [type] = mediaType.split('/');
  for (const [key, value] of Object.entries(content)) {
    const k = key.split(';')[0]?.trim().toLowerCase() ?? '';
    if (k === mediaType || k === '*/*' || k === `${type}/*`) return value;
  }
  return undefined;
}
