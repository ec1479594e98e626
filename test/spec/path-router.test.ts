import t from 'tap';
import { PathRouter } from '../../src/spec/index.js';
import { splitPath } from '../../src/spec/path-router.js';

function router(templates: string[]): PathRouter {
  const r = new PathRouter();
  for (const tpl of templates) r.add(tpl);
  return r;
}

// [what it guards, templates (in spec order), request path, expected template or null, expected params]
type Row = [string, string[], string, string | null, Record<string, string>?];

const TABLE: Row[] = [
  ['root path', ['/', '/pets'], '/', '/', {}],
  ['plain literal', ['/pets', '/pets/{id}'], '/pets', '/pets', {}],
  ['one templated segment', ['/pets', '/pets/{id}'], '/pets/7', '/pets/{id}', { id: '7' }],
  ['literal beats template when the template comes first', ['/pets/{id}', '/pets/mine'], '/pets/mine', '/pets/mine', {}],
  ['literal beats template when the literal comes first', ['/pets/mine', '/pets/{id}'], '/pets/mine', '/pets/mine', {}],
  ['a near-literal still takes the template', ['/pets/mine', '/pets/{id}'], '/pets/mines', '/pets/{id}', { id: 'mines' }],
  ['backtracks out of a literal dead end', ['/pets/mine', '/pets/{id}/toys'], '/pets/mine/toys', '/pets/{id}/toys', { id: 'mine' }],
  ['backtracks across two levels', ['/a/b/c', '/a/{x}/d', '/{y}/b/e'], '/a/b/e', '/{y}/b/e', { y: 'a' }],
  ['no leaf at an intermediate node', ['/pets/{id}/toys'], '/pets/7', null],
  ['deeper path than any template', ['/pets/{id}'], '/pets/7/8', null],
  ['multi-param segment', ['/files/{name}.{ext}'], '/files/report.pdf', '/files/{name}.{ext}', { name: 'report', ext: 'pdf' }],
  ['multi-param segment needs its literal separator', ['/files/{name}.{ext}'], '/files/report', null],
  ['segment with a literal prefix beats a bare template', ['/items/{id}', '/items/v{version}'], '/items/v2', '/items/v{version}', { version: '2' }],
  ['bare template still matches what the prefixed one does not', ['/items/{id}', '/items/v{version}'], '/items/x2', '/items/{id}', { id: 'x2' }],
  ['literal suffix within a segment (xkcd style)', ['/info.0.json', '/{comicId}/info.0.json'], '/614/info.0.json', '/{comicId}/info.0.json', { comicId: '614' }],
  ['several params', ['/repos/{owner}/{repo}/issues/{number}'], '/repos/octo/hello/issues/42', '/repos/{owner}/{repo}/issues/{number}', { owner: 'octo', repo: 'hello', number: '42' }],
  ['trailing slash on the request is tolerated', ['/pets', '/pets/{id}'], '/pets/', '/pets', {}],
  ['trailing slash on a templated path', ['/pets/{id}'], '/pets/7/', '/pets/{id}', { id: '7' }],
  ['trailing slash in the template', ['/pets/'], '/pets', '/pets/', {}],
  ['percent-encoded param is decoded', ['/pets/{id}'], '/pets/a%20b', '/pets/{id}', { id: 'a b' }],
  ['encoded slash stays inside one param', ['/files/{name}'], '/files/a%2Fb', '/files/{name}', { name: 'a/b' }],
  ['unicode param is decoded', ['/users/{name}'], '/users/J%C3%BCrgen', '/users/{name}', { name: 'Jürgen' }],
  ['malformed percent-encoding is kept raw, not thrown', ['/pets/{id}'], '/pets/%E0%A4%A', '/pets/{id}', { id: '%E0%A4%A' }],
  ['percent-encoded literal matches the literal', ['/caf\u00e9'], '/caf%C3%A9', '/caf\u00e9', {}],
  ['case-sensitive literals', ['/Pets'], '/pets', null],
  ['regex metacharacters in literals are literal', ['/a+b/{x}'], '/aab/1', null],
  ['regex metacharacters in literals still match themselves', ['/a+b/{x}'], '/a+b/1', '/a+b/{x}', { x: '1' }],
  ['a param keeps its own name when another template shares the shape', ['/pets/{id}', '/pets/{petId}/toys'], '/pets/7/toys', '/pets/{petId}/toys', { petId: '7' }],
  ['the first template keeps its name too', ['/pets/{id}', '/pets/{petId}/toys'], '/pets/7', '/pets/{id}', { id: '7' }],
  ['unknown path', ['/pets'], '/owners', null],
  ['a query written into the template routes on its path part', ['/search/articles?query={query}'], '/search/articles', '/search/articles?query={query}', {}],
];

t.test('path routing table', async (t) => {
  for (const [what, templates, path, template, params] of TABLE) {
    const hit = router(templates).match(path);
    if (template === null) {
      t.equal(hit, null, `${what}: ${path} matches nothing`);
      continue;
    }
    t.equal(hit?.template, template, `${what}: ${path} -> ${template}`);
    t.same(hit?.params, params ?? {}, `${what}: params`);
    // exact key set: no stale params left over from a branch that backtracked
    t.same(Object.keys(hit?.params ?? {}).sort(), Object.keys(params ?? {}).sort(), `${what}: no extra params`);
  }
});

t.test('a backtracked branch leaves no params behind', async (t) => {
  const r = router(['/{a}/x/y', '/{b}/x/z']);
  t.same(r.match('/1/x/z'), { template: '/{b}/x/z', params: { b: '1' } });
});

t.test('the router is reusable: one match does not leak into the next', async (t) => {
  const r = router(['/pets/{id}', '/owners/{name}']);
  t.same(r.match('/pets/1')?.params, { id: '1' });
  t.same(r.match('/owners/ann')?.params, { name: 'ann' });
});

t.test('repeated lookups (remembered) answer as the first did, each with params of its own', async (t) => {
  const r = router(['/pets/{id}', '/pets/mine']);
  const first = r.match('/pets/7');
  const again = r.match('/pets/7');
  t.same(again, first);
  t.not(again?.params, first?.params, 'callers keep params (the recorder stores them): never shared');
  if (first) first.params['id'] = 'changed';
  t.same(r.match('/pets/7')?.params, { id: '7' }, 'a caller changing its params changes nothing remembered');
  t.equal(r.match('/nope'), null);
  t.equal(r.match('/nope'), null, 'a miss is remembered as a miss');
  r.add('/nope');
  t.same(r.match('/nope'), { template: '/nope', params: {} }, 'adding a template forgets what was remembered');
  for (let i = 0; i < 3000; i++) t.equal(r.match(`/pets/${i}`)?.params['id'], String(i), `/pets/${i}`, { diagnostic: false });
  t.same(r.match('/pets/mine'), { template: '/pets/mine', params: {} }, 'still right after the memory filled and turned over');
  const long = `/pets/${'x'.repeat(300)}`;
  t.same(r.match(long)?.params, { id: 'x'.repeat(300) }, 'long paths are routed, just not remembered');
});

t.test('splitPath', async (t) => {
  const table: Array<[string, string[]]> = [
    ['/', []],
    ['', []],
    ['/a', ['a']],
    ['/a/', ['a']],
    ['/a//', ['a']],
    ['/a/b', ['a', 'b']],
  ];
  for (const [path, parts] of table) t.same(splitPath(path), parts, JSON.stringify(path));
});

t.test('lookup does not scan: 10 000 templates route as fast as 10', async (t) => {
  const big = new PathRouter();
  for (let i = 0; i < 10_000; i++) big.add(`/r${i}/{id}/leaf${i % 7}`);
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) big.match(`/r${i}/x/leaf${i % 7}`);
  const ms = performance.now() - started;
  t.equal(big.match('/r9999/x/leaf3')?.template, '/r9999/{id}/leaf3');
  t.ok(ms < 1000, `10 000 lookups took ${ms.toFixed(0)} ms`);
});
