import { MockdeckError } from '../errors.js';
import { joinPointer } from './json-pointer.js';
import { HTTP_METHODS, type HttpMethod, type Operation, type ResolvedOperation, type SecuritySchemeModel, type SpecInfo } from './operation-model.js';
import { PathRouter } from './path-router.js';
import { deref, resolveOperation, securitySchemes } from './resolve-operation.js';
import type { SpecVersion } from './schema-bundle.js';

export type RouteResult =
  | { kind: 'operation'; operation: Operation; params: Record<string, string>; path: string }
  | { kind: 'method-not-allowed'; template: string; allow: HttpMethod[] }
  | { kind: 'unknown-path' };

/** A loaded spec: frozen operation index plus lazily resolved operation details. */
export interface Spec {
  readonly info: SpecInfo;
  readonly doc: Readonly<Record<string, unknown>>;
  /** Base paths from `servers` (3.x) or `basePath` (2.0), longest first; '' always last. */
  readonly basePaths: readonly string[];
  readonly operations: readonly Operation[];
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeModel>>;
  route(method: string, path: string): RouteResult;
  operationById(id: string): Operation | undefined;
  /** Parameters, bodies, responses and security of an operation; memoized. */
  resolve(operation: Operation): ResolvedOperation;
  /** Strips a known base path from a request path. */
  relativePath(path: string): string;
}

export function buildSpec(file: string, sha256: string, version: SpecVersion, doc: Record<string, unknown>): Spec {
  const info = (doc['info'] ?? {}) as Record<string, unknown>;
  const router = new PathRouter();
  const byTemplate = new Map<string, Map<HttpMethod, Operation>>();
  const byId = new Map<string, Operation>();
  const operations: Operation[] = [];
  const paths = doc['paths'] ?? {};
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) {
    throw new MockdeckError('MOCKDECK_ERR_SPEC_INVALID', { file, pointer: '/paths', reason: 'expected an object of path items' });
  }
  for (const [template, rawItem] of Object.entries(paths)) {
    if (!template.startsWith('/')) throw new MockdeckError('MOCKDECK_ERR_SPEC_INVALID', { file, pointer: joinPointer('paths', template), reason: 'a path must start with "/"' });
    const item = deref(doc, rawItem);
    const methods = new Map<HttpMethod, Operation>();
    for (const m of HTTP_METHODS) {
      const raw = item[m];
      if (raw === undefined) continue;
      const pointer = joinPointer('paths', template, m);
      if (!raw || typeof raw !== 'object') throw new MockdeckError('MOCKDECK_ERR_SPEC_INVALID', { file, pointer, reason: 'expected an operation object' });
      const op = toOperation(raw as Record<string, unknown>, m.toUpperCase() as HttpMethod, template, pointer);
      const other = byId.get(op.id);
      if (other) throw new MockdeckError('MOCKDECK_ERR_SPEC_DUPLICATE_OPERATION_ID', { file, pointer: `${pointer}/operationId`, operationId: op.id, other: `${other.pointer}/operationId` });
      byId.set(op.id, op);
      methods.set(op.method, op);
      operations.push(op);
    }
    byTemplate.set(template, methods);
    router.add(template);
  }
  const schemes = securitySchemes(doc);
  const basePaths = serverBasePaths(doc, version);
  const resolved = new WeakMap<Operation, ResolvedOperation>();
  const ctx = { doc, version, schemes };

  const relativePath = (path: string): string => {
    for (const base of basePaths) {
      if (base !== '' && (path === base || path.startsWith(base + '/'))) return path.slice(base.length) || '/';
    }
    return path;
  };

  return Object.freeze({
    info: Object.freeze({ file, sha256, version, title: String(info['title'] ?? ''), apiVersion: String(info['version'] ?? '') }),
    doc,
    basePaths,
    operations: Object.freeze(operations),
    securitySchemes: Object.freeze(schemes),
    operationById: (id: string) => byId.get(id),
    relativePath,
    route(method: string, path: string): RouteResult {
      const rel = relativePath(path);
      const hit = router.match(rel) ?? (rel !== path ? router.match(path) : null);
      if (!hit) return { kind: 'unknown-path' };
      const methods = byTemplate.get(hit.template) as Map<HttpMethod, Operation>;
      const upper = method.toUpperCase() as HttpMethod;
      const operation = methods.get(upper) ?? (upper === 'HEAD' ? methods.get('GET') : undefined);
      if (!operation) return { kind: 'method-not-allowed', template: hit.template, allow: [...methods.keys()] };
      return { kind: 'operation', operation, params: hit.params, path: rel };
    },
    resolve(operation: Operation): ResolvedOperation {
      let r = resolved.get(operation);
      if (!r) {
        r = Object.freeze(resolveOperation(ctx, operation));
        resolved.set(operation, r);
      }
      return r;
    },
  });
}

function toOperation(raw: Record<string, unknown>, method: HttpMethod, path: string, pointer: string): Operation {
  const given = typeof raw['operationId'] === 'string' && raw['operationId'] !== '' ? raw['operationId'] : undefined;
  return Object.freeze({
    id: given ?? `${method} ${path}`,
    method,
    path,
    pointer,
    tags: Array.isArray(raw['tags']) ? raw['tags'].map(String) : [],
    summary: typeof raw['summary'] === 'string' ? raw['summary'] : undefined,
    synthesizedId: given === undefined,
  });
}

/** Path parts of `servers[].url` (variables filled with defaults) or 2.0 `basePath`. */
function serverBasePaths(doc: Record<string, unknown>, version: SpecVersion): string[] {
  const bases = new Set<string>();
  if (version === '2.0') {
    if (typeof doc['basePath'] === 'string') bases.add(doc['basePath']);
  } else if (Array.isArray(doc['servers'])) {
    for (const server of doc['servers'] as Array<Record<string, unknown>>) {
      if (typeof server?.['url'] !== 'string') continue;
      const vars = (server['variables'] ?? {}) as Record<string, { default?: unknown }>;
      const url = server['url'].replace(/\{([^}]+)\}/g, (_w, name: string) => String(vars[name]?.default ?? ''));
      try {
        bases.add(new URL(url, 'http://placeholder').pathname);
      } catch {
        // An unparsable server URL names no base path; routing still works without it.
      }
    }
  }
  const list = [...bases].map((b) => b.replace(/\/+$/, '')).filter((b) => b !== '');
  return [...list.sort((a, b) => b.length - a.length), ''];
}
