import type { PointerFinding } from '../../errors.js';
import type { MockRuntime } from '../mock-runtime.js';
import { GUARDED_RESPONSES, json, ref, type AdminRoutes } from './admin-routes.js';
import { invalidInput, jsonBody, problem, targetMember } from './target-mock.js';

/** The scenario of a mock: its loaded layers and which of them answer. */
export function scenarioOf(runtime: MockRuntime) {
  const layers = runtime.state.layers.map((l) => l.name);
  return { mock: runtime.config.name, layers, active: runtime.activeCassettes ? [...runtime.activeCassettes] : layers, all: runtime.activeCassettes === undefined };
}

/**
 * Checks a scenario body against the loaded layers. `null` means every
 * layer (the start state); an array is the layers to use, later ones winning
 * on equal requests, and may be empty (every request then takes the miss policy).
 *
 * @example
 * parseActive({ active: ['base', 'outage'] }, ['base', 'outage']) // { ok: true, active: ['base', 'outage'] }
 */
export function parseActive(body: unknown, layers: readonly string[]): { ok: true; active: string[] | undefined } | { ok: false; errors: PointerFinding[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('active' in body)) {
    return { ok: false, errors: [{ pointer: '/active', message: 'expected {"active": ["<cassette>", ...]} (or {"active": null} for every layer)' }] };
  }
  const active = (body as { active: unknown }).active;
  if (active === null) return { ok: true, active: undefined };
  if (!Array.isArray(active)) return { ok: false, errors: [{ pointer: '/active', message: `expected an array of cassette names or null, got ${typeof active}` }] };
  const errors: PointerFinding[] = [];
  const seen = new Set<string>();
  active.forEach((name: unknown, i) => {
    if (typeof name !== 'string') errors.push({ pointer: `/active/${i}`, message: `expected a cassette name, got ${JSON.stringify(name)}` });
    else if (!layers.includes(name)) errors.push({ pointer: `/active/${i}`, message: `"${name}" is not a cassette layer of this mock; loaded: ${layers.join(', ') || 'none'}` });
    else if (seen.has(name)) errors.push({ pointer: `/active/${i}`, message: `"${name}" is listed twice` });
    else seen.add(name);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, active: active as string[] };
}

/**
 * `GET|PUT /__mockdeck/cassettes/active`: the scenario switch. The same as
 * the per-request `x-mockdeck-cassette` header, but sticky, so a tester moves
 * between "happy path" and "outage" without restarting.
 */
export const scenarioRoutes: AdminRoutes = {
  register(admin, ctx) {
    admin.get<{ Querystring: { mock?: string } }>('/cassettes/active', async (request) => scenarioOf(targetMember(ctx, request.query.mock, 'adminGetScenario').runtime));
    admin.put<{ Querystring: { mock?: string } }>('/cassettes/active', async (request) => {
      const { runtime } = targetMember(ctx, request.query.mock, 'adminSetScenario');
      const parsed = parseActive(jsonBody(request.body, request.headers['content-type']), runtime.state.layers.map((l) => l.name));
      if (!parsed.ok) throw invalidInput('adminSetScenario', parsed.errors);
      runtime.activeCassettes = parsed.active ? Object.freeze(parsed.active) : undefined;
      // A new scenario starts from the first recording of every request, as a restart would.
      runtime.state.index.reset();
      return scenarioOf(runtime);
    });
  },
  paths: {
    '/cassettes/active': {
      get: {
        operationId: 'adminGetScenario',
        summary: 'Which cassette layers answer',
        tags: ['dashboard'],
        parameters: [{ name: 'mock', in: 'query', required: false, description: 'Another mock of the deck (admin key only)', schema: { type: 'string' } }],
        responses: { 200: json(ref('Scenario'), 'The scenario'), 422: problem('Unknown mock'), ...GUARDED_RESPONSES },
      },
      put: {
        operationId: 'adminSetScenario',
        summary: 'Choose the cassette layers that answer (sticky until changed or restarted)',
        description: 'Later layers win on equal requests. `[]` leaves every request to the miss policy; `null` restores every loaded layer. Replay order is rewound. A per-request `x-mockdeck-cassette` header still picks one cassette.',
        tags: ['dashboard'],
        parameters: [{ name: 'mock', in: 'query', required: false, description: 'Another mock of the deck (admin key only)', schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['active'], properties: { active: { type: ['array', 'null'], items: { type: 'string' }, uniqueItems: true } } }, example: { active: ['base', 'outage'] } } },
        },
        responses: { 200: json(ref('Scenario'), 'The new scenario'), 400: problem('Body is not JSON'), 422: problem('Unknown cassette or mock; errors[] names each'), ...GUARDED_RESPONSES },
      },
    },
  },
  schemas: {
    Scenario: {
      type: 'object',
      required: ['mock', 'layers', 'active', 'all'],
      properties: {
        mock: { type: 'string' },
        layers: { type: 'array', items: { type: 'string' }, description: 'Every loaded cassette layer, in load order' },
        active: { type: 'array', items: { type: 'string' }, description: 'The layers that answer, later ones winning' },
        all: { type: 'boolean', description: 'True when no scenario was chosen (every layer answers)' },
      },
    },
  },
};
