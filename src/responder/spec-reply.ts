import { MockdeckError } from '../errors.js';
import type { MediaModel, ResolvedOperation, ResponseModel, SchemaValidator } from '../spec/index.js';
import { GenerationCache, generateValue, seedFrom } from './generate-body.js';
import { negotiate } from './negotiate.js';
import type { Preferences } from './prefer.js';

/** A reply ready to send: status, headers and body bytes. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

export interface SpecReplyInput {
  /** Request path (used to seed deterministic generation). */
  path: string;
  method: string;
  accept: string | undefined;
  prefer: Preferences;
}

export interface SpecReplyDeps {
  validator: SchemaValidator;
  cache: GenerationCache;
}

/**
 * Chooses the documented status: the `Prefer` code if given, else the lowest
 * 2xx, else `default`, else the lowest documented status.
 */
export function chooseResponse(op: ResolvedOperation, prefer: Preferences): { status: number; response: ResponseModel } {
  if (prefer.code !== undefined) {
    const code = String(prefer.code);
    const response = op.responses.find((r) => r.status === code) ?? op.responses.find((r) => r.status === `${code[0]}XX`) ?? op.responses.find((r) => r.status === 'default');
    if (!response) throw new MockdeckError('MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE', { preference: `code=${code}`, operationId: op.id, reason: `documented statuses are ${op.responses.map((r) => r.status).join(', ')}` });
    return { status: prefer.code, response };
  }
  const numeric = (r: ResponseModel): number => (/^\d{3}$/.test(r.status) ? Number(r.status) : /^\dXX$/.test(r.status) ? Number(r.status[0]) * 100 : 1000);
  const sorted = [...op.responses].sort((a, b) => numeric(a) - numeric(b));
  const success = sorted.find((r) => numeric(r) >= 200 && numeric(r) < 300);
  const chosen = success ?? op.responses.find((r) => r.status === 'default') ?? sorted[0];
  if (!chosen) return { status: 200, response: { status: '200', description: '', headers: {}, content: {} } };
  const status = numeric(chosen);
  return { status: status === 1000 ? 200 : status, response: chosen };
}

/**
 * Builds a response from the spec alone: status per {@link chooseResponse},
 * media type by content negotiation (406 when nothing fits), body from the
 * named or first example, else generated from the schema: deterministic per
 * path unless `Prefer: dynamic=true`. A deterministic answer is remembered in
 * `deps.cache` and returned frozen (shared) when asked again.
 */
export function replyFromSpec(op: ResolvedOperation, input: SpecReplyInput, deps: SpecReplyDeps): Reply {
  if (input.prefer.dynamic) return buildReply(op, input, deps);
  // Everything the answer depends on; \n cannot occur in a method, a path or a header value.
  const key = `${op.id}\n${input.method} ${input.path}\n${input.accept ?? ''}\n${input.prefer.code ?? ''}\n${input.prefer.example ?? ''}`;
  return deps.cache.replies.get(key) ?? deps.cache.replies.set(key, buildReply(op, input, deps));
}

function buildReply(op: ResolvedOperation, input: SpecReplyInput, deps: SpecReplyDeps): Reply {
  const { status, response } = chooseResponse(op, input.prefer);
  const offered = Object.keys(response.content);
  const headers: Record<string, string> = {};
  const pathSeed = seedFrom(`${input.method} ${input.path}`);
  const seed = input.prefer.dynamic ? (Math.random() * 2 ** 32) >>> 0 : pathSeed;
  for (const [name, h] of Object.entries(response.headers)) {
    if (name === 'content-type' || name === 'content-length') continue;
    const value = generate(h.schema, seed, !!input.prefer.dynamic, deps, pathSeed);
    if (value !== undefined && value !== null) headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (offered.length === 0 || status === 204 || status === 304) return { status, headers, body: '' };
  const mediaType = negotiate(offered, input.accept);
  if (mediaType === null) {
    throw new MockdeckError('MOCKDECK_ERR_REQ_NOT_ACCEPTABLE', { accept: input.accept, operationId: op.id, available: offered.join(', ') }, { extra: { available: offered } });
  }
  const media = response.content[mediaType] as MediaModel;
  const value = pickBody(op, media, input, seed, deps, pathSeed);
  const contentType = concreteType(mediaType);
  headers['content-type'] = /json/i.test(contentType) || contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType;
  if (input.method === 'HEAD') return { status, headers, body: '' };
  return { status, headers, body: serialize(value, contentType) };
}

function pickBody(op: ResolvedOperation, media: MediaModel, input: SpecReplyInput, seed: number, deps: SpecReplyDeps, pathSeed: number): unknown {
  if (input.prefer.example !== undefined) {
    const named = media.examples.find((e) => e.name === input.prefer.example);
    if (!named) throw new MockdeckError('MOCKDECK_ERR_REQ_PREFER_UNSATISFIABLE', { preference: `example=${input.prefer.example}`, operationId: op.id, reason: `examples are ${media.examples.map((e) => e.name).join(', ') || 'none'}` });
    return named.value;
  }
  if (!input.prefer.dynamic) {
    if (media.examples[0]) return media.examples[0].value;
    const schemaExample = schemaLevelExample(media.schema);
    if (schemaExample !== undefined) return schemaExample;
  }
  return media.schema === null ? '' : generate(media.schema, seed, !!input.prefer.dynamic, deps, pathSeed);
}

/**
 * A dynamic value that no attempt could make valid (a random seed can land
 * where the generator fails, say between overlapping oneOf branches) gives
 * way to the path's deterministic one: a valid answer beats a random one.
 */
function generate(schema: MediaModel['schema'], seed: number, dynamic: boolean, deps: SpecReplyDeps, pathSeed: number): unknown {
  if (schema === null) return undefined;
  const deterministic = (): unknown => deps.cache.get(schema, pathSeed, () => generateValue(schema, pathSeed, deps.validator));
  if (!dynamic) return deterministic();
  const value = generateValue(schema, seed, deps.validator);
  return deps.validator.check(schema, value).length === 0 ? value : deterministic();
}

function schemaLevelExample(schema: MediaModel['schema']): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  if ('example' in schema) return schema['example'];
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  return undefined;
}

/** Wildcard media types in a spec (`*\/*`, `application/*`) answer as something concrete. */
function concreteType(mediaType: string): string {
  const base = mediaType.split(';')[0]!.trim();
  if (base === '*/*' || base === 'application/*') return 'application/json';
  if (base.endsWith('/*')) return base.replace('/*', '/plain');
  return base;
}

function serialize(value: unknown, contentType: string): string | Buffer {
  if (/json/i.test(contentType)) return JSON.stringify(value ?? null);
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
