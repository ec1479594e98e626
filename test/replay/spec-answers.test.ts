import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMock } from '../../src/index.js';
import { call } from '../helpers/http.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { fromRoot } from '../helpers/paths.js';

// Spec answers are remembered per loaded state (src/responder/reply-memo.ts):
// these guard what a client sees of that over real sockets.

t.test('a reload drops remembered spec answers', async (t) => {
  const dir = t.testdir({ cassettes: {} });
  const specFile = join(dir, 'petstore.yaml');
  const original = await readFile(fromRoot('specs/petstore.yaml'), 'utf8');
  t.ok(original.includes('{ id: 2, name: Tom, status: sold, tags: [cat] }'), 'the example this test edits');
  await writeFile(specFile, original);
  const mock = await createMock({ spec: specFile, cassettesDir: join(dir, 'cassettes'), port: 0 });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  const before = await call(`${url}/pets`);
  t.equal((await call(`${url}/pets`)).text, before.text, 'asked twice, answered alike');
  t.match(before.text, /"Tom"/);
  await writeFile(specFile, original.replace('{ id: 2, name: Tom, status: sold, tags: [cat] }', '{ id: 2, name: Jerry, status: sold, tags: [mouse] }'));
  await mock.runtime.reload();
  const after = await call(`${url}/pets`);
  t.match(after.text, /"Jerry"/, 'the edited example, not the remembered answer');
  t.equal(after.headers['x-mockdeck-source'], 'spec');
  t.equal(after.headers['x-mockdeck-operation'], 'listPets');
});

t.test('HEAD, Prefer and dynamic=true through a warm memo', async (t) => {
  const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: t.testdir({}), port: 0 });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  const path = `${url}/store/orders/0b8d0c3e-1111-4222-8333-444455556666`;
  const get = await call(path);
  t.equal(get.status, 200);
  t.ok(get.body.length > 0);
  for (let i = 0; i < 2; i++) {
    const head = await call(path, { method: 'HEAD' });
    t.equal(head.status, 200, `HEAD ${i + 1}`);
    t.equal(head.body.length, 0, `HEAD ${i + 1}: no body`);
    t.equal(head.headers['x-mockdeck-source'], 'spec');
  }
  t.equal((await call(path)).text, get.text, 'GET after HEAD: the same body');
  const dynamic = new Set<string>();
  for (let i = 0; i < 5; i++) dynamic.add((await call(path, { headers: { prefer: 'dynamic=true' } })).text);
  t.ok(dynamic.size >= 4, `dynamic=true still varies (${dynamic.size} distinct of 5)`);
  t.equal((await call(path)).text, get.text, 'and leaves the deterministic answer alone');
  const empty = await call(`${url}/pets`, { headers: { prefer: 'example=empty' } });
  t.equal(empty.text, '[]');
  t.not((await call(`${url}/pets`)).text, '[]', 'Prefer answers are remembered apart');
  const notAcceptable = await call(`${url}/pets`, { headers: { accept: 'image/gif' } });
  t.equal(notAcceptable.status, 406, 'Accept still negotiated');
});

t.test('near misses of a spec answer still reach the journal, computed when it is read', async (t) => {
  const dir = t.testdir({});
  await writeCassette(dir, 'only', [interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query: { status: ['sold'] }, body: [] })]);
  const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, port: 0 });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  for (let i = 0; i < 3; i++) t.equal((await call(`${url}/pets?status=available`)).headers['x-mockdeck-source'], 'spec');
  t.equal((await call(`${url}/pets?status=sold`)).headers['x-mockdeck-source'], 'cassette');
  const journal = (await call(`${url}/__mockdeck/requests?limit=4`)).json() as Array<{ source: string; nearMisses?: Array<{ reasons: string[] }> }>;
  t.same(journal.map((e) => e.source), ['cassette', 'spec', 'spec', 'spec']);
  t.notOk('nearMisses' in journal[0]!, 'a hit has none');
  for (const e of journal.slice(1)) t.same(e.nearMisses?.map((m) => m.reasons), [['query.status: expected ["sold"], got ["available"]']]);
});
