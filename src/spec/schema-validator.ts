import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './schema-bundle.js';

export interface ValidationFinding {
  pointer: string;
  message: string;
}

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/**
 * Validates values against bundled (self-contained) JSON Schemas. Compilation
 * is lazy and cached per schema object, so only schemas a request reaches are
 * ever compiled.
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new WeakMap<object, ValidateFunction>();

  /** `coerce` turns query/path/header strings into the types their schema asks for. */
  constructor(options: { coerce?: boolean } = {}) {
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      verbose: true,
      logger: false,
      validateFormats: true,
      coerceTypes: options.coerce ? 'array' : false,
      discriminator: false,
      unicodeRegExp: false,
    });
    addFormats(this.ajv);
    // OpenAPI formats ajv-formats does not know: accept, as the spec says they are hints.
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'decimal']) this.ajv.addFormat(f, true);
  }

  /**
   * Returns the violations of `value` against `schema`, each with a JSON
   * pointer prefixed by `base` (e.g. `/body`).
   */
  check(schema: JsonSchema, value: unknown, base = ''): ValidationFinding[] {
    if (schema === true) return [];
    if (schema === false) return [{ pointer: base || '/', message: 'no value is allowed here' }];
    const validate = this.compile(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => toFinding(e, base));
  }

  private compile(schema: Record<string, unknown>): ValidateFunction {
    let fn = this.cache.get(schema);
    if (!fn) {
      try {
        fn = this.ajv.compile(schema);
      } catch (err) {
        // A schema ajv cannot compile (e.g. an invalid regex pattern) must not take the
        // mock down: it validates nothing and says so once per value.
        const message = `schema cannot be compiled: ${(err as Error).message}`;
        fn = Object.assign(() => false, { errors: [{ instancePath: '', message, keyword: 'compile', params: {}, schemaPath: '' }] }) as unknown as ValidateFunction;
      }
      this.cache.set(schema, fn);
    }
    return fn;
  }
}

function toFinding(e: ErrorObject, base: string): ValidationFinding {
  let pointer = base + e.instancePath;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    pointer += '/' + String((e.params as { missingProperty: string }).missingProperty).replace(/~/g, '~0').replace(/\//g, '~1');
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    pointer += '/' + String((e.params as { additionalProperty: string }).additionalProperty);
    message = 'is not allowed (additionalProperties: false)';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  } else if (e.keyword === 'type') {
    message = `expected ${String((e.params as { type: string }).type)}, got ${typeName(e.data)}`;
  }
  return { pointer: pointer || '/', message };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
