import t, { type Test } from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createMock, loadSpec, type Mock, type MockInput } from '../../src/index.js';
import { Journal } from '../../src/server/journal.js';
import { serveMany } from '../../src/server/serve-many.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');
const API_KEY = 'api-key-1';
const ADMIN_KEY = 'admin-key-1';

async function start(t: Test, input: Partial<MockInput> = {}): Promise<{ mock: Mock; url: string }> {
  const mock = await createMock({ spec, cassettesDir: fromRoot('cassettes'), port: 0, ...input });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  return { mock, url };
}

t.test('GET /__mockdeck/openapi.json describes every admin route and is a valid OpenAPI document', async (t) => {
  const mock = await createMock({ spec, cassettesDir: fromRoot('cassettes'), port: 0, basePath: '/shop' });
  const routes: string[] = [];
  mock.app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (r.url.startsWith('/shop/__mockdeck/') && m !== 'HEAD') routes.push(`${m.toLowerCase()} ${r.url.slice('/shop'.length).replace(/:(\w+)/g, '{$1}')}`);
  });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  const doc = (await call(`${url}/__mockdeck/openapi.json`)).json() as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, Record<string, unknown>> };
  t.equal(doc.openapi, '3.1.0');
  t.same(doc.servers, [{ url: '/shop' }], 'servers point at the mock\'s base path');
  const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
  const real = routes.filter((r) => !r.endsWith('/__mockdeck/*') && !r.endsWith('/__mockdeck/')); // the guarded catch-all is not an API
  t.same([...new Set(real)].sort(), documented.sort(), 'every registered admin route is documented, and nothing else');
  for (const core of ['get /__mockdeck/health', 'get /__mockdeck/mocks', 'get /__mockdeck/requests', 'delete /__mockdeck/requests', 'post /__mockdeck/reload', 'post /__mockdeck/reset', 'get /__mockdeck/openapi.json']) t.ok(documented.includes(core), core);
  const dir = t.testdir({});
  await writeFile(join(dir, 'admin.json'), JSON.stringify(doc));
  const loaded = await loadSpec(join(dir, 'admin.json'));
  t.ok(loaded.operationById('adminHealth'), 'mockdeck itself loads it as a spec');
});

t.test('admin answers match their own description', async (t) => {
  const { url } = await start(t);
  const doc = (await call(`${url}/__mockdeck/openapi.json`)).json() as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'admin' });
  const check = (name: string, value: unknown): void => {
    const validate = ajv.compile({ $ref: `admin#/components/schemas/${name}` });
    t.ok(validate(value), `${name}: ${JSON.stringify(validate.errors)}`);
  };
  await call(`${url}/pets/1`);
  check('Health', (await call(`${url}/__mockdeck/health`)).json());
  for (const m of (await call(`${url}/__mockdeck/mocks`)).json() as unknown[]) check('MockDescription', m);
  for (const e of (await call(`${url}/__mockdeck/requests`)).json() as unknown[]) check('JournalEntry', e);
  check('Reset', (await call(`${url}/__mockdeck/reset`, { method: 'POST' })).json());
  check('Reloaded', (await call(`${url}/__mockdeck/reload`, { method: 'POST' })).json());
  check('Problem', (await call(`${url}/__mockdeck/nope`)).json());
});

t.test('who may use the admin API', async (t) => {
  const routes = ['health', 'mocks', 'requests', 'openapi.json'];
  const cases: Array<[string, Partial<MockInput>, Array<[string, Record<string, string>, string, number]>]> = [
    ['public mock, no admin key: open', {}, [['no key', {}, '', 200]]],
    ['keyed mock, no admin key: its API keys', { access: { apiKeys: [API_KEY] } }, [
      ['no key', {}, '', 401],
      ['wrong key', { 'x-mockdeck-admin-key': 'nope' }, '', 403],
      ['API key in its own header', { 'x-api-key': API_KEY }, '', 200],
      ['API key as the admin header', { 'x-mockdeck-admin-key': API_KEY }, '', 200],
      ['API key as a bearer token', { authorization: `Bearer ${API_KEY}` }, '', 200],
    ]],
    ['keyed (query) mock, no admin key: its query key', { access: { apiKeys: [API_KEY], in: 'query' } }, [
      ['no key', {}, '', 401],
      ['API key in its query parameter', {}, `?api_key=${API_KEY}`, 200],
    ]],
    ['keyed mock with an admin key: only the admin key', { access: { apiKeys: [API_KEY] }, adminKey: ADMIN_KEY }, [
      ['no key', {}, '', 401],
      ['API key', { 'x-api-key': API_KEY }, '', 401],
      ['API key as the admin header', { 'x-mockdeck-admin-key': API_KEY }, '', 403],
      ['admin key in the admin header', { 'x-mockdeck-admin-key': ADMIN_KEY }, '', 200],
      ['admin key as a bearer token', { authorization: `Bearer ${ADMIN_KEY}` }, '', 200],
    ]],
    ['public mock with an admin key (sha256)', { adminKey: `sha256:${(await import('node:crypto')).createHash('sha256').update(ADMIN_KEY).digest('hex')}` }, [
      ['no key', {}, '', 401],
      ['admin key', { 'x-mockdeck-admin-key': ADMIN_KEY }, '', 200],
    ]],
  ];
  for (const [setup, input, attempts] of cases) {
    const { url } = await start(t, input);
    for (const [who, headers, query, status] of attempts) {
      for (const route of routes) {
        const r = await call(`${url}/__mockdeck/${route}${query}`, { headers });
        t.equal(r.status, status, `${setup}: ${who}: GET ${route} → ${status}`);
        if (status >= 400) t.match(r.headers['www-authenticate'], /realm="mockdeck-admin"/);
      }
    }
  }
});

t.test('an unknown admin path is guarded too, and says nothing about the spec', async (t) => {
  const { url } = await start(t, { access: { apiKeys: [API_KEY] } });
  const anonymous = await call(`${url}/__mockdeck/secret-route`);
  t.equal(anonymous.status, 401);
  t.notMatch(anonymous.text, /Petstore/);
  const known = await call(`${url}/__mockdeck/secret-route`, { headers: { 'x-api-key': API_KEY } });
  t.equal(known.status, 404);
  t.equal((known.json() as { code: string }).code, 'MOCKDECK_ERR_REQ_UNKNOWN_PATH');
  t.equal((await call(`${url}/__mockdeck`)).status, 401, '/__mockdeck itself');
  t.equal((await call(`${url}/pets/1`, { headers: { 'x-mockdeck-admin-key': API_KEY } })).status, 401, 'the admin header does not open the mock itself');
});

t.test('the journal: newest first, limit, clear, bounded', async (t) => {
  const { url } = await start(t);
  await call(`${url}/pets/1`);
  await call(`${url}/pets/999?x=1`);
  await call(`${url}/no/such`);
  const entries = (await call(`${url}/__mockdeck/requests`)).json() as Array<Record<string, unknown>>;
  t.match(entries, [
    { method: 'GET', path: '/no/such', source: 'mockdeck', status: 404, operation: null },
    { method: 'GET', path: '/pets/999?x=1', source: 'spec', status: 200, operation: 'getPetById' },
    { method: 'GET', path: '/pets/1', source: 'cassette', status: 200, operation: 'getPetById', cassette: 'petstore' },
  ]);
  for (const e of entries) {
    t.match(e['time'], /^\d{4}-\d\d-\d\dT/);
    t.type(e['ms'], 'number');
  }
  t.equal(((await call(`${url}/__mockdeck/requests?limit=1`)).json() as unknown[]).length, 1, 'limit');
  t.equal(((await call(`${url}/__mockdeck/requests?limit=abc`)).json() as unknown[]).length, 3, 'a bad limit falls back to the default');
  t.equal((await call(`${url}/__mockdeck/requests`, { method: 'DELETE' })).status, 204);
  t.same((await call(`${url}/__mockdeck/requests`)).json(), [], 'cleared');

  const journal = new Journal(5);
  for (let i = 0; i < 8; i++) journal.add({ path: `/${i}` } as never);
  t.same(journal.list(100).map((e) => e.path), ['/7', '/6', '/5', '/4', '/3'], 'a ring buffer: the oldest drop out');
  const { mock } = await start(t);
  for (let i = 0; i < 520; i++) await mock.inject(`/pets/${i}`);
  const all = (await call(`${mock.url}/__mockdeck/requests?limit=100000`)).json() as Array<{ path: string }>;
  t.equal(all.length, 500, 'the mock keeps the last 500 requests');
  t.equal(all[0]?.path, '/pets/519');
});

t.test('the journal announces every request as served without building its line; an entry listener gets whole lines', async (t) => {
  const journal = new Journal(10);
  let built = 0;
  const line = (path: string) => () => {
    built++;
    return { path, source: 'cassette', operation: 'getPetById' } as never;
  };
  const served: unknown[] = [];
  journal.on('served', (s) => served.push(s));
  journal.add(line('/a'), { source: 'cassette', operation: 'getPetById' });
  journal.add({ path: '/b', source: 'mockdeck', operation: null } as never);
  t.same(served, [{ source: 'cassette', operation: 'getPetById' }, { source: 'mockdeck', operation: null }], 'both announced, deferred or built');
  t.equal(built, 0, 'a served listener does not build the deferred line');
  const entries: Array<{ path: string }> = [];
  journal.on('entry', (e) => entries.push(e));
  journal.add(line('/c'), { source: 'cassette', operation: 'getPetById' });
  t.equal(built, 1, 'an entry listener does');
  t.same(entries.map((e) => e.path), ['/c']);
  t.same(journal.list(10).map((e) => e.path), ['/c', '/b', '/a'], 'and every line reads back whole');
  t.equal(built, 2, 'the deferred one built when read');
});

t.test('reload picks up changed cassettes; a bad file keeps the last good state', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'c', [interaction({ body: { v: 1 } })]);
  const { url } = await start(t, { cassettesDir: dir });
  t.same((await call(`${url}/pets/1`)).json(), { v: 1 });
  await writeCassette(dir, 'c', [interaction({ body: { v: 2 } }), interaction({ path: '/pets/2', pathParams: { petId: '2' }, body: { v: 3 } })]);
  t.same((await call(`${url}/pets/1`)).json(), { v: 1 }, 'nothing changes before reload');
  const reloaded = await call(`${url}/__mockdeck/reload`, { method: 'POST' });
  t.match(reloaded.json(), { reloaded: true, interactions: 2 });
  t.same((await call(`${url}/pets/1`)).json(), { v: 2 }, 'reloaded');
  await writeFile(join(dir, 'c', 'getPetById.json'), '{ not json');
  const failed = await call(`${url}/__mockdeck/reload`, { method: 'POST' });
  t.equal(failed.status, 422);
  t.match(failed.json(), { code: 'MOCKDECK_ERR_CASSETTE_PARSE', detail: /reload failed, the last good state is kept: .*getPetById\.json:1:\d+/ });
  t.same((await call(`${url}/pets/2`)).json(), { v: 3 }, 'still serving the last good state');
});

t.test('reset rewinds replay order', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'c', [interaction({ body: { n: 1 } }), interaction({ body: { n: 2 } })]);
  const { url } = await start(t, { cassettesDir: dir });
  t.same([(await call(`${url}/pets/1`)).json(), (await call(`${url}/pets/1`)).json()], [{ n: 1 }, { n: 2 }]);
  t.same((await call(`${url}/__mockdeck/reset`, { method: 'POST' })).json(), { reset: true });
  t.same((await call(`${url}/pets/1`)).json(), { n: 1 });
});

t.test('GET mocks: the admin key sees every mock of the deck; anyone else only this one', async (t) => {
  const base = { spec, cassettesDir: fromRoot('cassettes') };
  const open = await serveMany({ mocks: [{ input: { ...base, name: 'a', port: 0 } }, { input: { ...base, name: 'b', port: 0, access: { apiKeys: [API_KEY] } } }] });
  const [a, b] = await open.listen();
  t.teardown(() => open.close());
  const seenByA = (await call(`${a!.url}/__mockdeck/mocks`)).json() as Array<{ name: string; url: string; access: unknown }>;
  t.same(seenByA.map((m) => [m.name, m.url]), [['a', a!.url]], 'a public mock does not reveal its keyed neighbour');
  const seenByB = (await call(`${b!.url}/__mockdeck/mocks`, { headers: { 'x-api-key': API_KEY } })).json() as Array<{ name: string; access: unknown }>;
  t.same(seenByB.map((m) => [m.name, m.access]), [['b', { kind: 'apiKey', in: 'header', name: 'x-api-key' }]], 'access by kind, never the key');

  const guarded = await serveMany({ mocks: [{ input: { ...base, name: 'a', port: 0, adminKey: ADMIN_KEY } }, { input: { ...base, name: 'b', port: 0, basePath: '/b', adminKey: ADMIN_KEY } }] });
  const [ga, gb] = await guarded.listen();
  t.teardown(() => guarded.close());
  const all = (await call(`${ga!.url}/__mockdeck/mocks`, { headers: { 'x-mockdeck-admin-key': ADMIN_KEY } })).json() as Array<{ name: string; url: string }>;
  t.same(all.map((m) => [m.name, m.url]), [['a', ga!.url], ['b', gb!.url]], 'the admin key lists the deck, with URLs');
});
