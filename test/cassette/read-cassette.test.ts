import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CassetteStore,
  listCassetteNames,
  loadCassette,
  readCassetteMeta,
  serializeCassetteMeta,
  serializeOperationFile,
} from '../../src/cassette/index.js';
import type { CassetteMeta, Interaction } from '../../src/types.js';
import { makeInteraction, rejection } from './fixtures.js';

const META: CassetteMeta = {
  name: 'petstore',
  spec: { title: 'Petstore', version: '1.0.0', sha256: 'b'.repeat(64) },
  target: 'https://staging.example.com',
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T11:00:00.000Z',
  formatVersion: 1,
};

/** A cassette folder written by hand, so the reader is tested apart from the store. */
function cassetteDir(t: { testdir(content: Record<string, string>): string }, files: Record<string, string>): string {
  return t.testdir({ 'cassette.json': serializeCassetteMeta(META), ...files });
}

const opFile = (operationId: string | null, interactions: Interaction[]): string => serializeOperationFile({ operationId, interactions });

/** Parses a file, sets a value at a path, and serializes it back with JSON.stringify. */
function breakFile(text: string, edit: (doc: any) => void): string {
  const doc = JSON.parse(text);
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

t.test('round trip: what the store writes, loadCassette reads back', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, { name: 'petstore', spec: META.spec, target: 'https://staging.example.com/v1' });
  const base = makeInteraction();
  const written = [
    makeInteraction({ recordedAt: '2026-11-24T10:00:01.000Z' }),
    makeInteraction({ operationId: null, recordedAt: '2026-11-24T10:00:02.000Z' }),
    makeInteraction({ operationId: 'listPets', recordedAt: '2026-11-24T10:00:03.000Z', response: { ...base.response, body: 'iVBORw0KGgo=', bodyEncoding: 'base64', headers: { 'set-cookie': ['a', 'b'] } } }),
  ];
  for (const interaction of written) await store.append(interaction);
  const cassette = await loadCassette(dir);
  t.strictSame(cassette.interactions, written);
  t.equal(cassette.meta.name, 'petstore');
  t.strictSame(cassette.meta.spec, META.spec);
  t.equal(cassette.meta.target, 'https://staging.example.com', 'origin only');
  t.strictSame(await readCassetteMeta(dir), cassette.meta);
});

t.test('interactions come back in recorded order across files, stable on ties', async (t) => {
  const at = (s: number): string => `2026-11-24T10:00:0${s}.000Z`;
  const a1 = makeInteraction({ id: 'a1', operationId: 'a', recordedAt: at(3) });
  const a2 = makeInteraction({ id: 'a2', operationId: 'a', recordedAt: at(1) });
  const b1 = makeInteraction({ id: 'b1', operationId: 'b', recordedAt: at(2) });
  const b2 = makeInteraction({ id: 'b2', operationId: 'b', recordedAt: '2026-11-24T10:00:01Z' }); // same instant as a2
  const b3 = makeInteraction({ id: 'b3', operationId: 'b', recordedAt: at(1) });
  const dir = cassetteDir(t, { 'b.json': opFile('b', [b1, b2, b3]), 'a.json': opFile('a', [a1, a2]) });
  const ids = (await loadCassette(dir)).interactions.map((i) => i.id);
  t.strictSame(ids, ['a2', 'b2', 'b3', 'b1', 'a1']);
});

t.test('invalid JSON names the file, line and column, and the file is not rewritten', async (t) => {
  const good = opFile('getPetById', [makeInteraction()]);
  const bad = good.replace('"durationMs": 42,', '"durationMs": 42,,');
  const dir = cassetteDir(t, { 'getPetById.json': bad });
  const line = bad.split('\n').findIndex((l) => l.includes('42,,')) + 1;
  const column = bad.split('\n')[line - 1]!.indexOf(',,') + 2;
  const err = await rejection(loadCassette(dir));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_PARSE');
  t.strictSame([err.params.file, err.params.line, err.params.column], [join(dir, 'getPetById.json'), line, column]);
  t.match(err.message, `getPetById.json:${line}:${column}:`);

  const mtime = statSync(join(dir, 'getPetById.json')).mtimeMs;
  const storeErr = await rejection(CassetteStore.open(dir, { name: 'petstore', spec: null, target: null }));
  t.equal(storeErr.code, 'MOCKDECK_ERR_CASSETTE_PARSE', 'the store refuses it too');
  t.equal(readFileSync(join(dir, 'getPetById.json'), 'utf8'), bad, 'left byte for byte');
  t.equal(statSync(join(dir, 'getPetById.json')).mtimeMs, mtime, 'not even touched');
});

t.test('schema violations name the file and the most specific pointer', async (t) => {
  const good = opFile('getPetById', [makeInteraction(), makeInteraction()]);
  const table: Array<[string, (doc: any) => void, string, RegExp]> = [
    ['status as a string', (d) => (d.interactions[0].response.status = '200'), '/interactions/0/response/status', /integer/],
    ['status out of range', (d) => (d.interactions[1].response.status = 99), '/interactions/1/response/status', />= 100/],
    ['unknown bodyEncoding', (d) => (d.interactions[0].request.bodyEncoding = 'hex'), '/interactions/0/request/bodyEncoding', /json.*utf8.*base64/],
    ['base64 body not a string', (d) => Object.assign(d.interactions[0].response, { bodyEncoding: 'base64', body: { a: 1 } }), '/interactions/0/response/body', /string/],
    ['base64 body not base64', (d) => Object.assign(d.interactions[0].response, { bodyEncoding: 'base64', body: 'not base64!' }), '/interactions/0/response/body', /pattern/],
    ['utf8 body as a number', (d) => Object.assign(d.interactions[0].response, { bodyEncoding: 'utf8', body: 5 }), '/interactions/0/response/body', /string,null/],
    ['header value as a number', (d) => (d.interactions[0].request.headers.accept = 5), '/interactions/0/request/headers/accept', /string/],
    ['missing property', (d) => delete d.interactions[1].alignment, '/interactions/1/alignment', /required/],
    ['extra property', (d) => (d.interactions[0].response.decodeFailed = true), '/interactions/0/response/decodeFailed', /not allowed/],
    ['finding without message', (d) => (d.interactions[0].alignment.findings = [{ pointer: '/body' }]), '/interactions/0/alignment/findings/0/message', /required/],
    ['bad recordedAt', (d) => (d.interactions[0].recordedAt = 'yesterday'), '/interactions/0/recordedAt', /date-time/],
    ['interactions not an array', (d) => (d.interactions = {}), '/interactions', /array/],
    ['interaction of another operation', (d) => (d.interactions[1].operationId = 'listPets'), '/interactions/1/operationId', /listPets/],
  ];
  for (const [name, edit, pointer, reason] of table) {
    const dir = cassetteDir(t, { 'getPetById.json': breakFile(good, edit) });
    const err = await rejection(loadCassette(dir));
    t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA', name);
    t.strictSame([err.params.file, err.params.pointer], [join(dir, 'getPetById.json'), pointer], `${name}: file and pointer`);
    t.match(String(err.params.reason), reason, `${name}: reason`);
    t.match(err.message, `getPetById.json#${pointer}:`, `${name}: message`);
  }
});

t.test('cassette.json is checked too', async (t) => {
  const table: Array<[string, (doc: any) => void, string]> = [
    ['target with a path', (d) => (d.target = 'https://staging.example.com/api'), '/target'],
    ['target with credentials', (d) => (d.target = 'https://user:pw@staging.example.com'), '/target'],
    ['short sha256', (d) => (d.spec.sha256 = 'abc'), '/spec/sha256'],
    ['missing name', (d) => delete d.name, '/name'],
    ['formatVersion as a string', (d) => (d.formatVersion = '1'), '/formatVersion'],
  ];
  for (const [name, edit, pointer] of table) {
    const dir = t.testdir({ 'cassette.json': breakFile(serializeCassetteMeta(META), edit) });
    const err = await rejection(readCassetteMeta(dir));
    t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA', name);
    t.strictSame([err.params.file, err.params.pointer], [join(dir, 'cassette.json'), pointer], `${name}: file and pointer`);
  }
});

t.test('an unknown formatVersion is its own error, before any schema check', async (t) => {
  for (const found of [2, 0, 1.5]) {
    const dir = t.testdir({
      'cassette.json': breakFile(serializeCassetteMeta(META), (d) => Object.assign(d, { formatVersion: found, newField: true })),
      'getPetById.json': '{ not even json',
    });
    const err = await rejection(loadCassette(dir));
    t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_VERSION', `formatVersion ${found}`);
    t.strictSame([err.params.file, err.params.found, err.params.supported], [join(dir, 'cassette.json'), found, 1]);
  }
});

t.test('missing folders and folders that are not cassettes', async (t) => {
  const root = t.testdir({ 'a-file': 'x', plain: { 'notes.txt': 'x' } });
  for (const [name, dir, file] of [
    ['no such folder', join(root, 'nope'), join(root, 'nope')],
    ['a file, not a folder', join(root, 'a-file'), join(root, 'a-file')],
    ['a folder without cassette.json', join(root, 'plain'), join(root, 'plain', 'cassette.json')],
  ] as const) {
    const err = await rejection(loadCassette(dir));
    t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_NOT_FOUND', name);
    t.equal(err.params.file, file, `${name}: names ${file}`);
    const metaErr = await rejection(readCassetteMeta(dir));
    t.equal(metaErr.code, 'MOCKDECK_ERR_CASSETTE_NOT_FOUND', `${name}: readCassetteMeta`);
  }
  t.equal((await rejection(listCassetteNames(join(root, 'nope')))).code, 'MOCKDECK_ERR_CASSETTE_NOT_FOUND', 'listCassetteNames');
});

t.test('leftover temp files and other dotfiles are ignored', async (t) => {
  const interaction = makeInteraction();
  const dir = cassetteDir(t, {
    'getPetById.json': opFile('getPetById', [interaction]),
    '.getPetById.json.1234.0.tmp': '{"interactions": [ {"half": ',
    '.hidden.json': '{ broken',
    'notes.txt': 'not a cassette file',
  });
  t.strictSame((await loadCassette(dir)).interactions, [interaction]);
});

t.test('two files for one operation are refused', async (t) => {
  const dir = cassetteDir(t, {
    'getPetById.json': opFile('getPetById', [makeInteraction()]),
    'renamed.json': opFile('getPetById', [makeInteraction()]),
  });
  const err = await rejection(loadCassette(dir));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA');
  t.strictSame([err.params.file, err.params.pointer], [join(dir, 'renamed.json'), '/operationId']);
  t.match(String(err.params.reason), 'getPetById.json');
});

t.test('listCassetteNames lists sub-folders with a cassette.json, sorted', async (t) => {
  const meta = serializeCassetteMeta(META);
  const root = t.testdir({
    zeta: { 'cassette.json': meta },
    Alpha: { 'cassette.json': meta },
    beta: { 'cassette.json': meta, 'x.json': '{' },
    empty: {},
    'cassette.json': meta,
    stray: { nested: { 'cassette.json': meta } },
  });
  t.strictSame(await listCassetteNames(root), ['Alpha', 'beta', 'zeta']);
});

t.test('the first bad file in name order is reported, every time', async (t) => {
  const dir = cassetteDir(t, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`op${String(i).padStart(2, '0')}.json`, i >= 17 ? '{' : opFile(`op${String(i).padStart(2, '0')}`, [])])));
  for (let i = 0; i < 3; i++) t.equal((await rejection(loadCassette(dir))).params.file, join(dir, 'op17.json'));
});
