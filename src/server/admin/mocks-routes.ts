import { describeMock } from './describe-mock.js';
import { GUARDED_RESPONSES, json, ref, type AdminContext, type AdminRoutes } from './admin-routes.js';

/**
 * The mocks an admin caller may see. The admin key (when one is set) is the
 * deck's key, so it lists every mock the process serves; a mock's own API
 * key, or an open admin API, only ever shows that one mock, so a public
 * mock never reveals what a keyed neighbour serves.
 */
export function visibleMocks(ctx: AdminContext) {
  const members = ctx.runtime.config.adminDigests ? ctx.deck() : ctx.deck().filter((m) => m.runtime === ctx.runtime);
  return members.map((m) => ({ ...describeMock(m.runtime), url: m.url() }));
}

/** `GET /__mockdeck/mocks`: name, spec, cassettes, coverage and access kind of each mock — never keys. */
export const mocksRoutes: AdminRoutes = {
  register(admin, ctx) {
    admin.get('/mocks', async () => visibleMocks(ctx));
  },
  paths: {
    '/mocks': {
      get: {
        operationId: 'adminListMocks',
        summary: 'What each mock serves',
        description: 'With the admin key, every mock of the process; otherwise only this mock. Access is described by kind and location, never by key.',
        tags: ['admin'],
        responses: { 200: json({ type: 'array', items: ref('MockDescription') }, 'The mocks'), ...GUARDED_RESPONSES },
      },
    },
  },
  schemas: {
    MockDescription: {
      type: 'object',
      required: ['name', 'basePath', 'url', 'spec', 'cassettes', 'activeCassettes', 'onMiss', 'access', 'counts', 'operations'],
      properties: {
        name: { type: 'string' },
        basePath: { type: 'string', description: 'Path prefix on its port, "" at the root' },
        url: { type: ['string', 'null'], description: 'Base URL once listening' },
        spec: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' }, openapi: { type: 'string' }, file: { type: ['string', 'null'] } } },
        cassettes: { type: 'array', items: { type: 'object', required: ['name', 'interactions'], properties: { name: { type: 'string' }, interactions: { type: 'integer' } } } },
        activeCassettes: { type: 'array', items: { type: 'string' } },
        onMiss: { enum: ['spec', '404', 'proxy'] },
        recording: { type: ['object', 'null'] },
        access: {
          type: 'object',
          required: ['kind'],
          additionalProperties: false,
          properties: { kind: { enum: ['public', 'apiKey'] }, in: { enum: ['header', 'query', 'bearer'] }, name: { type: 'string' } },
        },
        latency: { type: 'object' },
        validateRequests: { type: 'boolean' },
        counts: {
          type: 'object',
          required: ['operations', 'recorded', 'specOnly', 'interactions', 'undocumented'],
          properties: { operations: { type: 'integer' }, recorded: { type: 'integer' }, specOnly: { type: 'integer' }, interactions: { type: 'integer' }, undocumented: { type: 'integer' } },
        },
        operations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['operationId', 'method', 'path', 'recorded', 'status'],
            properties: { operationId: { type: 'string' }, method: { type: 'string' }, path: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, summary: { type: ['string', 'null'] }, recorded: { type: 'integer' }, status: { enum: ['recorded', 'spec-only'] } },
          },
        },
        undocumented: { type: 'array', items: { type: 'object', properties: { method: { type: 'string' }, path: { type: 'string' }, count: { type: 'integer' } } } },
      },
    },
  },
};
