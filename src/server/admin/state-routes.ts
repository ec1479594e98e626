import { MockdeckError, toProblem } from '../../errors.js';
import { PROBLEM_TYPE } from '../problem.js';
import { GUARDED_RESPONSES, json, ref, type AdminRoutes } from './admin-routes.js';

/** `POST /__mockdeck/reload` (re-read spec and cassettes) and `POST /__mockdeck/reset` (rewind replay order). */
export const stateRoutes: AdminRoutes = {
  register(admin, { runtime }) {
    admin.post('/reset', async () => {
      runtime.state.index.reset();
      return { reset: true };
    });
    admin.post('/reload', async (_request, reply) => {
      try {
        const state = await runtime.reload();
        return { reloaded: true, operations: state.spec.operations.length, interactions: state.index.size, warnings: state.warnings };
      } catch (err) {
        if (!(err instanceof MockdeckError)) throw err;
        // 422: the request was fine, the files on disk are not; the mock keeps serving the last good state.
        return reply.code(422).type(PROBLEM_TYPE).send(JSON.stringify({ ...toProblem(err), status: 422, detail: `reload failed, the last good state is kept: ${err.message}` }));
      }
    });
  },
  paths: {
    '/reset': {
      post: { operationId: 'adminReset', summary: 'Rewind replay order to the first recording of every request', tags: ['admin'], responses: { 200: json(ref('Reset'), 'Rewound'), ...GUARDED_RESPONSES } },
    },
    '/reload': {
      post: {
        operationId: 'adminReload',
        summary: 'Re-read the spec and cassettes from disk',
        description: 'Requests in flight finish on the state they started with. A bad file keeps the last good state and answers 422 naming the file.',
        tags: ['admin'],
        responses: {
          200: json(ref('Reloaded'), 'Reloaded'),
          422: { description: 'A file is bad; nothing changed', content: { [PROBLEM_TYPE]: { schema: ref('Problem') } } },
          ...GUARDED_RESPONSES,
        },
      },
    },
  },
  schemas: {
    Reset: { type: 'object', required: ['reset'], properties: { reset: { const: true } } },
    Reloaded: {
      type: 'object',
      required: ['reloaded', 'operations', 'interactions', 'warnings'],
      properties: { reloaded: { const: true }, operations: { type: 'integer' }, interactions: { type: 'integer' }, warnings: { type: 'array', items: { type: 'string' } } },
    },
  },
};
