import type { ServerResponse } from 'node:http';
import { Pool } from 'undici';
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

/** The exchange as seen on the wire, handed over once the client received all of it. */
export type Exchange = Pick<RawExchange, 'status' | 'responseHeaders' | 'responseBody' | 'startedAt' | 'durationMs'>;

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
      // The timer below bounds the wait for the answer's head; once it streams, only a stall of as long cuts it.
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
      const startedAt = new Date();
      const t0 = performance.now();
      const abort = new AbortController();
      let timedOut = false;
      let settled = false;
      const done = (result: { status: number; source: Source }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort(new Error(`no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      // A client that hangs up stops the upstream exchange too, and nothing is recorded.
      res.once('close', () => {
        if (res.writableFinished) return;
        abort.abort(new Error('the client closed the connection'));
        done({ status: res.headersSent ? res.statusCode : 499, source: 'proxy' });
      });
      this.#pool
        .request({ method: req.method, path: this.#base + req.pathAndSearch, headers: without(req.headers, NOT_FORWARDED), body: req.body.length > 0 ? req.body : null, signal: abort.signal })
        .then(
          (upstream) => {
            clearTimeout(timer);
            if (settled) {
              upstream.body.destroy();
              return;
            }
            const status = upstream.statusCode;
            const headers = upstream.headers as Record<string, string | string[] | undefined>;
            try {
              res.writeHead(status, { ...without(headers, NOT_RELAYED), ...provenance(req.operationId) });
            } catch (err) {
              // Node checks the head again as it writes it: should it refuse one undici accepted, a 502 naming why, never a crash.
              upstream.body.destroy();
              sendRawProblem(res, upstreamError(err, this.target, this.options.timeoutMs, false), req.operationId);
              done({ status: res.statusCode, source: 'mockdeck' });
              return;
            }
            const chunks: Buffer[] | null = onExchange ? [] : null;
            streamBody(upstream.body, res, chunks, () => {
              if (chunks && onExchange) onExchange({ status, responseHeaders: headers, responseBody: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), startedAt, durationMs: performance.now() - t0 });
              done({ status, source: 'proxy' });
            });
          },
          (err: unknown) => {
            if (settled) return;
            sendRawProblem(res, upstreamError(err, this.target, this.options.timeoutMs, timedOut), req.operationId);
            done({ status: res.statusCode, source: 'mockdeck' });
          },
        );
    });
  }

  close(): Promise<void> {
    return this.#pool.destroy();
  }
}

/**
 * Pipes the upstream body into the client's response with backpressure, each
 * chunk as it arrives (a streamed answer must not wait for its next chunk).
 * `finished` runs once the client has every byte; an upstream that fails
 * mid-body cuts the client's stream instead (its answer would otherwise look
 * complete).
 */
function streamBody(body: NodeJS.ReadableStream & { destroy(err?: Error): void }, res: ServerResponse, chunks: Buffer[] | null, finished: () => void): void {
  body.on('data', (chunk: Buffer) => {
    chunks?.push(chunk);
    if (!res.write(chunk)) {
      body.pause();
      res.once('drain', () => body.resume());
    }
  });
  body.on('end', () => {
    res.once('finish', finished);
    res.end();
  });
  body.on('error', () => res.destroy());
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
