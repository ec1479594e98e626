import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { MockdeckError } from './errors.js';

/** What happens when no recording matches. */
export type OnMiss = 'spec' | '404' | 'proxy';
/** Recording: `new` records unseen requests and replays the rest; `all` re-records; `none` never forwards. */
export type RecordMode = 'new' | 'all' | 'none';
export type Latency = { kind: 'none' } | { kind: 'recorded' } | { kind: 'fixed'; ms: number };
export type KeyLocation = 'header' | 'query' | 'bearer';

export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'apiKey'; in: KeyLocation; name: string; /** sha256 digests; the keys themselves are never kept. */ digests: readonly Buffer[] };

/**
 * What a user passes to `createMock`. Everything but `spec` has a default.
 *
 * @example
 * createMock({ spec: 'specs/petstore.yaml', cassettes: ['petstore'], onMiss: 'spec' })
 */
export interface MockInput {
  name?: string;
  /** Path of the OpenAPI document; null records without one (everything lands in `_unmatched.json`). */
  spec: string | null;
  /** Folder holding one sub-folder per cassette. Default `cassettes`. */
  cassettesDir?: string;
  /** Cassette layers, later ones win on equal keys. Default: every cassette in `cassettesDir`. */
  cassettes?: string[];
  onMiss?: OnMiss;
  /** Origin to forward to for `onMiss: 'proxy'` and for recording. */
  target?: string;
  /** Skip TLS certificate checks of an https target (a self-signed staging host). Default false: certificates are verified. */
  insecure?: boolean;
  access?: { apiKeys?: string[]; in?: KeyLocation; name?: string };
  /** `none`, `recorded` (replay the recorded duration) or a fixed delay in ms. */
  latency?: 'none' | 'recorded' | number;
  validateRequests?: boolean;
  /** Mount the mock under a path prefix (several mocks on one port). */
  basePath?: string;
  host?: string;
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Request parts that must be equal for a recording to match (none by default but method, path, query, body). */
  match?: { headers?: string[]; ignoreQuery?: string[]; ignoreBodyPointers?: string[] };
  /** Extra things never written to disk: header/query names, or JSON pointers starting with `/`. */
  redact?: string[];
  /** Turns the mock into a recording proxy writing to this cassette. */
  record?: { cassette: string; mode?: RecordMode; timeoutMs?: number };
  /** Admin key(s) for `/__mockdeck/` (literal, `env:NAME` or `sha256:<hex>`); default: the access keys, or open on a public mock. */
  adminKey?: string | string[];
  /** Log one line per request (pino, to stdout). Default false for the library, true for the CLI. */
  log?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** Whether an explicitly given cassettesDir must exist. */
  requireCassettesDir?: boolean;
}

export interface MockConfig {
  readonly name: string;
  readonly spec: string | null;
  readonly cassettesDir: string;
  readonly cassettes: readonly string[] | 'all';
  readonly onMiss: OnMiss;
  readonly target: string | null;
  readonly insecure: boolean;
  readonly access: AccessPolicy;
  readonly latency: Latency;
  readonly validateRequests: boolean;
  readonly basePath: string;
  readonly host: string;
  readonly port: number;
  readonly match: { readonly headers: readonly string[]; readonly ignoreQuery: readonly string[]; readonly ignoreBodyPointers: readonly string[] };
  readonly redact: readonly string[];
  readonly record: { readonly cassette: string; readonly mode: RecordMode; readonly timeoutMs: number } | null;
  readonly adminDigests: readonly Buffer[] | null;
  readonly log: MockInput['log'];
  readonly requireCassettesDir: boolean;
}

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';

export const digestKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * Turns a key as written (literal, `env:NAME`, or `sha256:<hex>`) into its digest(s);
 * an env var may hold a comma list. `where` names the setting in errors
 * (e.g. `mocks[1].access.apiKeys[0]`), `file` the file it was read from.
 */
export function keyDigest(spec: string, where: string, env: NodeJS.ProcessEnv = process.env, file = '(options)'): Buffer[] {
  if (spec.startsWith('env:')) {
    const name = spec.slice(4);
    const value = env[name];
    if (value === undefined || value === '') throw new MockdeckError('MOCKDECK_ERR_CONFIG_ENV_UNSET', { path: where, name });
    const keys = value.split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length === 0) throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file, path: where, reason: `env var ${name} holds no key (only commas and spaces); put one or more comma-separated keys in it` });
    return keys.map(digestKey);
  }
  if (spec.startsWith('sha256:')) {
    const hex = spec.slice(7);
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file, path: where, reason: 'sha256: must be followed by 64 hex digits (the sha256 of the key, e.g. from `printf %s KEY | sha256sum`)' });
    return [Buffer.from(hex, 'hex')];
  }
  if (spec === '') throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file, path: where, reason: 'an API key cannot be empty' });
  return [digestKey(spec)];
}

function latencyOf(value: MockInput['latency']): Latency {
  if (value === undefined || value === 'none') return { kind: 'none' };
  if (value === 'recorded') return { kind: 'recorded' };
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return { kind: 'fixed', ms: value };
  throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: 'latency', reason: `expected none, recorded or a number of ms, got ${JSON.stringify(value)}` });
}

function originOf(target: string | undefined, where: string): string | null {
  if (target === undefined) return null;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: where, reason: `"${target}" is not an absolute http(s) URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: where, reason: `only http and https targets are supported, got ${url.protocol}` });
  return url.href.replace(/\/$/, '');
}

function adminDigestsOf(adminKey: MockInput['adminKey']): Buffer[] | null {
  const keys = adminKey === undefined ? [] : typeof adminKey === 'string' ? [adminKey] : adminKey;
  const digests = keys.filter((k) => k !== '').flatMap((k, i) => keyDigest(k, typeof adminKey === 'string' ? 'adminKey' : `adminKey[${i}]`));
  return digests.length > 0 ? digests : null;
}

/** Resolves defaults, checks every option once, and freezes the result. */
export function resolveMockConfig(input: MockInput): MockConfig {
  const name = input.name ?? 'default';
  const apiKeys = input.access?.apiKeys ?? [];
  const access: AccessPolicy = apiKeys.length === 0
    ? { kind: 'public' }
    : { kind: 'apiKey', in: input.access?.in ?? 'header', name: (input.access?.name ?? (input.access?.in === 'query' ? 'api_key' : 'x-api-key')).toLowerCase(), digests: apiKeys.flatMap((k, i) => keyDigest(k, `access.apiKeys[${i}]`)) };
  const basePath = (input.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !basePath.startsWith('/')) throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: 'basePath', reason: 'must start with "/"' });
  const target = originOf(input.target, 'target');
  // The config file refuses this too (naming its key path); here for the CLI and the library.
  if (input.insecure === true && !target?.startsWith('https:')) throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: 'insecure', reason: 'only applies to an https target; pass --target https://… or drop --insecure' });
  if ((input.onMiss === 'proxy' || input.record) && target === null) throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: '(options)', path: 'target', reason: input.record ? 'recording needs a target URL' : 'onMiss: proxy needs a target URL' });
  return Object.freeze({
    name,
    spec: input.spec === null ? null : resolve(input.spec),
    cassettesDir: resolve(input.cassettesDir ?? 'cassettes'),
    cassettes: input.cassettes && input.cassettes.length > 0 ? Object.freeze([...input.cassettes]) : 'all',
    onMiss: input.onMiss ?? 'spec',
    target,
    insecure: input.insecure ?? false,
    access: Object.freeze(access),
    latency: latencyOf(input.latency),
    validateRequests: input.validateRequests ?? false,
    basePath,
    host: input.host ?? DEFAULT_HOST,
    port: input.port ?? DEFAULT_PORT,
    // The access key is a credential for the mock, not part of the API request: never a matching dimension.
    match: Object.freeze({ headers: (input.match?.headers ?? []).map((h) => h.toLowerCase()), ignoreQuery: [...(input.match?.ignoreQuery ?? []), ...(access.kind === 'apiKey' && access.in === 'query' ? [access.name] : [])], ignoreBodyPointers: input.match?.ignoreBodyPointers ?? [] }),
    redact: Object.freeze([...(input.redact ?? [])]),
    record: input.record ? Object.freeze({ cassette: input.record.cassette, mode: input.record.mode ?? 'new', timeoutMs: input.record.timeoutMs ?? 30_000 }) : null,
    adminDigests: adminDigestsOf(input.adminKey),
    log: input.log ?? false,
    requireCassettesDir: input.requireCassettesDir ?? false,
  }) as MockConfig;
}
