import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { MockdeckError } from '../errors.js';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const SCHEMA_FILE = 'cassette.schema.json';
const SCHEMA_ID = 'https://mockdeck.dev/cassette.schema.json';

/** The parts of the schema a caller can check a value against. */
export type CassetteSchemaPart = 'cassetteMeta' | 'operationFile' | 'interaction';

/**
 * Absolute path of `cassette.schema.json`. It sits at the package root, which is
 * the nearest folder above this module holding a package.json: that is the repo
 * root for `src/cassette/` and `dist/src/cassette/`, and the package folder when
 * mockdeck is installed under node_modules.
 *
 * @example
 * readFileSync(cassetteSchemaPath(), 'utf8')
 */
export function cassetteSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, SCHEMA_FILE);
    const parent = dirname(dir);
    if (parent === dir) {
      throw new MockdeckError('MOCKDECK_ERR_INTERNAL_UNEXPECTED', { reason: `no package root above ${fileURLToPath(import.meta.url)} to load ${SCHEMA_FILE} from` });
    }
    dir = parent;
  }
}

let validators: Record<CassetteSchemaPart, ValidateFunction> | undefined;

/** Compiles the schema once per process; every later read reuses the functions. */
function getValidators(): Record<CassetteSchemaPart, ValidateFunction> {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(cassetteSchemaPath(), 'utf8')) as Record<string, unknown>;
  // allErrors stays off: the first failing keyword is enough to name the file and
  // pointer, and stopping early keeps reads of big cassettes fast.
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema(schema);
  const part = (name: CassetteSchemaPart): ValidateFunction => {
    const fn = ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`);
    if (!fn) throw new MockdeckError('MOCKDECK_ERR_INTERNAL_UNEXPECTED', { reason: `${SCHEMA_FILE} has no $defs/${name}` });
    return fn;
  };
  validators = { cassetteMeta: part('cassetteMeta'), operationFile: part('operationFile'), interaction: part('interaction') };
  return validators;
}

/**
 * Throws CASSETTE_SCHEMA naming `file` and the JSON pointer of the most specific
 * violation when `value` breaks the `part` of the cassette schema.
 *
 * @example
 * assertSchema('operationFile', JSON.parse(text), 'cassettes/petstore/getPetById.json')
 */
export function assertSchema(part: CassetteSchemaPart, value: unknown, file: string, pointerPrefix = ''): void {
  const validate = getValidators()[part];
  if (validate(value)) return;
  const { pointer, reason } = describeViolation(validate.errors ?? []);
  throw new MockdeckError('MOCKDECK_ERR_CASSETTE_SCHEMA', { file, pointer: pointerPrefix + pointer, reason });
}

/**
 * Picks the deepest error: for `anyOf`/`if-then` ajv also reports the parent
 * keyword, which says less than the branch error under it.
 */
function describeViolation(errors: ErrorObject[]): { pointer: string; reason: string } {
  let best: ErrorObject | undefined;
  for (const err of errors) {
    if (!best || depth(err.instancePath) > depth(best.instancePath)) best = err;
  }
  if (!best) return { pointer: '', reason: 'does not match the schema' };
  const params = best.params as Record<string, unknown>;
  switch (best.keyword) {
    case 'required':
      return { pointer: `${best.instancePath}/${escapePointer(String(params.missingProperty))}`, reason: 'required property is missing' };
    case 'additionalProperties':
      return { pointer: `${best.instancePath}/${escapePointer(String(params.additionalProperty))}`, reason: 'property is not allowed here' };
    case 'enum':
      return { pointer: best.instancePath, reason: `must be one of ${JSON.stringify(params.allowedValues)}` };
    case 'const':
      return { pointer: best.instancePath, reason: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { pointer: best.instancePath, reason: best.message ?? 'does not match the schema' };
  }
}

const depth = (pointer: string): number => (pointer === '' ? 0 : pointer.split('/').length);

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
