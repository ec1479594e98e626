import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createMock } from '../../src/index.js';
import { loadCassette, decodeBody } from '../../src/cassette/index.js';
import { startUpstream, PETS, PNG } from '../fixtures/upstream/petstore-upstream.js';
import { call } from '../helpers/http.js';
import { allFiles, filesContaining } from '../helpers/files.js';
import { fromRoot } from '../helpers/paths.js';

const SECRETS = {
  bearer: 'Bearer tok_3f9a8b7c6d5e4f3a2b1c',
  petKey: 'pk_live_9988776655443322',
  cookie: 'sid=cookie-secret-4242',
  session: 'x-session-secret-7777',
  password: 'hunter2-password-secret',
};

t.test('record through the proxy, stop, then read what landed on disk', async (t) => {
  const upstream = await startUpstream();
  const dir = t.testdir({});
  t.teardown(() => upstream.close());
  const mock = await createMock({
    spec: fromRoot('specs/petstore.yaml'),
    cassettesDir: dir,
    target: upstream.url,
    record: { cassette: 'rec', mode: 'new' },
    redact: ['x-session', '/password'],
    port: 0,
  });
  const url = await mock.listen();
  const secretHeaders = { authorization: SECRETS.bearer, cookie: SECRETS.cookie, 'x-session': SECRETS.session };

  const pets = await call(`${url}/pets`, { headers: { ...secretHeaders, 'accept-encoding': 'gzip' } });
  t.equal(pets.status, 200);
  t.equal(pets.headers['x-mockdeck-source'], 'proxy', 'a forwarded answer says so');
  t.equal(pets.headers['x-mockdeck-operation'], 'listPets');
  t.equal(pets.headers['content-encoding'], 'gzip', 'the client gets the upstream bytes unchanged');
  t.same(JSON.parse(gunzipSync(pets.body).toString()), PETS);

  const photo = await call(`${url}/pets/1/photo`, { headers: secretHeaders });
  t.ok(photo.body.equals(PNG), 'binary streams back byte-exact');
  const mine = await call(`${url}/pets/mine`, { headers: { ...secretHeaders, 'x-petstore-key': SECRETS.petKey } });
  t.equal(mine.status, 200);
  t.match(String(mine.headers['set-cookie']), /upstream-session-secret/, 'the client still gets its cookie');
  const big = await call(`${url}/big`);
  t.equal(big.body.length > 1024 * 1024, true, '1 MB body passes whole');
  t.equal((await call(`${url}/health`)).text, 'ok');
  t.equal((await call(`${url}/pets/13`)).status, 200);
  t.equal((await call(`${url}/pets/2`, { headers: { 'accept-encoding': 'br' } })).status, 200);
  t.equal((await call(`${url}/store/inventory`)).status, 200);
  const created = await call(`${url}/pets`, { method: 'POST', headers: { 'content-type': 'application/json', ...secretHeaders }, body: JSON.stringify({ name: 'Nala', password: SECRETS.password }) });
  t.equal(created.status, 201);

  // Same request again: mode new replays it from the cassette, the upstream sees it once.
  const before = upstream.seen.length;
  const again = await call(`${url}/pets/1/photo`, { headers: secretHeaders });
  t.equal(again.headers['x-mockdeck-source'], 'cassette');
  t.ok(again.body.equals(PNG), 'replayed binary is byte-exact');
  t.equal(upstream.seen.length, before, 'no second upstream call');
  t.equal(upstream.seen[0]?.headers['authorization'], SECRETS.bearer, 'the upstream itself received the real credentials');

  await mock.close();

  const cassette = await loadCassette(join(dir, 'rec'));
  t.equal(cassette.interactions.length, 9, 'one interaction per forwarded exchange');
  const byOp = (id: string | null) => cassette.interactions.filter((i) => i.operationId === id);
  t.equal(byOp('listPets').length, 1);
  t.equal(byOp('getPetPhoto').length, 1);
  t.equal(byOp(null).length, 2, '/big and /health are undocumented');
  t.same(byOp(null).map((i) => i.request.path).sort(), ['/big', '/health']);
  t.same(byOp('getPetPhoto')[0]?.request.pathParams, { petId: '1' });

  // Chunked with no content-length: every chunk must be in the stored body, not just the first ones.
  const stored = byOp(null).find((i) => i.request.path === '/big')!;
  t.equal(stored.response.bodyEncoding, 'json', 'the 1 MB JSON body is stored as JSON');
  t.equal((stored.response.body as { items: string[] }).items[0]?.length, 1024 * 1024, 'the stored string is the full 1 MiB');
  t.ok(decodeBody(stored.response).equals(big.body), 'stored body byte-equal to what the client got');

  const list = byOp('listPets')[0]!;
  t.equal(list.response.bodyEncoding, 'json', 'gzip is stored decoded, as JSON');
  t.same(list.response.body, PETS);
  t.notOk('content-encoding' in list.response.headers, 'content-encoding dropped once decoded');
  const brotli = byOp('getPetById').find((i) => i.request.path === '/pets/2')!;
  t.same(brotli.response.body, PETS[1], 'br decoded');
  t.same(byOp('getInventory')[0]?.response.body, { available: 1, pending: 1, sold: 1 }, 'deflate decoded');

  const png = byOp('getPetPhoto')[0]!;
  t.equal(png.response.bodyEncoding, 'base64');
  t.ok(decodeBody(png.response).equals(PNG), 'PNG byte-equal after a trip through the file');

  const offSpec = byOp('getPetById').find((i) => i.request.path === '/pets/13')!;
  t.equal(offSpec.alignment.ok, false, 'off-spec response flagged');
  t.ok(offSpec.alignment.findings.some((f) => f.pointer === '/body/name'), 'finding points at /body/name');
  t.same(list.alignment, { ok: true, findings: [] }, 'a conforming response is ok');
  t.equal(byOp(null)[0]?.alignment.ok, false, 'undocumented endpoints are flagged');

  const files = (await allFiles(join(dir, 'rec'))).map((f) => f.path.split('/').pop()).sort();
  t.ok(files.includes('_unmatched.json') && files.includes('listPets.json') && files.includes('cassette.json'));
  const meta = JSON.parse(await readFile(join(dir, 'rec', 'cassette.json'), 'utf8'));
  t.equal(meta.target, upstream.url, 'target stored as origin');
  t.equal(meta.spec.title, 'Petstore');

  for (const [name, secret] of Object.entries(SECRETS)) {
    const raw = secret.replace(/^Bearer /, '').replace(/^sid=/, '');
    t.same(await filesContaining(dir, raw), [], `secret ${name} appears nowhere under the cassette folder`);
  }
  t.same(await filesContaining(dir, 'upstream-session-secret'), [], 'set-cookie from upstream redacted');
  t.ok((await filesContaining(dir, '[REDACTED]')).length > 0, 'redaction leaves a visible marker');
});

t.test('200 concurrent requests give exactly 200 interactions', async (t) => {
  const upstream = await startUpstream();
  const dir = t.testdir({});
  t.teardown(() => upstream.close());
  const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, target: upstream.url, record: { cassette: 'many' }, port: 0 });
  const url = await mock.listen();
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => call(`${url}/pets?limit=${i + 1}`)));
  t.ok(answers.every((a) => a.status === 200));
  await mock.close();
  const cassette = await loadCassette(join(dir, 'many'));
  t.equal(cassette.interactions.length, 200);
  t.equal(new Set(cassette.interactions.map((i) => i.request.query['limit']?.[0])).size, 200, 'none lost, none duplicated');
  JSON.parse(await readFile(join(dir, 'many', 'listPets.json'), 'utf8'));
});

t.test('modes: all re-records, none never forwards', async (t) => {
  const upstream = await startUpstream();
  const dir = t.testdir({});
  t.teardown(() => upstream.close());
  const start = async (mode: 'new' | 'all' | 'none') => {
    const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, target: upstream.url, record: { cassette: 'modes', mode }, port: 0 });
    return { mock, url: await mock.listen() };
  };
  let { mock, url } = await start('new');
  await call(`${url}/pets/1`);
  await mock.close();
  ({ mock, url } = await start('all'));
  const seen = upstream.seen.length;
  const r = await call(`${url}/pets/1`);
  t.equal(r.headers['x-mockdeck-source'], 'proxy', 'mode all forwards even a recorded request');
  t.equal(upstream.seen.length, seen + 1);
  await mock.close();
  t.equal((await loadCassette(join(dir, 'modes'))).interactions.length, 1, 'the re-recording replaced the old one');
  ({ mock, url } = await start('none'));
  const hit = await call(`${url}/pets/1`);
  t.equal(hit.headers['x-mockdeck-source'], 'cassette');
  const miss = await call(`${url}/pets/2`);
  t.equal(miss.status, 404);
  t.equal((miss.json() as { code: string }).code, 'MOCKDECK_ERR_RECORD_NOT_RECORDED');
  t.equal(upstream.seen.length, seen + 1, 'mode none never touched the upstream');
  await mock.close();
});

t.test("the mock's own key and x-mockdeck-* headers never reach the upstream", async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  for (const place of ['header', 'query', 'bearer'] as const) {
    const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, target: upstream.url, record: { cassette: `keyed-${place}` }, access: { apiKeys: ['mock-key-5150'], in: place }, port: 0 });
    const url = await mock.listen();
    const headers: Record<string, string> = { 'x-mockdeck-note': 'for mockdeck only', 'x-trace': 'kept' };
    if (place === 'header') headers['x-api-key'] = 'mock-key-5150';
    if (place === 'bearer') headers['authorization'] = 'Bearer mock-key-5150';
    const r = await call(`${url}/pets?limit=2${place === 'query' ? '&api_key=mock-key-5150' : ''}`, { headers });
    t.equal(r.status, 200, `${place}: forwarded`);
    const seen = upstream.seen.at(-1)!;
    t.notMatch(JSON.stringify(seen.headers) + seen.url, /mock-key-5150/, `${place}: the upstream never saw the mock's key`);
    t.notOk(seen.headers['x-mockdeck-note'], `${place}: nor mockdeck's own headers`);
    t.equal(seen.headers['x-trace'], 'kept', `${place}: other headers pass`);
    t.equal(new URL(seen.url, 'http://x').searchParams.get('limit'), '2', `${place}: other query params pass`);
    await mock.close();
  }
  t.same(await filesContaining(dir, 'mock-key-5150'), [], 'and it is in no cassette file');
});
