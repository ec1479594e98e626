import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockdeckError } from '../errors.js';
import { ApiKeyGate, challenge } from '../gate/index.js';
import { decide, type Decision } from './decide.js';
import type { Source } from './journal.js';
import type { MockRuntime, MockState } from './mock-runtime.js';
import { asMockdeckError, sendProblem } from './problem.js';
import { mediaTypeOf, parseBody, splitUrl, type IncomingRequest } from './request-parts.js';
import { sendDecision, type Sent } from './send-decision.js';
import { deferredJournalEntry, deniedEntry, sourceOf } from './journal-entry.js';

/** Forwards a request upstream (recording it when the mock records). Provided by the recorder. */
export interface Forwarder {
  forward(req: FastifyRequest, reply: FastifyReply, incoming: IncomingRequest, decision: Extract<Decision, { kind: 'forward' }>): Promise<{ status: number; source: Source }>;
  close(): Promise<void>;
}

export const ADMIN_PREFIX = '/__mockdeck';

/**
 * Mounts one mock under its base path: the gate first (for every route,
 * including admin and unknown paths), then the catch-all route that decides
 * and answers. Only wiring lives here.
 */
export function mountMock(app: FastifyInstance, runtime: MockRuntime, forwarder: Forwarder | null, mountAdmin?: (scope: FastifyInstance, runtime: MockRuntime) => void): void {
  const prefix = runtime.config.basePath;
  app.register(
    async (scope) => {
      // A public mock has no gate: no hook at all, rather than one that lets everything through on every request.
      const access = runtime.config.access;
      if (access.kind !== 'public') {
        const gate = new ApiKeyGate(access);
        // A callback hook, not an async one: no promise per request. It answers a refusal itself and then never calls done.
        scope.addHook('onRequest', (request, reply, done) => {
          if (isAdminPath(request.url, prefix)) return done(); // the admin API has its own guard
          const started = performance.now();
          const denied = gate.check({ headers: request.headers, query: gate.readsQuery ? splitUrl(request.url, prefix).query : NO_QUERY });
          if (!denied) return done();
          const wwwAuth = challenge(access);
          sendProblem(reply, denied, wwwAuth ? { 'www-authenticate': wwwAuth } : {});
          const { path } = splitUrl(request.url, prefix);
          const ms = Math.round((performance.now() - started) * 100) / 100;
          runtime.journal.add(deniedEntry(runtime, request.method, path, denied.status, ms));
          request.log.info({ mock: runtime.config.name, method: request.method, path, source: 'mockdeck', operation: null, status: denied.status, ms }, 'request');
        });
      }
      mountAdmin?.(scope, runtime);
      routeQueryWithoutContentType(scope, runtime, forwarder);
      const handler = (request: FastifyRequest, reply: FastifyReply) => handle(runtime, forwarder, request, reply);
      scope.all('/', handler);
      scope.all('/*', handler);
    },
    { prefix },
  );
}

/**
 * Fastify refuses a QUERY without Content-Type before any route runs, as an
 * error that would render as a 500. Routing against the spec comes first: a
 * path or method the spec lacks still answers 404/405, and only a QUERY
 * operation of the spec gets the app handler's 400.
 */
function routeQueryWithoutContentType(scope: FastifyInstance, runtime: MockRuntime, forwarder: Forwarder | null): void {
  scope.setErrorHandler((err, request, reply) => {
    if ((err as { code?: unknown }).code !== 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE' || isAdminPath(request.url, runtime.config.basePath)) throw err;
    const { path } = splitUrl(request.url, runtime.config.basePath);
    if (runtime.state.spec.route(request.method, path).kind !== 'operation') return handle(runtime, forwarder, request, reply);
    throw err;
  });
}

const NO_QUERY: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;
const NO_BODY = Buffer.alloc(0);

function isAdminPath(url: string, prefix: string): boolean {
  const path = url.slice(prefix.length);
  return path === ADMIN_PREFIX || path.startsWith(ADMIN_PREFIX + '/') || path.startsWith(ADMIN_PREFIX + '?');
}

/**
 * Decides and answers one request. Synchronous unless something has to be
 * waited for (latency, forwarding, a reply still being written): Fastify then
 * gets the promise; otherwise nothing, and no promise is made per request.
 */
function handle(runtime: MockRuntime, forwarder: Forwarder | null, request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
  const started = performance.now();
  const state = runtime.state; // pinned: a reload mid-request does not change what this request sees
  const { path, query } = splitUrl(request.url, runtime.config.basePath);
  const rawBody = Buffer.isBuffer(request.body) ? request.body : NO_BODY;
  const mediaType = mediaTypeOf(request.headers['content-type']);
  const incoming: IncomingRequest = { method: request.method, path, url: request.url, query, headers: request.headers, rawBody, mediaType, body: undefined };
  let decision: Decision;
  try {
    incoming.body = parseBody(rawBody, mediaType);
    const only = request.headers['x-mockdeck-cassette'];
    decision = decide(state, runtime.config, incoming, {
      gated: runtime.config.access.kind !== 'public',
      onlyCassette: Array.isArray(only) ? only[0] : only,
      activeCassettes: runtime.activeCassettes,
    });
  } catch (err) {
    const error = asMockdeckError(err);
    if (error.code === 'MOCKDECK_ERR_INTERNAL_UNEXPECTED') request.log.error({ err }, 'request failed');
    decision = { kind: 'error', error, source: 'mockdeck', operationId: null };
  }
  let sending: Sent | { status: number; source: Source } | Promise<Sent | { status: number; source: Source }>;
  if (decision.kind === 'forward') {
    if (!forwarder) {
      decision = { kind: 'error', error: new MockdeckError('MOCKDECK_ERR_INTERNAL_UNEXPECTED', { reason: 'no target to forward to' }), source: 'mockdeck', operationId: decision.operationId };
      sending = sendDecision(reply, decision, runtime.config);
    } else {
      sending = forwarder.forward(request, reply, incoming, decision);
    }
  } else {
    sending = sendDecision(reply, decision, runtime.config);
  }
  const served = decision;
  if (sending instanceof Promise) return sending.then((sent) => account(runtime, state, request, incoming, served, sent, started));
  account(runtime, state, request, incoming, served, sending, started);
  return undefined;
}

/** The journal line and the log line of a served request. */
function account(runtime: MockRuntime, state: MockState, request: FastifyRequest, incoming: IncomingRequest, decision: Decision, sent: Sent | { status: number; source: Source }, started: number): void {
  const ms = Math.round((performance.now() - started) * 100) / 100;
  const source = sourceOf(decision, sent);
  const entry = deferredJournalEntry(runtime, state, incoming, decision, sent, ms);
  if (typeof entry === 'function') runtime.journal.add(entry, { source, operation: decision.operationId });
  else runtime.journal.add(entry);
  // Without a logger Fastify hands out a no-op one (no isLevelEnabled): then the line is not even built.
  if ((request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') === true) {
    request.log.info({ mock: runtime.config.name, method: incoming.method, path: incoming.path, source, operation: decision.operationId, status: sent.status, ms }, 'request');
  }
}
