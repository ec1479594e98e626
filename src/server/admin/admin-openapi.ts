import { ADMIN_PREFIX } from '../mount-mock.js';
import { PROBLEM_TYPE } from '../problem.js';
import { ADMIN_KEY_HEADER } from './admin-guard.js';
import type { AdminRoutes } from './admin-routes.js';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^MOCKDECK_ERR_[A-Z_]+$' },
  },
};

const problem = (description: string) => ({ description, headers: { 'WWW-Authenticate': { schema: { type: 'string' } } }, content: { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } });

/**
 * The admin API's own OpenAPI 3.1 description, assembled from its route
 * modules so that a route and its description live side by side.
 * `basePath` is the mock's mount prefix (servers[0].url).
 */
export function adminDocument(modules: readonly AdminRoutes[], basePath: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Problem: PROBLEM_SCHEMA };
  for (const m of modules) {
    for (const [path, item] of Object.entries(m.paths)) paths[ADMIN_PREFIX + path] = { ...(paths[ADMIN_PREFIX + path] as object | undefined), ...item };
    Object.assign(schemas, m.schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mockdeck admin API',
      version: '1',
      description:
        `Served under ${ADMIN_PREFIX}/ of every mock. When an admin key is configured every route needs it ` +
        `(${ADMIN_KEY_HEADER} header or Authorization: Bearer); otherwise a keyed mock accepts one of its own API keys ` +
        'and a public mock leaves the admin API open. Keys never appear in any answer.',
    },
    servers: [{ url: basePath || '/' }],
    tags: [{ name: 'admin', description: 'Inspect and steer a running mock' }],
    security: [{ adminKey: [] }, { bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        adminKey: { type: 'apiKey', in: 'header', name: ADMIN_KEY_HEADER },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      responses: {
        KeyMissing: problem('No key was sent (MOCKDECK_ERR_GATE_KEY_MISSING)'),
        KeyInvalid: problem('The key sent is not accepted (MOCKDECK_ERR_GATE_KEY_INVALID)'),
      },
      schemas,
    },
  };
}
