import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config-file/index.js';
import { createMock } from '../../src/index.js';
import { serveMany } from '../../src/server/serve-many.js';
import { describeDeck } from '../../src/cli/commands/serve.js';
import { startUpstream } from '../fixtures/upstream/petstore-upstream.js';
import { allFiles } from '../helpers/files.js';
import { call } from '../helpers/http.js';
import { fromRoot } from '../helpers/paths.js';
import { captureStream, sha256Hex, writeDeckFixtures } from '../serve/fixtures.js';

/** Every secret a test sends or configures; none may show up anywhere. */
const SECRETS = {
  header: 'SECRET-header-7f3a9c',
  query: 'SECRET-query-51be02',
  bearer: 'SECRET-bearer-c0ffee',
  admin: 'SECRET-admin-9d2e41',
  wrong: 'SECRET-wrong-aa17b3',
};

function leaks(haystack: Buffer | string): string[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return Object.values(SECRETS).filter((s) => bytes.includes(Buffer.from(s)) || bytes.includes(Buffer.from(encodeURIComponent(s))));
}

t.test('keys never reach the log stream, the journal, the admin API, error bodies or the banner', async (t) => {
  const dir = t.testdir({});
  await writeDeckFixtures(dir);
  const file = join(dir, 'mockdeck.config.yaml');
  await writeFile(file, `
port: 0
admin: { key: env:ADMIN }
mocks:
  - { name: pets, spec: specs/pets.yaml, cassettes: [pets], basePath: /pets-api, access: { apiKeys: [env:HEADER_KEYS] } }
  - { name: billing, spec: specs/billing.yaml, cassettes: [billing], basePath: /billing, access: { apiKeys: [env:QUERY_KEYS], in: query } }
  - { name: inventory, spec: specs/inventory.yaml, cassettes: [inventory], port: 0, access: { apiKeys: ["sha256:${sha256Hex(SECRETS.bearer)}"], in: bearer } }
`);
  const plan = await loadConfigFile(file, { env: { ADMIN: SECRETS.admin, HEADER_KEYS: SECRETS.header, QUERY_KEYS: SECRETS.query } });
  t.same(leaks(JSON.stringify(plan)), [], 'the resolved plan holds digests only');
  const log = captureStream();
  const deck = await serveMany({ mocks: plan.mocks, file: plan.file, log: { level: 'trace', stream: log } });
  const [pets, billing, inventory] = await deck.listen();
  t.teardown(() => deck.close());
  t.same(leaks(describeDeck(plan, deck.mocks)), [], 'banner');

  const answers = [
    await call(`${pets!.url}/pets/1`, { headers: { 'x-api-key': SECRETS.header } }),
    await call(`${pets!.url}/pets/1`, { headers: { 'x-api-key': SECRETS.wrong } }),
    await call(`${pets!.url}/pets/1`, { headers: { 'x-api-key': SECRETS.header, 'x-mockdeck-admin-key': SECRETS.admin } }),
    await call(`${pets!.url}/nope?x=1`, { headers: { 'x-api-key': SECRETS.header } }),
    await call(`${pets!.url}/pets/1`, { method: 'POST', headers: { 'x-api-key': SECRETS.header, 'content-type': 'application/json' }, body: '{bad' }),
    await call(`${billing!.url}/invoices/7?api_key=${SECRETS.query}`),
    await call(`${billing!.url}/invoices/7?api_key=${SECRETS.wrong}`),
    await call(`${inventory!.url}/items`, { headers: { authorization: `Bearer ${SECRETS.bearer}` } }),
    await call(`${inventory!.url}/items`, { headers: { authorization: `Bearer ${SECRETS.wrong}` } }),
    await call(`${inventory!.url}/__mockdeck/health`, { headers: { authorization: `Bearer ${SECRETS.wrong}` } }),
  ];
  t.same(answers.map((a) => a.status), [200, 403, 200, 404, 400, 200, 403, 200, 403, 403]);
  for (const a of answers) t.same(leaks(a.body), [], `answer ${a.status} holds no key`);

  const admin = { 'x-mockdeck-admin-key': SECRETS.admin };
  for (const m of [pets!, billing!, inventory!]) {
    for (const path of ['requests?limit=500', 'mocks', 'health', 'openapi.json']) {
      const r = await call(`${m.url}/__mockdeck/${path}`, { headers: admin });
      t.equal(r.status, 200, `${m.name} ${path}`);
      t.same(leaks(r.body), [], `${m.name} admin ${path} holds no key`);
    }
  }
  const journal = (await call(`${pets!.url}/__mockdeck/requests`, { headers: admin })).json() as Array<{ request: { headers: Record<string, string> } }>;
  t.ok(journal.some((e) => e.request.headers['x-api-key'] === '[REDACTED]'), 'the journal shows the key header as [REDACTED]');
  t.ok(journal.some((e) => e.request.headers['x-mockdeck-admin-key'] === '[REDACTED]'), 'and the admin key header too');
  const billingJournal = (await call(`${billing!.url}/__mockdeck/requests`, { headers: admin })).json() as Array<{ path: string }>;
  t.same(billingJournal.map((e) => e.path), ['/invoices/7', '/invoices/7?api_key=[REDACTED]'], 'the journal shows a query key as [REDACTED] (a denied request without its query)');

  await deck.close();
  const requestLines = log.lines().filter((l) => l['msg'] === 'request');
  t.equal(requestLines.length, answers.length - 1, 'one log line per mock request, denied ones included (the admin request is not logged)');
  for (const l of requestLines) t.hasStrict(Object.keys(l).filter((k) => ['mock', 'source', 'operation', 'status', 'ms'].includes(k)).sort(), ['mock', 'ms', 'operation', 'source', 'status'], `log line of ${String(l['mock'])} ${String(l['path'])} has mock, source, operation, status, ms`);
  t.same(leaks(log.bytes()), [], 'the log stream holds no key');
  t.same((await allFiles(dir)).flatMap((f) => leaks(f.bytes).map((s) => `${f.path}: ${s}`)), [], 'no file in the folder holds a key');
});

t.test('keys never reach the cassettes a keyed mock records', async (t) => {
  const upstream = await startUpstream();
  t.teardown(() => upstream.close());
  const dir = t.testdir({});
  const spec = fromRoot('specs/petstore.yaml');
  const cases: Array<[string, { apiKeys: string[]; in?: 'query' | 'bearer' }, { headers: Record<string, string>; query: string }]> = [
    ['header', { apiKeys: [SECRETS.header] }, { headers: { 'x-api-key': SECRETS.header }, query: '' }],
    ['query', { apiKeys: [SECRETS.query], in: 'query' as const }, { headers: {}, query: `?api_key=${SECRETS.query}` }],
    ['bearer', { apiKeys: [SECRETS.bearer], in: 'bearer' as const }, { headers: { authorization: `Bearer ${SECRETS.bearer}` }, query: '' }],
  ];
  for (const [name, access, send] of cases) {
    const mock = await createMock({ spec, cassettesDir: dir, target: upstream.url, record: { cassette: name }, access, adminKey: SECRETS.admin, port: 0 });
    const url = await mock.listen();
    t.equal((await call(`${url}/pets/1${send.query}`, { headers: { ...send.headers, 'x-mockdeck-admin-key': SECRETS.admin } })).status, 200, `${name}: recorded`);
    t.equal((await call(`${url}/pets/2${send.query}`, { headers: send.headers })).status, 200);
    await mock.close();
  }
  const files = await allFiles(dir);
  t.ok(files.length >= 6, 'cassettes were written');
  t.same(files.flatMap((f) => leaks(f.bytes).map((s) => `${f.path}: ${s}`)), [], 'no cassette file holds a key');
});
