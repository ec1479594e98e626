import { createRequire } from 'node:module';
import type { Alignment, AlignmentFinding } from '../types.js';
import type { MediaModel, ResolvedOperation, ResponseModel } from './operation-model.js';
import type { JsonSchema, SpecVersion } from './schema-bundle.js';
import type { SchemaValidator } from './schema-validator.js';
import { findMedia } from './validate-request.js';

type ResponseValidator = {
  validateResponse(status: string | number, body: unknown): { errors: AlignmentFinding[] } | undefined;
};
/** The ajv error behind each finding; the body sits under `/response` of what ajv saw. */
type AjvError = { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string };
type ResponseValidatorClass = new (args: Record<string, unknown>) => ResponseValidator;

let validatorClass: ResponseValidatorClass | undefined;
/** Required on first use: replay never aligns responses, so it never pays for loading it. */
function responseValidatorClass(): ResponseValidatorClass {
  if (!validatorClass) {
    const mod = createRequire(import.meta.url)('openapi-response-validator') as { default?: ResponseValidatorClass } & ResponseValidatorClass;
    validatorClass = mod.default ?? mod;
  }
  return validatorClass;
}

export interface ResponseParts {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Decoded body: parsed JSON for JSON media types, else undefined (not schema-checked). */
  body: unknown;
  mediaType: string | undefined;
  /**
   * True when this very body value may be checked again (a recorder shares
   * the value of a repeated big answer): its findings are then remembered
   * (see bodyFindings). A body checked once is not worth the bookkeeping.
   */
  mayRepeat?: boolean;
}

/** Finds the documented response for a status: exact, then `4XX`, then `default`. */
export function responseFor(op: ResolvedOperation, status: number): ResponseModel | undefined {
  const s = String(status);
  return op.responses.find((r) => r.status === s) ?? op.responses.find((r) => r.status === `${s[0]}XX`) ?? op.responses.find((r) => r.status === 'default');
}

const draft7Cache = new WeakMap<object, ResponseValidator>();

/**
 * Compares a real response with the spec: status in the documented list,
 * content type documented, required headers present, JSON body valid against
 * the schema. 2.0/3.0 bodies go through openapi-response-validator; 3.1 uses
 * ajv's 2020-12 draft, which that package does not speak.
 */
export function checkResponse(op: ResolvedOperation, res: ResponseParts, version: SpecVersion, validator: SchemaValidator): Alignment {
  const findings: AlignmentFinding[] = [];
  const documented = responseFor(op, res.status);
  if (!documented) {
    findings.push({ pointer: '/status', message: `status ${res.status} is not documented for ${op.id}; documented: ${op.responses.map((r) => r.status).join(', ') || 'none'}` });
    return { ok: false, findings };
  }
  for (const [name, h] of Object.entries(documented.headers)) {
    if (h.required && res.headers[name] === undefined) findings.push({ pointer: `/headers/${name}`, message: `required header ${name} is missing` });
  }
  const types = Object.keys(documented.content);
  if (types.length > 0 && res.mediaType) {
    const media = findMedia(documented.content, res.mediaType);
    if (!media) findings.push({ pointer: '/headers/content-type', message: `content-type ${res.mediaType} is not documented for ${res.status}; expected one of ${types.join(', ')}` });
    else if (media.schema !== null && res.body !== undefined) findings.push(...bodyFindings(media, res, version, validator));
  }
  return { ok: findings.length === 0, findings };
}

/**
 * Findings of the last check of each body value against a schema. A recorder
 * hands the same parsed value again for an answer repeating the last one's
 * bytes (see RepeatedBodies), and checking 1 MB against its schema costs as
 * much as parsing it. Keyed by both objects: a reloaded spec brings new schemas.
 */
const findingsByBody = new WeakMap<object, { schema: object; findings: readonly AlignmentFinding[] }>();

function bodyFindings(media: MediaModel, res: ResponseParts, version: SpecVersion, validator: SchemaValidator): AlignmentFinding[] {
  const schema = media.schema as JsonSchema;
  const body = res.body;
  if (res.mayRepeat !== true || body === null || typeof body !== 'object' || typeof schema !== 'object') return checkBody(schema, res, version, validator);
  const known = findingsByBody.get(body);
  if (known?.schema === schema) return [...known.findings];
  const findings = checkBody(schema, res, version, validator);
  findingsByBody.set(body, { schema, findings: [...findings] });
  return findings;
}

function checkBody(schema: JsonSchema, res: ResponseParts, version: SpecVersion, validator: SchemaValidator): AlignmentFinding[] {
  if (version === '3.1' || typeof schema !== 'object') return validator.check(schema, res.body, '/body');
  let v = draft7Cache.get(schema);
  if (!v) {
    const { $defs, ...root } = schema as Record<string, unknown>;
    const rewrite = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? {}).replaceAll('"#/$defs/', '"#/definitions/'));
    v = new (responseValidatorClass())({ responses: { 200: { schema: rewrite(root) } }, definitions: rewrite($defs), errorTransformer: (_: unknown, e: AjvError) => toFinding(e) });
    draft7Cache.set(schema, v);
  }
  // The validator applies schema defaults to what it checks; give it a copy.
  return v.validateResponse(200, structuredClone(res.body))?.errors ?? [];
}

/**
 * Built from ajv's own instancePath: the package's `path` is "response" both
 * for the body itself and for a top-level property named response. Like the
 * 3.1 path, a missing or extra property is pointed at by name.
 */
function toFinding(e: AjvError): AlignmentFinding {
  let pointer = '/body' + e.instancePath.replace(/^\/response/, '');
  const name = e.keyword === 'required' ? e.params['missingProperty'] : e.keyword === 'additionalProperties' ? e.params['additionalProperty'] : undefined;
  if (typeof name === 'string') pointer += '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
  return { pointer, message: e.message ?? 'is invalid' };
}
