import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cassetteSchemaPath } from '../cassette/index.js';

let version: string | undefined;

/**
 * mockdeck's own version (the `creator` of exported HAR files): read once from
 * the package.json beside cassette.schema.json, the package root.
 *
 * @example
 * mockdeckVersion() // '0.1.0'
 */
export function mockdeckVersion(): string {
  version ??= String((JSON.parse(readFileSync(join(dirname(cassetteSchemaPath()), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  return version;
}
