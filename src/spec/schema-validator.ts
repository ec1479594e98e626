import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { loadAjv } from '../lazy-ajv.js';
import type { JsonSchema } from './schema-bundle.js';

export interface ValidationFinding {
  pointer: string;
  message: string;
}

/**
 * Validates values against bundled (self-contained) JSON Schemas. Nothing
 * happens at construction: the ajv instance is made on the first check, and
 * each schema object is compiled on first use and cached, so only schemas a
 * request reaches are ever compiled, each once.
 */
export class SchemaValidator {
  private ajv: Ajv2020 | undefined;
  private readonly cache = new WeakMap<object, ValidateFunction>();
  private compiledCount = 0;

  /** `coerce` turns query/path/header strings into the types their schema asks for. */
  constructor(private readonly options: { coerce?: boolean } = {}) {}

  /** How many schemas have been compiled so far (each schema object at most once). */
  get compiled(): number {
    return this.compiledCount;
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

  private instance(): Ajv2020 {
    if (this.ajv) return this.ajv;
    const { Ajv, addFormats } = loadAjv();
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      verbose: true,
      logger: false,
      validateFormats: true,
      coerceTypes: this.options.coerce ? 'array' : false,
      discriminator: false,
      unicodeRegExp: false,
    });
    addFormats(ajv);
    // OpenAPI formats ajv-formats does not know: accept, as the spec says they are hints.
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'decimal']) ajv.addFormat(f, true);
    this.ajv = ajv;
    return ajv;
  }

  private compile(schema: Record<string, unknown>): ValidateFunction {
    let fn = this.cache.get(schema);
    if (!fn) {
      this.compiledCount++;
      const ajv = this.instance();
      try {
        fn = ajv.compile(schema);
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

/** A property name as one RFC 6901 reference token: `~` and `/` escaped. */
const pointerToken = (name: unknown): string => String(name).replace(/~/g, '~0').replace(/\//g, '~1');

function toFinding(e: ErrorObject, base: string): ValidationFinding {
  let pointer = base + e.instancePath;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    pointer += '/' + pointerToken((e.params as { missingProperty: string }).missingProperty);
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    pointer += '/' + pointerToken((e.params as { additionalProperty: string }).additionalProperty);
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
