import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { loadAjv } from '../lazy-ajv.js';
import { MockdeckError } from '../errors.js';

const SCHEMA_FILE = 'cassette.schema.json';
const SCHEMA_ID = 'https://mockdeck.dev/cassette.schema.json';

/** The parts of the schema a caller can check a value against. */
export type CassetteSchemaPart = 'cassetteMeta' | 'operationFile' | 'interaction';

export { PARTS as CASSETTE_SCHEMA_PARTS };

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

const PARTS: readonly CassetteSchemaPart[] = ['cassetteMeta', 'operationFile', 'interaction'];

/** The validators the build generated from the schema (see generate-validators.ts), next to this module. */
export const GENERATED_VALIDATORS = 'cassette-validators.cjs';

/**
 * The schema's validators, made once per process. The build writes them as
 * code (ajv's standalone output) beside this module, which loads in a few
 * milliseconds where compiling the schema took about a tenth of a second of
 * every start; they are used only when generated from the very schema file
 * this package holds (its sha256 is in the generated module). Otherwise, and
 * when running without a build, the schema is compiled here.
 */
function getValidators(): Record<CassetteSchemaPart, ValidateFunction> {
  if (validators) return validators;
  const text = readFileSync(cassetteSchemaPath(), 'utf8');
  validators = generatedValidators(sha256(text)) ?? compileValidators(newCassetteAjv(), JSON.parse(text) as Record<string, unknown>);
  return validators;
}

function generatedValidators(schemaSha256: string): Record<CassetteSchemaPart, ValidateFunction> | null {
  let generated: Partial<Record<CassetteSchemaPart, ValidateFunction>> & { schemaSha256?: string };
  try {
    generated = createRequire(import.meta.url)(`./${GENERATED_VALIDATORS}`) as typeof generated;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
  if (generated.schemaSha256 !== schemaSha256) return null;
  const { cassetteMeta, operationFile, interaction } = generated;
  return cassetteMeta && operationFile && interaction ? { cassetteMeta, operationFile, interaction } : null;
}

/**
 * The ajv instance the schema is compiled with, here and by the build.
 * allErrors stays off: the first failing keyword is enough to name the file
 * and pointer, and stopping early keeps reads of big cassettes fast.
 */
export function newCassetteAjv(options: { source?: boolean } = {}): Ajv2020 {
  const { Ajv, addFormats } = loadAjv();
  return addFormats(new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, ...(options.source ? { code: { source: true } } : {}) }));
}

/** Adds the schema to `ajv` and returns the validator of each part. */
export function compileValidators(ajv: Ajv2020, schema: Record<string, unknown>): Record<CassetteSchemaPart, ValidateFunction> {
  ajv.addSchema(schema);
  const out = {} as Record<CassetteSchemaPart, ValidateFunction>;
  for (const name of PARTS) {
    const fn = ajv.getSchema(partRef(name));
    if (!fn) throw new MockdeckError('MOCKDECK_ERR_INTERNAL_UNEXPECTED', { reason: `${SCHEMA_FILE} has no $defs/${name}` });
    out[name] = fn;
  }
  return out;
}

/** The schema reference of one part, as standalone code generation names it. */
export const partRef = (name: CassetteSchemaPart): string => `${SCHEMA_ID}#/$defs/${name}`;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

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
