/**
 * An independent check of response bodies: our own Ajv2020 instance (not the
 * project's SchemaValidator) with ajv-formats, and a small OpenAPI 3.0 → JSON
 * Schema 2020-12 converter written here, not the project's bundleSchema, so a
 * bug in either of those cannot hide itself.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const INT32 = 2 ** 31;

/**
 * A fresh Ajv2020 with ajv-formats plus the OpenAPI formats, each checked for
 * what it promises (int32 range, integral int64, base64 for byte).
 */
export function independentAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateFormats: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  for (const f of ['binary', 'password', 'decimal']) ajv.addFormat(f, true);
  return ajv;
}

type Obj = Record<string, unknown>;

const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SINGLES = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'additionalItems'];

/**
 * Converts an OpenAPI 3.0 schema to 2020-12, walking schema keywords only
 * (examples and defaults are data and stay untouched). `ref` rewrites each
 * internal `$ref`. Handles what 3.0 adds or changes: `nullable`, boolean
 * `exclusiveMinimum/Maximum`, `$ref` siblings being ignored.
 */
export function convert30(schema: unknown, ref: (r: string) => string = (r) => r): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = schema as Obj;
  if (typeof s['$ref'] === 'string') return { $ref: ref(s['$ref']) };
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (MAPS.includes(k) && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, convert30(sub, ref)]));
    else if (LISTS.includes(k) && Array.isArray(v)) out[k] = v.map((sub) => convert30(sub, ref));
    else if (SINGLES.includes(k)) out[k] = convert30(v, ref);
    else out[k] = v;
  }
  for (const [bound, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[bound] !== 'boolean') continue;
    if (out[bound] === true && typeof out[limit] === 'number') {
      out[bound] = out[limit];
      delete out[limit];
    } else delete out[bound];
  }
  if (out['nullable'] !== true) {
    delete out['nullable'];
    return out;
  }
  delete out['nullable'];
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  if (typeof out['type'] === 'string') return { ...out, type: [out['type'], 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/**
 * Validates bodies against the schemas of one OpenAPI 3.0 document. The
 * document's `components.schemas` are converted once and registered under
 * `id`; each response schema is compiled on first use.
 */
export class SpecBodyChecker {
  readonly ajv = independentAjv();
  private readonly cache = new Map<unknown, ValidateFunction>();

  constructor(doc: Obj, private readonly id = 'https://independent.test/spec.json') {
    const schemas = ((doc['components'] as Obj | undefined)?.['schemas'] ?? {}) as Obj;
    const converted = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, convert30(s, this.absolute)]));
    this.ajv.addSchema({ $id: this.id, components: { schemas: converted } });
  }

  private readonly absolute = (r: string): string => (r.startsWith('#') ? `${this.id}${r}` : r);

  /** Returns ajv's errors as `pointer: message` lines; empty when valid. */
  check(schema: unknown, value: unknown): string[] {
    let validate = this.cache.get(schema);
    if (!validate) {
      const converted = convert30(schema, this.absolute);
      validate = this.ajv.compile(typeof converted === 'object' && converted !== null ? (converted as Obj) : {});
      this.cache.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  }
}
