import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type httpProxy from 'http-proxy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem, type MockdeckError } from '../errors.js';
import type { AccessPolicy } from '../config.js';
import { CassetteStore, type RedactRules } from '../cassette/index.js';
import { requestKey, partsOfInteraction } from '../matcher/index.js';
import type { Decision } from '../server/decide.js';
import type { Forwarder } from '../server/mount-mock.js';
import { redactionRules, type MockRuntime } from '../server/mock-runtime.js';
import type { IncomingRequest } from '../server/request-parts.js';
import type { Source } from '../server/journal.js';
import type { Spec } from '../spec/index.js';
import type { Interaction } from '../types.js';
import { buildInteraction } from './build-interaction.js';
import { RecordingStats } from './recording-stats.js';
import { upstreamError } from './upstream-error.js';

type ForwardDecision = Extract<Decision, { kind: 'forward' }>;

export interface RecordingForwarder extends Forwarder {
  readonly stats: RecordingStats;
  /** Resolves when every recorded interaction is on disk. */
  flush(): Promise<void>;
}

/**
 * Forwards requests to the target through http-proxy, streaming the answer
 * back unchanged (plus `x-mockdeck-*` headers). When the mock records, the
 * exchange is captured on the side and appended to the cassette once the
 * client got the whole response; a client that hung up, or an upstream that
 * failed, leaves nothing behind.
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
  runtime.journal.on('entry', (e: { source: Source; operation: string | null }) => {
    if (e.source === 'cassette') stats.replayed(e.operation);
  });
  // Loaded on demand: only mocks with a target forward anything.
  const { default: proxyLib } = await import('http-proxy');
  // Without an agent http-proxy opens a new upstream connection per request
  // (and sends `connection: close`): at a few thousand requests per second
  // that alone cost 4x in throughput and left p50 in the hundreds of ms.
  const agent = upstreamAgent(target, config.insecure);
  // Certificates are checked unless the user opted out (--insecure): http-proxy's `secure` overrides the agent per request.
  const proxy = proxyLib.createProxyServer({ target, changeOrigin: true, xfwd: false, ws: false, secure: !config.insecure, agent });
  // Errors are handled per request through the web() callback; this keeps a stray one from crashing the process.
  proxy.on('error', () => undefined);
  const rerecorded = new Set<string>();
  // Derived once per spec (a reload brings a new one), not once per exchange.
  const rulesBySpec = new WeakMap<Spec, RedactRules>();
  const redaction = (spec: Spec): RedactRules => {
    let rules = rulesBySpec.get(spec);
    if (!rules) rulesBySpec.set(spec, (rules = redactionRules(config, spec)));
    return rules;
  };
  const pending = new Set<Promise<void>>();

  const record = (interaction: Interaction): void => {
    if (!store) return;
    // Only mode all replaces older recordings (the first time it records a key); the key costs nothing otherwise.
    const key = config.record?.mode === 'all' ? requestKey(partsOfInteraction(interaction), runtime.state.rules) : null;
    const replaceOld = key !== null && !rerecorded.has(key);
    if (key !== null) rerecorded.add(key);
    // Indexed at once, not after the write: a client repeating the request
    // before the file is on disk must already get the replay (mode new).
    runtime.state.index.add(config.record!.cassette, interaction);
    const write = store
      .append(interaction, replaceOld ? { replace: (old) => requestKey(partsOfInteraction(old), runtime.state.rules) === key } : undefined)
      .then(() => stats.recorded(interaction))
      .catch((err: unknown) => stats.failed(err as Error, interaction))
      .finally(() => pending.delete(write));
    pending.add(write);
  };

  const flush = async (): Promise<void> => {
    while (pending.size > 0) await Promise.all([...pending]);
    await store?.flush();
  };

  return {
    stats,
    flush,
    async close() {
      await flush();
      proxy.close();
      agent.destroy();
    },
    async forward(request: FastifyRequest, reply: FastifyReply, incoming: IncomingRequest, decision: ForwardDecision) {
      reply.hijack();
      incoming = withoutMockCredentials(request.raw, incoming, config.access);
      // Backpressure: when the disk is far behind, new work waits here rather
      // than growing memory; answers already relayed are never held back.
      if (store) await store.waitForRoom();
      return proxyOnce(proxy, request.raw, reply.raw, incoming, decision, { target, timeoutMs, recording: store !== null }, (exchange) => {
        const state = runtime.state;
        record(buildInteraction(exchange, { spec: state.spec, redaction: redaction(state.spec), validator: state.bodyValidator }));
      });
    },
  };
}

/** Keep-alive connections to the target, as many as a busy client may need at once. */
function upstreamAgent(target: string, insecure: boolean): HttpAgent {
  const options = { keepAlive: true, maxSockets: UPSTREAM_CONNECTIONS, scheduling: 'lifo' as const };
  return target.startsWith('https:') ? new HttpsAgent({ ...options, rejectUnauthorized: !insecure }) : new HttpAgent(options);
}

/** Upstream connections kept per target (the bench's bare proxy uses the same pool size). */
const UPSTREAM_CONNECTIONS = 128;

/**
 * The mock's own key (and any x-mockdeck-* header) is for mockdeck, not for
 * the target: it is removed from what is forwarded and from what is recorded.
 */
function withoutMockCredentials(raw: IncomingMessage, incoming: IncomingRequest, access: AccessPolicy): IncomingRequest {
  const drop = Object.keys(raw.headers).filter((h) => h.startsWith('x-mockdeck-'));
  if (access.kind === 'apiKey' && access.in === 'header') drop.push(access.name);
  if (access.kind === 'apiKey' && access.in === 'bearer') drop.push('authorization');
  const headers = { ...incoming.headers };
  for (const h of drop) {
    delete raw.headers[h];
    delete headers[h];
  }
  let query = incoming.query;
  if (access.kind === 'apiKey' && access.in === 'query' && access.name in query) {
    query = { ...query };
    delete query[access.name];
    const search = new URLSearchParams(Object.entries(query).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]))).toString();
    raw.url = (raw.url ?? '/').split('?')[0] + (search ? `?${search}` : '');
  }
  return { ...incoming, headers, query };
}

interface ProxyOptions {
  target: string;
  timeoutMs: number;
  recording: boolean;
}

function proxyOnce(
  proxy: httpProxy,
  req: IncomingMessage,
  res: ServerResponse,
  incoming: IncomingRequest,
  decision: ForwardDecision,
  opts: ProxyOptions,
  onExchange: (exchange: Parameters<typeof buildInteraction>[0]) => void,
): Promise<{ status: number; source: Source }> {
  return new Promise((resolve) => {
    const startedAt = new Date();
    const t0 = performance.now();
    const search = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    req.url = incoming.path + search; // the mock's own base path is not the target's
    let timedOut = false;
    let upstreamReq: import('node:http').ClientRequest | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      upstreamReq?.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const chunks: Buffer[] = [];
    let status = 0;
    let upstreamComplete = false;
    const onProxyReq = (proxyReq: import('node:http').ClientRequest, r: IncomingMessage) => {
      if (r === req) upstreamReq = proxyReq;
    };
    const onProxyRes = (proxyRes: IncomingMessage, r: IncomingMessage) => {
      if (r !== req) return;
      clearTimeout(timer);
      status = proxyRes.statusCode ?? 502;
      proxyRes.headers['x-mockdeck-source'] = 'proxy';
      if (decision.operationId) proxyRes.headers['x-mockdeck-operation'] = decision.operationId;
      if (opts.recording) proxyRes.on('data', (c: Buffer) => chunks.push(c));
      proxyRes.on('end', () => (upstreamComplete = proxyRes.complete));
      // The upstream died mid-body: cut the client's stream too rather than leave it hanging.
      proxyRes.on('close', () => {
        if (!proxyRes.complete) res.destroy();
      });
    };
    proxy.on('proxyReq', onProxyReq);
    proxy.on('proxyRes', onProxyRes);
    const done = (result: { status: number; source: Source }) => {
      clearTimeout(timer);
      proxy.off('proxyReq', onProxyReq);
      proxy.off('proxyRes', onProxyRes);
      resolve(result);
    };
    res.once('finish', () => {
      if (opts.recording && upstreamComplete && status > 0) {
        onExchange({
          method: incoming.method, path: incoming.path, query: incoming.query, requestHeaders: incoming.headers, requestBody: incoming.rawBody,
          status, responseHeaders: res.getHeaders() as Record<string, string | string[] | number | undefined>, responseBody: Buffer.concat(chunks), startedAt, durationMs: performance.now() - t0,
        });
      }
      done({ status: status || res.statusCode, source: status ? 'proxy' : 'mockdeck' });
    });
    // A client that hangs up mid-response: nothing is recorded.
    res.once('close', () => {
      if (!res.writableFinished) done({ status: status || 499, source: 'proxy' });
    });
    proxy.web(req, res, { target: opts.target, buffer: Readable.from(incoming.rawBody.length ? [incoming.rawBody] : []), proxyTimeout: 0 } as httpProxy.ServerOptions, (err) => {
      const error = upstreamError(err, opts.target, opts.timeoutMs, timedOut);
      sendRawProblem(res, error, decision.operationId);
    });
  });
}

function sendRawProblem(res: ServerResponse, error: MockdeckError, operationId: string | null): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(toProblem(error));
  res.writeHead(error.status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), 'x-mockdeck-source': 'mockdeck', ...(operationId ? { 'x-mockdeck-operation': operationId } : {}) });
  res.end(body);
}
