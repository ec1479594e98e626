import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importHar, readHar } from '../../src/alignment/index.js';
import { decodeBody, loadCassette } from '../../src/cassette/index.js';
import { isMockdeckError } from '../../src/errors.js';
import { fromRoot } from '../helpers/paths.js';
import { PETSTORE, PNG, runCli, snapshot } from './helpers.js';

const CHROME = fromRoot('test/fixtures/har/chrome-devtools-petstore.har');
const CHROMIUM = fromRoot('test/fixtures/har/chromium-petstore.har');
const SECRETS = ['chrome-secret-token-123', 'chrome-cookie-secret-456', 'chrome-server-cookie-789', 'pk_chrome_secret_key', 'browser-secret-token', 'server-cookie-secret', 'pk_browser_secret'];

t.test('a Chrome DevTools HAR: tagged, decoded, redacted, quirks handled', async (t) => {
  const dir = t.testdir({});
  const summary = await importHar(CHROME, { cassettesDir: dir, cassette: 'chrome', spec: PETSTORE });
  t.equal(summary.added, 9);
  t.same(summary.byOperation, { '(unmatched)': 1, createPet: 1, deletePet: 1, getInventory: 1, getPetById: 2, getPetPhoto: 1, getUserByName: 1, listPets: 1 });
  t.same(summary.skipped.map((s) => s.where).sort(), ['log.entries[10]', 'log.entries[11]', 'log.entries[4]']);
  t.match(summary.skipped, [{ where: 'log.entries[10]', reason: /net::ERR_NAME_NOT_RESOLVED/ }, { where: 'log.entries[11]', reason: /data: URL/ }, { where: 'log.entries[4]', reason: /304 revalidation/ }]);
  t.match(summary.warnings, [/log\.entries\[6\] \(GET \/store\/inventory\): the HAR has no response body/]);

  const cassette = await loadCassette(join(dir, 'chrome'));
  t.equal(cassette.meta.target, 'https://staging.petstore.test', 'the HAR origin becomes the target');
  t.match(cassette.meta.spec, { title: 'Petstore', version: '1.2.0' });
  const by = (path: string, method = 'GET') => cassette.interactions.find((i) => i.request.path === path && i.request.method === method)!;

  const list = by('/pets');
  t.equal(list.operationId, 'listPets');
  t.equal(list.response.bodyEncoding, 'json', 'gzip in the headers, decoded text in the HAR: stored as JSON');
  t.notOk('content-encoding' in list.response.headers, 'content-encoding dropped: the HAR content is already decoded');
  t.same(list.request.query, { status: ['available'] });
  t.notOk(Object.keys(list.request.headers).some((h) => h.startsWith(':')), 'HTTP/2 pseudo-headers are not stored');
  t.equal(list.request.headers['authorization'], '[REDACTED]');
  t.equal(list.response.headers['set-cookie'], '[REDACTED]');

  const photo = by('/pets/1/photo');
  t.equal(photo.response.bodyEncoding, 'base64');
  t.ok(decodeBody(photo.response).equals(PNG), 'base64 content decoded to the exact PNG bytes');

  t.equal(cassette.interactions.filter((i) => i.request.path === '/pets/1').length, 1, 'the 304 revalidation is not a second answer');
  t.equal(by('/pets', 'POST').request.headers['x-petstore-key'], '[REDACTED]', 'apiKey of the spec redacted, as the recorder does');
  t.same(by('/pets', 'POST').request.body, { name: 'Nala', tags: [] });
  t.equal(by('/pets/2', 'DELETE').response.status, 204);
  t.equal(by('/pets/2', 'DELETE').response.body, null);
  t.equal(by('/store/inventory').response.body, null, 'missing body: empty, and warned about');
  t.match(by('/users/alice').alignment, { ok: false, findings: [{ pointer: '/body/email' }] }, 'aligned with the spec like a recording');
  t.equal(by('/').operationId, null, 'the page itself is outside the spec');
  t.match(by('/').alignment.findings, [{ message: /undocumented endpoint/ }]);

  const written = Object.values(await snapshot(join(dir, 'chrome'))).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
  for (const secret of SECRETS) t.notOk(written.includes(secret), `${secret} never reaches disk`);
});

t.test('a HAR recorded by Chromium (Playwright over the DevTools protocol)', async (t) => {
  const dir = t.testdir({});
  const summary = await importHar(CHROMIUM, { cassettesDir: dir, cassette: 'browser', spec: PETSTORE });
  t.equal(summary.added, 8);
  t.equal(summary.duplicates, 1, 'the revalidated GET /pets/1 (reported as 200 with the cached body) equals the first answer');
  t.equal(summary.warnings.length, 3, 'three answers whose bodies the browser did not keep');
  const cassette = await loadCassette(join(dir, 'browser'));
  const photo = cassette.interactions.find((i) => i.operationId === 'getPetPhoto')!;
  t.ok(decodeBody(photo.response).equals(PNG));
  t.same(cassette.interactions.find((i) => i.operationId === 'listPets')?.response.body, [{ id: 1, name: 'Rex', status: 'available', tags: ['dog'] }]);
  // The page's own HTML (in _unmatched.json) quotes the script that sends the secrets; every header is redacted.
  const stored = JSON.stringify(cassette.interactions.filter((i) => !String(i.response.headers['content-type']).startsWith('text/html')));
  for (const secret of SECRETS) t.notOk(stored.includes(secret), `${secret} never reaches disk`);
  t.equal(cassette.interactions.find((i) => i.operationId === 'createPet')?.request.headers['x-petstore-key'], '[REDACTED]');
});

t.test('importing again merges: nothing duplicated, nothing lost', async (t) => {
  const dir = t.testdir({});
  await importHar(CHROMIUM, { cassettesDir: dir, cassette: 'mixed', spec: PETSTORE });
  const first = await loadCassette(join(dir, 'mixed'));
  const again = await importHar(CHROMIUM, { cassettesDir: dir, cassette: 'mixed', spec: PETSTORE });
  t.equal(again.added, 0);
  t.equal(again.duplicates, 9);
  const second = await importHar(CHROME, { cassettesDir: dir, cassette: 'mixed', spec: PETSTORE });
  const merged = await loadCassette(join(dir, 'mixed'));
  t.equal(merged.interactions.length, first.interactions.length + second.added, 'existing interactions all kept');
  for (const i of first.interactions) t.ok(merged.interactions.some((m) => m.id === i.id), `kept ${i.request.method} ${i.request.path}`);
  t.equal(merged.meta.target, 'http://127.0.0.1:8080', 'the first target stays');
});

t.test('a lone 304 is kept, without a body', async (t) => {
  const dir = t.testdir({});
  const har = JSON.parse(await readFile(CHROME, 'utf8')) as { log: { entries: unknown[] } };
  har.log.entries = [har.log.entries[4]];
  const file = join(dir, 'only304.har');
  await writeFile(file, JSON.stringify(har));
  const read = await readHar(file);
  t.equal(read.exchanges.length, 1);
  t.equal(read.exchanges[0]?.exchange.status, 304);
  t.equal(read.exchanges[0]?.exchange.responseBody.length, 0, 'a 304 has no body, whatever the browser cache held');
});

type Mutate = (har: { log: { entries: Array<Record<string, any>> } & Record<string, unknown> }) => void;

t.test('invalid HAR: exit 2 naming the entry, cassette untouched', async (t) => {
  const dir = join(t.testdir({}), 'cassettes');
  await importHar(CHROME, { cassettesDir: dir, cassette: 'kept', spec: PETSTORE });
  const before = await snapshot(dir);
  const base = await readFile(CHROME, 'utf8');
  const cases: Array<[string, Mutate | string, RegExp]> = [
    ['not JSON', '{"log": {"entries": [}', /#: not valid JSON \(line 1, column 22: /],
    ['no log', '{"entries": []}', /#: \(document\): is required by HAR 1.2|log: is required/],
    ['content without mimeType', (h) => void delete h.log.entries[3]!['response'].content.mimeType, /#\/log\/entries\/3\/response\/content\/mimeType: log\.entries\[3\]\.response\.content\.mimeType: is required by HAR 1\.2/],
    ['status not a number', (h) => void (h.log.entries[2]!['response'].status = '200'), /log\.entries\[2\]\.response\.status: should be integer/],
    ['URL not absolute', (h) => void (h.log.entries[5]!['request'].url = '/pets'), /#\/log\/entries\/5\/request\/url: log\.entries\[5\]\.request\.url: should match format "uri"/],
    ['bad base64', (h) => void (h.log.entries[2]!['response'].content.text = 'not*base64!'), /log\.entries\[2\]\.response\.content\.text: is marked base64/],
    ['status out of range', (h) => void (h.log.entries[1]!['response'].status = 700), /log\.entries\[1\]\.response\.status: 700 is not an HTTP status/],
    ['unknown content encoding', (h) => void (h.log.entries[1]!['response'].content.encoding = 'gzip'), /log\.entries\[1\]\.response\.content\.encoding: "gzip" is not supported/],
  ];
  for (const [name, mutate, message] of cases) {
    const file = join(t.testdirName, `${name.replace(/\W+/g, '-')}.har`);
    let text = typeof mutate === 'string' ? mutate : base;
    if (typeof mutate === 'function') {
      const har = JSON.parse(base);
      mutate(har);
      text = JSON.stringify(har);
    }
    await writeFile(file, text);
    const err = await importHar(file, { cassettesDir: dir, cassette: 'kept', spec: PETSTORE }).then(() => undefined, (e: unknown) => e);
    t.ok(isMockdeckError(err, 'MOCKDECK_ERR_IMPORT_INVALID'), `${name}: IMPORT_INVALID`);
    t.match((err as Error).message, message, name);
    t.match((err as Error).message, /Nothing was written\.$/);
    t.same(await snapshot(dir), before, `${name}: cassette bytes unchanged`);
  }
  const viaCli = await runCli(['import', 'har', join(t.testdirName, 'content-without-mimeType.har'), '--cassette', 'kept', '--cassettes', dir, '--spec', PETSTORE]);
  t.equal(viaCli.code, 2, 'the CLI exits 2');
  t.match(viaCli.stderr, /MOCKDECK_ERR_IMPORT_INVALID: .*log\.entries\[3\]\.response\.content/);
  const missing = await runCli(['import', 'har', join(dir, 'nope.har'), '--cassette', 'kept', '--cassettes', dir]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /MOCKDECK_ERR_IMPORT_NOT_FOUND/);
  const newCassette = await runCli(['import', 'har', join(t.testdirName, 'bad-base64.har'), '--cassette', 'fresh', '--cassettes', dir]);
  t.equal(newCassette.code, 2);
  t.same(await snapshot(dir), before, 'no folder is created for a cassette whose import failed');
});

t.test('the CLI imports and prints a summary', async (t) => {
  const dir = t.testdir({});
  const r = await runCli(['import', 'har', CHROME, '--cassette', 'cli', '--cassettes', dir, '--spec', PETSTORE, '--redact', 'x-total-count']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /imported .*chrome-devtools-petstore\.har into cassette "cli" .*: 9 new interaction\(s\), 0 already there/);
  t.match(r.stdout, /getPetById\s+2/);
  t.match(r.stdout, /skipped 3:/);
  t.match(r.stdout, /warning: log\.entries\[6\]/);
  const cassette = await loadCassette(join(dir, 'cli'));
  t.equal(cassette.interactions.find((i) => i.operationId === 'listPets')?.response.headers['x-total-count'], '[REDACTED]', '--redact applies to imports too');
});
