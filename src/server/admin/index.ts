import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockdeckError } from '../../errors.js';
import type { MockRuntime } from '../mock-runtime.js';
import { ADMIN_PREFIX } from '../mount-mock.js';
import { sendProblem } from '../problem.js';
import { checkAdmin } from './admin-guard.js';
import { adminDocument } from './admin-openapi.js';
import type { AdminContext, AdminRoutes, DeckMember } from './admin-routes.js';
import { healthRoutes } from './health-routes.js';
import { journalRoutes } from './journal-routes.js';
import { mocksRoutes } from './mocks-routes.js';
import { openapiRoutes } from './openapi-routes.js';
import { stateRoutes } from './state-routes.js';
import { eventsRoutes } from './events.js';
import { scenarioRoutes } from './scenario.js';
import { tryItRoutes } from './try-it.js';
import { uiRoutes } from './ui-routes.js';

export type { AdminContext, AdminRoutes, DeckMember, PathItem } from './admin-routes.js';
export { GUARDED_RESPONSES, json, ref } from './admin-routes.js';
export { ADMIN_KEY_HEADER, checkAdmin } from './admin-guard.js';
export { describeMock } from './describe-mock.js';

/** Every module of the admin API, one line each: mounted, guarded and described in this order. */
export const ADMIN_ROUTES: AdminRoutes[] = [
  healthRoutes,
  mocksRoutes,
  journalRoutes,
  stateRoutes,
  openapiRoutes,
  uiRoutes,
  eventsRoutes,
  scenarioRoutes,
  tryItRoutes,
];

export interface AdminOptions {
  /** The mocks served beside this one (itself included); default just this mock. */
  deck?: () => readonly DeckMember[];
  /** This mock's base URL once listening. */
  url?: () => string | null;
}

/**
 * The admin API under `/__mockdeck/` of every mock: health, what the mock
 * serves, the request journal, reload, reset and its own OpenAPI document.
 * Each route module sits in its own scope behind the admin guard (the admin
 * key, or on a keyed mock without one, its API keys).
 */
export function mountAdmin(scope: FastifyInstance, runtime: MockRuntime, options: AdminOptions = {}): void {
  const self: DeckMember = { runtime, url: options.url ?? (() => null) };
  let document: Record<string, unknown> | undefined;
  const ctx: AdminContext = {
    runtime,
    deck: options.deck ?? (() => [self]),
    document: () => (document ??= adminDocument(ADMIN_ROUTES, runtime.config.basePath)),
  };
  scope.register(
    async (admin) => {
      for (const module of [...ADMIN_ROUTES, unknownAdminRoute]) {
        admin.register(async (routes) => {
          routes.addHook('onRequest', async (request, reply) => {
            const denied = checkAdmin(runtime.config, request, module.authorize?.(request, ctx) ?? false);
            if (denied) await sendProblem(reply, denied, { 'www-authenticate': 'ApiKey realm="mockdeck-admin"' });
          });
          module.register(routes, ctx);
        });
      }
    },
    { prefix: ADMIN_PREFIX },
  );
}

/**
 * Anything else under `/__mockdeck` is answered here, behind the guard, so it
 * never falls through to the mock (which would skip the gate and name the spec).
 */
const unknownAdminRoute: AdminRoutes = {
  register(admin) {
    const notFound = (request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, new MockdeckError('MOCKDECK_ERR_REQ_UNKNOWN_PATH', { method: request.method, path: request.url.split('?')[0], spec: 'mockdeck admin API (GET /__mockdeck/openapi.json lists its routes)' }), { 'x-mockdeck-source': 'mockdeck' });
    admin.all('/', notFound);
    admin.all('/*', notFound);
  },
  paths: {},
};
