import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CONFIG_SCHEMA, type ConfigFile } from './config-schema.js';
import type { ConfigErrorFactory } from './config-error.js';
import { didYouMean, segmentsOf } from './key-path.js';

let compiled: ValidateFunction<ConfigFile> | undefined;
/** Compiled on first use, once per process. */
const schemaValidator = (): ValidateFunction<ConfigFile> =>
  (compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true }).compile<ConfigFile>(CONFIG_SCHEMA));

/**
 * Checks a parsed config against the schema and the rules a schema cannot
 * say (unique names, a target for onMiss: proxy...). Throws the first
 * problem as MOCKDECK_ERR_CONFIG_INVALID naming the key path.
 */
export function validateConfig(value: unknown, fail: ConfigErrorFactory): ConfigFile {
  const validateSchema = schemaValidator();
  if (!validateSchema(value)) throw schemaError(firstError(validateSchema.errors ?? []), fail);
  checkMocks(value, fail);
  return value;
}

/**
 * The one error to report: the first in schema order, except that a failed
 * anyOf speaks for its branches, and an unknown key beats a missing one on the
 * same mapping (`mock:` is a typo of `mocks:`, not a missing `mocks:`).
 */
function firstError(errors: readonly ErrorObject[]): ErrorObject {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const relevant = errors.filter((e) => !anyOfs.some((a) => e !== a && e.schemaPath.startsWith(`${a.schemaPath}/`)));
  const first = relevant[0] as ErrorObject;
  if (first.keyword !== 'required') return first;
  return relevant.find((e) => e.keyword === 'additionalProperties' && e.instancePath === first.instancePath) ?? first;
}

function schemaError(error: ErrorObject, fail: ConfigErrorFactory) {
  const segments = segmentsOf(error.instancePath);
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const guess = didYouMean(key, allowed);
      return fail(segments, `unknown key "${key}"; ${guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`}`, { key });
    }
    case 'required':
      return fail(segments, `missing required key "${(error.params as { missingProperty: string }).missingProperty}"${description ? `; expected ${description}` : ''}`);
    case 'uniqueItems': {
      const { i } = error.params as { i: number; j: number };
      return fail(segments, `lists ${JSON.stringify((error.data as unknown[])[i])} twice; list each name once`);
    }
    case 'minItems':
    case 'minLength':
    case 'type':
    case 'pattern':
    case 'enum':
    case 'minimum':
    case 'maximum':
    case 'maxLength':
    case 'anyOf':
      return fail(segments, `must be ${description ?? error.message}; got ${isKeyPath(segments) ? kindOf(error.data) : shown(error.data)}${quoteHint(error)}`);
    default:
      return fail(segments, error.message ?? `breaks the ${error.keyword} rule`);
  }
}

/** Values under these paths are keys: errors describe them by kind, never by value. */
const isKeyPath = (segments: ReadonlyArray<string | number>): boolean => segments.includes('apiKeys') || (segments[0] === 'admin' && segments[1] === 'key');

function kindOf(data: unknown): string {
  if (typeof data === 'string') return data === '' ? 'an empty string' : 'a string, not shown as it is a key';
  return data === null || Array.isArray(data) || typeof data === 'object' ? shown(data) : `a ${typeof data}, not shown as it is a key`;
}

function shown(data: unknown): string {
  if (data === null) return 'nothing (null)';
  if (Array.isArray(data)) return data.length === 0 ? 'an empty list' : 'a list';
  if (typeof data === 'object') return 'a mapping';
  const text = JSON.stringify(data);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** YAML reads `12345` or `true` as a number or boolean; a string was wanted. */
function quoteHint(error: ErrorObject): string {
  const wantsString = error.keyword === 'type' && (error.params as { type: string | string[] }).type === 'string';
  return wantsString && (typeof error.data === 'number' || typeof error.data === 'boolean') ? '; quote it in YAML' : '';
}

function checkMocks(config: ConfigFile, fail: ConfigErrorFactory): void {
  const byName = new Map<string, number>();
  config.mocks.forEach((mock, i) => {
    const first = byName.get(mock.name);
    if (first !== undefined) throw fail(['mocks', i, 'name'], `"${mock.name}" is already the name of mocks[${first}]; give each mock a unique name`);
    byName.set(mock.name, i);
    if (mock.port !== undefined && mock.basePath !== undefined) {
      throw fail(['mocks', i], 'has both port and basePath; use port for a port of its own, or basePath to share the top-level port', { key: 'basePath' });
    }
    if (mock.basePath === '/__mockdeck' || mock.basePath?.startsWith('/__mockdeck/')) throw fail(['mocks', i, 'basePath'], '/__mockdeck is reserved for the admin API; pick another base path');
    if (mock.onMiss === 'proxy' && mock.target === undefined) throw fail(['mocks', i, 'onMiss'], 'proxy needs a target; add target: https://… to this mock, or use onMiss: spec');
    if (mock.target !== undefined) checkTarget(mock.target, ['mocks', i, 'target'], fail);
    if (mock.insecure === true && (mock.target === undefined || new URL(mock.target).protocol !== 'https:')) throw fail(['mocks', i, 'insecure'], 'only applies to an https target; add target: https://… to this mock, or remove insecure');
    if (mock.access?.in === 'bearer' && mock.access.name !== undefined) throw fail(['mocks', i, 'access', 'name'], 'is not used with in: bearer (the key goes in Authorization: Bearer <key>); remove it');
  });
}

function checkTarget(target: string, segments: Array<string | number>, fail: ConfigErrorFactory): void {
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw fail(segments, `must be an absolute http(s) URL such as https://staging.example.com; got ${JSON.stringify(target)}`);
}
