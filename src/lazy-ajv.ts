import { createRequire } from 'node:module';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';

type AjvClass = new (options: Options) => Ajv2020;

let ajvModules: { Ajv: AjvClass; addFormats: (ajv: Ajv2020) => Ajv2020 } | undefined;

/**
 * ajv (its 2020-12 build) and ajv-formats, required on first use: loading them
 * costs a start about 50 ms, and a replay that compiles no schema (cassette
 * validators generated at build time, no request validation) never needs
 * them. Both are CommonJS, so `require` keeps the callers synchronous.
 *
 * @example
 * const { Ajv, addFormats } = loadAjv(); const ajv = addFormats(new Ajv({ strict: true }))
 */
export function loadAjv(): NonNullable<typeof ajvModules> {
  if (!ajvModules) {
    const require = createRequire(import.meta.url);
    const ajv = require('ajv/dist/2020.js') as { Ajv2020: AjvClass };
    const formats = require('ajv-formats') as { default?: (ajv: Ajv2020) => Ajv2020 } & ((ajv: Ajv2020) => Ajv2020);
    ajvModules = { Ajv: ajv.Ajv2020, addFormats: formats.default ?? formats };
  }
  return ajvModules;
}
