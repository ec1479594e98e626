/**
 * Big JSON answers take a shortcut on their way to disk: one on a single line
 * is written as the very bytes the upstream sent, and an answer repeating the
 * last one's bytes reuses its parse and its schema check. These tests guard
 * that the shortcut changes nothing a user can see: the same values on disk,
 * the same findings, and redaction still applied to every copy.
 */
import t from 'tap';
import { createServer, type Server } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMock } from '../../src/index.js';
import { loadCassette } from '../../src/cassette/index.js';
import { partsOfInteraction } from '../../src/matcher/index.js';
import { call } from '../helpers/http.js';
import { filesContaining } from '../helpers/files.js';

const SECRET = 'tok_live_big_body_secret_5150';
const items = (variant: string): Array<Record<string, unknown>> =>
  Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `pet-${i}-${variant}`, note: 'n'.repeat(30) }));
// id 7 is a string: the schema wants integers, so every recording of it carries a finding.
const catalog = (variant: string): string => JSON.stringify({ items: items(variant).map((it) => (it['id'] === 7 ? { ...it, id: 'seven' } : it)), token: SECRET });
const pretty = JSON.stringify({ items: items('pretty') }, null, 2);

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'big bodies', version: '1' },
  paths: {
    '/catalog': { get: { operationId: 'getCatalog', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Catalog' } } } } } } },
    '/pretty': { get: { operationId: 'getPretty', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Catalog' } } } } } } },
  },
  components: {
    schemas: {
      Catalog: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } }, token: { type: 'string' } } },
    },
  },
};

async function startUpstream(): Promise<{ url: string; variant: { current: string }; close: () => Promise<void> }> {
  const variant = { current: 'a' };
  const server: Server = createServer((req, res) => {
    const body = req.url?.startsWith('/pretty') ? pretty : catalog(variant.current);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, variant, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

t.test('big bodies, repeated and changed, land on disk as sent, checked and redacted', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const specFile = join(dir, 'spec.json');
  await writeFile(specFile, JSON.stringify(SPEC));
  const mock = await createMock({ spec: specFile, cassettesDir: join(dir, 'cassettes'), target: upstream.url, record: { cassette: 'big', mode: 'new' }, redact: ['/token'], port: 0 });
  const url = await mock.listen();

  for (const n of [1, 2, 3]) t.equal((await call(`${url}/catalog?n=${n}`)).status, 200);
  upstream.variant.current = 'b';
  const changed = await call(`${url}/catalog?n=4`);
  t.match(changed.text, /pet-3-b/, 'the client gets the changed answer');
  for (const n of [1, 2]) t.equal((await call(`${url}/pretty?n=${n}`)).status, 200);
  await mock.close();

  const cassetteDir = join(dir, 'cassettes', 'big');
  t.same(await filesContaining(cassetteDir, SECRET), [], 'the body secret is redacted in every copy, repeated or not');
  const cassette = await loadCassette(cassetteDir);
  const byQuery = (op: string, n: string) => cassette.interactions.find((i) => i.operationId === op && i.request.query['n']?.[0] === n)!;
  for (const n of ['1', '2', '3']) {
    const rec = byQuery('getCatalog', n);
    t.same(rec.response.body, { ...(JSON.parse(catalog('a')) as object), token: '[REDACTED]' }, `n=${n}: the body as sent, secret redacted`);
    t.same(rec.alignment.findings, [{ pointer: '/body/items/7/id', message: 'must be integer' }], `n=${n}: the repeated answer is still flagged`);
  }
  t.same(byQuery('getCatalog', '4').response.body, { ...(JSON.parse(catalog('b')) as object), token: '[REDACTED]' }, 'a changed answer is parsed anew, not taken for the last one');
  t.same(byQuery('getPretty', '1').response.body, JSON.parse(pretty), 'a multi-line body reads back as the same value');
  t.same(byQuery('getPretty', '2').alignment, { findings: [], ok: true });

  const prettyFile = (await readdir(cassetteDir)).find((f) => f.startsWith('getPretty'))!;
  const text = await readFile(join(cassetteDir, prettyFile), 'utf8');
  t.ok(text.includes(JSON.stringify(JSON.parse(pretty))), 'a big multi-line body is written compact, on one line');
  t.notOk(text.includes('\n      "items"'), 'its own lines never reach the file');
});

t.test('a one-line big body is written as the very bytes the upstream sent', async (t) => {
  const sent = `{"items":${JSON.stringify(items('raw'))}, "spaced":  "as sent", "esc":"\\u00e9\\/"}`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(sent));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const dir = t.testdir({});
  const mock = await createMock({ spec: null, cassettesDir: dir, target: `http://127.0.0.1:${(server.address() as { port: number }).port}`, record: { cassette: 'raw', mode: 'new' }, port: 0 });
  const url = await mock.listen();
  t.equal((await call(`${url}/anything`)).text, sent);
  await mock.close();
  const file = await readFile(join(dir, 'raw', '_unmatched.json'), 'utf8');
  t.ok(file.includes(`"body": ${sent},`), 'the text stands in the file unchanged (spacing and escapes kept)');
  const [stored] = (await loadCassette(join(dir, 'raw'))).interactions;
  t.same(stored?.response.body, JSON.parse(sent), 'and reads back as the value it encodes');
});

t.test('big recordings are held as text and replay what was recorded, redacted where it was', async (t) => {
  const plain = JSON.stringify({ items: items('plain') });
  const server = createServer((req, res) => {
    const body = req.url?.startsWith('/pretty') ? pretty : req.url?.startsWith('/catalog') ? catalog('a') : plain;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const dir = t.testdir({});
  const specFile = join(dir, 'spec.json');
  await writeFile(specFile, JSON.stringify(SPEC));
  const target = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const mock = await createMock({ spec: specFile, cassettesDir: join(dir, 'cassettes'), target, record: { cassette: 'held', mode: 'new' }, redact: ['/token'], port: 0 });
  const url = await mock.listen();
  const expected: Record<string, unknown> = { '/plain': JSON.parse(plain), '/pretty': JSON.parse(pretty), '/catalog': { ...(JSON.parse(catalog('a')) as object), token: '[REDACTED]' } };
  for (const path of Object.keys(expected)) t.equal((await call(`${url}${path}`)).headers['x-mockdeck-source'], 'proxy', `${path} is recorded`);
  for (const [path, body] of Object.entries(expected)) {
    const again = await call(`${url}${path}`);
    t.equal(again.headers['x-mockdeck-source'], 'cassette', `${path} asked again is replayed`);
    t.same(JSON.parse(again.text), body, `${path}: the replay answers the recorded value`);
  }
  await mock.close();
  t.same(await filesContaining(join(dir, 'cassettes', 'held'), SECRET), []);

  const held = (path: string) => {
    const found = mock.runtime.state.index.lookup(partsOfInteraction(recorded.find((i) => i.request.path === path)!));
    if (found.kind !== 'hit') throw new Error(`${path} is not in the index`);
    return Object.getOwnPropertyDescriptor(found.interaction.response, 'body');
  };
  const recorded = (await loadCassette(join(dir, 'cassettes', 'held'))).interactions;
  t.type(held('/plain')?.get, 'function', 'a one-line body is held as its bytes');
  t.type(held('/pretty')?.get, 'function', 'so is a multi-line one');
  t.equal(held('/catalog')?.get, undefined, 'a redacted body is held as the redacted value');
});
