import { getAtPointer } from './json-pointer.js';
import { bundleSchema, type JsonSchema, type SpecVersion } from './schema-bundle.js';
import type {
  MediaModel, Operation, ParameterLocation, ParameterModel, RequestBodyModel, ResolvedOperation, ResponseModel,
  SecurityRequirements, SecuritySchemeModel,
} from './operation-model.js';

type Obj = Record<string, unknown>;

interface Ctx {
  doc: Obj;
  version: SpecVersion;
  schemes: Record<string, SecuritySchemeModel>;
}

/** Follows `$ref` chains of non-schema objects (parameters, responses, examples). */
export function deref(doc: unknown, node: unknown, depth = 0): Obj {
  if (!node || typeof node !== 'object') return {};
  const ref = (node as Obj)['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#') || depth > 32) return node as Obj;
  return deref(doc, getAtPointer(doc, ref.slice(1)), depth + 1);
}

const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Resolves one operation into the normalized model; called lazily, on first use. */
export function resolveOperation(ctx: Ctx, op: Operation): ResolvedOperation {
  const paths = asObj(ctx.doc['paths']);
  const pathItem = deref(ctx.doc, paths[op.path]);
  const raw = asObj(pathItem[op.method.toLowerCase()]);
  const rawParams = mergeParameters(ctx.doc, pathItem['parameters'], raw['parameters']);
  const base = { ...op, security: resolveSecurity(ctx, raw) };
  if (ctx.version === '2.0') {
    return { ...base, ...fromSwagger2(ctx, raw, rawParams) };
  }
  return {
    ...base,
    parameters: rawParams.map((p) => toParameter(ctx, p)),
    requestBody: toRequestBody(ctx, deref(ctx.doc, raw['requestBody'])),
    responses: Object.entries(asObj(raw['responses'])).map(([status, r]) => toResponse(ctx, status, deref(ctx.doc, r))),
  };
}

function mergeParameters(doc: Obj, pathLevel: unknown, opLevel: unknown): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      const param = deref(doc, p);
      byKey.set(`${String(param['in'])}:${String(param['name'])}`, param);
    }
  }
  return [...byKey.values()];
}

function toParameter(ctx: Ctx, p: Obj): ParameterModel {
  const content = asObj(p['content']);
  const firstMedia = asObj(Object.values(content)[0]);
  const schema = p['schema'] ?? firstMedia['schema'] ?? {};
  return {
    name: String(p['name']),
    in: p['in'] as ParameterLocation,
    required: p['in'] === 'path' || p['required'] === true,
    schema: bundleSchema(ctx.doc, schema, ctx.version),
    style: typeof p['style'] === 'string' ? p['style'] : undefined,
    explode: typeof p['explode'] === 'boolean' ? p['explode'] : undefined,
  };
}

function toMedia(ctx: Ctx, media: Obj): MediaModel {
  const examples: MediaModel['examples'] = [];
  for (const [name, ex] of Object.entries(asObj(media['examples']))) {
    const resolved = deref(ctx.doc, ex);
    if ('value' in resolved) examples.push({ name, value: resolved['value'] });
  }
  if ('example' in media) examples.push({ name: 'default', value: media['example'] });
  return { schema: media['schema'] === undefined ? null : bundleSchema(ctx.doc, media['schema'], ctx.version), examples };
}

function toRequestBody(ctx: Ctx, body: Obj): RequestBodyModel | null {
  if (!body['content']) return null;
  const content = Object.fromEntries(Object.entries(asObj(body['content'])).map(([type, m]) => [type, toMedia(ctx, asObj(m))]));
  return { required: body['required'] === true, content };
}

function toResponse(ctx: Ctx, status: string, r: Obj): ResponseModel {
  const headers: ResponseModel['headers'] = {};
  for (const [name, h] of Object.entries(asObj(r['headers']))) {
    const header = deref(ctx.doc, h);
    headers[name.toLowerCase()] = { required: header['required'] === true, schema: bundleSchema(ctx.doc, header['schema'] ?? {}, ctx.version) };
  }
  const content = Object.fromEntries(Object.entries(asObj(r['content'])).map(([type, m]) => [type, toMedia(ctx, asObj(m))]));
  return { status: status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase(), description: String(r['description'] ?? ''), headers, content };
}

/** Swagger 2.0: body/formData parameters become a request body; produces/consumes become media types. */
function fromSwagger2(ctx: Ctx, raw: Obj, rawParams: Obj[]): Pick<ResolvedOperation, 'parameters' | 'requestBody' | 'responses'> {
  const consumes = (raw['consumes'] ?? ctx.doc['consumes'] ?? ['application/json']) as string[];
  const produces = (raw['produces'] ?? ctx.doc['produces'] ?? ['application/json']) as string[];
  const plain = rawParams.filter((p) => p['in'] !== 'body' && p['in'] !== 'formData');
  const bodyParam = rawParams.find((p) => p['in'] === 'body');
  const formParams = rawParams.filter((p) => p['in'] === 'formData');
  let requestBody: RequestBodyModel | null = null;
  if (bodyParam) {
    const schema = bundleSchema(ctx.doc, bodyParam['schema'] ?? {}, ctx.version);
    requestBody = { required: bodyParam['required'] === true, content: Object.fromEntries(consumes.map((t) => [t, { schema, examples: [] }])) };
  } else if (formParams.length > 0) {
    const properties = Object.fromEntries(formParams.map((p) => [String(p['name']), bundleSchema(ctx.doc, swagger2ParamSchema(p), ctx.version)]));
    const required = formParams.filter((p) => p['required'] === true).map((p) => String(p['name']));
    const schema: JsonSchema = { type: 'object', properties, ...(required.length ? { required } : {}) };
    const types = consumes.filter((t) => /form/.test(t));
    requestBody = { required: required.length > 0, content: Object.fromEntries((types.length ? types : ['application/x-www-form-urlencoded']).map((t) => [t, { schema, examples: [] }])) };
  }
  const responses = Object.entries(asObj(raw['responses'])).map(([status, rr]) => {
    const r = deref(ctx.doc, rr);
    const examples = asObj(r['examples']);
    const schema = r['schema'] === undefined ? null : bundleSchema(ctx.doc, r['schema'], ctx.version);
    const content: Record<string, MediaModel> = {};
    if (schema !== null || Object.keys(examples).length > 0) {
      for (const type of produces) content[type] = { schema, examples: type in examples ? [{ name: 'default', value: examples[type] }] : [] };
    }
    const headers: ResponseModel['headers'] = {};
    for (const [name, h] of Object.entries(asObj(r['headers']))) headers[name.toLowerCase()] = { required: false, schema: bundleSchema(ctx.doc, swagger2ParamSchema(asObj(h)), ctx.version) };
    return { status: status.toUpperCase() === 'DEFAULT' ? 'default' : status, description: String(r['description'] ?? ''), headers, content };
  });
  const parameters = plain.map((p) => ({
    name: String(p['name']),
    in: p['in'] as ParameterLocation,
    required: p['in'] === 'path' || p['required'] === true,
    schema: bundleSchema(ctx.doc, swagger2ParamSchema(p), ctx.version),
    style: p['collectionFormat'] === 'multi' ? 'form' : undefined,
    explode: p['collectionFormat'] === 'multi' ? true : p['collectionFormat'] ? false : undefined,
  }));
  return { parameters, requestBody, responses };
}

const SWAGGER2_SCHEMA_KEYS = ['type', 'format', 'items', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'default', 'x-nullable'];

function swagger2ParamSchema(p: Obj): Obj {
  return Object.fromEntries(Object.entries(p).filter(([k]) => SWAGGER2_SCHEMA_KEYS.includes(k)));
}

function resolveSecurity(ctx: Ctx, raw: Obj): SecurityRequirements {
  const reqs = (raw['security'] ?? ctx.doc['security'] ?? []) as unknown;
  if (!Array.isArray(reqs)) return [];
  return reqs.map((req) => Object.keys(asObj(req)).map((name) => ctx.schemes[name]).filter((s): s is SecuritySchemeModel => s !== undefined));
}

/** Security schemes of the whole spec (3.x components or 2.0 securityDefinitions). */
export function securitySchemes(doc: Obj): Record<string, SecuritySchemeModel> {
  const defs = asObj(asObj(doc['components'])['securitySchemes'] ?? doc['securityDefinitions']);
  const out: Record<string, SecuritySchemeModel> = {};
  for (const [name, d] of Object.entries(defs)) {
    const def = deref(doc, d);
    const type = String(def['type']);
    if (type === 'apiKey') out[name] = { kind: 'apiKey', name, in: (def['in'] as 'header') ?? 'header', paramName: String(def['name']) };
    else if (type === 'http' || type === 'basic') out[name] = { kind: 'http', name, scheme: String(def['scheme'] ?? 'basic').toLowerCase() };
    else if (type === 'oauth2' || type === 'openIdConnect' || type === 'mutualTLS') out[name] = { kind: type, name };
  }
  return out;
}
