import { join } from 'node:path';
import { loadCassette } from '../cassette/index.js';
import { loadSpec } from '../spec/index.js';
import { DEFAULT_BASE_URL } from './har.js';
import { importIntoCassette, type ImportOptions, type ImportSummary } from './import-into-cassette.js';
import { readPostman } from './postman-read.js';
import { cassetteToPostman, specToPostman } from './postman-write.js';

/**
 * `mockdeck import postman`: the saved examples of a Postman collection v2.1
 * merged into a cassette, all or nothing.
 *
 * @example
 * await importPostman('petstore.postman_collection.json', { cassettesDir: 'cassettes', cassette: 'qa', spec: 'specs/petstore.yaml' })
 */
export async function importPostman(file: string, options: ImportOptions): Promise<ImportSummary> {
  return importIntoCassette(await readPostman(file), options);
}

/**
 * `mockdeck export postman`: from a spec (`specFile`) or from a cassette
 * (`cassette`); `{{baseUrl}}` is `baseUrl`, by default the mock's
 * http://127.0.0.1:4010.
 *
 * @example
 * await exportPostman({ specFile: 'specs/petstore.yaml' })
 * await exportPostman({ cassettesDir: 'cassettes', cassette: 'petstore' })
 */
export async function exportPostman(options: { specFile: string; baseUrl?: string } | { cassettesDir: string; cassette: string; baseUrl?: string }): Promise<Record<string, unknown>> {
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  if ('specFile' in options) return specToPostman(await loadSpec(options.specFile), { baseUrl });
  return cassetteToPostman(await loadCassette(join(options.cassettesDir, options.cassette)), { baseUrl });
}

export { readPostman, cassetteToPostman, specToPostman };
