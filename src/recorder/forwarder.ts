import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../config.js';
import { CassetteStore, type RedactRules } from '../cassette/index.js';
import { requestKey, partsOfInteraction } from '../matcher/index.js';
import type { Decision } from '../server/decide.js';
import type { Forwarder } from '../server/mount-mock.js';
import { redactionRules, type MockRuntime } from '../server/mock-runtime.js';
import type { IncomingRequest } from '../server/request-parts.js';
import type { Served } from '../server/journal.js';
import type { Spec } from '../spec/index.js';
import type { Interaction } from '../types.js';
import { buildInteraction } from './build-interaction.js';
import { RecordQueue } from './record-queue.js';
import { RecordingStats } from './recording-stats.js';
import { RepeatedBodies } from './repeated-bodies.js';

type ForwardDecision = Extract<Decision, { kind: 'forward' }>;

export interface RecordingForwarder extends Forwarder {
  readonly stats: RecordingStats;
  /** Resolves when every recorded interaction is on disk. */
  flush(): Promise<void>;
}

/**
 * Forwards requests to the target, streaming the answer back unchanged (plus
 * `x-mockdeck-*` headers). When the mock records, the exchange is captured on
 * the side, indexed for replay and queued for the cassette (see RecordQueue)
 * once the client got the whole response; a client that hung up, or an
 * upstream that failed, leaves nothing behind.
 */
export async function createForwarder(runtime: MockRuntime): Promise<RecordingForwarder> {
  const config = runtime.config;
  const target = config.target as string;
  const timeoutMs = config.record?.timeoutMs ?? 30_000;
  const store = config.record
    ? await CassetteStore.open(join(config.cassettesDir, config.record.cassette), {
        name: config.record.cassette,
        spec: config.spec === null ? null : { title: runtime.state.spec.info.title, version: runtime.state.spec.info.apiVersion, sha256: runtime.state.spec.info.sha256 },
        target: new URL(target).origin,
      })
    : null;
  const stats = new RecordingStats();
  // `served`, not `entry`: counting replays must not make the journal build every line.
  runtime.journal.on('served', (e: Served) => {
    if (e.source === 'cassette') stats.replayed(e.operation);
  });
  // Loaded on demand: undici takes about 100 ms to import, and only a mock with a target forwards anything.
  const { PassThrough } = await import('./pass-through.js');
  const upstream = new PassThrough(target, { timeoutMs, insecure: config.insecure });
  const rerecorded = new Set<string>();
  // Derived once per spec (a reload brings a new one), not once per exchange.
  const rulesBySpec = new WeakMap<Spec, RedactRules>();
  const redaction = (spec: Spec): RedactRules => {
    let rules = rulesBySpec.get(spec);
    if (!rules) rulesBySpec.set(spec, (rules = redactionRules(config, spec)));
    return rules;
  };
  const queue = store ? new RecordQueue(store, stats) : null;
  const bodies = new RepeatedBodies();

  const record = (interaction: Interaction): void => {
    if (!queue) return;
    // Only mode all replaces older recordings (the first time it records a key); the key costs nothing otherwise.
    const key = config.record?.mode === 'all' ? requestKey(partsOfInteraction(interaction), runtime.state.rules) : null;
    const replaceOld = key !== null && !rerecorded.has(key);
    if (key !== null) rerecorded.add(key);
    // Indexed at once, not after the write: a client repeating the request
    // before the file is on disk must already get the replay (mode new).
    runtime.state.index.add(config.record!.cassette, interaction);
    queue.add(interaction, replaceOld ? { replace: (old) => requestKey(partsOfInteraction(old), runtime.state.rules) === key } : undefined);
  };

  const flush = async (): Promise<void> => {
    await queue?.flush();
  };

  return {
    stats,
    flush,
    async close() {
      await flush();
      await upstream.close();
    },
    async forward(request: FastifyRequest, reply: FastifyReply, incoming: IncomingRequest, decision: ForwardDecision) {
      reply.hijack();
      const { forwarded, pathAndSearch } = withoutMockCredentials(incoming, config.access);
      // Backpressure: when the disk is far behind, new work waits here rather
      // than growing memory; answers already relayed are never held back.
      if (store) await store.waitForRoom();
      const { method, path, query, headers, rawBody } = forwarded;
      const toTarget = { method, pathAndSearch, headers, body: rawBody, operationId: decision.operationId };
      return upstream.relay(toTarget, reply.raw, store === null ? null : ({ responseChunks, ...exchange }) => {
        const state = runtime.state;
        const raw = { method, path, query, requestHeaders: headers, requestBody: rawBody, responseBody: bodies.join(responseChunks), ...exchange };
        record(buildInteraction(raw, { spec: state.spec, redaction: redaction(state.spec), validator: state.bodyValidator, bodies }));
      });
    },
  };
}

/**
 * The mock's own key (and any x-mockdeck-* header) is for mockdeck, not for
 * the target: it is removed from what is forwarded and from what is recorded.
 * The query string is passed on as the client wrote it unless a key had to
 * come out of it.
 */
function withoutMockCredentials(incoming: IncomingRequest, access: AccessPolicy): { forwarded: IncomingRequest; pathAndSearch: string } {
  const url = incoming.url ?? incoming.path;
  const q = url.indexOf('?');
  let search = q === -1 ? '' : url.slice(q);
  let headers = incoming.headers;
  for (const name in headers) {
    if (!isMockCredential(name, access)) continue;
    if (headers === incoming.headers) headers = { ...headers };
    delete headers[name];
  }
  let query = incoming.query;
  if (access.kind === 'apiKey' && access.in === 'query' && access.name in query) {
    query = { ...query };
    delete query[access.name];
    const rest = new URLSearchParams(Object.entries(query).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]))).toString();
    search = rest ? `?${rest}` : '';
  }
  const forwarded = headers === incoming.headers && query === incoming.query ? incoming : { ...incoming, headers, query };
  return { forwarded, pathAndSearch: incoming.path + search };
}

/** An x-mockdeck-* header, or the header carrying the mock's own key. */
function isMockCredential(header: string, access: AccessPolicy): boolean {
  if (header.startsWith('x-mockdeck-')) return true;
  if (access.kind !== 'apiKey') return false;
  return (access.in === 'header' && header === access.name) || (access.in === 'bearer' && header === 'authorization');
}
