import type { FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { PointerFinding } from '../../errors.js';
import { upstreamError } from '../../recorder/index.js';
import { HTTP_METHODS } from '../../spec/operation-model.js';
import type { Interaction } from '../../types.js';
import type { MockRuntime } from '../mock-runtime.js';
import { GUARDED_RESPONSES, json, ref, type AdminContext, type AdminRoutes, type DeckMember } from './admin-routes.js';
import { curlLine, exampleRequest, KEY_PLACEHOLDER } from './example-request.js';
import { invalidInput, jsonBody, problem, targetMember } from './target-mock.js';

const TRY_TIMEOUT_MS = 10_000;
const ANSWER_CAP = 1024 * 1024;
const METHODS: readonly string[] = HTTP_METHODS.map((m) => m.toUpperCase());
/** Set by the transport, not by the caller. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);

/** The first recording of an operation in the layers that answer now (the winning layer first). */
function firstRecording(runtime: MockRuntime, operationId: string): Interaction | undefined {
  const active = runtime.activeCassettes;
  const layers = runtime.state.layers.filter((l) => active === undefined || active.includes(l.name)).reverse();
  for (const layer of layers) {
    const found = layer.interactions.find((i) => i.operationId === operationId);
    if (found) return found;
  }
  return undefined;
}

/** Where a mock answers from inside this process: its listening URL, or for this mock the socket the admin call came in on. */
function baseUrlOf(member: DeckMember, ctx: AdminContext, request: FastifyRequest): string | null {
  const url = member.url();
  if (url) return url;
  if (member.runtime !== ctx.runtime) return null;
  const { localAddress, localPort } = request.socket;
  if (!localAddress || !localPort) return null;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(localAddress)?.[1];
  const host = v4 ?? (localAddress.includes(':') ? `[${localAddress}]` : localAddress);
  return `http://${host}:${localPort}${member.runtime.config.basePath}`;
}

interface TryBody {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  apiKey: string | undefined;
}

/** Checks a try request; every problem gets its pointer. */
export function parseTry(raw: unknown): { ok: true; value: TryBody } | { ok: false; errors: PointerFinding[] } {
  const errors: PointerFinding[] = [];
  const b = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) errors.push({ pointer: '', message: 'expected a JSON object {method, path, headers?, body?, apiKey?}' });
  const method = typeof b['method'] === 'string' ? b['method'].toUpperCase() : '';
  if (!METHODS.includes(method)) errors.push({ pointer: '/method', message: `expected one of ${METHODS.join(', ')}` });
  const path = b['path'];
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.length > 8192) errors.push({ pointer: '/path', message: 'expected a path starting with one "/" (below the mock\'s base URL), at most 8192 characters' });
  const headers: Record<string, string> = {};
  if (b['headers'] !== undefined) {
    if (typeof b['headers'] !== 'object' || b['headers'] === null || Array.isArray(b['headers'])) errors.push({ pointer: '/headers', message: 'expected an object of header names to string values' });
    else for (const [name, value] of Object.entries(b['headers'])) {
      if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) errors.push({ pointer: `/headers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'expected a header name with a string value' });
      else if (!HOP_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
  }
  const body = b['body'] ?? null;
  if (body !== null && typeof body !== 'string') errors.push({ pointer: '/body', message: 'expected a string or null' });
  const apiKey = b['apiKey'];
  if (apiKey !== undefined && typeof apiKey !== 'string') errors.push({ pointer: '/apiKey', message: 'expected a string' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { method, path: path as string, headers, body: body as string | null, apiKey: typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined } };
}

/** Puts the tester's key where the mock expects it; the key goes out in this one request and nowhere else. */
function withKey(runtime: MockRuntime, url: URL, headers: Record<string, string>, key: string | undefined): void {
  const access = runtime.config.access;
  if (!key || access.kind !== 'apiKey') return;
  if (access.in === 'header') headers[access.name] = key;
  else if (access.in === 'bearer') headers['authorization'] = `Bearer ${key}`;
  else url.searchParams.set(access.name, key);
}

/** The answer as the dashboard shows it: JSON and text as UTF-8, anything else base64, capped. */
async function answerOf(res: Dispatcher.ResponseData, started: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size < ANSWER_CAP) chunks.push(buf.subarray(0, ANSWER_CAP - size));
    size += buf.length;
  }
  const bytes = Buffer.concat(chunks);
  const type = String(res.headers['content-type'] ?? '');
  const text = type === '' || /json|text|xml|form|javascript/i.test(type);
  return {
    status: res.statusCode,
    headers: res.headers,
    body: bytes.length === 0 ? null : bytes.toString(text ? 'utf8' : 'base64'),
    bodyEncoding: bytes.length === 0 ? null : text ? 'utf8' : 'base64',
    size,
    truncated: size > ANSWER_CAP,
    ms: Math.round((performance.now() - started) * 100) / 100,
  };
}

/**
 * "Try it" for the dashboard: `GET /__mockdeck/operations/{operationId}/example`
 * (a ready request and curl line, key as a placeholder) and
 * `POST /__mockdeck/try` (sends a request to the mock, through its gate, and
 * returns the answer). The request lands in the journal like any other.
 */
export const tryItRoutes: AdminRoutes = {
  register(admin, ctx) {
    admin.get<{ Params: { operationId: string }; Querystring: { mock?: string } }>('/operations/:operationId/example', async (request) => {
      const member = targetMember(ctx, request.query.mock, 'adminOperationExample');
      const { runtime } = member;
      const op = runtime.state.spec.operationById(request.params.operationId);
      if (!op) throw invalidInput('adminOperationExample', [{ pointer: '/path/operationId', message: `mock "${runtime.config.name}" has no operation "${request.params.operationId}"` }]);
      const example = exampleRequest(runtime.state.spec.resolve(op), { recorded: firstRecording(runtime, op.id), gated: runtime.config.access.kind !== 'public', matchHeaders: runtime.config.match.headers, validator: runtime.state.bodyValidator });
      const base = member.url() ?? `${request.protocol}://${request.host}${runtime.config.basePath}`;
      const access = runtime.config.access;
      const key = access.kind === 'apiKey' ? { in: access.in, name: access.name, placeholder: KEY_PLACEHOLDER } : null;
      return { mock: runtime.config.name, ...example, key, curl: curlLine(base, example, access) };
    });
    admin.post<{ Querystring: { mock?: string } }>('/try', async (request) => {
      const member = targetMember(ctx, request.query.mock, 'adminTry');
      const parsed = parseTry(jsonBody(request.body, request.headers['content-type']));
      if (!parsed.ok) throw invalidInput('adminTry', parsed.errors);
      const base = baseUrlOf(member, ctx, request);
      if (!base) throw invalidInput('adminTry', [{ pointer: '/query/mock', message: `mock "${member.runtime.config.name}" is not listening on a socket, so there is nothing to send to` }]);
      const { method, path, headers, body, apiKey } = parsed.value;
      const url = new URL(base.replace(/\/+$/, '') + path);
      withKey(member.runtime, url, headers, apiKey);
      const started = performance.now();
      try {
        // undici is loaded on the first Try it, not at every start (it costs 50-95 ms of it).
        const { request: send } = await import('undici');
        const res = await send(url, { method: method as 'GET', headers, body: body ?? undefined, headersTimeout: TRY_TIMEOUT_MS, bodyTimeout: TRY_TIMEOUT_MS });
        return { mock: member.runtime.config.name, request: { method, path }, ...(await answerOf(res, started)) };
      } catch (err) {
        throw upstreamError(err, url.origin, TRY_TIMEOUT_MS, false);
      }
    });
  },
  paths: {
    '/operations/{operationId}/example': {
      get: {
        operationId: 'adminOperationExample',
        summary: 'A ready example request for an operation, with its curl line',
        description: `A recorded request of the operation when there is one (it hits a cassette), else one built from the spec. The mock's API key appears only as the placeholder ${KEY_PLACEHOLDER}.`,
        tags: ['dashboard'],
        parameters: [
          { name: 'operationId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'mock', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { 200: json(ref('ExampleRequest'), 'The example'), 422: problem('Unknown operation or mock'), ...GUARDED_RESPONSES },
      },
    },
    '/try': {
      post: {
        operationId: 'adminTry',
        summary: 'Send a request to a mock and return its answer',
        description: 'The request goes through the mock\'s gate and lands in its journal like any other. `apiKey`, when given, is placed where the mock expects its key, used for this request only, and never returned.',
        tags: ['dashboard'],
        parameters: [{ name: 'mock', in: 'query', required: false, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['method', 'path'],
                properties: { method: { type: 'string' }, path: { type: 'string', pattern: '^/(?!/)' }, headers: { type: 'object', additionalProperties: { type: 'string' } }, body: { type: ['string', 'null'] }, apiKey: { type: 'string', writeOnly: true } },
              },
            },
          },
        },
        responses: { 200: json(ref('TryAnswer'), 'What the mock answered (any status)'), 400: problem('Body is not JSON'), 422: problem('Invalid request or unknown mock'), 502: problem('The mock could not be reached'), 504: problem('The mock did not answer in 10 s'), ...GUARDED_RESPONSES },
      },
    },
  },
  schemas: {
    ExampleRequest: {
      type: 'object',
      required: ['mock', 'operationId', 'method', 'path', 'headers', 'body', 'from', 'key', 'curl'],
      properties: {
        mock: { type: 'string' },
        operationId: { type: 'string' },
        method: { type: 'string' },
        path: { type: 'string' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: { type: ['string', 'null'] },
        from: { enum: ['recording', 'spec'] },
        key: { type: ['object', 'null'], description: 'Where the mock expects its API key (never the key)', properties: { in: { enum: ['header', 'query', 'bearer'] }, name: { type: 'string' }, placeholder: { type: 'string' } } },
        curl: { type: 'string' },
      },
    },
    TryAnswer: {
      type: 'object',
      required: ['mock', 'request', 'status', 'headers', 'body', 'bodyEncoding', 'size', 'truncated', 'ms'],
      properties: {
        mock: { type: 'string' },
        request: { type: 'object', properties: { method: { type: 'string' }, path: { type: 'string' } } },
        status: { type: 'integer' },
        headers: { type: 'object' },
        body: { type: ['string', 'null'] },
        bodyEncoding: { enum: ['utf8', 'base64', null] },
        size: { type: 'integer', description: 'Bytes of the body; at most 1 MiB is returned' },
        truncated: { type: 'boolean' },
        ms: { type: 'number' },
      },
    },
  },
};
