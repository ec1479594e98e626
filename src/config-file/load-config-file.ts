import { readFile } from 'node:fs/promises';
import { MockdeckError } from '../errors.js';
import { configErrors } from './config-error.js';
import { parseConfigText } from './parse-config.js';
import type { ConfigFlags } from './precedence.js';
import { resolveConfig, type DeckPlan } from './resolve-config.js';
import { validateConfig } from './validate-config.js';

export interface LoadOptions {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads, validates and resolves a `mockdeck.config.yaml` once: YAML errors
 * with line and column, schema and layout errors with the key path, missing
 * specs and cassettes, unset env vars. The result is frozen and holds no key.
 *
 * @example
 * const plan = await loadConfigFile('mockdeck.config.yaml', { env: process.env });
 * const deck = await serveMany(plan);
 */
export async function loadConfigFile(file: string, options: LoadOptions = {}): Promise<DeckPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `${file}: no such config file. Pass --config with the path of a mockdeck.config.yaml (see README "Many mocks and access").` : `${file}: cannot be read (${code ?? (err as Error).message}).`;
    throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason }, { cause: err });
  }
  const { value, locate } = parseConfigText(text, file);
  const fail = configErrors(file, locate);
  const config = validateConfig(value, fail);
  return resolveConfig(config, { file, fail, flags: options.flags ?? {}, env: options.env ?? process.env });
}
