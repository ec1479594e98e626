import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cassetteSchemaPath } from '../cassette/index.js';

/** The default spec, relative to where mockdeck runs (a checkout of the repo, or a project that ships its own). */
export const DEFAULT_SPEC = 'specs/petstore.yaml';
export const DEFAULT_CASSETTES = 'cassettes';

/**
 * What `replay` serves when told nothing: `specs/petstore.yaml` and
 * `cassettes/` of the current folder when it has that spec, else the ones
 * shipped inside the mockdeck package, so `npx mockdeck replay` answers from
 * any folder, not only from a checkout of mockdeck.
 *
 * @example
 * embeddedDefault(undefined, undefined) // { spec: 'specs/petstore.yaml', cassettes: 'cassettes' } in a checkout
 */
export function embeddedDefault(spec: string | undefined, cassettes: string | undefined): { spec: string; cassettes: string } {
  if (spec !== undefined || existsSync(DEFAULT_SPEC)) return { spec: spec ?? DEFAULT_SPEC, cassettes: cassettes ?? DEFAULT_CASSETTES };
  const root = dirname(cassetteSchemaPath());
  const shown = (path: string): string => relative(process.cwd(), path) || '.';
  return { spec: shown(join(root, DEFAULT_SPEC)), cassettes: cassettes ?? shown(join(root, DEFAULT_CASSETTES)) };
}
