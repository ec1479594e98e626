import { GUARDED_RESPONSES, json, type AdminRoutes } from './admin-routes.js';

/** `GET /__mockdeck/openapi.json`: this admin API, described in OpenAPI 3.1. */
export const openapiRoutes: AdminRoutes = {
  register(admin, ctx) {
    admin.get('/openapi.json', async () => ctx.document());
  },
  paths: {
    '/openapi.json': {
      get: { operationId: 'adminOpenApi', summary: 'This description', tags: ['admin'], responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1 document'), ...GUARDED_RESPONSES } },
    },
  },
};
