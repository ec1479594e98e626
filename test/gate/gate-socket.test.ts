import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { createMock, type Mock } from '../../src/index.js';
import { call, type Answer } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';

const spec = fromRoot('specs/petstore.yaml');
const cassettesDir = fromRoot('cassettes');
const KEY = 's3cret-Key';
const NON_ASCII_KEY = 'clé-ü-🔑';

async function keyed(t: Test, access: { in?: 'header' | 'query' | 'bearer'; name?: string; apiKeys?: string[] } = {}, extra: Record<string, unknown> = {}): Promise<{ mock: Mock; url: string }> {
  const mock = await createMock({ spec, cassettesDir, port: 0, access: { apiKeys: [KEY, NON_ASCII_KEY], ...access }, ...extra });
  const url = await mock.listen();
  t.teardown(() => mock.close());
  return { mock, url };
}

/** Sends raw bytes (so headers can hold UTF-8 or be huge) and parses the answer. */
function raw(url: string, request: Buffer | string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

const rawGet = (path: string, headers: Array<[string, string | Buffer]> = []): Buffer =>
  Buffer.concat([Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`), ...headers.map(([k, v]) => Buffer.concat([Buffer.from(`${k}: `), Buffer.from(v), Buffer.from('\r\n')])), Buffer.from('\r\n')]);

t.test('401 / 403 / 200 with the key in a header, the query, or a bearer token', async (t) => {
  const setups: Array<[string, Parameters<typeof keyed>[1], (key: string) => { path?: string; headers?: Record<string, string> }]> = [
    ['header (default x-api-key)', {}, (key) => ({ headers: { 'x-api-key': key } })],
    ['header (custom name)', { name: 'X-Token' }, (key) => ({ headers: { 'x-token': key } })],
    ['query (default api_key)', { in: 'query' }, (key) => ({ path: `?api_key=${encodeURIComponent(key)}` })],
    ['bearer', { in: 'bearer' }, (key) => ({ headers: { authorization: `Bearer ${key}` } })],
  ];
  for (const [name, access, place] of setups) {
    const { url } = await keyed(t, access);
    const get = (key?: string): Promise<Answer> => {
      const where = key === undefined ? {} : place(key);
      return call(`${url}/pets/1${where.path ?? ''}`, { headers: where.headers ?? {} });
    };
    const missing = await get();
    t.equal(missing.status, 401, `${name}: missing → 401`);
    t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.match(missing.headers['www-authenticate'], access?.in === 'bearer' ? /^Bearer realm="mockdeck"$/ : /^ApiKey realm="mockdeck"/, `${name}: challenge`);
    t.equal((missing.json() as { code: string }).code, 'MOCKDECK_ERR_GATE_KEY_MISSING');
    const wrong = await get('not-the-key');
    t.equal(wrong.status, 403, `${name}: wrong → 403`);
    t.equal((wrong.json() as { code: string }).code, 'MOCKDECK_ERR_GATE_KEY_INVALID');
    const ok = await get(KEY);
    t.equal(ok.status, 200, `${name}: right → 200`);
    t.equal(ok.headers['x-mockdeck-source'], 'cassette', `${name}: the key is not part of the recorded request's match`);
  }
});

t.test('the gate answers identically whatever the path, method or body', async (t) => {
  const { url } = await keyed(t);
  const requests: Array<[string, { method?: string; headers?: Record<string, string>; body?: string }]> = [
    ['/pets/1', {}], // recorded
    ['/pets/999', {}], // spec only
    ['/no/such/path', {}], // unknown to the spec
    ['/pets', { method: 'PATCH' }], // wrong method
    ['/pets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }], // malformed body
    ['/pets/1', { headers: { accept: 'image/gif' } }], // not acceptable
    ['/pets/mine', {}], // needs the spec's own credentials
    ['/', {}],
    // Methods Fastify does not route by default: they once skipped the gate and reached the root 404.
    ['/pets/1', { method: 'PROPFIND' }],
    ['/no/such/path', { method: 'PROPFIND', headers: { 'content-type': 'application/xml' }, body: '<propfind/>' }],
    ['/pets', { method: 'MKCOL' }],
    ['/pets/1', { method: 'M-SEARCH' }],
    ['/pets/1', { method: 'QUERY' }], // no Content-Type: Fastify refuses it, but only after the gate
  ];
  const strip = (a: Answer) => ({ status: a.status, body: a.text, headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => k !== 'date' && k !== 'connection' && k !== 'keep-alive')) });
  for (const key of [undefined, 'wrong']) {
    const answers = await Promise.all(requests.map(([path, o]) => call(`${url}${path}`, { ...o, headers: { ...o.headers, ...(key ? { 'x-api-key': key } : {}) } })));
    const first = strip(answers[0]!);
    t.equal(first.status, key ? 403 : 401);
    for (const [i, a] of answers.entries()) t.same(strip(a), first, `${key ? 'wrong key' : 'no key'}: ${requests[i]![1].method ?? 'GET'} ${requests[i]![0]} answers the same bytes`);
  }
});

t.test('regression: methods outside Fastify\'s defaults get the gate, then the spec\'s 405/404, never a 500', async (t) => {
  const { url } = await keyed(t);
  const pub = await createMock({ spec, cassettesDir, port: 0 });
  const publicUrl = await pub.listen();
  t.teardown(() => pub.close());
  const rows: Array<[string, string, number, string]> = [
    ['PROPFIND', '/pets/1', 405, 'MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED'],
    ['MKCOL', '/pets', 405, 'MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED'],
    ['LOCK', '/no/such/path', 404, 'MOCKDECK_ERR_REQ_UNKNOWN_PATH'],
    ['QUERY', '/pets/1', 405, 'MOCKDECK_ERR_REQ_METHOD_NOT_ALLOWED'],
  ];
  for (const [method, path, status, code] of rows) {
    const keyedOk = await call(`${url}${path}`, { method, headers: { 'x-api-key': KEY } });
    t.equal(keyedOk.status, status, `keyed, right key: ${method} ${path} → ${status}`);
    const open = await call(`${publicUrl}${path}`, { method });
    t.equal(open.status, status, `public: ${method} ${path} → ${status}`);
    t.equal((open.json() as { code: string }).code, code);
    if (status === 405) t.equal(open.headers['allow'], path === '/pets' ? 'GET, POST' : 'GET, DELETE', `${method} ${path}: Allow lists the spec's methods`);
  }
  // Node's parser refuses a method it does not know (a valid token such as BREW) before any handler runs: a 400 that depends on nothing.
  const made = [undefined, 'wrong', KEY].map((key) => raw(url, `BREW /pets/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${key ? `x-api-key: ${key}\r\n` : ''}\r\n`));
  const [none, wrong, right] = await Promise.all(made);
  t.equal(none?.status, 400, 'made-up method: 400 from the HTTP parser');
  t.same([wrong?.status, wrong?.body, right?.status, right?.body], [none?.status, none?.body, none?.status, none?.body], 'made-up method: the same answer whatever the key');
});

t.test('the gate runs before latency and body handling', async (t) => {
  const { url } = await keyed(t, {}, { latency: 2_000 });
  const started = Date.now();
  const r = await call(`${url}/pets/1`);
  t.equal(r.status, 401);
  t.ok(Date.now() - started < 1_000, `401 without waiting for the mock's latency (${Date.now() - started} ms)`);
});

t.test('hostile keys: 1 MB, non-ASCII, oversized headers → 401/403/431, never 500', async (t) => {
  const { url, mock } = await keyed(t);
  const big = 'k'.repeat(1024 * 1024);
  for (const [name, request] of [
    ['1 MB key in the header', rawGet('/pets/1', [['x-api-key', big]])],
    ['1 MB key in the query', rawGet(`/pets/1?api_key=${big}`)],
    ['1 MB bearer token', rawGet('/pets/1', [['authorization', `Bearer ${big}`]])],
    ['4 000 small headers', rawGet('/pets/1', Array.from({ length: 4_000 }, (_, i) => [`x-h${i}`, 'v'] as [string, string]))],
  ] as const) {
    const r = await raw(url, request);
    t.equal(r.status, 431, `${name}: 431`);
    t.equal(r.headers['content-type'], 'application/problem+json', `${name}: problem+json`);
    t.equal(JSON.parse(r.body).code, 'MOCKDECK_ERR_REQ_HEADERS_TOO_LARGE');
  }
  t.equal((await raw(url, rawGet('/pets/1', [['x-api-key', 'k'.repeat(15 * 1024)]]))).status, 403, '15 KB wrong key (under the header limit): 403');
  t.equal((await mock.inject({ url: '/pets/1', headers: { 'x-api-key': big } })).statusCode, 403, '1 MB key without the socket limit: 403');
  t.equal((await raw(url, rawGet('/pets/1', [['x-api-key', Buffer.from(NON_ASCII_KEY, 'utf8')]]))).status, 200, 'UTF-8 key in a header: 200');
  t.equal((await raw(url, rawGet('/pets/1', [['x-api-key', Buffer.from('clé-ü-🔒', 'utf8')]]))).status, 403, 'wrong UTF-8 key: 403');
  t.equal((await raw(url, rawGet('/pets/1', [['x-api-key', Buffer.from([0xff, 0xfe, 0x80])]]))).status, 403, 'bytes that are not UTF-8: 403');
  t.equal((await raw(url, rawGet('/pets/1', [['x-api-key', 'a\x01b']]))).status, 400, 'a control character is refused by the HTTP parser: 400');
  const query = await keyed(t, { in: 'query' });
  t.equal((await call(`${query.url}/pets/1?api_key=${encodeURIComponent(NON_ASCII_KEY)}`)).status, 200, 'percent-encoded UTF-8 key in the query: 200');
  t.equal((await call(`${query.url}/pets/1?api_key=%E0%A4%A`)).status, 403, 'broken percent-encoding: 403');
});

t.test('regression: a URL that does not decode is a problem+json 400, the same with or without a key', async (t) => {
  const { url } = await keyed(t);
  const answers = await Promise.all([undefined, 'wrong', KEY].map((key) => call(`${url}/pets/%zz`, { headers: key ? { 'x-api-key': key } : {} })));
  for (const a of answers) {
    t.equal(a.status, 400);
    t.match(a.headers['content-type'], /^application\/problem\+json/);
    t.equal((a.json() as { code: string }).code, 'MOCKDECK_ERR_REQ_BAD_URL');
    t.equal(a.text, answers[0]!.text, 'no key, a wrong key and the right key see the same bytes');
  }
});
