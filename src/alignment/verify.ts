import { join } from 'node:path';
import { listCassetteNames, loadCassette } from '../cassette/index.js';
import { checkRequest, checkResponse, loadSpec, SchemaValidator, type Operation, type ResolvedOperation, type Spec } from '../spec/index.js';
import type { Cassette, Interaction, RecordedRequest, StoredHeaders } from '../types.js';
import { FINDING_KINDS, UNTAGGED, type CoverageCount, type FindingKind, type VerifyFinding, type VerifyReport } from './verify-report.js';

export interface VerifyInput {
  spec: Spec;
  /** Cassettes to check, by name. */
  cassettes: ReadonlyArray<{ name: string; cassette: Cassette }>;
  /** Recordings older than this are stale; null = no age check. */
  maxAgeMs: number | null;
  /** Overall coverage (percent) below which uncovered operations fail the run. Default 100. */
  minCoverage?: number;
  now?: Date;
  /** Called as interactions are checked (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

const YIELD_EVERY = 100;

interface Tally {
  recordings: number;
  findings: number;
}

/**
 * Compares cassettes with the spec as it is now. Every recording is routed
 * and checked again with the current spec (the `alignment` stored at record
 * time is not trusted: the spec may have changed since). Findings: operations
 * nobody recorded (with coverage per tag), recordings that match no
 * operation, responses that break the documented status list or response
 * schema, requests that break the request schema, and stale recordings.
 *
 * @example
 * const report = await verifyCassettes({ spec, cassettes: [{ name: 'petstore', cassette }], maxAgeMs: 30 * 86_400_000 })
 * report.ok // false when drift was found
 */
export async function verifyCassettes(input: VerifyInput): Promise<VerifyReport> {
  const { spec } = input;
  const now = input.now ?? new Date();
  const minCoverage = input.minCoverage ?? 100;
  const params = new SchemaValidator({ coerce: true });
  const bodies = new SchemaValidator();
  const tally = new Map<string, Tally>(spec.operations.map((op) => [op.id, { recordings: 0, findings: 0 }]));
  const findings: VerifyFinding[] = [];
  const total = input.cassettes.reduce((n, c) => n + c.cassette.interactions.length, 0);
  let done = 0;
  for (const { name, cassette } of input.cassettes) {
    for (const interaction of cassette.interactions) {
      findings.push(...checkInteraction(interaction, name, { spec, params, bodies, tally, now, maxAgeMs: input.maxAgeMs }));
      if (++done % YIELD_EVERY === 0) {
        input.onProgress?.(done, total);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  input.onProgress?.(total, total);
  for (const op of spec.operations) {
    const t = tally.get(op.id) as Tally;
    if (t.recordings > 0) continue;
    t.findings++;
    findings.push(finding('uncovered-operation', `no recording of ${op.id} (${op.method} ${op.path})`, { operationId: op.id, method: op.method, path: op.path }));
  }
  findings.sort(byKindThenPlace);
  const coverage = coverageOf(spec.operations, tally);
  const counts = countKinds(findings);
  const failing = counts.total - counts['uncovered-operation'] > 0 || coverage.overall.percent < minCoverage;
  return {
    formatVersion: 1,
    ok: !failing,
    checkedAt: now.toISOString(),
    spec: { file: spec.info.file, title: spec.info.title, version: spec.info.apiVersion, sha256: spec.info.sha256 },
    cassettes: input.cassettes.map(({ name, cassette }) => ({ name, interactions: cassette.interactions.length, recordedAgainst: cassette.meta.spec, sameSpec: cassette.meta.spec?.sha256 === spec.info.sha256 })),
    options: { maxAgeMs: input.maxAgeMs, minCoverage },
    coverage,
    operations: spec.operations.map((op) => ({ operationId: op.id, method: op.method, path: op.path, tags: op.tags, ...(tally.get(op.id) as Tally) })),
    findings,
    counts,
  };
}

/**
 * Loads the spec and the cassettes (all under `cassettesDir` when `names` is
 * empty) and verifies them. Bad files are typed errors naming file and pointer.
 *
 * @example
 * await verifyFiles({ specFile: 'specs/petstore.yaml', cassettesDir: 'cassettes', names: [], maxAgeMs: null })
 */
export async function verifyFiles(options: { specFile: string; cassettesDir: string; names: readonly string[] } & Omit<VerifyInput, 'spec' | 'cassettes'>): Promise<VerifyReport> {
  const spec = await loadSpec(options.specFile);
  const names = options.names.length > 0 ? [...options.names] : await listCassetteNames(options.cassettesDir);
  const cassettes = await Promise.all(names.map(async (name) => ({ name, cassette: await loadCassette(join(options.cassettesDir, name)) })));
  return verifyCassettes({ ...options, spec, cassettes });
}

interface CheckContext {
  spec: Spec;
  params: SchemaValidator;
  bodies: SchemaValidator;
  tally: Map<string, Tally>;
  now: Date;
  maxAgeMs: number | null;
}

function checkInteraction(i: Interaction, cassette: string, ctx: CheckContext): VerifyFinding[] {
  const { request, response } = i;
  const place = { cassette, interactionId: i.id, method: request.method, path: request.path, status: response.status, recordedAt: i.recordedAt };
  const route = ctx.spec.route(request.method, request.path);
  const out: VerifyFinding[] = [];
  if (route.kind !== 'operation') {
    const why = route.kind === 'method-not-allowed' ? `; ${route.template} allows ${route.allow.join(', ')}` : '';
    const was = i.operationId ? ` (recorded as ${i.operationId})` : '';
    out.push(finding('unmatched-recording', `${request.method} ${request.path} matches no operation of ${ctx.spec.info.title} ${ctx.spec.info.apiVersion}${why}${was}`, { ...place, operationId: null }));
  } else {
    const op = ctx.spec.resolve(route.operation);
    const at = { ...place, operationId: op.id };
    const mediaType = mediaTypeOf(response.headers);
    const res = checkResponse(op, { status: response.status, headers: response.headers, body: response.bodyEncoding === 'json' ? response.body : undefined, mediaType }, ctx.spec.info.version, ctx.bodies);
    for (const f of res.findings) out.push(finding('response-drift', `${request.method} ${request.path} → ${response.status}: ${f.pointer || '/'} ${f.message}`, { ...at, pointer: f.pointer }));
    const req = checkRequest(anchored(op), { pathParams: route.params, query: request.query, headers: request.headers, body: requestBodyValue(request), mediaType: mediaTypeOf(request.headers) }, ctx.params, ctx.bodies);
    for (const f of req) out.push(finding('request-drift', `${request.method} ${request.path}: ${f.pointer} ${f.message}`, { ...at, pointer: f.pointer }));
  }
  const age = ctx.now.getTime() - Date.parse(i.recordedAt);
  if (ctx.maxAgeMs !== null && age > ctx.maxAgeMs) {
    out.push(finding('stale-recording', `${request.method} ${request.path} was recorded ${Math.floor(age / 86_400_000)} day(s) ago (${i.recordedAt}), past --max-age`, { ...place, operationId: route.kind === 'operation' ? route.operation.id : null }));
  }
  if (route.kind === 'operation') {
    const t = ctx.tally.get(route.operation.id) as Tally;
    t.recordings++;
    t.findings += out.length;
  }
  return out;
}

const anchoredOps = new WeakMap<ResolvedOperation, ResolvedOperation>();

/**
 * checkRequest wraps each parameter schema in `{ properties: { v: schema } }`,
 * which leaves the schema's own `$defs` out of reach of its `#/$defs/...` refs
 * (`status: { $ref: PetStatus }` fails with "can't resolve reference"). Local
 * refs of parameter schemas are inlined here so they check as written.
 * Harmless once checkRequest is fixed; memoized per operation.
 */
function anchored(op: ResolvedOperation): ResolvedOperation {
  let out = anchoredOps.get(op);
  if (!out) {
    const parameters = op.parameters.map((p) => {
      if (typeof p.schema !== 'object' || p.schema === null || !('$defs' in p.schema)) return p;
      const { $defs, ...root } = p.schema as Record<string, unknown>;
      return { ...p, schema: inlineRefs(root, ($defs ?? {}) as Record<string, unknown>, []) as typeof p.schema };
    });
    out = { ...op, parameters };
    anchoredOps.set(op, out);
  }
  return out;
}

/** Replaces `#/$defs/X` refs by their target; a recursive one is left as `{}` (accepts anything) rather than looping. */
function inlineRefs(node: unknown, defs: Record<string, unknown>, seen: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, defs, seen));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inlineRefs(v, defs, seen)]));
  if (typeof $ref !== 'string' || !$ref.startsWith('#/$defs/')) return $ref === undefined ? out : { ...out, $ref };
  const name = decodeURIComponent($ref.slice('#/$defs/'.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  if (seen.includes(name) || !(name in defs)) return out;
  return { allOf: [inlineRefs(defs[name], defs, [...seen, name])], ...out };
}

/** The request body as checkRequest wants it: parsed JSON or form, text, or undefined when none was sent. */
function requestBodyValue(request: RecordedRequest): unknown {
  if (request.bodyEncoding === 'json') return request.body;
  if (request.body === null || request.body === '') return undefined;
  if (request.bodyEncoding === 'utf8' && mediaTypeOf(request.headers) === 'application/x-www-form-urlencoded') {
    const form: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(String(request.body))) {
      const prev = form[k];
      form[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return form;
  }
  return request.body;
}

function mediaTypeOf(headers: StoredHeaders): string | undefined {
  const v = headers['content-type'];
  const first = Array.isArray(v) ? v[0] : v;
  return first?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function finding(kind: FindingKind, message: string, at: Partial<Omit<VerifyFinding, 'kind' | 'message'>> & { method: string; path: string }): VerifyFinding {
  return { kind, message, operationId: null, cassette: null, interactionId: null, pointer: null, status: null, recordedAt: null, ...at };
}

function byKindThenPlace(a: VerifyFinding, b: VerifyFinding): number {
  const order = FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind);
  if (order !== 0) return order;
  for (const key of ['operationId', 'cassette', 'path', 'recordedAt', 'interactionId', 'pointer'] as const) {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

function coverageOf(operations: readonly Operation[], tally: Map<string, Tally>): VerifyReport['coverage'] {
  const count = (ops: readonly Operation[]): CoverageCount => {
    const covered = ops.filter((op) => (tally.get(op.id)?.recordings ?? 0) > 0).length;
    return { covered, total: ops.length, percent: ops.length === 0 ? 100 : Math.floor((covered / ops.length) * 1000) / 10 };
  };
  const tags = [...new Set(operations.flatMap((op) => (op.tags.length > 0 ? op.tags : [UNTAGGED])))].sort();
  const byTag = Object.fromEntries(tags.map((tag) => [tag, count(operations.filter((op) => (op.tags.length > 0 ? op.tags.includes(tag) : tag === UNTAGGED)))]));
  return { overall: count(operations), byTag };
}

function countKinds(findings: readonly VerifyFinding[]): VerifyReport['counts'] {
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) counts[f.kind]++;
  return { ...counts, total: findings.length };
}
