import type { FastifyInstance } from 'fastify';
import { MockdeckError, toProblem } from '../../errors.js';
import type { MockRuntime } from '../mock-runtime.js';
import { ADMIN_PREFIX } from '../mount-mock.js';
import { sendProblem } from '../problem.js';
import { checkAdmin } from './admin-guard.js';
import { describeMock } from './describe-mock.js';

/**
 * The admin API under `/__mockdeck/` of every mock: health, what the mock
 * serves, the request journal, reload and reset. Guarded by the admin key
 * (or, on a keyed mock without one, by its API keys).
 */
export function mountAdmin(scope: FastifyInstance, runtime: MockRuntime): void {
  scope.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        const denied = checkAdmin(runtime.config, request);
        if (denied) await sendProblem(reply, denied, { 'www-authenticate': 'ApiKey realm="mockdeck-admin"' });
      });
      admin.get('/health', async () => ({ status: 'ready', mock: runtime.config.name, operations: runtime.state.spec.operations.length, interactions: runtime.state.index.size, journal: runtime.journal.list(1_000_000).length }));
      admin.get('/mocks', async () => [describeMock(runtime)]);
      admin.get<{ Querystring: { limit?: string } }>('/requests', async (request) => {
        const limit = Math.max(1, Math.min(500, Number(request.query.limit ?? 100) || 100));
        return runtime.journal.list(limit);
      });
      admin.delete('/requests', async (_request, reply) => {
        runtime.journal.clear();
        return reply.code(204).send();
      });
      admin.post('/reset', async () => {
        runtime.state.index.reset();
        return { reset: true };
      });
      admin.post('/reload', async (_request, reply) => {
        try {
          const state = await runtime.reload();
          return { reloaded: true, operations: state.spec.operations.length, interactions: state.index.size, warnings: state.warnings };
        } catch (err) {
          if (err instanceof MockdeckError) return reply.code(422).type('application/problem+json').send(JSON.stringify({ ...toProblem(err), status: 422, detail: `reload failed, the last good state is kept: ${err.message}` }));
          throw err;
        }
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}
