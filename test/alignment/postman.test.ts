import t from 'tap';
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import postman from 'postman-collection';
import { exportPostman, importPostman } from '../../src/alignment/index.js';
import { decodeBody, loadCassette } from '../../src/cassette/index.js';
import { isMockdeckError } from '../../src/errors.js';
import { createMock } from '../../src/index.js';
import { loadSpec } from '../../src/spec/index.js';
import { responseFor } from '../../src/spec/validate-response.js';
import type { Interaction } from '../../src/types.js';
import { fromRoot } from '../helpers/paths.js';
import { cleanPetstoreExchanges, PETSTORE, PNG, runCli, snapshot, writeCassetteFrom } from './helpers.js';

const COLLECTION = fromRoot('test/fixtures/postman/petstore-examples.postman_collection.json');

interface NewmanSummary {
  run: {
    executions: Array<{ request: { method: string; url: { toString(): string } }; response?: { code: number }; requestError?: Error }>;
    failures: unknown[];
  };
}
const newman = createRequire(import.meta.url)('newman') as { run(options: Record<string, unknown>, cb: (err: Error | null, summary: NewmanSummary) => void): void };

t.test('a collection with saved examples becomes interactions', async (t) => {
  const dir = t.testdir({});
  const summary = await importPostman(COLLECTION, { cassettesDir: dir, cassette: 'qa', spec: PETSTORE });
  t.equal(summary.added, 7);
  t.same(summary.byOperation, { '(unmatched)': 1, createPet: 1, getInventory: 1, getPetById: 2, listPets: 2 });
  t.match(summary.skipped, [{ where: 'item[0].item[3] (item "pets › Remove a pet")', reason: 'no saved example response' }]);
  const cassette = await loadCassette(join(dir, 'qa'));
  t.equal(cassette.meta.target, 'http://localhost:3000', '{{baseUrl}} resolved to the origin');
  const list = cassette.interactions.filter((i) => i.operationId === 'listPets');
  t.same(list.map((i) => i.request.query), [{ status: ['available'] }, { status: ['sold'] }], 'each example keeps its own request; disabled params left out');
  t.same(list[0]?.response.body, [{ id: 1, name: 'Rex', status: 'available', tags: ['dog'] }, { id: 3, name: 'Polly', status: 'available', tags: [] }]);
  t.notOk('content-encoding' in (list[0]?.response.headers ?? {}), 'example bodies are decoded text');
  t.equal(list[0]?.request.headers['authorization'], '[REDACTED]');
  t.equal(list[0]?.durationMs, 41);
  t.same(cassette.interactions.filter((i) => i.operationId === 'getPetById').map((i) => [i.request.path, i.request.pathParams, i.response.status]), [
    ['/pets/7', { petId: '7' }, 200],
    ['/pets/999', { petId: '999' }, 404],
  ]);
  const created = cassette.interactions.find((i) => i.operationId === 'createPet')!;
  t.same(created.request.body, { name: 'Nala', tags: [] }, 'raw JSON body (language json) stored as JSON');
  t.equal(created.request.headers['content-type'], 'application/json');
  t.equal(created.request.headers['x-petstore-key'], '[REDACTED]');
  t.equal(created.response.headers['location'], '/pets/42');
  const inventory = cassette.interactions.find((i) => i.operationId === 'getInventory')!;
  t.equal(inventory.request.headers['x-request-id'], 'qa-1');
  t.notOk('x-debug' in inventory.request.headers, 'disabled header left out');
  const login = cassette.interactions.find((i) => i.operationId === null)!;
  t.equal(login.request.path, '/login');
  t.equal(login.request.headers['content-type'], 'application/x-www-form-urlencoded');
  t.match(String(login.request.body), /^username=qa&password=/);
  const text = Object.values(await snapshot(join(dir, 'qa'))).map((b) => Buffer.from(b, 'base64').toString()).join('\n');
  for (const secret of ['postman-secret-token', 'pk_postman_secret']) t.notOk(text.includes(secret), `${secret} never reaches disk`);

  const again = await importPostman(COLLECTION, { cassettesDir: dir, cassette: 'qa', spec: PETSTORE });
  t.same([again.added, again.duplicates], [0, 7], 'a second import adds nothing');
});

type Mutate = (c: Record<string, any>) => void;

t.test('invalid collection: exit 2 naming the item path, cassette untouched', async (t) => {
  const root = t.testdir({});
  const dir = join(root, 'cassettes');
  await importPostman(COLLECTION, { cassettesDir: dir, cassette: 'kept', spec: PETSTORE });
  const before = await snapshot(dir);
  const base = await readFile(COLLECTION, 'utf8');
  const cases: Array<[string, Mutate, RegExp]> = [
    ['v1 collection', (c) => void delete c['info'], /#\/info: info: is missing, so this is not a Postman collection v2\.x/],
    ['other schema', (c) => void (c['info'].schema = 'https://schema.getpostman.com/json/collection/v1.0.0/collection.json'), /#\/info\/schema: .*not a Postman collection v2\.1 schema/],
    ['status not a number', (c) => void (c['item'][0].item[1].response[1].code = 'Not Found'), /#\/item\/0\/item\/1\/response\/1\/code: item\[0\]\.item\[1\]\.response\[1\]\.code \(item "pets › Find a pet", example "missing"\): "Not Found" is not an HTTP status/],
    ['no request', (c) => void delete c['item'][1].item[0].request, /item\[1\]\.item\[0\]\.request \(item "store › Inventory"\): is missing/],
    ['unknown variable in the path', (c) => void (c['item'][1].item[0].request.url = { raw: '{{baseUrl}}/{{tenant}}/store/inventory', host: ['{{baseUrl}}'], path: ['{{tenant}}', 'store', 'inventory'] }), /item\[1\]\.item\[0\]\.request\.url \(item "store › Inventory", example "counts"\): the path .*uses \{\{tenant\}\}/],
    ['method not a token', (c) => void (c['item'][0].item[0].response[0].originalRequest.method = 'GE T'), /#\/item\/0\/item\/0\/response\/0\/originalRequest\/method: item\[0\]\.item\[0\]\.response\[0\]\.originalRequest\.method \(item "pets › List pets", example "two"\): "GE T" is not an HTTP method/],
    ['url a number', (c) => void (c['item'][0].item[1].response[0].originalRequest.url = 12), /#\/item\/0\/item\/1\/response\/0\/originalRequest\/url: item\[0\]\.item\[1\]\.response\[0\]\.originalRequest\.url \(item "pets › Find a pet", example "found"\): 12 is not a URL/],
    ['request header value an object', (c) => void (c['item'][0].item[0].response[0].originalRequest.header[1].value = { a: 1 }), /#\/item\/0\/item\/0\/response\/0\/originalRequest\/header\/1\/value: .*\(item "pets › List pets", example "two"\): \{"a":1\} is not a header value/],
    ['response header value an object', (c) => void (c['item'][1].item[0].response[0].header[0].value = { a: 1 }), /#\/item\/1\/item\/0\/response\/0\/header\/0\/value: item\[1\]\.item\[0\]\.response\[0\]\.header\[0\]\.value \(item "store › Inventory", example "counts"\): \{"a":1\} is not a header value/],
    ['body a number', (c) => void (c['item'][1].item[0].response[0].body = 12), /#\/item\/1\/item\/0\/response\/0\/body: item\[1\]\.item\[0\]\.response\[0\]\.body \(item "store › Inventory", example "counts"\): 12 is not text/],
    ['form-data body', (c) => void (c['item'][1].item[1].request.body = { mode: 'formdata', formdata: [{ key: 'file', type: 'file', src: 'a.png' }] }), /item\[1\]\.item\[1\]\.request\.body\.mode \(item "store › Log in \(not in the spec\)", example "ok"\): body mode "formdata" cannot be imported/],
  ];
  for (const [name, mutate, message] of cases) {
    const c = JSON.parse(base) as Record<string, any>;
    mutate(c);
    const file = join(root, `${name.replace(/\W+/g, '-')}.json`);
    await writeFile(file, JSON.stringify(c));
    const err = await importPostman(file, { cassettesDir: dir, cassette: 'kept', spec: PETSTORE }).then(() => undefined, (e: unknown) => e);
    t.ok(isMockdeckError(err, 'MOCKDECK_ERR_IMPORT_INVALID'), `${name}: IMPORT_INVALID`);
    t.match((err as Error).message, message, name);
    t.same(await snapshot(dir), before, `${name}: cassette bytes unchanged`);
  }
  const cli = await runCli(['import', 'postman', join(root, 'status-not-a-number.json'), '--cassette', 'kept', '--cassettes', dir, '--spec', PETSTORE]);
  t.equal(cli.code, 2);
  t.match(cli.stderr, /MOCKDECK_ERR_IMPORT_INVALID: .*item\[0\]\.item\[1\]\.response\[1\]\.code/);
  t.same(await snapshot(dir), before);
  // Used to escape as a raw TypeError, reported as an unexpected error.
  const numeric = await runCli(['import', 'postman', join(root, 'body-a-number.json'), '--cassette', 'fresh', '--cassettes', dir, '--spec', PETSTORE]);
  t.equal(numeric.code, 2, 'numeric body: exit 2');
  t.match(numeric.stderr, /MOCKDECK_ERR_IMPORT_INVALID: .*item\[1\]\.item\[0\]\.response\[0\]\.body/);
  t.notMatch(numeric.stderr, /unexpected error/);
  t.same(await snapshot(dir), before, 'numeric body: no folder for the new cassette');
});

t.test('a responseTime of 1e999 (Infinity once parsed) is stored as 0, not a cassette its reader refuses', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'infinite.json');
  await writeFile(file, (await readFile(COLLECTION, 'utf8')).replace('"responseTime": 41', '"responseTime": 1e999'));
  const summary = await importPostman(file, { cassettesDir: dir, cassette: 'qa', spec: PETSTORE });
  t.equal(summary.added, 7, 'imported, not refused by the cassette schema');
  const list = (await loadCassette(join(dir, 'qa'))).interactions.filter((i) => i.operationId === 'listPets');
  t.equal(list[0]?.durationMs, 0, 'the infinite duration (41 in the fixture) became 0');
});

t.test('cassette → Postman → import: the same interactions, binary included', async (t) => {
  const dir = t.testdir({});
  await writeCassetteFrom(dir, 'src', cleanPetstoreExchanges());
  const original = (await loadCassette(join(dir, 'src'))).interactions;
  const collection = await exportPostman({ cassettesDir: dir, cassette: 'src', baseUrl: 'http://127.0.0.1:4010' });
  const sdk = new postman.Collection(collection);
  t.equal(sdk.items.count(), 11, 'a folder per operation');
  t.same((collection['variable'] as Array<{ key: string; value: string }>).find((v) => v.key === 'baseUrl')?.value, 'http://127.0.0.1:4010');
  const file = join(dir, 'src.postman_collection.json');
  await writeFile(file, JSON.stringify(collection));
  const summary = await importPostman(file, { cassettesDir: dir, cassette: 'back', spec: PETSTORE });
  t.equal(summary.added, original.length);
  const back = (await loadCassette(join(dir, 'back'))).interactions;
  const view = (i: Interaction) => JSON.stringify([i.operationId, i.request.method, i.request.path, i.request.query, i.request.body, i.response.status, i.response.bodyEncoding, i.response.body, i.response.headers['content-type']]);
  t.same(back.map(view).sort(), original.map(view).sort());
  t.ok(decodeBody(back.find((i) => i.operationId === 'getPetPhoto')!.response).equals(PNG), 'PNG bytes survive as a marked base64 example');
  t.notOk(JSON.stringify(back).includes('x-mockdeck-body-encoding'), 'the marker header is never stored');
});

t.test('spec → Postman → newman against a live mock: every request answered with a documented status', async (t) => {
  const dir = t.testdir({});
  const mock = await createMock({ spec: PETSTORE, cassettesDir: dir, port: 0, host: '127.0.0.1' });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  const out = join(dir, 'petstore.postman_collection.json');
  const cli = await runCli(['export', 'postman', '--spec', PETSTORE, '--base-url', url, '--out', out]);
  t.equal(cli.code, 0, cli.stderr);
  const collection = JSON.parse(await readFile(out, 'utf8')) as { variable: Array<{ key: string; value: string }>; info: { schema: string } };
  t.equal(collection.variable.find((v) => v.key === 'baseUrl')?.value, url, '{{baseUrl}} points at the mock');
  t.match(collection.info.schema, /v2\.1\.0/);

  const summary = await new Promise<NewmanSummary>((resolve, reject) => newman.run({ collection, reporters: [], timeoutRequest: 5000 }, (err, s) => (err ? reject(err) : resolve(s))));
  const spec = await loadSpec(PETSTORE);
  const executions = summary.run.executions;
  t.equal(executions.length, spec.operations.length, 'one request per operation');
  for (const e of executions) {
    const target = new URL(e.request.url.toString());
    t.notOk(e.requestError, `${e.request.method} ${target.pathname} reached the mock`);
    t.equal(target.origin, new URL(url).origin, 'only the loopback mock is called');
    const route = spec.route(e.request.method, target.pathname);
    t.equal(route.kind, 'operation', `${e.request.method} ${target.pathname} is an operation`);
    if (route.kind !== 'operation' || !e.response) continue;
    t.ok(responseFor(spec.resolve(route.operation), e.response.code), `${route.operation.id} answered ${e.response.code}, a documented status`);
  }
});

t.test('export postman/har usage errors exit 2', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['export', 'har', '--spec', PETSTORE], /export har needs --cassette/],
    [['export', 'postman'], /needs --cassette NAME or --spec FILE/],
    [['export', 'postman', '--spec', PETSTORE, '--cassette', 'x'], /mutually exclusive/],
    [['export', 'postman', '--spec', 'missing.yaml'], /MOCKDECK_ERR_SPEC_NOT_FOUND/],
    [['export', 'yaml', '--cassette', 'x'], /Invalid values/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, message, args.join(' '));
    t.notMatch(r.stderr, /unexpected error/, `${args.join(' ')}: a usage error, not a crash`);
  }
});
