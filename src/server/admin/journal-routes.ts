import { GUARDED_RESPONSES, json, ref, type AdminRoutes } from './admin-routes.js';

export const JOURNAL_LIMIT_MAX = 500;

/** What every journal line has, in full entries and in the dashboard's summaries alike. */
export const JOURNAL_LINE_PROPERTIES = {
  id: { type: 'integer' },
  time: { type: 'string', format: 'date-time' },
  mock: { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string', description: 'Path below the base path, with the query (secret parameters redacted)' },
  status: { type: 'integer' },
  source: { enum: ['cassette', 'spec', 'proxy', 'mockdeck'] },
  operation: { type: ['string', 'null'] },
  cassette: { type: ['string', 'null'] },
  interaction: { type: ['string', 'null'] },
  ms: { type: 'number' },
} as const;

/** `GET|DELETE /__mockdeck/requests`: the bounded journal of recent requests, newest first. */
export const journalRoutes: AdminRoutes = {
  register(admin, { runtime }) {
    admin.get<{ Querystring: { limit?: string } }>('/requests', async (request) => {
      const limit = Math.max(1, Math.min(JOURNAL_LIMIT_MAX, Math.trunc(Number(request.query.limit ?? 100)) || 100));
      return runtime.journal.list(limit);
    });
    admin.delete('/requests', async (_request, reply) => {
      runtime.journal.clear();
      return reply.code(204).send();
    });
  },
  paths: {
    '/requests': {
      get: {
        operationId: 'adminListRequests',
        summary: 'Recent requests, newest first',
        description: `The journal is a ring buffer of the last ${JOURNAL_LIMIT_MAX} requests. Secrets (keys, authorization, cookies, redacted names) are shown as "[REDACTED]".`,
        tags: ['admin'],
        parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: JOURNAL_LIMIT_MAX, default: 100 } }],
        responses: { 200: json({ type: 'array', items: ref('JournalEntry') }, 'Journal entries'), ...GUARDED_RESPONSES },
      },
      delete: {
        operationId: 'adminClearRequests',
        summary: 'Empty the journal',
        tags: ['admin'],
        responses: { 204: { description: 'Emptied' }, ...GUARDED_RESPONSES },
      },
    },
  },
  schemas: {
    JournalEntry: {
      type: 'object',
      required: ['id', 'time', 'mock', 'method', 'path', 'status', 'source', 'operation', 'ms'],
      properties: {
        ...JOURNAL_LINE_PROPERTIES,
        request: { $ref: '#/components/schemas/JournalMessage' },
        response: { $ref: '#/components/schemas/JournalMessage' },
        nearMisses: { type: 'array' },
      },
    },
    JournalMessage: {
      type: 'object',
      required: ['headers', 'body', 'bodyEncoding'],
      properties: {
        headers: { type: 'object', additionalProperties: { type: ['string', 'array'] } },
        body: { type: ['string', 'null'] },
        bodyEncoding: { enum: ['utf8', 'base64', null] },
      },
    },
  },
};
