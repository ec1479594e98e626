import t from 'tap';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMock } from '../../src/index.js';
import { loadCassette } from '../../src/cassette/index.js';
import { call } from '../helpers/http.js';
import { listenLocal, type Listening } from '../helpers/listen.js';
import { fromRoot } from '../helpers/paths.js';

/** An upstream that answers every request with the URL and Host it saw. */
function startEcho(): Promise<Listening> {
  const server = createServer((req, res) => {
    const body = JSON.stringify({ url: req.url, host: req.headers.host });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  return listenLocal(server);
}

t.test('a target with a base path: the upstream sees it before the path, and its own Host', async (t) => {
  const echo = await startEcho();
  t.teardown(() => echo.close());
  // [what, target suffix, the mock's own basePath, client path, what the upstream must see]
  const table: Array<[string, string, string, string, string]> = [
    ['base path', '/api', '', '/pets?limit=2', '/api/pets?limit=2'],
    ['trailing slash on the target', '/api/', '', '/pets/1', '/api/pets/1'],
    ['nested base path', '/v2/api', '', '/store/inventory', '/v2/api/store/inventory'],
    ["the mock's own base path is dropped, the target's kept", '/api', '/mock', '/mock/pets/3', '/api/pets/3'],
  ];
  const dir = t.testdir({});
  for (const [i, [what, suffix, basePath, path, expected]] of table.entries()) {
    const cassette = `c${i}`;
    const mock = await createMock({ spec: fromRoot('specs/petstore.yaml'), cassettesDir: dir, target: echo.url + suffix, basePath, record: { cassette }, port: 0 });
    const url = await mock.listen();
    const origin = new URL(url).origin;
    const r = await call(origin + path);
    t.equal(r.headers['x-mockdeck-source'], 'proxy', `${what}: forwarded`);
    const seen = r.json() as { url: string; host: string };
    t.equal(seen.url, expected, `${what}: upstream path`);
    t.equal(seen.host, `127.0.0.1:${echo.port}`, `${what}: Host is the target's`);
    t.not(seen.host, new URL(url).host, `${what}: not the proxy's`);
    await mock.close();
    const [recorded] = (await loadCassette(join(dir, cassette))).interactions;
    t.equal(recorded?.request.path, path.slice(basePath.length).split('?')[0], `${what}: recorded under the client's path, without either base path`);
    t.equal(JSON.parse(await readFile(join(dir, cassette, 'cassette.json'), 'utf8')).target, echo.url, `${what}: meta keeps the origin`);
  }
});
