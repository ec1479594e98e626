import autocannon, { type RequestSpec } from 'autocannon';
import { request } from 'undici';

/** One load round against one server. */
export interface LoadSample {
  /** Completed 2xx responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  /** Paths cycled through by every connection, or a function giving each request its path. */
  paths: readonly string[] | (() => string);
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
}

/**
 * Drives `baseUrl` with autocannon (in this process; the server runs in its
 * own). A round with any error, timeout or non-2xx answer is refused: a
 * throughput of failures is not a throughput.
 *
 * @example
 * await load('http://127.0.0.1:4010', { paths: ['/pets/1'], seconds: 4, connections: 10 })
 */
export async function load(baseUrl: string, options: LoadOptions): Promise<LoadSample> {
  const { paths } = options;
  const requests: RequestSpec[] = typeof paths === 'function'
    ? [{ method: 'GET', path: '/', setupRequest: (req) => ({ ...req, path: paths() }) }]
    : paths.map((path) => ({ method: 'GET', path }));
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    timeout: 20,
    headers: options.headers ?? {},
    requests,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(`load on ${baseUrl}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers out of ${result.requests.total + failed}`);
  }
  if (result.requests.total === 0) throw new Error(`load on ${baseUrl}: no request completed in ${options.seconds} s`);
  return { rps: result.requests.total / result.duration, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One GET, body read whole. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(url, { method: 'GET', headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

/**
 * Checks, before measuring, that a path is answered the way the scenario says
 * (status and `x-mockdeck-source`), so a bench can never silently measure 404s
 * or the wrong code path.
 */
export async function expectAnswer(url: string, expected: { status?: number; source?: string }, headers: Record<string, string> = {}): Promise<Answer> {
  const answer = await get(url, headers);
  const source = answer.headers['x-mockdeck-source'];
  if (answer.status !== (expected.status ?? 200) || (expected.source !== undefined && source !== expected.source)) {
    throw new Error(`GET ${url}: expected ${expected.status ?? 200}${expected.source ? ` from ${expected.source}` : ''}, got ${answer.status} from ${String(source)}: ${answer.body.toString('utf8').slice(0, 300)}`);
  }
  return answer;
}
