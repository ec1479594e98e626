import { getAtPointer } from './json-pointer.js';

/** A JSON Schema (2020-12) in the loose sense: an object or a boolean. */
export type JsonSchema = Record<string, unknown> | boolean;

export type SpecVersion = '2.0' | '3.0' | '3.1';

/**
 * Turns one schema position of the spec into a self-contained JSON Schema
 * 2020-12 document: every internal `$ref` it reaches, transitively, is copied
 * into `$defs` and the refs are rewritten to point there. Recursion stays a
 * `$ref` (not an object cycle), so validators and generators can bound it.
 * OpenAPI 2.0/3.0 dialect (nullable, boolean exclusiveMinimum, `type: file`,
 * `x-nullable`) is rewritten to 2020-12 on the way.
 *
 * Only what a request reaches is converted: a 13 MB spec costs nothing here
 * until an operation is used.
 */
export function bundleSchema(doc: unknown, schema: unknown, version: SpecVersion): JsonSchema {
  const { root, defs } = collectSchema(doc, schema, version, '$defs');
  if (typeof root !== 'object' || root === null) return root === undefined ? true : (root as JsonSchema);
  if (Object.keys(defs).length === 0) return root as Record<string, unknown>;
  const own = (root as Record<string, unknown>)['$defs'] as object | undefined;
  return { ...(root as Record<string, unknown>), $defs: { ...own, ...defs } };
}

/**
 * The parts of {@link bundleSchema}: the converted root and the definitions it
 * reaches, with refs written as `#/<defsKeyword>/<key>` (draft-07 validators
 * want `definitions`).
 */
export function collectSchema(doc: unknown, schema: unknown, version: SpecVersion, defsKeyword: '$defs' | 'definitions'): { root: unknown; defs: Record<string, JsonSchema> } {
  const defs: Record<string, JsonSchema> = {};
  const keys = new Map<string, string>();
  const pending: Array<[ref: string, key: string]> = [];
  const keyOf = (ref: string): string => {
    let key = keys.get(ref);
    if (key === undefined) {
      // Two refs may sanitize alike (`a b`, `a_b`): each keeps its own definition.
      key = defKey(ref);
      while (key in defs) key += '_';
      keys.set(ref, key);
      defs[key] = true; // placeholder: marks it as queued
      pending.push([ref, key]);
    }
    return key;
  };
  const root = normalize(schema, version, keyOf, defsKeyword);
  while (pending.length > 0) {
    const [ref, key] = pending.pop() as [string, string];
    defs[key] = normalize(getAtPointer(doc, ref.slice(1)), version, keyOf, defsKeyword) as JsonSchema;
  }
  return { root, defs };
}

function defKey(ref: string): string {
  return ref.replace(/^#\//, '').replace(/[^A-Za-z0-9_.-]/g, '_');
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];

function normalize(node: unknown, version: SpecVersion, keyOf: (ref: string) => string, defsKeyword: string): unknown {
  if (node === null || typeof node !== 'object') return node ?? true;
  if (Array.isArray(node)) return node.map((n) => normalize(n, version, keyOf, defsKeyword));
  const src = node as Record<string, unknown>;
  if (typeof src['$ref'] === 'string') {
    const ref = src['$ref'];
    const target = ref.startsWith('#') ? { $ref: `#/${defsKeyword}/${keyOf(ref)}` } : { $ref: ref };
    // 3.0 ignores $ref siblings; 3.1 allows them (description, nullable-like wrappers).
    if (version !== '3.1') return target;
    const { $ref: _drop, ...rest } = src;
    return Object.keys(rest).length === 0 ? target : { ...normalize(rest, version, keyOf, defsKeyword) as object, ...target };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) {
    if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, version, keyOf, defsKeyword)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => normalize(v, version, keyOf, defsKeyword));
    } else if (SCHEMA_SINGLE.includes(key)) {
      out[key] = normalize(value, version, keyOf, defsKeyword);
    } else {
      out[key] = value;
    }
  }
  return version === '3.1' ? out : fromOpenApi30(out);
}

/** OpenAPI 2.0/3.0 schema dialect → JSON Schema 2020-12. */
function fromOpenApi30(s: Record<string, unknown>): Record<string, unknown> {
  if (s['type'] === 'file') {
    s['type'] = 'string';
    s['format'] = 'binary';
  }
  if (typeof s['exclusiveMinimum'] === 'boolean') {
    if (s['exclusiveMinimum'] && typeof s['minimum'] === 'number') {
      s['exclusiveMinimum'] = s['minimum'];
      delete s['minimum'];
    } else delete s['exclusiveMinimum'];
  }
  if (typeof s['exclusiveMaximum'] === 'boolean') {
    if (s['exclusiveMaximum'] && typeof s['maximum'] === 'number') {
      s['exclusiveMaximum'] = s['maximum'];
      delete s['maximum'];
    } else delete s['exclusiveMaximum'];
  }
  if (Array.isArray(s['items'])) {
    s['prefixItems'] = s['items'];
    delete s['items'];
  }
  const nullable = s['nullable'] === true || s['x-nullable'] === true;
  delete s['nullable'];
  delete s['x-nullable'];
  if (!nullable) return s;
  if (Array.isArray(s['enum']) && !s['enum'].includes(null)) s['enum'] = [...s['enum'], null];
  if (typeof s['type'] === 'string') {
    s['type'] = [s['type'], 'null'];
    return s;
  }
  if (Array.isArray(s['type'])) {
    if (!s['type'].includes('null')) s['type'] = [...s['type'], 'null'];
    return s;
  }
  return { anyOf: [s, { type: 'null' }] };
}
