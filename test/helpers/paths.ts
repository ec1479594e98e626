import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** Repository root, whether tests run from `test/` or the compiled `dist/test/`. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export const fromRoot = (...parts: string[]): string => resolve(ROOT, ...parts);
