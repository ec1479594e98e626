import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as harValidator from 'har-validator';
import { request } from 'undici';
import { loadCassette } from '../../src/cassette/index.js';
import { createMock, type Mock } from '../../src/index.js';
import { PETSTORE, PNG, runCli } from './helpers.js';

const PETS = [
  { id: 1, name: 'Rex', status: 'available', tags: ['dog'] },
  { id: 2, name: 'Tom', status: 'sold', tags: ['cat'] },
];

/** A small real upstream on loopback: gzip JSON, binary, 201 with location, 204, text outside the spec. */
async function startUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
        const buf = Buffer.from(body);
        res.writeHead(status, { 'content-length': String(buf.length), ...headers });
        res.end(buf);
      };
      if (req.method === 'GET' && url.pathname === '/pets') {
        const list = PETS.filter((p) => !url.searchParams.get('status') || p.status === url.searchParams.get('status'));
        return send(200, gzipSync(JSON.stringify(list)), { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-total-count': String(list.length) });
      }
      if (req.method === 'POST' && url.pathname === '/pets') return send(201, JSON.stringify({ id: 42, name: 'Nala', status: 'available', tags: [] }), { 'content-type': 'application/json', location: '/pets/42' });
      if (req.method === 'GET' && url.pathname === '/pets/1') return send(200, JSON.stringify(PETS[0]), { 'content-type': 'application/json' });
      if (req.method === 'GET' && url.pathname === '/pets/1/photo') return send(200, PNG, { 'content-type': 'image/png' });
      if (req.method === 'DELETE' && url.pathname === '/pets/2') return send(204, '');
      if (url.pathname === '/store/inventory') return send(200, '{"sold":1,"available":1}', { 'content-type': 'application/json' });
      if (url.pathname === '/health') return send(200, 'ok\n', { 'content-type': 'text/plain; charset=utf-8' });
      return send(404, 'no', { 'content-type': 'text/plain' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const REQUESTS: Array<{ method: 'GET' | 'POST' | 'DELETE'; path: string; body?: string; headers?: Record<string, string> }> = [
  { method: 'GET', path: '/pets' },
  { method: 'GET', path: '/pets?status=sold' },
  { method: 'POST', path: '/pets', body: JSON.stringify({ name: 'Nala' }) },
  { method: 'GET', path: '/pets/1' },
  { method: 'GET', path: '/pets/1/photo' },
  { method: 'DELETE', path: '/pets/2', headers: { 'x-petstore-key': 'pk_round_trip_secret' } },
  { method: 'GET', path: '/store/inventory' },
  { method: 'GET', path: '/health' },
];

async function ask(base: string, r: (typeof REQUESTS)[number]): Promise<{ status: number; type: string | undefined; source: unknown; body: Buffer }> {
  const res = await request(`${base}${r.path}`, { method: r.method, headers: { ...(r.body ? { 'content-type': 'application/json' } : {}), ...r.headers }, body: r.body });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, type: res.headers['content-type'] as string | undefined, source: res.headers['x-mockdeck-source'], body };
}

async function answers(mock: Mock): Promise<Array<Awaited<ReturnType<typeof ask>>>> {
  const url = await mock.listen();
  try {
    const out = [];
    for (const r of REQUESTS) out.push(await ask(url, r));
    return out;
  } finally {
    await mock.close();
  }
}

t.test('record → export HAR → import HAR → replay gives the same answers', async (t) => {
  const dir = t.testdir({});
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());

  const recorder = await createMock({ spec: PETSTORE, cassettesDir: dir, target: upstream.url, record: { cassette: 'rec', mode: 'new' }, port: 0 });
  const live = await answers(recorder);
  t.same(live.map((a) => a.status), [200, 200, 201, 200, 200, 204, 200, 200], 'recorded through the proxy');
  const recorded = await loadCassette(join(dir, 'rec'));
  t.equal(recorded.interactions.length, REQUESTS.length);

  const har = join(dir, 'rec.har');
  const exported = await runCli(['export', 'har', '--cassette', 'rec', '--cassettes', dir, '--out', har]);
  t.equal(exported.code, 0, exported.stderr);
  const document = JSON.parse(await readFile(har, 'utf8')) as { log: { creator: { name: string }; entries: Array<{ request: { url: string }; response: { content: { encoding?: string } } }> } };
  await t.resolves(harValidator.har(document), 'har-validator accepts the export');
  t.equal(document.log.creator.name, 'mockdeck');
  t.equal(document.log.entries.length, REQUESTS.length);
  t.ok(document.log.entries.every((e) => e.request.url.startsWith(upstream.url)), 'URLs carry the recorded target');
  t.equal(document.log.entries.find((e) => e.request.url.endsWith('/photo'))?.response.content.encoding, 'base64');

  const imported = await runCli(['import', 'har', har, '--cassette', 'back', '--cassettes', dir, '--spec', PETSTORE]);
  t.equal(imported.code, 0, imported.stderr);
  t.match(imported.stdout, /8 new interaction\(s\), 0 already there/);
  const back = await loadCassette(join(dir, 'back'));
  const shape = (c: typeof back) => c.interactions.map((i) => [i.operationId, i.request.method, i.request.path, i.request.query, i.request.body, i.response.status, i.response.body]).map((x) => JSON.stringify(x)).sort();
  t.same(shape(back), shape(recorded), 'the same interactions');

  const fromRecording = await answers(await createMock({ spec: PETSTORE, cassettesDir: dir, cassettes: ['rec'], onMiss: '404', port: 0 }));
  const fromImport = await answers(await createMock({ spec: PETSTORE, cassettesDir: dir, cassettes: ['back'], onMiss: '404', port: 0 }));
  REQUESTS.forEach((r, n) => {
    const a = fromRecording[n]!;
    const b = fromImport[n]!;
    t.equal(b.source, 'cassette', `${r.method} ${r.path} replayed from the imported cassette`);
    t.equal(b.status, a.status, `${r.method} ${r.path}: same status`);
    t.equal(b.type, a.type, `${r.method} ${r.path}: same content-type`);
    t.ok(b.body.equals(a.body), `${r.method} ${r.path}: same body bytes`);
    t.equal(a.status, live[n]!.status, `${r.method} ${r.path}: as the upstream answered`);
  });
  t.ok(fromImport[4]!.body.equals(PNG), 'binary byte-exact after the round trip');
  t.notOk((await readFile(har, 'utf8')).includes('pk_round_trip_secret'), 'the export carries the redacted recording, never the key');

  const again = await runCli(['import', 'har', har, '--cassette', 'back', '--cassettes', dir, '--spec', PETSTORE]);
  t.match(again.stdout, /0 new interaction\(s\), 8 already there/, 'importing the same HAR again changes nothing');
});
