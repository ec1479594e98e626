import t from 'tap';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { request } from 'undici';
import { createMock, type Mock } from '../../src/index.js';
import { loadSpec, SchemaValidator } from '../../src/spec/index.js';
import { serveMany } from '../../src/server/serve-many.js';
import { curlLine, exampleRequest, type ExampleRequest } from '../../src/server/admin/example-request.js';
import { parseActive } from '../../src/server/admin/scenario.js';
import { parseTry } from '../../src/server/admin/try-it.js';
import { digestOfKey, SESSION_TTL_MS, SessionStore, sessionOpens } from '../../src/server/admin/ui-session.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');
const cassettesDir = fromRoot('cassettes');

async function start(t: { teardown: (fn: () => unknown) => void }, input: Partial<Parameters<typeof createMock>[0]> = {}): Promise<Mock> {
  const mock = await createMock({ spec, cassettesDir, port: 0, ...input });
  await mock.listen();
  t.teardown(() => mock.close());
  return mock;
}

t.test('parseActive: names checked against the loaded layers, each problem with its pointer', async (t) => {
  const layers = ['base', 'outage'];
  const cases: Array<[string, unknown, unknown]> = [
    ['two layers', { active: ['base', 'outage'] }, { ok: true, active: ['base', 'outage'] }],
    ['order is kept (later wins)', { active: ['outage', 'base'] }, { ok: true, active: ['outage', 'base'] }],
    ['none', { active: [] }, { ok: true, active: [] }],
    ['null restores all', { active: null }, { ok: true, active: undefined }],
    ['unknown name', { active: ['base', 'nope'] }, { ok: false, errors: [{ pointer: '/active/1', message: '"nope" is not a cassette layer of this mock; loaded: base, outage' }] }],
    ['twice', { active: ['base', 'base'] }, { ok: false, errors: [{ pointer: '/active/1', message: '"base" is listed twice' }] }],
    ['not a string', { active: [1] }, { ok: false, errors: [{ pointer: '/active/0', message: 'expected a cassette name, got 1' }] }],
    ['not an array', { active: 'base' }, { ok: false, errors: [{ pointer: '/active', message: 'expected an array of cassette names or null, got string' }] }],
    ['missing', {}, { ok: false }],
    ['no body', undefined, { ok: false }],
  ];
  for (const [name, body, want] of cases) t.match(parseActive(body, layers), want, name);
});

t.test('parseTry: one pointer per problem; hop-by-hop headers dropped', async (t) => {
  t.match(parseTry({ method: 'BREW', path: '//evil.example/x', headers: { 'bad name': 'x' }, body: 3, apiKey: 5 }), {
    ok: false,
    errors: [{ pointer: '/method' }, { pointer: '/path' }, { pointer: '/headers/bad name' }, { pointer: '/body' }, { pointer: '/apiKey' }],
  });
  t.same(parseTry({ method: 'post', path: '/pets', headers: { Host: 'x', 'Content-Type': 'application/json' }, body: '{}' }), { ok: true, value: { method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{}', apiKey: undefined } });
  t.match(parseTry([]), { ok: false });
});

t.test('exampleRequest: a recorded request first, else one built from the spec', async (t) => {
  const loaded = await loadSpec(spec);
  const validator = new SchemaValidator();
  const op = (id: string) => loaded.resolve(loaded.operationById(id)!);
  const recorded = interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query: { status: ['sold'], limit: ['2'] } });
  t.same(exampleRequest(op('listPets'), { recorded, gated: false, matchHeaders: [], validator }), { operationId: 'listPets', method: 'GET', path: '/pets?status=sold&limit=2', headers: {}, body: null, from: 'recording' });
  const posted = interaction({ operationId: 'createPet', method: 'POST', path: '/pets', pathParams: {}, requestBody: { name: 'Nala', tags: [] }, headers: {} });
  posted.request.headers = { 'content-type': 'application/json', 'x-petstore-key': '[REDACTED]', 'x-tenant': 'a' };
  t.same(exampleRequest(op('createPet'), { recorded: posted, gated: false, matchHeaders: ['x-tenant'], validator }).headers, { 'content-type': 'application/json', 'x-tenant': 'a' }, 'content-type and matched headers kept, redacted values never replayed');
  const user = exampleRequest(op('getUserByName'), { recorded: undefined, gated: false, matchHeaders: [], validator });
  t.match(user, { method: 'GET', path: /^\/users\/[^/{}]+$/, body: null, from: 'spec' }, 'path parameters filled in');
  const create = exampleRequest(op('createPet'), { recorded: undefined, gated: false, matchHeaders: [], validator });
  t.equal(create.headers['content-type'], 'application/json');
  t.type(JSON.parse(create.body ?? 'null'), 'object', 'a JSON body from the spec');
  t.same(exampleRequest(op('listMyPets'), { recorded: undefined, gated: false, matchHeaders: [], validator }).headers, { 'x-petstore-key': 'example' }, 'an ungated mock needs the spec credential present (any value)');
  t.same(exampleRequest(op('listMyPets'), { recorded: undefined, gated: true, matchHeaders: [], validator }).headers, {}, 'a gated mock does not enforce the spec credential');
});

t.test('curlLine: ready to paste, the key only as a placeholder, quoting safe', async (t) => {
  const ex: ExampleRequest = { operationId: 'x', method: 'POST', path: "/pets?q=it's", headers: { 'content-type': 'application/json' }, body: `{"name":"O'Neil $HOME"}`, from: 'spec' };
  const base = 'http://127.0.0.1:4010';
  t.equal(curlLine(base, ex, { kind: 'public' }), `curl -i -X POST 'http://127.0.0.1:4010/pets?q=it'\\''s' -H 'content-type: application/json' --data-raw '{"name":"O'\\''Neil $HOME"}'`);
  const digests = [digestOfKey('k')];
  t.match(curlLine(base, ex, { kind: 'apiKey', in: 'header', name: 'x-api-key', digests }), / -H "x-api-key: \$MOCKDECK_API_KEY" /);
  t.match(curlLine(base, ex, { kind: 'apiKey', in: 'bearer', name: 'authorization', digests }), / -H "Authorization: Bearer \$MOCKDECK_API_KEY" /);
  t.match(curlLine(base, { ...ex, path: '/pets' }, { kind: 'apiKey', in: 'query', name: 'api_key', digests }), / "http:\/\/127\.0\.0\.1:4010\/pets\?api_key=\$MOCKDECK_API_KEY" /);
  t.match(curlLine(base, ex, { kind: 'apiKey', in: 'query', name: 'api_key', digests }), / "http:\/\/127\.0\.0\.1:4010\/pets\?q=it's&api_key=\$MOCKDECK_API_KEY" /, 'the rest of a double-quoted URL cannot expand');
});

t.test('sessions: random tokens, digests only, expiry, and only from the page\'s own origin', async (t) => {
  let now = 1_000;
  const store = new SessionStore(() => now);
  const digest = digestOfKey('the-key');
  const token = store.open(digest);
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  t.not(store.open(digest), token, 'a new token each time');
  const cookie = `other=1; mockdeck_ui_shop=${token}`;
  t.ok(sessionOpens([digest], { cookie }, store));
  t.ok(sessionOpens([digest], { cookie, 'sec-fetch-site': 'same-origin' }, store));
  t.ok(sessionOpens([digest], { cookie, 'sec-fetch-site': 'none' }, store), 'typed in the address bar');
  t.notOk(sessionOpens([digest], { cookie, 'sec-fetch-site': 'same-site' }, store), 'another port of the host');
  t.notOk(sessionOpens([digest], { cookie, 'sec-fetch-site': 'cross-site' }, store));
  t.notOk(sessionOpens([digestOfKey('another-key')], { cookie }, store), 'a mock the key does not open');
  t.notOk(sessionOpens([digest], { cookie: `session=${token}` }, store), 'only our cookie names count');
  now += SESSION_TTL_MS;
  t.notOk(sessionOpens([digest], { cookie }, store), 'expired');
  store.close(token);
});

/** Reads server-sent events until `until` says stop. */
async function readEvents(url: string, headers: Record<string, string>, until: (events: Array<{ event: string; data: unknown }>) => boolean | Promise<boolean>) {
  const res = await request(url, { headers });
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (await until(events)) break;
  }
  res.body.destroy();
  return { status: res.statusCode, type: res.headers['content-type'], events };
}

t.test('GET /events: backlog, ready, then each request live as a summary', async (t) => {
  const mock = await start(t, { name: 'sse' });
  await call(`${mock.url}/pets/1`);
  let sent = false;
  let sentAt = 0;
  const stream = await readEvents(`${mock.url}/__mockdeck/events`, {}, async (events) => {
    if (!sent && events.some((e) => e.event === 'ready')) {
      sent = true;
      sentAt = performance.now();
      await call(`${mock.url}/pets/9`);
    }
    return events.filter((e) => e.event === 'entry').length >= 2;
  });
  const ms = performance.now() - sentAt;
  t.equal(stream.status, 200);
  t.match(stream.type, /^text\/event-stream/);
  const [backlog, live] = stream.events.filter((e) => e.event === 'entry').map((e) => e.data as Record<string, unknown>);
  t.match(backlog, { mock: 'sse', method: 'GET', path: '/pets/1', source: 'cassette', status: 200, operation: 'getPetById', nearMisses: 0 });
  t.match(live, { path: '/pets/9', source: 'spec', nearMisses: Number });
  t.ok((live?.['nearMisses'] as number) > 0, 'the summary counts near misses');
  t.notOk('request' in (live ?? {}) || 'response' in (live ?? {}), 'no headers or bodies on the stream');
  t.ok(ms < 1000, `live entry after ${Math.round(ms)} ms`);

  const full = await call(`${mock.url}/__mockdeck/requests/${String(live?.['id'])}`);
  t.equal(full.status, 200);
  t.match(full.json(), { path: '/pets/9', request: { headers: Object }, response: { bodyEncoding: 'utf8' }, nearMisses: [{ operationId: 'getPetById', reasons: Array }] });
  const gone = await call(`${mock.url}/__mockdeck/requests/99999`);
  t.equal(gone.status, 422);
  t.match(gone.json(), { code: 'MOCKDECK_ERR_REQ_INVALID', errors: [{ pointer: '/path/id' }] });
  t.match((await call(`${mock.url}/__mockdeck/events?mock=nope`)).json(), { status: 422, errors: [{ pointer: '/query/mock', message: /no mock named "nope".*visible: sse/ }] });
});

t.test('an open event stream does not hold close()', async (t) => {
  const mock = await createMock({ spec, cassettesDir, port: 0 });
  await mock.listen();
  const res = await request(`${mock.url}/__mockdeck/events`);
  const started = performance.now();
  await mock.close();
  t.ok(performance.now() - started < 1000, 'closed at once');
  await res.body.text().catch(() => '');
});

t.test('scenario and try over HTTP: the PUT is sticky, try goes through the gate and keeps the key out of the answer', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'base', [interaction({ path: '/pets/1', body: { ok: true } })]);
  await writeCassette(dir, 'outage', [interaction({ path: '/pets/1', status: 503, body: { ok: false } })]);
  const mock = await start(t, { cassettesDir: dir, access: { apiKeys: ['qk'], in: 'query', name: 'api_key' } });
  const admin = { 'x-mockdeck-admin-key': 'qk' };
  t.same((await call(`${mock.url}/__mockdeck/cassettes/active`, { headers: admin })).json(), { mock: 'default', layers: ['base', 'outage'], active: ['base', 'outage'], all: true });
  const put = await call(`${mock.url}/__mockdeck/cassettes/active`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: '{"active":["base"]}' });
  t.same(put.json(), { mock: 'default', layers: ['base', 'outage'], active: ['base'], all: false });
  t.match((await call(`${mock.url}/__mockdeck/mocks`, { headers: admin })).json(), [{ activeCassettes: ['base'] }], 'GET /mocks shows the scenario too');
  t.equal((await call(`${mock.url}/__mockdeck/cassettes/active`, { method: 'PUT', headers: admin, body: '{nope' })).status, 400, 'a body that is not JSON is 400');

  const tried = await call(`${mock.url}/__mockdeck/try`, { method: 'POST', headers: admin, body: JSON.stringify({ method: 'GET', path: '/pets/1', apiKey: 'qk' }) });
  t.equal(tried.status, 200);
  t.match(tried.json(), { status: 200, bodyEncoding: 'utf8', headers: { 'x-mockdeck-source': 'cassette', 'x-mockdeck-cassette': 'base' } });
  t.notMatch(tried.text, 'qk', 'the key is not in the answer');
  const journal = (await call(`${mock.url}/__mockdeck/requests?limit=1`, { headers: admin })).json() as Array<{ path: string }>;
  t.equal(journal[0]?.path, '/pets/1?api_key=[REDACTED]', 'the try request is journaled, its key redacted');
  const noKey = await call(`${mock.url}/__mockdeck/try`, { method: 'POST', headers: admin, body: JSON.stringify({ method: 'GET', path: '/pets/1' }) });
  t.equal(noKey.json() && (noKey.json() as { status: number }).status, 401, 'without a key the mock\'s own gate answers');
  const bad = await call(`${mock.url}/__mockdeck/try`, { method: 'POST', headers: admin, body: JSON.stringify({ method: 'GET', path: '//elsewhere/' }) });
  t.equal(bad.status, 422, 'never another host');

  const example = (await call(`${mock.url}/__mockdeck/operations/getPetById/example`, { headers: admin })).json() as { curl: string; key: unknown; from: string };
  t.equal(example.from, 'recording');
  t.match(example.curl, `"${mock.url}/pets/1?api_key=$MOCKDECK_API_KEY"`);
  t.same(example.key, { in: 'query', name: 'api_key', placeholder: '$MOCKDECK_API_KEY' });
  t.equal((await call(`${mock.url}/__mockdeck/operations/nope/example`, { headers: admin })).status, 422);
});

t.test('in a deck, the admin key reaches every mock through one admin API; a mock key only its own', async (t) => {
  const deck = await serveMany({
    mocks: [
      { input: { name: 'front', spec, cassettesDir, port: 0, adminKey: 'deck-admin' } },
      { input: { name: 'back', spec, cassettesDir, port: 0, adminKey: 'deck-admin', access: { apiKeys: ['back-key'] } } },
    ],
  });
  const [front, back] = await deck.listen();
  t.teardown(() => deck.close());
  const admin = { 'x-mockdeck-admin-key': 'deck-admin' };
  await call(`${back!.url}/pets/1`, { headers: { 'x-api-key': 'back-key' } });
  const events = await readEvents(`${front!.url}/__mockdeck/events`, admin, (e) => e.some((x) => x.event === 'ready'));
  t.match(events.events.find((e) => e.event === 'ready')?.data, { mocks: ['front', 'back'] }, 'the stream covers the deck');
  t.ok(events.events.some((e) => e.event === 'entry' && (e.data as { mock: string }).mock === 'back'), 'with the other mock\'s requests');
  const put = await call(`${front!.url}/__mockdeck/cassettes/active?mock=back`, { method: 'PUT', headers: admin, body: '{"active":[]}' });
  t.same(put.json(), { mock: 'back', layers: ['petstore'], active: [], all: false }, 'the scenario of another mock is switched through this one');
  t.equal(back!.runtime.activeCassettes?.length, 0);
  t.equal(front!.runtime.activeCassettes, undefined, 'and only that mock');
  const tried = (await call(`${front!.url}/__mockdeck/try?mock=back`, { method: 'POST', headers: admin, body: JSON.stringify({ method: 'GET', path: '/pets/1', apiKey: 'back-key' }) })).json() as { mock: string; status: number; headers: Record<string, string> };
  t.match(tried, { mock: 'back', status: 200, headers: { 'x-mockdeck-source': 'spec' } }, 'try reaches the other mock on its own port, in its scenario');
});

t.test('without an admin key, a mock never steers its neighbour', async (t) => {
  const deck = await serveMany({ mocks: [{ input: { name: 'pub', spec, cassettesDir, port: 0 } }, { input: { name: 'priv', spec, cassettesDir, port: 0, access: { apiKeys: ['pk'] } } }] });
  const [pub] = await deck.listen();
  t.teardown(() => deck.close());
  const put = await call(`${pub!.url}/__mockdeck/cassettes/active?mock=priv`, { method: 'PUT', body: '{"active":[]}' });
  t.equal(put.status, 422);
  t.match(put.json(), { errors: [{ pointer: '/query/mock', message: /visible: pub$/ }] });
  t.equal((await call(`${pub!.url}/__mockdeck/try?mock=priv`, { method: 'POST', body: '{"method":"GET","path":"/pets/1"}' })).status, 422);
  const ready = await readEvents(`${pub!.url}/__mockdeck/events`, {}, (e) => e.some((x) => x.event === 'ready'));
  t.match(ready.events.find((e) => e.event === 'ready')?.data, { mocks: ['pub'] });
});

t.test('the admin API describes every dashboard route, and every $ref resolves', async (t) => {
  const mock = await start(t);
  const doc = (await call(`${mock.url}/__mockdeck/openapi.json`)).json() as { paths: Record<string, Record<string, { operationId?: string }>>; components: { schemas: Record<string, unknown> } };
  const want: Record<string, string[]> = {
    '/__mockdeck/ui': ['get'],
    '/__mockdeck/ui/login': ['post'],
    '/__mockdeck/ui/logout': ['post'],
    '/__mockdeck/ui/assets/{file}': ['get'],
    '/__mockdeck/events': ['get'],
    '/__mockdeck/requests/{id}': ['get'],
    '/__mockdeck/cassettes/active': ['get', 'put'],
    '/__mockdeck/operations/{operationId}/example': ['get'],
    '/__mockdeck/try': ['post'],
  };
  for (const [path, methods] of Object.entries(want)) for (const m of methods) t.ok(doc.paths[path]?.[m]?.operationId, `${m.toUpperCase()} ${path} is described`);
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
  for (const [, kind, name] of refs) t.ok((doc.components as Record<string, Record<string, unknown>>)[kind!]?.[name!], `#/components/${kind}/${name} exists`);
});

t.test('the package ships the dashboard: files listed, every referenced asset present', async (t) => {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { files: string[] };
  t.ok(pkg.files.includes('src/ui'), 'package.json "files" includes src/ui');
  const ui = new Set(readdirSync(fromRoot('src/ui')));
  const referenced = new Set<string>();
  for (const file of ['index.html', 'login.html']) for (const m of readFileSync(fromRoot('src/ui', file), 'utf8').matchAll(/ui\/assets\/([\w.-]+)/g)) referenced.add(m[1]!);
  for (const file of [...ui].filter((f) => f.endsWith('.js'))) for (const m of readFileSync(fromRoot('src/ui', file), 'utf8').matchAll(/from '\.\/([\w.-]+)'/g)) referenced.add(m[1]!);
  for (const name of referenced) t.ok(ui.has(name), `${name} exists`);
  for (const file of [...ui].filter((f) => /\.(js|css|html)$/.test(f))) t.notMatch(readFileSync(fromRoot('src/ui', file), 'utf8'), /https?:\/\/(?!127\.0\.0\.1)/, `${file} loads nothing from the network`);
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: fromRoot() });
  const packed = new Set((JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
  for (const name of ui) t.ok(packed.has(`src/ui/${name}`), `npm pack ships src/ui/${name}`);
});
