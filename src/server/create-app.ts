import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { METHODS } from 'node:http';
import type { Duplex } from 'node:stream';
import { MockdeckError, toProblem } from '../errors.js';
import { asMockdeckError, sendProblem } from './problem.js';

export const BODY_LIMIT = 16 * 1024 * 1024;

export interface AppOptions {
  log?: boolean | { level?: string; stream?: NodeJS.WritableStream };
}

/**
 * A Fastify instance set up for mocks: bodies arrive as raw bytes (the mock
 * decides how to parse them, so a malformed body is a 400 of ours, not
 * Fastify's), every error leaves as problem+json, and nothing crashes the
 * process.
 */
export function createApp(options: AppOptions = {}): FastifyInstance {
  const log = options.log;
  const app = Fastify({
    logger: log ? { level: typeof log === 'object' ? log.level ?? 'info' : 'info', ...(typeof log === 'object' && log.stream ? { stream: log.stream } : {}), redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[REDACTED]' } } : false,
    // One line per request is written by the mock itself (with source and operation).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 2048, caseSensitive: true },
    // A URL that does not decode (`/pets/%zz`) is refused before any route, so before any gate: the same answer with or without a key.
    frameworkErrors: (err, _request, reply) => sendProblem(reply, asMockdeckError(err), { 'x-mockdeck-source': 'mockdeck' }),
  });
  answerHeaderOverflowAsProblem(app);
  routeEveryMethod(app);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, request, reply) => {
    const error = asMockdeckError(err);
    if (error.code === 'MOCKDECK_ERR_INTERNAL_UNEXPECTED') request.log.error({ err }, 'unexpected error');
    return sendProblem(reply, error, { 'x-mockdeck-source': 'mockdeck' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new MockdeckError('MOCKDECK_ERR_REQ_UNKNOWN_PATH', { method: request.method, path: request.url.split('?')[0], spec: 'no mock is mounted here' }), { 'x-mockdeck-source': 'mockdeck' }),
  );
  return app;
}

/**
 * Fastify routes only the common methods; any other one Node parses (PROPFIND,
 * MKCOL, ...) would skip the mocks' routes, and so their gates, and reach the
 * root 404. Registered as body-carrying so a mock's catch-all (gate first)
 * sees them all. CONNECT never reaches a request handler in Node.
 */
function routeEveryMethod(app: FastifyInstance): void {
  for (const method of METHODS) {
    if (method === 'CONNECT' || app.supportedMethods.includes(method)) continue;
    app.addHttpMethod(method, { hasBody: true });
  }
}

/**
 * Node rejects requests whose headers exceed its limit (16 KB) before Fastify
 * sees them; Fastify's default answer is a plain JSON 431. This keeps the 431
 * but as problem+json like every other error; other client errors keep
 * Fastify's handling.
 */
function answerHeaderOverflowAsProblem(app: FastifyInstance): void {
  const fallback = app.server.listeners('clientError') as Array<(err: Error, socket: Duplex) => void>;
  app.server.removeAllListeners('clientError');
  app.server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code !== 'HPE_HEADER_OVERFLOW' || socket.destroyed || !socket.writable) {
      for (const listener of fallback) listener.call(app.server, err, socket);
      return;
    }
    const body = JSON.stringify(toProblem(new MockdeckError('MOCKDECK_ERR_REQ_HEADERS_TOO_LARGE')));
    socket.end(`HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
