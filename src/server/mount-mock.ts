import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockdeckError } from '../errors.js';
import { challenge, checkAccess } from '../gate/index.js';
import { decide, type Decision } from './decide.js';
import type { Source } from './journal.js';
import type { MockRuntime } from './mock-runtime.js';
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
      if (runtime.config.access.kind !== 'public') scope.addHook('onRequest', async (request, reply) => {
        if (isAdminPath(request.url, prefix)) return; // the admin API has its own guard
        const started = performance.now();
        const { path, query } = splitUrl(request.url, prefix);
        const denied = checkAccess(runtime.config.access, { headers: request.headers, query });
        if (denied) {
          const wwwAuth = challenge(runtime.config.access);
          await sendProblem(reply, denied, wwwAuth ? { 'www-authenticate': wwwAuth } : {});
          const ms = Math.round((performance.now() - started) * 100) / 100;
          runtime.journal.add(deniedEntry(runtime, request.method, path, denied.status, ms));
          request.log.info({ mock: runtime.config.name, method: request.method, path, source: 'mockdeck', operation: null, status: denied.status, ms }, 'request');
        }
      });
      mountAdmin?.(scope, runtime);
      const handler = (request: FastifyRequest, reply: FastifyReply) => handle(runtime, forwarder, request, reply);
      scope.all('/', handler);
      scope.all('/*', handler);
    },
    { prefix },
  );
}

function isAdminPath(url: string, prefix: string): boolean {
  const path = url.slice(prefix.length);
  return path === ADMIN_PREFIX || path.startsWith(ADMIN_PREFIX + '/') || path.startsWith(ADMIN_PREFIX + '?');
}

async function handle(runtime: MockRuntime, forwarder: Forwarder | null, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const started = performance.now();
  const state = runtime.state; // pinned: a reload mid-request does not change what this request sees
  const { path, query } = splitUrl(request.url, runtime.config.basePath);
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const mediaType = mediaTypeOf(request.headers['content-type']);
  const incoming: IncomingRequest = { method: request.method, path, query, headers: request.headers, rawBody, mediaType, body: undefined };
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
    if (error.code === 'MOCKDECK_ERR_INTERNAL') request.log.error({ err }, 'request failed');
    decision = { kind: 'error', error, source: 'mockdeck', operationId: null };
  }
  let sent: Sent | { status: number; source: Source };
  if (decision.kind === 'forward') {
    if (!forwarder) {
      decision = { kind: 'error', error: new MockdeckError('MOCKDECK_ERR_INTERNAL', { reason: 'no target to forward to' }), source: 'mockdeck', operationId: decision.operationId };
      sent = await sendDecision(reply, decision, runtime.config);
    } else {
      sent = await forwarder.forward(request, reply, incoming, decision);
    }
  } else {
    sent = await sendDecision(reply, decision, runtime.config);
  }
  const ms = Math.round((performance.now() - started) * 100) / 100;
  runtime.journal.add(deferredJournalEntry(runtime, state, incoming, decision, sent, ms));
  request.log.info({ mock: runtime.config.name, method: incoming.method, path: incoming.path, source: sourceOf(decision, sent), operation: decision.operationId, status: sent.status, ms }, 'request');
}
