import type { Decision } from './decide.js';
import type { JournalEntry, Source } from './journal.js';
import type { MatchRules, NearMiss } from '../matcher/index.js';
import type { MockRuntime, MockState } from './mock-runtime.js';
import type { IncomingRequest } from './request-parts.js';
import type { Sent } from './send-decision.js';

const BODY_CAP = 64 * 1024;
const REDACTED = '[REDACTED]';
/** Never shown, whatever the mock's redaction rules: the admin key header. */
const ALWAYS_SECRET = ['x-mockdeck-admin-key'];

function bodyView(body: Buffer | string | undefined, contentType: string | undefined): { body: string | null; bodyEncoding: 'utf8' | 'base64' | null } {
  if (body === undefined || body.length === 0) return { body: null, bodyEncoding: null };
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const clipped = buf.subarray(0, BODY_CAP);
  const text = !contentType || /json|text|xml|form|javascript/i.test(contentType);
  return text ? { body: clipped.toString('utf8'), bodyEncoding: 'utf8' } : { body: clipped.toString('base64'), bodyEncoding: 'base64' };
}

/** Headers as shown in the journal: secrets (auth, keys, cookies) replaced. */
function safeHeaders(headers: Record<string, string | string[] | undefined | number>, secret: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = secret.includes(name.toLowerCase()) ? REDACTED : typeof value === 'number' ? String(value) : value;
  }
  return out;
}

type Served = Sent | { status: number; source: Source };

/** What a journal line takes from the mock, fixed when the request is served. */
interface EntryContext {
  mock: string;
  rules: MatchRules;
  /** Date.now() when the request was served. */
  at: number;
}

/** Where the answer came from, as the journal and the request log name it. */
export function sourceOf(decision: Decision, sent: Served): Source {
  return 'source' in sent ? sent.source : decision.kind === 'forward' ? 'proxy' : decision.source;
}

/** Builds the journal line for a served request; never holds a key or a redacted value. */
export function journalEntry(runtime: MockRuntime, incoming: IncomingRequest, decision: Decision, sent: Served, ms: number): Omit<JournalEntry, 'id'> {
  return buildEntry({ mock: runtime.config.name, rules: runtime.state.rules, at: Date.now() }, incoming, decision, sent, ms);
}

/**
 * The journal line for a served request, built only when someone reads the
 * journal: most lines never are, and building one costs more than serving a
 * cassette hit. What the line depends on is fixed now (time, the redaction
 * rules of `state`), so it reads as journalEntry would have built it. A body
 * larger than what the journal shows is not kept alive: that line is built at once.
 */
export function deferredJournalEntry(runtime: MockRuntime, state: MockState, incoming: IncomingRequest, decision: Decision, sent: Served, ms: number): Omit<JournalEntry, 'id'> | (() => Omit<JournalEntry, 'id'>) {
  const ctx: EntryContext = { mock: runtime.config.name, rules: state.rules, at: Date.now() };
  if (incoming.rawBody.length > BODY_CAP || ('body' in sent && sent.body.length > BODY_CAP)) return buildEntry(ctx, incoming, decision, sent, ms);
  return () => buildEntry(ctx, incoming, decision, sent, ms);
}

function buildEntry(ctx: EntryContext, incoming: IncomingRequest, decision: Decision, sent: Served, ms: number): Omit<JournalEntry, 'id'> {
  const secret = [...ctx.rules.redacted.headers, ...ALWAYS_SECRET];
  const full = 'headers' in sent;
  const contentType = full ? String(sent.headers['content-type'] ?? '') : undefined;
  const redactedQuery = new Set(ctx.rules.redacted.query);
  const query = Object.entries(incoming.query).map(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${redactedQuery.has(k) ? REDACTED : encodeURIComponent(v)}`).join('&')).join('&');
  return {
    time: new Date(ctx.at).toISOString(),
    mock: ctx.mock,
    method: incoming.method,
    path: incoming.path + (query ? `?${query}` : ''),
    status: sent.status,
    source: sourceOf(decision, sent),
    operation: decision.kind === 'reply' ? decision.operationId : decision.operationId,
    cassette: decision.kind === 'reply' ? decision.cassette ?? null : null,
    interaction: decision.kind === 'reply' ? decision.interaction?.id ?? null : null,
    ms,
    request: { headers: safeHeaders(incoming.headers, secret), ...bodyView(incoming.rawBody, incoming.mediaType) },
    response: full ? { headers: safeHeaders(sent.headers, secret), ...bodyView(sent.body, contentType) } : { headers: {}, body: null, bodyEncoding: null },
    ...nearMissesOf(decision),
  };
}

/** Near misses as the line shows them: computed now when the decision deferred them, left out when there are none. */
function nearMissesOf(decision: Decision): { nearMisses?: NearMiss[] } {
  if (decision.kind === 'forward' || !decision.nearMisses) return {};
  if (typeof decision.nearMisses !== 'function') return { nearMisses: decision.nearMisses };
  const nearMisses = decision.nearMisses();
  return nearMisses.length > 0 ? { nearMisses } : {};
}

/** The journal line for a request the gate turned away: no headers, query or body, only what happened. */
export function deniedEntry(runtime: MockRuntime, method: string, path: string, status: number, ms: number): Omit<JournalEntry, 'id'> {
  const none = { headers: {}, body: null, bodyEncoding: null };
  return { time: new Date().toISOString(), mock: runtime.config.name, method, path, status, source: 'mockdeck', operation: null, cassette: null, interaction: null, ms, request: none, response: none };
}
