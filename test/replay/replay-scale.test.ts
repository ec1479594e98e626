import t from 'tap';
import { createMock } from '../../src/index.js';
import { call } from '../helpers/http.js';
import { interaction, writeCassette } from '../helpers/cassettes.js';
import { fromRoot } from '../helpers/paths.js';

t.test('a cassette of 100 000 interactions loads and serves', async (t) => {
  const dir = t.testdir({});
  const list = Array.from({ length: 100_000 }, (_, i) =>
    interaction({ operationId: 'listPets', path: '/pets', pathParams: {}, query: { limit: [String(i)] }, body: [{ id: i + 1, name: `pet-${i}` }] }),
  );
  await writeCassette(dir, 'huge', list);
  const t0 = performance.now();
  const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, port: 0 });
  const loadMs = performance.now() - t0;
  t.comment(`loaded 100 000 interactions in ${Math.round(loadMs)} ms, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  const url = await mock.listen();
  t.equal(mock.runtime.state.index.size, 100_000);
  for (const i of [0, 54_321, 99_999]) {
    const r = await call(`${url}/pets?limit=${i}`);
    t.equal(r.headers['x-mockdeck-source'], 'cassette', `interaction ${i} hit`);
    t.same(r.json(), [{ id: i + 1, name: `pet-${i}` }]);
  }
  const miss = await call(`${url}/pets?limit=100000`);
  t.equal(miss.headers['x-mockdeck-source'], 'spec', 'a miss among 100 000 still falls back');
  await mock.close();
});
