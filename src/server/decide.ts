import { MockdeckError } from '../errors.js';
import type { MockConfig } from '../config.js';
import { decodeBody, encodeBody } from '../cassette/index.js';
import type { KeyParts, NearMiss } from '../matcher/index.js';
import { parsePrefer, replyFromInteraction, replyFromSpec, type Reply } from '../responder/index.js';
import { checkRequest, type Operation, type ResolvedOperation, type SecurityRequirements } from '../spec/index.js';
import { findMedia } from '../spec/validate-request.js';
import type { Interaction, RecordedResponse } from '../types.js';
import type { Source } from './journal.js';
import type { MockState } from './mock-runtime.js';
import type { IncomingRequest } from './request-parts.js';

const JOURNAL_SCAN = 200;

/** What the server does with a request: the one branching point of the data flow. */
export type Decision =
  | {
      kind: 'reply'; reply: Reply; source: Source; operationId: string | null; cassette?: string; interaction?: Interaction;
      /** For the journal only; a spec answer defers them (a function) to when its journal line is built, most never are. */
      nearMisses?: NearMiss[] | (() => NearMiss[]);
    }
  | { kind: 'forward'; operationId: string | null; pathParams: Record<string, string>; parts: KeyParts }
  | { kind: 'error'; error: MockdeckError; source: Source; operationId: string | null; headers?: Record<string, string>; nearMisses?: NearMiss[] };

export interface DecideOptions {
  /** The mock's own gate already checked a key: the spec's security then is not ours to enforce. */
  gated: boolean;
  /** `x-mockdeck-cassette` request header. */
  onlyCassette: string | undefined;
  activeCassettes: readonly string[] | undefined;
}

/**
 * Routes against the spec, enforces what the spec requires (415, 401, 422),
 * looks the request up in the cassette index, and on a miss applies the
 * miss policy. Throws nothing expected: every failure is a Decision.
 */
export function decide(state: MockState, config: MockConfig, req: IncomingRequest, opts: DecideOptions): Decision {
  const route = state.spec.route(req.method, req.path);
  const op = route.kind === 'operation' ? state.spec.resolve(route.operation) : null;
  const operationId = op?.id ?? null;
  try {
    if (op) checkOperationRules(state, config, op, req, opts, route.kind === 'operation' ? route.params : {});
    if (opts.onlyCassette !== undefined && !state.index.cassettes.includes(opts.onlyCassette)) {
      throw new MockdeckError('MOCKDECK_ERR_REQ_UNKNOWN_CASSETTE', { cassette: opts.onlyCassette, loaded: state.index.cassettes.join(', ') || 'none' });
    }
  } catch (err) {
    if (err instanceof MockdeckError) return { kind: 'error', error: err, source: 'spec', operationId };
    throw err;
  }
  const parts = keyParts(req, route.kind === 'operation' ? route.operation : null, route.kind === 'operation' ? route.params : {});
  const mode = config.record?.mode;
  if (mode === 'all') return { kind: 'forward', operationId, pathParams: parts.pathParams, parts };
  // Without a body or matched headers the request line alone makes the key: the index remembers it per line.
  const requestLine = req.url !== undefined && req.rawBody.length === 0 && state.rules.headers.length === 0 ? `${req.method} ${req.url}` : undefined;
  const found = state.index.lookup(parts, { only: opts.onlyCassette, active: opts.activeCassettes, requestLine });
  if (found.kind === 'hit') {
    const { interaction, cassette } = found;
    return { kind: 'reply', reply: replayReply(interaction.response, req.method), source: 'cassette', operationId: interaction.operationId ?? operationId, cassette, interaction };
  }
  if (mode === 'new') return { kind: 'forward', operationId, pathParams: parts.pathParams, parts };
  if (mode === 'none') {
    return { kind: 'error', error: new MockdeckError('MOCKDECK_ERR_RECORD_NOT_RECORDED', { method: req.method, path: req.path, cassette: config.record?.cassette }), source: 'mockdeck', operationId, nearMisses: found.nearMisses() };
  }
  switch (config.onMiss) {
    case 'proxy':
      return { kind: 'forward', operationId, pathParams: parts.pathParams, parts };
    case '404': {
      const nearMisses = found.nearMisses();
      const error = new MockdeckError('MOCKDECK_ERR_REQ_NO_RECORDING', { method: req.method, path: req.path, cassettes: state.index.cassettes.join(', ') || 'no cassette' }, { extra: { nearMisses } });
      return { kind: 'error', error, source: 'mockdeck', operationId, nearMisses };
    }
    case 'spec':
      // Spec fallbacks are a hot path: their near misses (for the journal only) scan fewer recordings, and only when the line is built.
      return fromSpec(state, req, route, op, state.index.size > 0 ? () => found.nearMisses(JOURNAL_SCAN) : undefined);
  }
}

/** Replies rebuilt once per recorded response: a loaded recording never changes, and a hit is the hot path. */
const replayed = new WeakMap<RecordedResponse, Reply>();

/** The reply for a recorded response; shared between hits, so never mutated. */
function replayReply(response: RecordedResponse, method: string): Reply {
  let reply = replayed.get(response);
  if (!reply) replayed.set(response, (reply = Object.freeze(replyFromInteraction(response, decodeBody(response), 'GET'))));
  return method === 'HEAD' ? { ...reply, body: '' } : reply;
}

function fromSpec(state: MockState, req: IncomingRequest, route: ReturnType<MockState['spec']['route']>, op: ResolvedOperation | null, misses: (() => NearMiss[]) | undefined): Decision {
  if (route.kind === 'unknown-path') {
    return { kind: 'error', error: new MockdeckError('MOCKDECK_ERR_REQ_UNKNOWN_PATH', { method: req.method, path: req.path, spec: state.spec.info.title }), source: 'mockdeck', operationId: null };
  }
  if (route.kind === 'method-not-allowed' || !op) {
    const allow = route.kind === 'method-not-allowed' ? route.allow : [];
    const template = route.kind === 'method-not-allowed' ? route.template : req.path;
    return { kind: 'error', error: new MockdeckError('MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED', { method: req.method, pathTemplate: template, allow: allow.join(', ') }), source: 'spec', operationId: null, headers: { allow: allow.join(', ') } };
  }
  const prefer = parsePrefer(req.headers['prefer']);
  try {
    const reply = replyFromSpec(op, { path: req.path, method: req.method, accept: header(req, 'accept'), prefer }, { validator: state.bodyValidator, cache: state.cache });
    return misses ? { kind: 'reply', reply, source: 'spec', operationId: op.id, nearMisses: misses } : { kind: 'reply', reply, source: 'spec', operationId: op.id };
  } catch (err) {
    if (err instanceof MockdeckError) return { kind: 'error', error: err, source: 'spec', operationId: op.id };
    throw err;
  }
}

/** 415 for an undeclared body type, 401 for missing credentials, 422 for invalid input. */
function checkOperationRules(state: MockState, config: MockConfig, op: ResolvedOperation, req: IncomingRequest, opts: DecideOptions, pathParams: Record<string, string>): void {
  if (req.rawBody.length > 0 && op.requestBody) {
    const available = Object.keys(op.requestBody.content);
    if (!req.mediaType || !findMedia(op.requestBody.content, req.mediaType)) {
      throw new MockdeckError('MOCKDECK_ERR_REQ_UNSUPPORTED_MEDIA_TYPE', { contentType: req.mediaType ?? '(none)', operationId: op.id, available: available.join(', ') });
    }
  }
  if (!opts.gated && !hasCredentials(op.security, req)) {
    const schemes = op.security.map((alt) => alt.map((s) => s.name).join(' + ')).join(' or ');
    throw new MockdeckError('MOCKDECK_ERR_REQ_UNAUTHENTICATED', { operationId: op.id, schemes });
  }
  if (config.validateRequests) {
    const findings = checkRequest(op, { pathParams, query: req.query, headers: req.headers, body: req.body, mediaType: req.mediaType }, state.paramValidator, state.bodyValidator);
    if (findings.length > 0) throw new MockdeckError('MOCKDECK_ERR_REQ_INVALID', { count: findings.length, operationId: op.id }, { extra: { errors: findings } });
  }
}

/** Any one alternative satisfied; an empty alternative (`{}`) means credentials are optional. */
export function hasCredentials(security: SecurityRequirements, req: IncomingRequest): boolean {
  if (security.length === 0 || security.some((alt) => alt.length === 0)) return true;
  const auth = header(req, 'authorization') ?? '';
  return security.some((alt) =>
    alt.every((s) => {
      switch (s.kind) {
        case 'apiKey':
          if (s.in === 'header') return header(req, s.paramName.toLowerCase()) !== undefined;
          if (s.in === 'query') return req.query[s.paramName] !== undefined;
          return new RegExp(`(?:^|;\\s*)${s.paramName}=`).test(header(req, 'cookie') ?? '');
        case 'http':
          return auth.toLowerCase().startsWith(s.scheme === 'bearer' ? 'bearer ' : s.scheme === 'basic' ? 'basic ' : '');
        default:
          return auth !== '';
      }
    }),
  );
}

function header(req: IncomingRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Reduces a live request exactly as the recorder stores one, so both key alike. */
function keyParts(req: IncomingRequest, op: Operation | null, params: Record<string, string>): KeyParts {
  // An empty body is stored as utf8 null: no need to run the encoder for it (most requests).
  const stored = req.rawBody.length === 0 ? { body: undefined, bodyEncoding: 'utf8' as const } : encodeBody(req.rawBody, { contentType: req.mediaType });
  return {
    method: req.method,
    operationId: op?.id ?? null,
    path: req.path,
    pathParams: params,
    query: req.query,
    headers: req.headers,
    body: stored.body,
    bodyEncoding: stored.bodyEncoding,
  };
}
