import type { FastifyInstance } from 'fastify';
import { resolveMockConfig, type MockConfig, type MockInput } from '../config.js';
import { isMockdeckError, MockdeckError } from '../errors.js';
import { createForwarder, type RecordingForwarder } from '../recorder/index.js';
import { mountAdmin, type DeckMember } from './admin/index.js';
import { createApp, type AppOptions } from './create-app.js';
import { MockRuntime } from './mock-runtime.js';
import { mountMock } from './mount-mock.js';

/** One mock to serve: its options and, for messages, where it was declared (e.g. `mocks[2]`). */
export interface DeckMockInput {
  readonly input: MockInput;
  readonly where?: string;
  /** True for mocks sharing the deck's common port under base paths (even when that port is 0). */
  readonly shared?: boolean;
}

export interface ServeManyOptions {
  readonly mocks: readonly DeckMockInput[];
  /** The config file the mocks come from, named in errors. */
  readonly file?: string;
  readonly log?: AppOptions['log'];
  /** How long `close()` waits for in-flight requests before cutting their connections. Default 5 s. */
  readonly drainMs?: number;
}

/** A mock of the deck, once listening. */
export interface ServedMock {
  readonly name: string;
  readonly config: MockConfig;
  readonly runtime: MockRuntime;
  readonly forwarder: RecordingForwarder | null;
  /** Base URL including the base path; empty until listening. */
  readonly url: string;
}

export interface Deck {
  readonly mocks: readonly ServedMock[];
  /** Opens every listener; on a taken port closes the ones already open and throws MOCKDECK_ERR_PORT_IN_USE. */
  listen(): Promise<readonly ServedMock[]>;
  /** Stops accepting, lets in-flight requests finish (bounded by `drainMs`), flushes recordings. */
  close(): Promise<void>;
}

interface Listener {
  readonly app: FastifyInstance;
  readonly host: string;
  readonly port: number;
  readonly members: Array<{ mock: ServedMock; setUrl: (url: string) => void }>;
}

/**
 * Serves several mocks from one process: each on a port of its own, or
 * under a base path of a shared port. Each mock keeps its own gate, admin
 * API, journal and state; one Fastify app runs per port.
 *
 * @example
 * const deck = await serveMany({ mocks: plan.mocks, file: plan.file, log: { level: 'info' } });
 * for (const m of await deck.listen()) console.log(m.name, m.url);
 */
export async function serveMany(options: ServeManyOptions): Promise<Deck> {
  const drainMs = options.drainMs ?? 5_000;
  const loaded = await loadAll(options);
  const listeners = mountListeners(loaded, options.log ?? false);
  const mocks = listeners.flatMap((l) => l.members.map((m) => m.mock));
  const closeAll = async (): Promise<void> => {
    await Promise.all(listeners.map((l) => drain(l.app, drainMs)));
    await Promise.all(loaded.map((m) => m.forwarder?.close()));
  };
  return {
    mocks,
    async listen() {
      try {
        for (const listener of listeners) await open(listener);
      } catch (err) {
        await closeAll();
        throw err;
      }
      return mocks;
    },
    close: closeAll,
  };
}

type Loaded = Awaited<ReturnType<typeof loadMock>>;

/** Loads every mock; on failure reports the first in file order (not whichever failed fastest). */
async function loadAll(options: ServeManyOptions): Promise<Loaded[]> {
  const settled = await Promise.allSettled(options.mocks.map((m) => loadMock(m, options.file)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.forwarder?.close() : undefined)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<Loaded>).value);
}

/** One Fastify app per port; each mock mounted under its base path with its gate and admin API. */
function mountListeners(loaded: readonly Loaded[], log: AppOptions['log']): Listener[] {
  const listeners = new Map<string, Listener>();
  const deck: DeckMember[] = [];
  loaded.forEach(({ config, runtime, forwarder, shared }, i) => {
    const key = shared ? 'shared' : config.port === 0 ? `own-${i}` : `${config.host}:${config.port}`;
    let listener = listeners.get(key);
    if (!listener) listeners.set(key, (listener = { app: createApp({ log }), host: config.host, port: config.port, members: [] }));
    let url = '';
    const mock: ServedMock = { name: config.name, config, runtime, forwarder, get url() { return url; } };
    deck.push({ runtime, url: () => url || null });
    listener.members.push({ mock, setUrl: (u) => (url = u) });
    mountMock(listener.app, runtime, forwarder, (scope, rt) => mountAdmin(scope, rt, { deck: () => deck, url: () => url || null }));
  });
  return [...listeners.values()];
}

async function loadMock(m: DeckMockInput, file: string | undefined) {
  try {
    const config = resolveMockConfig(m.input);
    const runtime = await MockRuntime.create(config);
    const forwarder = config.target ? await createForwarder(runtime) : null;
    return { config, runtime, forwarder, shared: m.shared ?? false };
  } catch (err) {
    if (!isMockdeckError(err) || m.where === undefined || err.code.startsWith('MOCKDECK_ERR_CONFIG_')) throw err;
    // Say which mock of the file failed to load; the original error (file, line, pointer) is the reason and the cause.
    const part = err.code.startsWith('MOCKDECK_ERR_SPEC_') ? '.spec' : err.code.startsWith('MOCKDECK_ERR_CASSETTE_') ? '.cassettes' : '';
    throw new MockdeckError('MOCKDECK_ERR_CONFIG_INVALID', { file: file ?? '(options)', path: m.where + part, reason: `${err.code}: ${err.message}` }, { cause: err });
  }
}

async function open(listener: Listener): Promise<void> {
  const names = listener.members.map((m) => m.mock.name).join(', ');
  try {
    await listener.app.listen({ host: listener.host, port: listener.port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = { mock: names, host: listener.host, port: listener.port };
    if (code === 'EADDRINUSE') throw new MockdeckError('MOCKDECK_ERR_PORT_IN_USE', where, { cause: err });
    if (code === 'EACCES') throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `mock "${names}": no permission to listen on ${listener.host}:${listener.port}; pick a port above 1023` }, { cause: err });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new MockdeckError('MOCKDECK_ERR_CLI_USAGE', { reason: `mock "${names}": ${listener.host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or a local interface` }, { cause: err });
    throw err;
  }
  const address = listener.app.server.address();
  const port = typeof address === 'object' && address ? address.port : listener.port;
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  for (const m of listener.members) m.setUrl(`http://${host}:${port}${m.mock.config.basePath}`);
}

/** Closes one app, letting in-flight requests finish for up to `drainMs`, then cutting what is left. */
async function drain(app: FastifyInstance, drainMs: number): Promise<void> {
  const closing = app.close();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), drainMs)))]);
  clearTimeout(timer);
  if (timedOut) {
    app.server.closeAllConnections();
    await closing;
  }
}
