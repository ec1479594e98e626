import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config-file/index.js';
import { isMockdeckError } from '../../src/errors.js';
import { serveMany, type Deck } from '../../src/server/serve-many.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';
import { freePorts, sha256Hex, writeDeckFixtures } from './fixtures.js';

const BILLING_KEY = 'billing-key-from-env';
const INVENTORY_KEY = 'inventory-key-as-digest';

/** Three mocks on two ports: pets at the root and billing under /billing of the shared port, inventory on its own. */
async function threeMocks(dir: string): Promise<{ deck: Deck; shared: string; own: string }> {
  const { specs } = await writeDeckFixtures(dir);
  const [shared, own] = await freePorts(2);
  const file = join(dir, 'mockdeck.config.yaml');
  await writeFile(file, `
cassettesDir: cassettes
port: ${shared}
mocks:
  - name: pets
    spec: ${specs.pets}
    cassettes: [pets]
  - name: billing
    spec: specs/billing.yaml
    cassettes: [billing]
    basePath: /billing
    access:
      apiKeys: [env:BILLING_KEYS]
      in: query
      name: key
  - name: inventory
    spec: specs/inventory.yaml
    cassettes: [inventory]
    port: ${own}
    onMiss: 404
    access:
      apiKeys: ["sha256:${sha256Hex(INVENTORY_KEY)}"]
      in: bearer
`);
  const plan = await loadConfigFile(file, { env: { BILLING_KEYS: `other,${BILLING_KEY}` } });
  const deck = await serveMany({ mocks: plan.mocks, file: plan.file });
  await deck.listen();
  return { deck, shared: `http://127.0.0.1:${shared}`, own: `http://127.0.0.1:${own}` };
}

t.test('three mocks from one config (two ports, one base path), each with its own spec and cassettes', async (t) => {
  const { deck, shared, own } = await threeMocks(t.testdir({}));
  t.teardown(() => deck.close());
  t.same(deck.mocks.map((m) => [m.name, m.url]), [['pets', shared], ['billing', `${shared}/billing`], ['inventory', own]], 'URLs name port and base path');

  const pet = await call(`${shared}/pets/1`);
  t.equal(pet.status, 200);
  t.same(pet.json(), { from: 'pets-cassette' }, 'pets: its cassette');
  t.equal(pet.headers['x-mockdeck-cassette'], 'pets');
  t.same((await call(`${shared}/pets/2`)).json(), { from: 'pets-spec' }, 'pets: its spec for what was never recorded');

  const invoice = await call(`${shared}/billing/invoices/7?key=${BILLING_KEY}`);
  t.same(invoice.json(), { from: 'billing-cassette' }, 'billing: its cassette, under its base path');
  t.same((await call(`${shared}/billing/invoices/8?key=${BILLING_KEY}`)).json(), { from: 'billing-spec' }, 'billing: its spec');
  t.equal((await call(`${shared}/invoices/7`)).status, 404, 'billing paths do not exist at the root (the pets spec does not have them)');

  const items = await call(`${own}/items`, { headers: { authorization: `Bearer ${INVENTORY_KEY}` } });
  t.same(items.json(), { from: 'inventory-cassette' }, 'inventory: its cassette, on its own port');
  t.equal((await call(`${own}/pets/1`, { headers: { authorization: `Bearer ${INVENTORY_KEY}` } })).status, 404, 'inventory does not serve the pets spec');
  t.equal((await call(`${own}/items?x=1`, { headers: { authorization: `Bearer ${INVENTORY_KEY}` } })).status, 404, 'inventory: onMiss 404 from its own config');
});

t.test('public vs keyed: 401 / 403 / 200 for query (env key) and bearer (sha256 key)', async (t) => {
  const { deck, shared, own } = await threeMocks(t.testdir({}));
  t.teardown(() => deck.close());
  const cases: Array<[string, string, Record<string, string>, number]> = [
    ['public, no key', `${shared}/pets/1`, {}, 200],
    ['public, any key is ignored', `${shared}/pets/1?key=whatever`, { authorization: 'Bearer nope' }, 200],
    ['query: missing', `${shared}/billing/invoices/7`, {}, 401],
    ['query: empty', `${shared}/billing/invoices/7?key=`, {}, 401],
    ['query: wrong', `${shared}/billing/invoices/7?key=nope`, {}, 403],
    ['query: in a header instead', `${shared}/billing/invoices/7`, { key: BILLING_KEY }, 401],
    ['query: first key of the env list', `${shared}/billing/invoices/7?key=other`, {}, 200],
    ['query: right', `${shared}/billing/invoices/7?key=${BILLING_KEY}`, {}, 200],
    ['bearer: missing', `${own}/items`, {}, 401],
    ['bearer: other scheme', `${own}/items`, { authorization: `Basic ${INVENTORY_KEY}` }, 401],
    ['bearer: wrong', `${own}/items`, { authorization: 'Bearer nope' }, 403],
    ['bearer: the digest itself is not a key', `${own}/items`, { authorization: `Bearer ${sha256Hex(INVENTORY_KEY)}` }, 403],
    ['bearer: right, scheme case-insensitive', `${own}/items`, { authorization: `bearer ${INVENTORY_KEY}` }, 200],
  ];
  for (const [name, url, headers, status] of cases) {
    const r = await call(url, { headers });
    t.equal(r.status, status, name);
    if (status !== 200) {
      t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8', `${name}: problem+json`);
      t.ok(r.headers['www-authenticate'], `${name}: WWW-Authenticate`);
      t.notOk(r.headers['x-mockdeck-source'], `${name}: nothing about the API leaks`);
    }
  }
});

t.test('stopping lets in-flight requests finish, within a bound', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const input = { spec: join(dir, 'specs', 'pets.yaml'), cassettesDir: join(dir, 'cassettes'), port: 0 };

  const slow = await serveMany({ mocks: [{ input: { ...input, name: 'slow', latency: 400 } }] });
  const [mock] = await slow.listen();
  const inFlight = call(`${mock!.url}/pets/1`);
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  await slow.close();
  const answer = await inFlight;
  t.equal(answer.status, 200, 'the request started before close is answered');
  t.ok(Date.now() - started >= 200, 'close waited for it');
  await t.rejects(call(`${mock!.url}/pets/1`), 'no new connections after close');

  const stuck = await serveMany({ mocks: [{ input: { ...input, name: 'stuck', latency: 4_000 } }], drainMs: 300 });
  const [stuckMock] = await stuck.listen();
  const hanging = call(`${stuckMock!.url}/pets/1`).then(() => 'answered', () => 'cut');
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await stuck.close();
  t.ok(Date.now() - t0 < 3_000, `close is bounded by drainMs (took ${Date.now() - t0} ms)`);
  t.equal(await hanging, 'cut', 'a request still running past the bound is cut');
});

t.test('a port in use names the mock and the port, and closes the listeners already open', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const [free, taken] = await freePorts(2);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => blocker.close(r)));
  const base = { spec: join(dir, 'specs', 'pets.yaml'), cassettesDir: join(dir, 'cassettes') };
  const deck = await serveMany({ mocks: [{ input: { ...base, name: 'first', port: free } }, { input: { ...base, name: 'second', port: taken } }] });
  const err = await deck.listen().then(() => null, (e: unknown) => e);
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_PORT_IN_USE'));
  t.equal((err as Error).message, `mock "second": 127.0.0.1:${taken} is already in use. Pick another port or stop the other process.`);
  await t.rejects(call(`http://127.0.0.1:${free}/pets/1`), 'the first listener was closed again');
});

t.test('a spec that fails to load names the mock of the file', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'openapi: 3.1.0\ninfo: [\n' });
  const err = await serveMany({ file: 'deck.yaml', mocks: [{ where: 'mocks[0]', input: { name: 'bad', spec: join(dir, 'bad.yaml'), cassettesDir: dir, port: 0 } }] }).then(() => null, (e: unknown) => e);
  t.ok(isMockdeckError(err, 'MOCKDECK_ERR_CONFIG_INVALID'));
  t.match((err as Error).message, /^deck\.yaml: mocks\[0\]\.spec: MOCKDECK_ERR_SPEC_PARSE: .*bad\.yaml:\d+:\d+/);
});

t.test('the shipped mockdeck.config.yaml works from a fresh clone, with the documented demo key', async (t) => {
  const plan = await loadConfigFile(fromRoot('mockdeck.config.yaml'), { env: {} });
  t.same(plan.mocks.map((m) => m.input.name), ['petstore', 'petstore-keyed']);
  // Same mocks on free ports, so the test does not depend on 4010/4011 being free.
  const deck = await serveMany({ mocks: plan.mocks.map((m) => ({ ...m, input: { ...m.input, port: 0 } })) });
  const [pub, keyed] = await deck.listen();
  t.teardown(() => deck.close());
  t.equal((await call(`${pub!.url}/pets/1`)).status, 200, 'public mock');
  t.equal((await call(`${keyed!.url}/pets/1`)).status, 401, 'keyed mock without a key');
  const ok = await call(`${keyed!.url}/pets/1`, { headers: { 'x-api-key': 'petstore-demo-key' } });
  t.equal(ok.status, 200, 'the demo key documented in the file and README opens it');
  t.equal(ok.headers['x-mockdeck-source'], 'cassette');
});
