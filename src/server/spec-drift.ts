import { checkRequest, checkResponse, type SchemaValidator, type Spec } from '../spec/index.js';
import type { Cassette, Interaction, RecordedRequest } from '../types.js';
import { mediaTypeOf, parseBody } from './request-parts.js';

/** Recordings checked per operation when the spec changed: enough to see a changed shape, bounded on huge cassettes. */
export const DRIFT_SAMPLE = 5;

export interface DriftValidators {
  readonly params: SchemaValidator;
  readonly bodies: SchemaValidator;
}

/**
 * A cassette recorded against another spec version is served, with a warning
 * naming what changed: operations gone from the spec, and operations whose
 * first {@link DRIFT_SAMPLE} recordings no longer validate (with the first
 * finding). Runs only when the recorded spec hash differs.
 *
 * @example
 * specDriftWarning('petstore', cassette, spec, { params, bodies }) // [] when the hashes match
 */
export function specDriftWarning(name: string, cassette: Cassette, spec: Spec, validators: DriftValidators): string[] {
  const recorded = cassette.meta.spec;
  if (!recorded || recorded.sha256 === spec.info.sha256) return [];
  const { missing, changed } = driftByOperation(cassette.interactions, spec, validators);
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`operations no longer in the spec: ${missing.join(', ')}`);
  if (changed.length > 0) parts.push(`recordings that no longer validate against the spec: ${changed.join(', ')} (run mockdeck verify for every finding)`);
  const what = parts.length > 0 ? `; ${parts.join('; ')}` : `; recorded operations still exist and their first recordings still validate (run mockdeck verify for a full check)`;
  return [`cassette "${name}" was recorded against ${recorded.title} ${recorded.version} (sha256 ${recorded.sha256.slice(0, 12)}…), the spec is now ${spec.info.title} ${spec.info.apiVersion} (${spec.info.sha256.slice(0, 12)}…)${what}`];
}

/** Operation ids gone from the spec, and `id (first finding)` for those whose sampled recordings break it. */
function driftByOperation(interactions: readonly Interaction[], spec: Spec, validators: DriftValidators): { missing: string[]; changed: string[] } {
  const sampled = new Map<string, Interaction[]>();
  for (const i of interactions) {
    if (i.operationId === null) continue;
    const list = sampled.get(i.operationId);
    if (!list) sampled.set(i.operationId, [i]);
    else if (list.length < DRIFT_SAMPLE) list.push(i);
  }
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [id, list] of sampled) {
    const op = spec.operationById(id);
    if (!op) {
      missing.push(id);
      continue;
    }
    const resolved = spec.resolve(op);
    for (const i of list) {
      const finding = firstFinding(i, resolved, spec, validators);
      if (finding === undefined) continue;
      changed.push(`${id} (${finding})`);
      break;
    }
  }
  return { missing, changed };
}

/** The first way one recording breaks its operation, as `<where> <pointer> <message>`, or undefined. */
function firstFinding(i: Interaction, op: ReturnType<Spec['resolve']>, spec: Spec, validators: DriftValidators): string | undefined {
  const { request, response } = i;
  try {
    const res = checkResponse(op, { status: response.status, headers: response.headers, body: response.bodyEncoding === 'json' ? response.body : undefined, mediaType: mediaTypeOf(response.headers['content-type']) }, spec.info.version, validators.bodies);
    const r = res.findings[0];
    if (r) return `${response.status} response ${r.pointer || '/'}: ${r.message}`;
    const mediaType = mediaTypeOf(request.headers['content-type']);
    const q = checkRequest(op, { pathParams: request.pathParams, query: request.query, headers: request.headers, body: requestBody(request, mediaType), mediaType }, validators.params, validators.bodies)[0];
    return q ? `request ${q.pointer}: ${q.message}` : undefined;
  } catch (err) {
    // A schema ajv cannot compile must not stop the mock from starting: the warning says so instead.
    return `could not be checked: ${(err as Error).message}`;
  }
}

/** The recorded request body as checkRequest wants it: JSON value, form object, raw text or base64, or undefined when none. */
function requestBody(request: RecordedRequest, mediaType: string | undefined): unknown {
  if (request.bodyEncoding === 'json') return request.body;
  if (request.body === null || request.body === '') return undefined;
  if (request.bodyEncoding === 'utf8' && mediaType === 'application/x-www-form-urlencoded') return parseBody(Buffer.from(String(request.body), 'utf8'), mediaType);
  return request.body;
}
