import { join } from 'node:path';
import { loadCassette } from '../cassette/index.js';
import { readHar } from './har-read.js';
import { cassetteToHar } from './har-write.js';
import { importIntoCassette, type ImportOptions, type ImportSummary } from './import-into-cassette.js';
import type { Har } from 'har-format';

/**
 * `mockdeck import har`: reads a HAR 1.2 file and merges it into a cassette,
 * all or nothing (see readHar and importIntoCassette).
 *
 * @example
 * const summary = await importHar('session.har', { cassettesDir: 'cassettes', cassette: 'checkout', spec: 'specs/petstore.yaml' })
 */
export async function importHar(file: string, options: ImportOptions): Promise<ImportSummary> {
  return importIntoCassette(await readHar(file), options);
}

/**
 * `mockdeck export har`: a cassette as a HAR 1.2 log. URLs get `baseUrl`,
 * else the cassette's recorded target, else http://127.0.0.1:4010.
 *
 * @example
 * const har = await exportHar({ cassettesDir: 'cassettes', cassette: 'petstore' })
 */
export async function exportHar(options: { cassettesDir: string; cassette: string; baseUrl?: string }): Promise<Har> {
  const cassette = await loadCassette(join(options.cassettesDir, options.cassette));
  return cassetteToHar(cassette, { baseUrl: options.baseUrl ?? cassette.meta.target ?? DEFAULT_BASE_URL });
}

/** Where `mockdeck replay` listens by default. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4010';

export { readHar, cassetteToHar };
