import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { keyDigest, type MockInput } from '../config.js';
import { isMockdeckError } from '../errors.js';
import type { ConfigErrorFactory } from './config-error.js';
import type { ConfigFile, FileMock, LogLevel } from './config-schema.js';
import { applyPrecedence, type ConfigFlags, type EffectiveSettings, type Sourced } from './precedence.js';

/** One mock ready for `serveMany`: its options (keys already digested) and where it was declared. */
export interface PlannedMock {
  /** Key path of the mock in the file, e.g. `mocks[2]`. */
  readonly where: string;
  readonly input: MockInput;
  /** True when the mock sits under a base path of the shared port rather than on a port of its own. */
  readonly shared: boolean;
}

/** A config file resolved against flags, env and the file system, frozen. Holds key digests only, never keys. */
export interface DeckPlan {
  readonly file: string;
  readonly host: string;
  /** The shared port, for mocks without a port of their own. */
  readonly port: number;
  readonly logLevel: Sourced<LogLevel>;
  /** Where the API keys of keyed mocks come from when flags or env override the file. */
  readonly apiKeysFrom: string | null;
  readonly adminKeyFrom: string | null;
  readonly mocks: readonly PlannedMock[];
}

export interface ResolveContext {
  file: string;
  fail: ConfigErrorFactory;
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const isFile = (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);
const asDigest = (d: Buffer): string => `sha256:${d.toString('hex')}`;

/**
 * Turns a validated config into frozen mock options: layers flags > env >
 * file, checks the layout (ports, base paths), that every spec and cassette
 * exists, and resolves every key to its digest. Relative paths are relative
 * to the config file's folder.
 */
export async function resolveConfig(config: ConfigFile, ctx: ResolveContext): Promise<DeckPlan> {
  const env = ctx.env ?? process.env;
  const settings = applyPrecedence(config, ctx.flags ?? {}, env);
  checkLayout(config, settings, ctx.fail);
  const base = dirname(resolve(ctx.file));
  const cassettesDir = resolve(base, config.cassettesDir ?? 'cassettes');
  if (config.cassettesDir !== undefined && !(await isDir(cassettesDir))) throw ctx.fail(['cassettesDir'], `no such folder ${cassettesDir}; create it, or fix the path (relative to the config file)`);
  const adminKey = settings.adminKey ? digests(settings.adminKey.value, settings.adminKey.from === 'admin.key' ? ['admin', 'key'] : settings.adminKey.from, ctx, env) : undefined;
  const mocks: PlannedMock[] = [];
  for (const [i, mock] of config.mocks.entries()) {
    const spec = resolve(base, mock.spec);
    if (!(await isFile(spec))) throw ctx.fail(['mocks', i, 'spec'], `no such file ${spec}; paths are relative to the config file's folder`);
    for (const [j, name] of (mock.cassettes ?? []).entries()) {
      if (!(await isDir(join(cassettesDir, name)))) throw ctx.fail(['mocks', i, 'cassettes', j], `no cassette folder "${name}" in ${cassettesDir}; record it with \`mockdeck record --cassette ${name}\`, or fix the name`);
    }
    mocks.push({ where: `mocks[${i}]`, shared: mock.port === undefined, input: mockInput(mock, i, { spec, cassettesDir, settings, adminKey, ctx, env }) });
  }
  return deepFreeze({
    file: ctx.file,
    host: settings.host,
    port: settings.port,
    logLevel: settings.logLevel,
    apiKeysFrom: settings.apiKeys?.from ?? null,
    adminKeyFrom: settings.adminKey?.from ?? null,
    mocks,
  });
}

interface MockParts {
  spec: string;
  cassettesDir: string;
  settings: EffectiveSettings;
  adminKey: string[] | undefined;
  ctx: ResolveContext;
  env: NodeJS.ProcessEnv;
}

function mockInput(mock: FileMock, i: number, p: MockParts): MockInput {
  const override = p.settings.apiKeys;
  const apiKeys = override
    ? override.value.flatMap((k, j) => digests(k, `${override.from}[${j}]`, p.ctx, p.env))
    : (mock.access?.apiKeys ?? []).flatMap((k, j) => digests(k, ['mocks', i, 'access', 'apiKeys', j], p.ctx, p.env));
  return {
    name: mock.name,
    spec: p.spec,
    cassettesDir: p.cassettesDir,
    ...(mock.cassettes ? { cassettes: [...mock.cassettes] } : {}),
    onMiss: mock.onMiss === 404 ? '404' : mock.onMiss ?? 'spec',
    ...(mock.target !== undefined ? { target: mock.target } : {}),
    ...(mock.insecure !== undefined ? { insecure: mock.insecure } : {}),
    access: { apiKeys, ...(mock.access?.in ? { in: mock.access.in } : {}), ...(mock.access?.name ? { name: mock.access.name } : {}) },
    latency: mock.latency ?? 'none',
    validateRequests: mock.validateRequests ?? false,
    basePath: mock.basePath ?? '',
    host: p.settings.host,
    port: mock.port ?? p.settings.port,
    ...(mock.match ? { match: { ...mock.match } } : {}),
    ...(p.adminKey ? { adminKey: p.adminKey } : {}),
    log: false,
    requireCassettesDir: false,
  };
}

/** Digests of one key as written; errors name the key path (file keys) or the flag / env var. */
function digests(written: string, where: Array<string | number> | string, ctx: ResolveContext, env: NodeJS.ProcessEnv): string[] {
  const path = typeof where === 'string' ? where : where.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1);
  try {
    return keyDigest(written, path, env, ctx.file).map(asDigest);
  } catch (err) {
    // Add the line to file keys; an unset env var keeps its own message ("<path>: env var X is not set").
    if (typeof where !== 'string' && isMockdeckError(err, 'MOCKDECK_ERR_CONFIG_INVALID')) throw ctx.fail(where, String(err.params['reason']), { cause: err });
    throw err;
  }
}

/**
 * Own ports are unique and differ from the shared port; base paths on the
 * shared port are unique, and only one mock may sit at its root. Base paths
 * may nest: the longest matching prefix wins.
 */
function checkLayout(config: ConfigFile, settings: EffectiveSettings, fail: ConfigErrorFactory): void {
  const ports = new Map<number, number>();
  const paths = new Map<string, number>();
  config.mocks.forEach((mock, i) => {
    if (mock.port !== undefined && mock.port !== 0) {
      if (mock.port === settings.port) throw fail(['mocks', i, 'port'], `${mock.port} is the shared port (top-level port or --port); leave port out and give this mock a basePath to share it, or pick another port`);
      const first = ports.get(mock.port);
      if (first !== undefined) throw fail(['mocks', i, 'port'], `${mock.port} is already the port of mocks[${first}]; give each mock its own port, or a basePath on the shared port ${settings.port}`);
      ports.set(mock.port, i);
      return;
    }
    if (mock.port !== undefined) return;
    const basePath = mock.basePath ?? '';
    const first = paths.get(basePath);
    if (first !== undefined) {
      throw basePath === ''
        ? fail(['mocks', i], `mocks[${first}] already sits at the root of the shared port ${settings.port}; give this mock a basePath (e.g. /${mock.name}) or a port of its own`, { key: 'name' })
        : fail(['mocks', i, 'basePath'], `${basePath} is already the base path of mocks[${first}] on the shared port ${settings.port}; pick another base path or a port of its own`);
    }
    paths.set(basePath, i);
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
