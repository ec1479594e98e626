import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { MockdeckError } from '../errors.js';
import { resolveMockConfig, type MockConfig, type MockInput } from '../config.js';
import { createApp } from './create-app.js';
import { mountMock, type Forwarder } from './mount-mock.js';
import { MockRuntime } from './mock-runtime.js';
import { mountAdmin } from './admin/index.js';
import { createForwarder, type RecordingForwarder } from '../recorder/index.js';

export interface Mock {
  /** Starts listening; resolves with the base URL (e.g. `http://127.0.0.1:4010`). */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, flushes recordings. */
  close(): Promise<void>;
  /** Base URL once listening, including the base path. */
  readonly url: string;
  /** Sends a request without a socket (Fastify inject), for fast in-process tests. */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>;
  readonly config: MockConfig;
  readonly runtime: MockRuntime;
  readonly app: FastifyInstance;
  /** The upstream forwarder (recording or `onMiss: proxy`), when a target is set. */
  readonly forwarder: RecordingForwarder | null;
}

/**
 * Creates a mock in-process, the way test suites use nock or msw.
 *
 * @example
 * const mock = await createMock({ spec: 'specs/petstore.yaml', port: 0 });
 * const url = await mock.listen();
 * await fetch(`${url}/pets/1`);
 * await mock.close();
 */
export async function createMock(input: MockInput): Promise<Mock> {
  const config = resolveMockConfig(input);
  const runtime = await MockRuntime.create(config);
  const forwarder: RecordingForwarder | null = config.target ? await createForwarder(runtime) : null;
  const app = createApp({ log: config.log });
  let url = '';
  mountMock(app, runtime, forwarder, (scope, rt) => mountAdmin(scope, rt, { url: () => url || null }));
  return {
    get url() {
      return url;
    },
    config,
    runtime,
    app,
    forwarder,
    async listen() {
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new MockdeckError('MOCKDECK_ERR_PORT_IN_USE', { mock: config.name, host: config.host, port: config.port }, { cause: err });
        throw err;
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${config.basePath}`;
      return url;
    },
    async close() {
      await app.close();
      await forwarder?.close();
    },
    inject: (options) => app.inject(options),
  };
}
