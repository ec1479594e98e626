import t from 'tap';
import { mkdir, writeFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { createMock, isMockdeckError } from '../../src/index.js';
import { loadCassette } from '../../src/cassette/index.js';
import { startUpstream } from '../fixtures/upstream/petstore-upstream.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');

/** A port that nothing listens on: bind, note it, close. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * An upstream whose /stall sends headers and a first body chunk, then nothing;
 * `stalled` resolves once that response is closed (by the proxy, not by it).
 */
async function startStallingUpstream(): Promise<{ url: string; stalled: Promise<void>; close(): Promise<void> }> {
  let closed!: () => void;
  const stalled = new Promise<void>((r) => (closed = r));
  const server = createHttpServer((req, res: ServerResponse) => {
    if (req.url !== '/stall') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"first":"chunk",');
    res.on('close', closed);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, stalled, close };
}

const interactionsIn = async (dir: string, name: string) => {
  const present = (await readdir(dir)).includes(name);
  return present ? (await loadCassette(join(dir, name))).interactions : [];
};

t.test('upstream refused: 502 naming the target, nothing recorded, proxy keeps serving', async (t) => {
  const dir = t.testdir({});
  const target = `http://127.0.0.1:${await deadPort()}`;
  const mock = await createMock({ spec, cassettesDir: dir, target, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  const r = await call(`${url}/pets`);
  t.equal(r.status, 502);
  t.match(r.headers['content-type'], /application\/problem\+json/);
  const problem = r.json() as { code: string; detail: string };
  t.equal(problem.code, 'MOCKDECK_ERR_UPSTREAM_REFUSED');
  t.match(problem.detail, target, 'the detail names the target');
  t.match(problem.detail, /ECONNREFUSED/, 'and the cause');
  t.equal((await call(`${url}/pets/1`)).status, 502, 'still answering');
  await mock.close();
  t.same(await interactionsIn(dir, 'c'), []);
});

t.test('upstream reset and half answers: 502 or a cut response, nothing recorded', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  const reset = await call(`${url}/reset`);
  t.equal(reset.status, 502);
  t.equal((reset.json() as { code: string }).code, 'MOCKDECK_ERR_UPSTREAM_RESET');
  // Headers already went out when the upstream died: the client sees a cut stream.
  await t.rejects(call(`${url}/half`), 'the client sees the connection cut');
  t.equal((await call(`${url}/pets/1`)).status, 200, 'still serving');
  await mock.close();
  const recorded = await interactionsIn(dir, 'c');
  t.same(recorded.map((i) => i.request.path), ['/pets/1'], 'only the complete exchange was recorded');
});

t.test('upstream slower than the timeout: 504, nothing recorded', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c', timeoutMs: 150 }, port: 0 });
  const url = await mock.listen();
  const r = await call(`${url}/slow?ms=3000`);
  t.equal(r.status, 504);
  const problem = r.json() as { code: string; detail: string };
  t.equal(problem.code, 'MOCKDECK_ERR_UPSTREAM_TIMEOUT');
  t.match(problem.detail, /150 ms/);
  await mock.close();
  t.same(await interactionsIn(dir, 'c'), []);
});

t.test('a client that disconnects mid-request leaves no half interaction', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  const controller = new AbortController();
  const pending = request(`${url}/slow?ms=400`, { signal: controller.signal }).catch((err: Error) => err);
  setTimeout(() => controller.abort(), 100);
  t.type(await pending, Error, 'client aborted');
  await new Promise((r) => setTimeout(r, 600));
  t.equal((await call(`${url}/pets/2`)).status, 200);
  await mock.close();
  t.same((await interactionsIn(dir, 'c')).map((i) => i.request.path), ['/pets/2']);
});

t.test('a client that disconnects mid-response leaves no interaction, and the proxy keeps serving', async (t) => {
  const upstream = await startStallingUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec: null, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  const controller = new AbortController();
  const res = await request(`${url}/stall`, { signal: controller.signal });
  t.equal(res.statusCode, 200, 'headers arrived');
  const reader = res.body[Symbol.asyncIterator]();
  t.equal(String((await reader.next()).value), '{"first":"chunk",', 'the first chunk arrived');
  controller.abort();
  await t.rejects(reader.next(), 'the client hung up mid-body');
  const released = await Promise.race([upstream.stalled.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  t.ok(released, 'the proxy closed the upstream response it no longer needs');
  const next = await call(`${url}/after`);
  t.same([next.status, next.headers['x-mockdeck-source'], next.json()], [200, 'proxy', { ok: true }], 'the next request is served');
  await mock.close();
  t.same((await interactionsIn(dir, 'c')).map((i) => i.request.path), ['/after'], 'only the complete exchange is on disk');
});

t.test('cassette folder that cannot be written: clear error at start', async (t) => {
  const dir = t.testdir({ blocker: 'a file where the cassettes folder should be' });
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const err = await createMock({ spec, cassettesDir: join(dir, 'blocker'), target: upstream.url, record: { cassette: 'c' }, port: 0 }).catch((e: unknown) => e);
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_CASSETTE_WRITE'), 'typed write error');
  t.match((err as Error).message, /blocker/, 'names the path');
});

t.test('a write that fails mid-session: the request is still answered and the failure reported', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  // A directory where the operation file must go makes its rename fail.
  await mkdir(join(dir, 'c', 'getPetById.json'));
  await writeFile(join(dir, 'c', 'getPetById.json', 'keep'), 'x');
  const r = await call(`${url}/pets/3`);
  t.equal(r.status, 200, 'the client got its answer');
  t.equal((await call(`${url}/pets`)).status, 200);
  await mock.close();
  const stats = mock.forwarder!.stats;
  t.equal(stats.failures.length, 1, 'the failed write is reported');
  t.match(stats.summary('c'), /NOT on disk/);
  t.same((await loadCassette(join(dir, 'c')).catch(() => null))?.interactions.map((i) => i.operationId) ?? 'unreadable', ['listPets']);
});

t.test('a failing group commit reports every interaction it held, each answered', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  await mkdir(join(dir, 'c', 'getPetById.json'));
  await writeFile(join(dir, 'c', 'getPetById.json', 'keep'), 'x');
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call(`${url}/pets/${(i % 3) + 1}?n=${i}`)));
  t.same(answers.map((a) => a.status), Array(12).fill(200), 'every client got its answer');
  await mock.close();
  const failures = mock.forwarder!.stats.failures;
  t.equal(failures.length, 12, 'one report per interaction, however the writes were grouped');
  t.ok(failures.every((f) => /^GET \/pets\/[123] \(\w+\): .*getPetById\.json/.test(f)), 'each names its request, id and file');
  t.equal(new Set(failures.map((f) => /\((\w+)\)/.exec(f)?.[1])).size, 12, 'twelve different interactions');
});

t.test('requests queued behind every upstream connection still time out on time, each with a 504', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'c', timeoutMs: 300 }, port: 0 });
  const url = await mock.listen();
  // More requests than the mock keeps connections to its target (128): the last ones wait for a connection that the slow upstream never frees in time.
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: 140 }, (_, i) => call(`${url}/slow?ms=6000&n=${i}`)));
  const elapsed = performance.now() - started;
  t.same([...new Set(answers.map((a) => a.status))], [504], 'every one answered 504');
  t.ok(answers.every((a) => (a.json() as { code: string }).code === 'MOCKDECK_ERR_UPSTREAM_TIMEOUT'), 'as an upstream timeout');
  t.ok(elapsed < 4000, `answered after the timeout, not once a connection freed up (${Math.round(elapsed)} ms for a 300 ms timeout, upstream 6000 ms)`);
  await mock.close();
  t.same(await interactionsIn(dir, 'c'), [], 'nothing recorded');
});

t.test('an answer nested 200 000 levels deep is relayed and recorded as text; the proxy keeps serving', async (t) => {
  const deep = '['.repeat(200_000) + '{"b":1,"10":2}' + ']'.repeat(200_000);
  const server = createHttpServer((req, res) => {
    const body = req.url?.startsWith('/pets/1') ? deep : '{"id":2,"name":"Rex"}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const dir = t.testdir({});
  const mock = await createMock({ spec, cassettesDir: dir, target: `http://127.0.0.1:${(server.address() as { port: number }).port}`, record: { cassette: 'c' }, port: 0 });
  const url = await mock.listen();
  const r = await call(`${url}/pets/1`);
  t.equal(r.status, 200);
  t.equal(r.text, deep, 'the client got the bytes as sent');
  t.equal((await call(`${url}/pets/2`)).status, 200, 'the proxy keeps serving');
  await mock.close();
  t.same(mock.forwarder!.stats.failures, [], 'no write failed');
  const recorded = await interactionsIn(dir, 'c');
  const first = recorded.find((i) => i.request.path === '/pets/1');
  t.same([first?.response.bodyEncoding, first?.response.body === deep], ['utf8', true], 'stored as text, byte for byte');
  t.equal(recorded.length, 2, 'both on disk');
});
