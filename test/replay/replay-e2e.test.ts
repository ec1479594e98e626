import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { createMock } from '../../src/index.js';
import { startUpstream, PETS, PNG } from '../fixtures/upstream/petstore-upstream.js';
import { call } from '../helpers/http.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');

t.test('record, stop the upstream, replay: same status and bytes', async (t) => {
  const dir = t.testdir({});
  const upstream = await startUpstream();
  const recorder = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: 'trip' }, port: 0 });
  const rurl = await recorder.listen();
  const live = {
    json: await call(`${rurl}/pets/1`),
    gzip: await call(`${rurl}/pets`, { headers: { 'accept-encoding': 'gzip' } }),
    png: await call(`${rurl}/pets/1/photo`),
    notFound: await call(`${rurl}/pets/99`),
    post: await call(`${rurl}/store/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"quantity":2,"petId":1}' }),
  };
  await recorder.close();
  await upstream.close();

  const mock = await createMock({ spec, cassettesDir: dir, port: 0 });
  const url = await mock.listen();
  const json = await call(`${url}/pets/1`);
  t.equal(json.status, 200);
  t.equal(json.text, live.json.text, 'JSON body replays equal (same key order)');
  t.equal(json.headers['x-mockdeck-source'], 'cassette');
  t.equal(json.headers['x-mockdeck-cassette'], 'trip');
  t.equal(json.headers['x-mockdeck-operation'], 'getPetById');
  t.match(json.headers['x-mockdeck-interaction'], /^[0-9A-Z]{26}$/);
  t.equal(json.status, live.json.status, 'JSON: status replays');
  const gz = await call(`${url}/pets`, { headers: { 'accept-encoding': 'gzip' } });
  t.equal(live.gzip.headers['content-encoding'], 'gzip', 'the upstream really sent gzip');
  t.equal(gz.status, live.gzip.status, 'gzip: status replays');
  t.equal(gz.text, gunzipSync(live.gzip.body).toString('utf8'), 'gzip-recorded body replays as the exact bytes the upstream compressed');
  t.notOk(gz.headers['content-encoding'], 'no stale content-encoding');
  t.equal(gz.headers['content-length'], String(gz.body.length), 'content-length recomputed');
  t.equal(gz.headers['x-total-count'], '3', 'recorded headers replay');
  const png = await call(`${url}/pets/1/photo`);
  t.equal(png.status, live.png.status, 'png: status replays');
  t.equal(png.status, 200);
  t.same(png.body, live.png.body, 'binary replays byte-equal to what the upstream sent');
  t.ok(png.body.equals(PNG), 'and that is the fixture PNG');
  t.equal(png.headers['content-type'], 'image/png');
  const nf = await call(`${url}/pets/99`);
  t.equal(nf.status, 404, 'recorded error statuses replay too');
  t.equal(nf.headers['x-mockdeck-source'], 'cassette');
  const post = await call(`${url}/store/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ "petId": 1, "quantity": 2 }' });
  t.equal(post.headers['x-mockdeck-source'], 'cassette', 'JSON request bodies match regardless of key order and whitespace');
  t.equal(post.text, live.post.text);
  const spec2 = await call(`${url}/pets/2/photo`);
  t.equal(spec2.headers['x-mockdeck-source'], 'spec', 'unrecorded requests fall back to the spec');
  await mock.close();
});

t.test('equal keys replay in recorded order, then repeat the last; reset rewinds', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'order', [interaction({ body: { n: 1 } }), interaction({ body: { n: 2 } }), interaction({ body: { n: 3 } })]);
  const mock = await createMock({ spec, cassettesDir: dir, port: 0 });
  const url = await mock.listen();
  const seq = [];
  for (let i = 0; i < 5; i++) seq.push(((await call(`${url}/pets/1`)).json() as { n: number }).n);
  t.same(seq, [1, 2, 3, 3, 3]);
  t.equal((await call(`${url}/__mockdeck/reset`, { method: 'POST' })).status, 200);
  t.same((await call(`${url}/pets/1`)).json(), { n: 1 }, 'rewound');
  await mock.close();
});

t.test('miss policies', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'only', [interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query: { status: ['sold'], limit: ['5'] }, body: [PETS[1]] })]);

  t.test('spec: generated from the spec, with near misses in the journal', async (t) => {
    const mock = await createMock({ spec, cassettesDir: dir, onMiss: 'spec', port: 0 });
    const url = await mock.listen();
    const r = await call(`${url}/pets?status=available`);
    t.equal(r.status, 200);
    t.equal(r.headers['x-mockdeck-source'], 'spec');
    const journal = (await call(`${url}/__mockdeck/requests?limit=1`)).json() as Array<{ source: string; nearMisses?: unknown[] }>;
    t.equal(journal[0]?.source, 'spec');
    t.equal(journal[0]?.nearMisses?.length, 1, 'the journal explains why no cassette matched');
    await mock.close();
  });

  t.test('404: problem+json with the nearest recordings and what differed', async (t) => {
    const mock = await createMock({ spec, cassettesDir: dir, onMiss: '404', port: 0 });
    const url = await mock.listen();
    const r = await call(`${url}/pets?status=available&limit=5`);
    t.equal(r.status, 404);
    t.match(r.headers['content-type'], /problem\+json/);
    const p = r.json() as { code: string; nearMisses: Array<{ reasons: string[]; distance: number }> };
    t.equal(p.code, 'MOCKDECK_ERR_REQ_NO_RECORDING');
    t.equal(p.nearMisses.length, 1);
    t.same(p.nearMisses[0]?.reasons, ['query.status: expected ["sold"], got ["available"]'], 'names the one dimension that differed');
    const hit = await call(`${url}/pets?limit=5&status=sold`);
    t.equal(hit.headers['x-mockdeck-source'], 'cassette', 'query order does not matter');
    await mock.close();
  });

  t.test('proxy: forwarded to the target', async (t) => {
    const upstream = await startUpstream();
    t.teardown(() => upstream.close());
    const mock = await createMock({ spec, cassettesDir: dir, onMiss: 'proxy', target: upstream.url, port: 0 });
    const url = await mock.listen();
    const r = await call(`${url}/pets/3`);
    t.equal(r.headers['x-mockdeck-source'], 'proxy');
    t.same(r.json(), PETS[2]);
    await mock.close();
    t.equal((await call(`${url}/pets/3`).catch(() => null)), null, 'closed');
  });
  t.end();
});

t.test('404 miss with 5 recorded variants: the 3 closest, closest first, each naming what differed', async (t) => {
  const dir = t.testdir({});
  const variant = (query: Record<string, string[]>) => interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query, body: [] });
  // Recorded out of distance order, so the answer's order comes from sorting, not from the file.
  const recorded = {
    three: variant({ limit: ['1'], status: ['sold'], tag: ['x'] }),
    one: variant({ limit: ['5'], status: ['sold'] }),
    five: variant({ a: ['1'], b: ['1'], limit: ['1'], status: ['sold'], tag: ['x'] }),
    two: variant({ limit: ['10'], status: ['pending'] }),
    four: variant({ a: ['1'], limit: ['1'], status: ['pending'], tag: ['x'] }),
  };
  await writeCassette(dir, 'variants', Object.values(recorded));
  const mock = await createMock({ spec, cassettesDir: dir, onMiss: '404', port: 0 });
  t.teardown(() => mock.close());
  const url = await mock.listen();
  const r = await call(`${url}/pets?status=available&limit=5`);
  t.equal(r.status, 404);
  const p = r.json() as { code: string; nearMisses: Array<{ interactionId: string; operationId: string; distance: number; reasons: string[] }> };
  t.equal(p.code, 'MOCKDECK_ERR_REQ_NO_RECORDING');
  t.equal(p.nearMisses.length, 3, 'exactly 3 of the 5 variants');
  t.same(p.nearMisses.map((m) => m.distance), [1, 2, 3], 'sorted by distance, closest first');
  t.same(p.nearMisses.map((m) => m.interactionId), [recorded.one.id, recorded.two.id, recorded.three.id], 'the closest three recordings');
  t.ok(p.nearMisses.every((m) => m.operationId === 'listPets'), 'all of the one operation');
  t.same(p.nearMisses.map((m) => m.reasons), [
    ['query.status: expected ["sold"], got ["available"]'],
    ['query.limit: expected ["10"], got ["5"]', 'query.status: expected ["pending"], got ["available"]'],
    ['query.limit: expected ["1"], got ["5"]', 'query.status: expected ["sold"], got ["available"]', 'query.tag: expected ["x"], got null'],
  ], 'each names every dimension that differed, and only those');
});

t.test('cassette layers: later wins; x-mockdeck-cassette restricts lookup', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'base', [interaction({ body: { from: 'base' } }), interaction({ path: '/pets/2', pathParams: { petId: '2' }, body: { from: 'base-only' } })]);
  await writeCassette(dir, 'outage', [interaction({ status: 503, body: { from: 'outage' } })]);
  const mock = await createMock({ spec, cassettesDir: dir, cassettes: ['base', 'outage'], port: 0 });
  const url = await mock.listen();
  const top = await call(`${url}/pets/1`);
  t.equal(top.status, 503);
  t.equal(top.headers['x-mockdeck-cassette'], 'outage');
  t.same((await call(`${url}/pets/2`)).json(), { from: 'base-only' }, 'keys only in a lower layer still answer');
  const base = await call(`${url}/pets/1`, { headers: { 'x-mockdeck-cassette': 'base' } });
  t.same(base.json(), { from: 'base' });
  t.equal(base.headers['x-mockdeck-cassette'], 'base');
  const unknown = await call(`${url}/pets/1`, { headers: { 'x-mockdeck-cassette': 'nope' } });
  t.equal(unknown.status, 400);
  t.match(unknown.text, /outage/, 'the error lists the loaded cassettes');
  await mock.close();
});

t.test('latency: recorded replays the recorded duration, a number adds a fixed delay', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'slow', [interaction({ durationMs: 300 })]);
  for (const [latency, min] of [['recorded', 280], [150, 140], ['none', 0]] as const) {
    const mock = await createMock({ spec, cassettesDir: dir, latency, port: 0 });
    const url = await mock.listen();
    const t0 = performance.now();
    await call(`${url}/pets/1`);
    const took = performance.now() - t0;
    t.ok(took >= min, `latency ${latency}: took ${Math.round(took)} ms (at least ${min})`);
    await mock.close();
  }
});

t.test('reload while 50 requests are in flight: none fails', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'a', [interaction({ body: { v: 1 } })]);
  const mock = await createMock({ spec, cassettesDir: dir, latency: 200, port: 0 });
  const url = await mock.listen();
  const inflight = Array.from({ length: 50 }, (_, i) => call(`${url}/pets/${i % 2 ? 1 : 2}`));
  await new Promise((r) => setTimeout(r, 50));
  await writeCassette(dir, 'a', [interaction({ body: { v: 2 } })]);
  const reload = await call(`${url}/__mockdeck/reload`, { method: 'POST' });
  t.equal(reload.status, 200);
  const answers = await Promise.all(inflight);
  t.ok(answers.every((a) => a.status === 200), 'all 50 answered 200');
  t.same((await call(`${url}/pets/1`)).json(), { v: 2 }, 'new state after reload');
  await mock.close();
});

t.test('requests outside the spec that were recorded replay from _unmatched', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'u', [interaction({ operationId: null, path: '/health', pathParams: {}, body: 'ok' })]);
  const mock = await createMock({ spec, cassettesDir: dir, port: 0 });
  const url = await mock.listen();
  const r = await call(`${url}/health`);
  t.equal(r.text, 'ok');
  t.equal(r.headers['x-mockdeck-source'], 'cassette');
  t.notOk(r.headers['x-mockdeck-operation'], 'no operation to name');
  const unknown = await call(`${url}/nothing/here`);
  t.equal(unknown.status, 404);
  t.equal(unknown.headers['x-mockdeck-source'], 'mockdeck');
  await mock.close();
});

t.test('the shipped default serves recorded pets and spec-generated everything else', async (t) => {
  const mock = await createMock({ spec, cassettesDir: fromRoot('cassettes'), port: 0 });
  const url = await mock.listen();
  const recorded = await call(`${url}/pets/1`);
  t.equal(recorded.headers['x-mockdeck-source'], 'cassette');
  t.equal(recorded.headers['x-mockdeck-cassette'], 'petstore');
  t.same(recorded.json(), PETS[0]);
  const generated = await call(`${url}/users/alice`);
  t.equal(generated.headers['x-mockdeck-source'], 'spec');
  await mock.close();
});
