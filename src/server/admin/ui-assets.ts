import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard's static files (`src/ui/`), shipped in the package as they
 * are: no bundler, no CDN. They are looked up from this module both when it
 * runs from `src/` and from the compiled `dist/src/`, so a plain `tsc` build
 * serves them without a copy step.
 */
const CANDIDATES = ['../../ui/', '../../../../src/ui/'];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface UiAsset {
  readonly bytes: Buffer;
  readonly type: string;
}

/** Folder holding the dashboard's files, or an error naming where it looked. */
export function uiDir(): string {
  for (const rel of CANDIDATES) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error(`mockdeck dashboard files not found (looked in ${CANDIDATES.map((r) => fileURLToPath(new URL(r, import.meta.url))).join(', ')}); the package is incomplete, reinstall it`);
}

let cache: ReadonlyMap<string, UiAsset> | undefined;

/** Every file of the dashboard folder by name, read once. Only these names are ever served. */
export function uiAssets(): ReadonlyMap<string, UiAsset> {
  if (cache) return cache;
  const dir = uiDir();
  const files = new Map<string, UiAsset>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[extname(entry.name)];
    if (entry.isFile() && type) files.set(entry.name, { bytes: readFileSync(dir + entry.name), type });
  }
  cache = files;
  return files;
}

/** A dashboard file by name; throws when the package lacks it. */
export function uiAsset(name: string): UiAsset {
  const asset = uiAssets().get(name);
  if (!asset) throw new Error(`mockdeck dashboard file ${name} is missing from ${uiDir()}; the package is incomplete, reinstall it`);
  return asset;
}
