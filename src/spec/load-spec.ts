import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { MockdeckError } from '../errors.js';
import { parseDocumentBytes } from './parse-document.js';
import { checkRefs, collectRefs, hasExternalRefs } from './check-refs.js';
import { externalRefError } from './external-ref-error.js';
import { buildSpec, type Spec } from './spec.js';
import type { SpecVersion } from './schema-bundle.js';

/**
 * Loads an OpenAPI 2.0 / 3.0 / 3.1 document (YAML or JSON, possibly split
 * across files) into a frozen {@link Spec}. Only the cheap part happens here:
 * parse, bundle external refs, check every internal ref, index operations.
 * Schemas are converted and compiled on first use.
 *
 * @example
 * const spec = await loadSpec('specs/petstore.yaml');
 * spec.route('GET', '/pets/7'); // { kind: 'operation', operation: { id: 'getPetById', ... }, params: { petId: '7' } }
 */
export async function loadSpec(file: string): Promise<Spec> {
  const abs = resolvePath(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new MockdeckError('MOCKDECK_ERR_SPEC_NOT_FOUND', { file }, { cause: err });
    }
    throw err;
  }
  const parsed = parseDocumentBytes(bytes, abs);
  if (!parsed.ok) throw new MockdeckError('MOCKDECK_ERR_SPEC_PARSE', { file, ...parsed.failure });
  let doc = parsed.value;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MockdeckError('MOCKDECK_ERR_SPEC_VERSION', { file, reason: 'the document is not an object' });
  }
  const version = specVersion(file, doc as Record<string, unknown>);
  let refs = collectRefs(doc);
  if (hasExternalRefs(doc, refs)) {
    doc = await bundleExternal(file, abs, doc);
    refs = collectRefs(doc);
  }
  checkRefs(file, doc as Record<string, unknown>, refs);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return buildSpec(file, sha256, version, doc as Record<string, unknown>);
}

function specVersion(file: string, doc: Record<string, unknown>): SpecVersion {
  const openapi = doc['openapi'];
  const swagger = doc['swagger'];
  if (typeof openapi === 'string') {
    if (/^3\.0\.\d+/.test(openapi)) return '3.0';
    if (/^3\.1\.\d+/.test(openapi)) return '3.1';
    throw new MockdeckError('MOCKDECK_ERR_SPEC_VERSION', { file, reason: `openapi: "${openapi}" is not supported` });
  }
  if (swagger !== undefined) {
    if (String(swagger) === '2.0') return '2.0';
    throw new MockdeckError('MOCKDECK_ERR_SPEC_VERSION', { file, reason: `swagger: "${String(swagger)}" is not supported` });
  }
  throw new MockdeckError('MOCKDECK_ERR_SPEC_VERSION', { file, reason: 'neither an `openapi` nor a `swagger` field was found' });
}

/** External `$ref`s (other files) are bundled into one document by swagger-parser. */
async function bundleExternal(file: string, abs: string, doc: unknown): Promise<unknown> {
  try {
    // Loaded on demand: most specs are one file, and start-up time matters.
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    return await SwaggerParser.bundle(abs);
  } catch (err) {
    throw externalRefError(file, abs, doc, err);
  }
}

/** A spec with no operations, for recording without one: every exchange is undocumented. */
export function emptySpec(): Spec {
  return buildSpec('(no spec)', '', '3.1', { openapi: '3.1.0', info: { title: '', version: '' }, paths: {} });
}
