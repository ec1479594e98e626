import type { ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { toProblem, type MockdeckError } from '../errors.js';
import type { Source } from '../server/journal.js';
import type { RawExchange } from './build-interaction.js';
import { HOP_BY_HOP_HEADERS } from './hop-by-hop.js';
import { upstreamError } from './upstream-error.js';

/** Upstream connections kept per target (the bench's bare proxy uses the same pool size). */
const UPSTREAM_CONNECTIONS = 128;

// Besides the hop-by-hop ones: the Host is the target's, `expect` is answered
// by the mock's own server, and the length is recomputed from the body.
const NOT_FORWARDED = new Set([...HOP_BY_HOP_HEADERS, 'host', 'content-length', 'expect']);
const NOT_RELAYED = new Set(HOP_BY_HOP_HEADERS);

/** One request to pass through, as the mock received it (its own credentials already removed). */
export interface OutgoingRequest {
  method: string;
  /** Path after the mock's mount prefix, query string (with its `?`) appended. */
  pathAndSearch: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  operationId: string | null;
}

/**
 * The exchange as seen on the wire, handed over once the client received all
 * of it. The body comes as the chunks it arrived in: a recorder that already
 * holds equal bytes need not join them (see RepeatedBodies.join).
 */
export type Exchange = Pick<RawExchange, 'status' | 'responseHeaders' | 'startedAt' | 'durationMs'> & { responseChunks: readonly Buffer[] };

/**
 * Keep-alive connections to one target and the relay of one request over
 * them: the answer streams back to the client as it arrives, with the
 * `x-mockdeck-*` headers added. undici's pool spends about a fifth less CPU
 * per request than http-proxy over Node's http.Agent, which is most of the
 * hop's cost on a small answer.
 *
 * @example
 * const upstream = new PassThrough('https://staging.example.com/api', { timeoutMs: 30_000, insecure: false })
 * await upstream.relay(request, reply.raw, null) // resolves once the client has the answer
 */
export class PassThrough {
  readonly #pool: Pool;
  /** The target's own base path, without a trailing slash ('' for none). */
  readonly #base: string;

  constructor(
    readonly target: string,
    private readonly options: { timeoutMs: number; insecure: boolean },
  ) {
    const url = new URL(target);
    this.#base = url.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(url.origin, {
      connections: UPSTREAM_CONNECTIONS,
      // Each Relay bounds the wait for the answer's head itself; once it streams, only a stall of as long cuts it.
      headersTimeout: 0,
      bodyTimeout: options.timeoutMs,
      // Certificates are checked unless the user opted out (--insecure).
      connect: url.protocol === 'https:' ? { rejectUnauthorized: !options.insecure } : {},
    });
  }

  /**
   * Sends `req` to the target and streams the answer into `res`. Transport
   * failures before the answer started become problem+json (502/504); a
   * failure mid-body cuts the client's stream. `onExchange`, when given, gets
   * the exchange with its body, and only once the client received all of it.
   */
  relay(req: OutgoingRequest, res: ServerResponse, onExchange: ((exchange: Exchange) => void) | null): Promise<{ status: number; source: Source }> {
    return new Promise((resolve) => {
      new Relay(this.target, this.options.timeoutMs, req, res, onExchange, resolve).start(this.#pool, this.#base);
    });
  }

  close(): Promise<void> {
    return this.#pool.destroy();
  }
}

/**
 * One request through undici's dispatch interface: the answer's chunks go to
 * the client as they arrive, with backpressure (a slow client pauses the
 * upstream), and no stream, promise or AbortController is made per request,
 * which was a tenth of the hop's cost. Settles exactly once: with the
 * upstream's status once the client has every byte, or with the problem sent
 * instead, or when the client hung up (nothing is recorded then).
 */
class Relay implements Dispatcher.DispatchHandler {
  readonly #startedAt = new Date();
  readonly #t0 = performance.now();
  #controller: Dispatcher.DispatchController | null = null;
  /** Why the exchange was cut short by this side (timeout, client gone); the upstream's answer is then dropped. */
  #abortReason: Error | null = null;
  #timedOut = false;
  #settled = false;
  #status = 0;
  #headers: Record<string, string | string[]> = {};
  readonly #chunks: Buffer[] | null;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly target: string,
    private readonly timeoutMs: number,
    private readonly req: OutgoingRequest,
    private readonly res: ServerResponse,
    private readonly onExchange: ((exchange: Exchange) => void) | null,
    private readonly resolve: (result: { status: number; source: Source }) => void,
  ) {
    this.#chunks = onExchange ? [] : null;
    // Bounds the wait for the answer's head, queueing for a connection included; once it streams, the pool's bodyTimeout bounds a stall.
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#cut(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // A client that hangs up stops the upstream exchange too, and nothing is recorded.
    res.once('close', () => {
      if (res.writableFinished) return;
      this.#done({ status: res.headersSent ? res.statusCode : 499, source: 'proxy' });
      this.#cut(new Error('the client closed the connection'));
    });
  }

  start(pool: Pool, base: string): void {
    const { method, pathAndSearch, headers, body } = this.req;
    pool.dispatch({ method, path: base + pathAndSearch, headers: without(headers, NOT_FORWARDED), body: body.length > 0 ? body : null }, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason) controller.abort(this.#abortReason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>): void {
    if (statusCode < 200) return; // 1xx: the real answer follows
    clearTimeout(this.#timer);
    if (this.#settled) return;
    this.#status = statusCode;
    this.#headers = headers;
    try {
      this.res.writeHead(statusCode, { ...without(headers, NOT_RELAYED), ...provenance(this.req.operationId) });
    } catch (err) {
      // Node checks the head again as it writes it: should it refuse one undici accepted, a 502 naming why, never a crash.
      this.#fail(err);
      controller.abort(err as Error);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#chunks?.push(chunk);
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.res.once('finish', () => {
      const chunks = this.#chunks;
      if (chunks && this.onExchange) {
        this.onExchange({ status: this.#status, responseHeaders: this.#headers, responseChunks: chunks, startedAt: this.#startedAt, durationMs: performance.now() - this.#t0 });
      }
      this.#done({ status: this.#status, source: 'proxy' });
    });
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.#stopped(err);
  }

  /** The exchange failed or was cut: a 502/504 if the client has no answer yet, else its stream is cut too. */
  #stopped(err: Error): void {
    clearTimeout(this.#timer);
    if (this.#settled) return;
    // Cut mid-body: the client's stream is cut too (its answer would otherwise look complete).
    if (this.res.headersSent) {
      this.res.destroy();
      this.#done({ status: this.res.statusCode, source: 'proxy' });
      return;
    }
    this.#fail(this.#abortReason ?? err);
  }

  /** Stops the exchange from this side; a request still queued for a connection is stopped as it starts. */
  #cut(reason: Error): void {
    if (this.#abortReason) return;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    // Still queued (no controller yet): answer now rather than when a connection frees up.
    if (!this.#controller) this.#stopped(reason);
  }

  #fail(err: unknown): void {
    sendRawProblem(this.res, upstreamError(err, this.target, this.timeoutMs, this.#timedOut), this.req.operationId);
    this.#done({ status: this.res.statusCode, source: 'mockdeck' });
  }

  #done(result: { status: number; source: Source }): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.resolve(result);
  }
}

/** `headers` without the names in `drop` (and without undefined values). */
function without(headers: Record<string, string | string[] | undefined>, drop: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !drop.has(name)) out[name] = value;
  }
  return out;
}

/** The headers that tell the client where an answer came from. */
function provenance(operationId: string | null): Record<string, string> {
  return operationId ? { 'x-mockdeck-source': 'proxy', 'x-mockdeck-operation': operationId } : { 'x-mockdeck-source': 'proxy' };
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
