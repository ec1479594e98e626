import { GUARDED_RESPONSES, json, ref, type AdminRoutes } from './admin-routes.js';

/** `GET /__mockdeck/health`: ready, and what the mock holds. */
export const healthRoutes: AdminRoutes = {
  register(admin, { runtime }) {
    admin.get('/health', async () => ({
      status: 'ready',
      mock: runtime.config.name,
      operations: runtime.state.spec.operations.length,
      interactions: runtime.state.index.size,
      journal: runtime.journal.list(Number.MAX_SAFE_INTEGER).length,
    }));
  },
  paths: {
    '/health': {
      get: { operationId: 'adminHealth', summary: 'Readiness and counts', tags: ['admin'], responses: { 200: json(ref('Health'), 'The mock is ready'), ...GUARDED_RESPONSES } },
    },
  },
  schemas: {
    Health: {
      type: 'object',
      required: ['status', 'mock', 'operations', 'interactions', 'journal'],
      additionalProperties: false,
      properties: {
        status: { const: 'ready' },
        mock: { type: 'string', description: 'Name of the mock' },
        operations: { type: 'integer', minimum: 0, description: 'Operations of the spec' },
        interactions: { type: 'integer', minimum: 0, description: 'Recorded interactions loaded' },
        journal: { type: 'integer', minimum: 0, description: 'Requests held in the journal' },
      },
    },
  },
};
