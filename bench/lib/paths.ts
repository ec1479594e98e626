import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whether this runs from `bench/` or the compiled `dist/bench/`. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export const fromRoot = (...parts: string[]): string => resolve(ROOT, ...parts);

/** The mockdeck CLI as users run it. */
export const MOCKDECK_BIN = fromRoot('bin/mockdeck.js');

export const BASELINES = {
  fastify: fromRoot('bench/baselines/bare-fastify.js'),
  proxy: fromRoot('bench/baselines/bare-proxy.js'),
  upstream: fromRoot('bench/baselines/upstream.js'),
} as const;

export const PETSTORE_SPEC = fromRoot('specs/petstore.yaml');
export const PETSTORE_CASSETTES = fromRoot('cassettes');
export const GITHUB_SPEC = fromRoot('node_modules/@octokit/openapi/generated/api.github.com.json');
export const UPSTREAM_SPEC = fromRoot('bench/specs/upstream.yaml');
