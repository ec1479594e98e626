// Regression: an operation recorded without end (a load test through `record`)
// grew one file without bound. Every write rewrites a whole file, so appends got
// slower as it grew, and past 512 MiB the cassette could no longer be read back.
import t from 'tap';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CassetteStore, fileNameForOperation, loadCassette } from '../../src/cassette/index.js';
import { partFileName, partOf } from '../../src/cassette/file-name.js';
import { makeInteraction, rejection } from './fixtures.js';

const INIT = { name: 'petstore', spec: null, target: 'https://staging.example.com' };
const PART_BYTES = 4096;

/** An interaction whose serialized entry is a bit over 1 KiB. */
const bulky = (n: number) => makeInteraction({ id: `bulk-${String(n).padStart(3, '0')}`, response: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1000), bodyEncoding: 'utf8' } });

const operationFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'cassette.json').sort();

t.test('part file names', async (t) => {
  t.equal(partFileName('getPetById.json', 1), 'getPetById.json');
  t.equal(partFileName('getPetById.json', 2), 'getPetById~2.json');
  t.equal(partFileName('_unmatched.json', 12), '_unmatched~12.json');
  t.same(partOf('getPetById~12.json'), { base: 'getPetById.json', part: 12 });
  t.same(partOf('getPetById.json'), { base: 'getPetById.json', part: 1 });
  t.same(partOf('getPetById~1.json'), { base: 'getPetById~1.json', part: 1 }, '~1 is not a part name: part 1 is the plain name');
  t.same(partOf('getPetById~02.json'), { base: 'getPetById~02.json', part: 1 }, 'no leading zeros');
  t.notMatch(fileNameForOperation('getPetById~2'), /~/, 'an operationId never maps to a part name');
  t.equal(partOf(fileNameForOperation('getPetById~2')).part, 1);
});

t.test('appends past the part size continue in a new part; every interaction reads back in order', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  for (let n = 0; n < 12; n++) await store.append(bulky(n));
  await store.flush();
  const files = operationFiles(dir);
  t.ok(files.length >= 3, `several parts: ${files.join(', ')}`);
  t.equal(files[0], 'getPetById.json');
  for (const f of files) {
    t.match(f, /^getPetById(~\d+)?\.json$/);
    t.ok(statSync(join(dir, f)).size < PART_BYTES + 2048, `${f} stays near the part size`);
  }
  const loaded = await loadCassette(dir);
  t.same(loaded.interactions.map((i) => i.id), Array.from({ length: 12 }, (_, n) => `bulk-${String(n).padStart(3, '0')}`));
  t.same(store.interactions().map((i) => i.id), loaded.interactions.map((i) => i.id), 'the store agrees with the disk');
});

t.test('one big batch (an import) is split into parts as well', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  await store.appendMany(Array.from({ length: 12 }, (_, n) => bulky(n)));
  const files = operationFiles(dir);
  t.ok(files.length >= 3, `several parts: ${files.join(', ')}`);
  t.equal((await loadCassette(dir)).interactions.length, 12);
});

t.test('a reopened cassette appends to its last part, not over an earlier one', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const first = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  for (let n = 0; n < 6; n++) await first.append(bulky(n));
  const before = operationFiles(dir);
  const firstPart = readFileSync(join(dir, before[0]!));
  const second = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  for (let n = 6; n < 12; n++) await second.append(bulky(n));
  t.same(readFileSync(join(dir, before[0]!)), firstPart, 'the first part, already full, is not rewritten');
  t.equal((await loadCassette(dir)).interactions.length, 12);
});

t.test('replace (mode all) removes the old recording from whichever part holds it', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  for (let n = 0; n < 10; n++) await store.append(bulky(n));
  const again = { ...bulky(0), id: 'bulk-000-again' };
  await store.append(again, { replace: (old) => old.id === 'bulk-000' });
  const ids = (await loadCassette(dir)).interactions.map((i) => i.id);
  t.notOk(ids.includes('bulk-000'), 'the replaced recording is gone from its part');
  t.ok(ids.includes('bulk-000-again'));
  t.equal(ids.length, 10);
});

t.test('the reader takes parts of one file, and still refuses two unrelated files for one operation', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { partBytes: PART_BYTES });
  for (let n = 0; n < 8; n++) await store.append(bulky(n));
  t.equal((await loadCassette(dir)).interactions.length, 8, 'parts load together');
  writeFileSync(join(dir, 'copy.json'), readFileSync(join(dir, 'getPetById.json')));
  const err = await rejection(loadCassette(dir));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA');
  t.match(err.message, /getPetById\.json#\/operationId: operation "getPetById" is also stored in copy\.json/);
});

// Regression: 1 MB answers shared 4 MB parts, and every whole-file write of a
// part copied the big entries already in it again (a third more bytes written).
t.test('an interaction of ownPartBytes or more gets a part of its own, and the part is closed behind it', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { partBytes: 64 * 1024, ownPartBytes: 4096 });
  const big = (n: number) => makeInteraction({ id: `big-${n}`, response: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'y'.repeat(5000), bodyEncoding: 'utf8' } });
  const sequence = [bulky(0), big(1), big(2), bulky(3), bulky(4), big(5)];
  for (const interaction of sequence) await store.append(interaction);
  await store.appendMany([big(6), bulky(7)]);
  const ids = (file: string) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { interactions: Array<{ id: string }> }).interactions.map((i) => i.id);
  t.same(
    operationFiles(dir).sort((a, b) => partOf(a).part - partOf(b).part).map(ids),
    [['bulk-000'], ['big-1'], ['big-2'], ['bulk-003', 'bulk-004'], ['big-5'], ['big-6'], ['bulk-007']],
    'small ones share a part; each big one stands alone, in one batch as across appends',
  );
  t.same((await loadCassette(dir)).interactions.map((i) => i.id), [...sequence, big(6), bulky(7)].map((i) => i.id), 'all read back in order');
});

t.test('a reopened cassette keeps a big interaction alone in its part', async (t) => {
  const base = t.testdir();
  const dir = join(base, 'petstore');
  const limits = { partBytes: 64 * 1024, ownPartBytes: 4096 };
  const big = makeInteraction({ id: 'big-1', response: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'y'.repeat(5000), bodyEncoding: 'utf8' } });
  const first = await CassetteStore.open(dir, INIT, limits);
  await first.append(bulky(0));
  await first.append(big);
  await first.flush();
  const bigPart = readFileSync(join(dir, 'getPetById~2.json'), 'utf8');

  const reopened = await CassetteStore.open(dir, INIT, limits);
  await reopened.append(bulky(2));
  await reopened.flush();
  t.equal(readFileSync(join(dir, 'getPetById~2.json'), 'utf8'), bigPart, 'the big part is not rewritten');
  t.same(operationFiles(dir), ['getPetById.json', 'getPetById~2.json', 'getPetById~3.json'], 'the next interaction starts a new part');
  t.same((await loadCassette(dir)).interactions.map((i) => i.id).sort(), ['big-1', 'bulk-000', 'bulk-002'], 'every interaction reads back');

  const small = await CassetteStore.open(join(base, 'other'), INIT, limits);
  await small.append(bulky(0));
  await small.flush();
  const again = await CassetteStore.open(join(base, 'other'), INIT, limits);
  await again.append(bulky(1));
  await again.flush();
  t.same(operationFiles(join(base, 'other')), ['getPetById.json'], 'a part of small interactions still takes appends after a restart');
});
