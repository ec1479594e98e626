import t from 'tap';
import * as fsp from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CassetteStore, fileNameForOperation, loadCassette, type WriteFs } from '../../src/cassette/index.js';
import type { Interaction } from '../../src/types.js';
import { makeInteraction, rejection } from './fixtures.js';

const INIT = { name: 'petstore', spec: null, target: 'https://staging.example.com' };

/** An error shaped like the ones node:fs throws. */
function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, ${syscall} '${path}'`), { code, syscall, path });
}

interface Faults {
  /** Return an error to make `open` of that path fail. */
  open?: (path: string) => Error | undefined;
  /** Return an error to make writing the temp file fail. */
  write?: (path: string) => Error | undefined;
  /** Runs before each rename; may throw or wait. */
  rename?: (from: string, to: string) => void | Promise<void>;
}

/** The real file system with hooks to inject failures, counting renames per target. */
function faultyFs(faults: Faults): WriteFs & { renames: string[] } {
  const renames: string[] = [];
  return {
    renames,
    mkdir: (path, options) => fsp.mkdir(path, options),
    async open(path, flags) {
      const err = faults.open?.(path);
      if (err) throw err;
      const handle = await fsp.open(path, flags);
      return {
        async writeChunks(chunks) {
          const failure = faults.write?.(path);
          if (failure) {
            await handle.writeFile(Buffer.concat(chunks).subarray(0, 10)); // a partial temp file, as a full disk leaves
            throw failure;
          }
          await handle.writev(chunks as Buffer[]);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    async rename(from, to) {
      await faults.rename?.(from, to);
      await fsp.rename(from, to);
      renames.push(to);
    },
    unlink: (path) => fsp.unlink(path),
  };
}

const tempFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('.'));
const readOp = (dir: string, operationId: string | null): { operationId: string | null; interactions: Interaction[] } =>
  JSON.parse(readFileSync(join(dir, fileNameForOperation(operationId)), 'utf8'));

t.test('open creates the folder and cassette.json, and nothing else', async (t) => {
  const dir = join(t.testdir(), 'deep', 'petstore');
  const store = await CassetteStore.open(dir, { ...INIT, target: 'https://user:pw@staging.example.com/v1?x=1' }, { now: () => new Date('2026-11-24T10:00:00.000Z') });
  t.strictSame(readdirSync(dir), ['cassette.json'], 'the write probe is cleaned up');
  t.equal(
    readFileSync(join(dir, 'cassette.json'), 'utf8'),
    '{\n  "createdAt": "2026-11-24T10:00:00.000Z",\n  "formatVersion": 1,\n  "name": "petstore",\n  "spec": null,\n  "target": "https://staging.example.com",\n  "updatedAt": "2026-11-24T10:00:00.000Z"\n}\n',
  );
  t.strictSame(store.interactions(), []);
});

t.test('reopening keeps createdAt and the spec; writes move updatedAt', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const spec = { title: 'Petstore', version: '1.0.0', sha256: 'c'.repeat(64) };
  await CassetteStore.open(dir, { ...INIT, spec }, { now: () => new Date('2026-01-01T00:00:00.000Z') });
  const store = await CassetteStore.open(dir, INIT, { now: () => new Date('2026-02-02T00:00:00.000Z') });
  t.equal(JSON.parse(readFileSync(join(dir, 'cassette.json'), 'utf8')).updatedAt, '2026-01-01T00:00:00.000Z', 'opening alone writes nothing');
  await store.append(makeInteraction());
  const meta = (await loadCassette(dir)).meta;
  t.strictSame([meta.createdAt, meta.updatedAt], ['2026-01-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z']);
  t.strictSame(meta.spec, spec, 'recording again without --spec keeps the spec');
});

t.test('200 concurrent appends: 200 interactions on disk, file always valid JSON', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  // A short pause before each rename guarantees the reader gets turns between writes.
  const store = await CassetteStore.open(dir, INIT, { fs: faultyFs({ rename: () => new Promise((resolve) => setTimeout(resolve, 2)) }) });
  const file = join(dir, fileNameForOperation('getPetById'));
  const sent = Array.from({ length: 200 }, (_, i) => makeInteraction({ id: `c${i}` }));
  // A reader polling the file while the writers run must never see a partial file.
  let writing = true;
  let reads = 0;
  const reader = (async () => {
    while (writing) {
      if (existsSync(file)) {
        const doc = JSON.parse(await fsp.readFile(file, 'utf8')) as { interactions: unknown[] };
        if (!Array.isArray(doc.interactions)) throw new Error('not a cassette file');
        reads++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all(sent.map((interaction) => store.append(interaction)));
  writing = false;
  await reader;
  t.ok(reads > 0, `the reader parsed the file ${reads} times mid-write`);
  const onDisk = readOp(dir, 'getPetById').interactions;
  t.equal(onDisk.length, 200);
  t.strictSame(new Set(onDisk.map((i) => i.id)), new Set(sent.map((i) => i.id)), 'none lost, none duplicated');
  t.strictSame(onDisk.map((i) => i.id), sent.map((i) => i.id), 'in call order');
  t.equal(store.interactions().length, 200);
  t.equal((await loadCassette(dir)).interactions.length, 200);
  t.strictSame(tempFiles(dir), [], 'no temp file left behind');
});

t.test('concurrent appends to several operations land in their own files', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const ops = ['listPets', 'getPetById', 'GET /pets/{id}', null];
  await Promise.all(Array.from({ length: 120 }, (_, i) => store.append(makeInteraction({ id: `m${i}`, operationId: ops[i % 4]! }))));
  for (const [k, op] of ops.entries()) {
    const expected = Array.from({ length: 30 }, (_, j) => `m${j * 4 + k}`);
    t.strictSame(readOp(dir, op).interactions.map((i) => i.id), expected, `${String(op)} file`);
  }
  t.strictSame(readdirSync(dir).sort(), ['GET__pets__id_-895c8d92ee.json', '_unmatched.json', 'cassette.json', 'getPetById.json', 'listPets.json']);
});

t.test('append with replace removes matching entries of that file first', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const base = makeInteraction();
  const first = makeInteraction({ id: 'old', request: { ...base.request, path: '/pets/1' } });
  const other = makeInteraction({ id: 'other', request: { ...base.request, path: '/pets/2' } });
  const elsewhere = makeInteraction({ id: 'elsewhere', operationId: 'listPets', request: { ...base.request, path: '/pets/1' } });
  await store.appendMany([first, other, elsewhere]);
  const fresh = makeInteraction({ id: 'new', request: { ...base.request, path: '/pets/1' } });
  await store.append(fresh, { replace: (existing) => existing.request.path === '/pets/1' });
  t.strictSame(readOp(dir, 'getPetById').interactions.map((i) => i.id), ['other', 'new']);
  t.strictSame(readOp(dir, 'listPets').interactions.map((i) => i.id), ['elsewhere'], 'other files untouched');
  t.strictSame(store.interactions().map((i) => i.id).sort(), ['elsewhere', 'new', 'other']);
});

t.test('appendMany writes each touched file once; a bad interaction writes nothing', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const fs = faultyFs({});
  const store = await CassetteStore.open(dir, INIT, { fs });
  fs.renames.length = 0;
  const batch = Array.from({ length: 10 }, (_, i) => makeInteraction({ operationId: ['a', 'b', 'c'][i % 3]! }));
  await store.appendMany(batch);
  t.strictSame([...fs.renames].sort(), ['a.json', 'b.json', 'c.json', 'cassette.json'].map((f) => join(dir, f)));
  t.equal(store.interactions().length, 10);

  fs.renames.length = 0;
  const before = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
  const base = makeInteraction();
  const bad = makeInteraction({ operationId: 'd', response: { ...base.response, status: 1000 } });
  const err = await rejection(store.appendMany([makeInteraction({ operationId: 'a' }), bad]));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA');
  t.strictSame([err.params.file, err.params.pointer], [join(dir, 'd.json'), '/interactions/-/response/status']);
  t.strictSame(fs.renames, [], 'no file written');
  t.strictSame(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')), before);
  t.equal(store.interactions().length, 10, 'memory unchanged');
});

t.test('what the reader would refuse is never written', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const base = makeInteraction();
  // e.g. a caller spreading encodeBody's result, decodeFailed included
  const bad = makeInteraction({ response: { ...base.response, decodeFailed: false } as Interaction['response'] });
  const err = await rejection(store.append(bad));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_SCHEMA');
  t.equal(err.params.pointer, '/interactions/-/response/decodeFailed');
  t.notOk(existsSync(join(dir, 'getPetById.json')));
});

t.test('a failed write (ENOSPC) rejects with CASSETTE_WRITE and leaves memory and file as they were', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  let full = false;
  const store = await CassetteStore.open(dir, INIT, { fs: faultyFs({ write: (path) => (full ? fsError('ENOSPC', 'write', path) : undefined) }) });
  const kept = makeInteraction({ id: 'kept' });
  await store.append(kept);
  const file = join(dir, 'getPetById.json');
  const before = readFileSync(file, 'utf8');

  full = true;
  const err = await rejection(store.append(makeInteraction({ id: 'lost' })));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.equal(err.params.file, file);
  t.equal((err.cause as NodeJS.ErrnoException).code, 'ENOSPC', 'cause kept');
  t.equal(readFileSync(file, 'utf8'), before, 'old file intact');
  t.strictSame(store.interactions().map((i) => i.id), ['kept'], 'memory matches disk');
  t.strictSame(tempFiles(dir), [], 'partial temp file removed');

  full = false;
  await store.append(makeInteraction({ id: 'later' }));
  t.strictSame(readOp(dir, 'getPetById').interactions.map((i) => i.id), ['kept', 'later'], 'the failed one never appears');
});

t.test('a crash between the temp write and the rename leaves the old file intact', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  let crash = false;
  let tempAtCrash: string | undefined;
  const fs = faultyFs({
    rename: async (from) => {
      if (!crash) return;
      tempAtCrash = await fsp.readFile(from, 'utf8'); // the new content was fully written...
      throw fsError('EIO', 'rename', from); // ...and the process dies before the rename
    },
  });
  const store = await CassetteStore.open(dir, INIT, { fs });
  await store.append(makeInteraction({ id: 'one' }));
  const file = join(dir, 'getPetById.json');
  const before = readFileSync(file, 'utf8');

  crash = true;
  const err = await rejection(store.append(makeInteraction({ id: 'two' })));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.match(tempAtCrash, /"id": "two"/, 'the crash came after the temp file held the new content');
  t.equal(readFileSync(file, 'utf8'), before, 'old file byte for byte');
  t.strictSame(store.interactions().map((i) => i.id), ['one']);

  // The process is gone; a temp file may still lie around. The next reader sees the old state.
  writeFileSync(join(dir, '.getPetById.json.999.0.tmp'), tempAtCrash ?? '');
  t.strictSame((await loadCassette(dir)).interactions.map((i) => i.id), ['one']);
});

t.test('a directory in the target file\'s place fails the write, not the store', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  await store.append(makeInteraction({ id: 'fine', operationId: 'listPets' }));
  mkdirSync(join(dir, 'getPetById.json')); // rename(2) cannot replace a directory, even as root
  const err = await rejection(store.append(makeInteraction({ id: 'blocked' })));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.equal(err.params.file, join(dir, 'getPetById.json'));
  t.ok(['EISDIR', 'ENOTEMPTY', 'EEXIST', 'EPERM'].includes(String((err.cause as NodeJS.ErrnoException).code)), String((err.cause as NodeJS.ErrnoException).code));
  t.strictSame(store.interactions().map((i) => i.id), ['fine']);
  await store.append(makeInteraction({ id: 'still-fine', operationId: 'listPets' }));
  t.strictSame(readOp(dir, 'listPets').interactions.map((i) => i.id), ['fine', 'still-fine'], 'other files keep working');
  t.strictSame(tempFiles(dir), []);
});

t.test('a folder that cannot be written fails at open, naming the folder', async (t) => {
  const root = t.testdir({ 'a-file': 'x' });

  const underFile = join(root, 'a-file', 'petstore'); // ENOTDIR, even for root
  const err = await rejection(CassetteStore.open(underFile, INIT));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE', 'path under a file');
  t.equal(err.params.file, underFile);
  t.match(err.message, underFile);

  const denied = join(root, 'denied');
  const eacces = faultyFs({ open: (path) => (path.includes('write-probe') ? fsError('EACCES', 'open', path) : undefined) });
  const probeErr = await rejection(CassetteStore.open(denied, INIT, { fs: eacces }));
  t.equal(probeErr.code, 'MOCKDECK_ERR_CASSETTE_WRITE', 'EACCES on the probe');
  t.equal(probeErr.params.file, denied);
  t.equal((probeErr.cause as NodeJS.ErrnoException).code, 'EACCES');
  t.notOk(existsSync(join(denied, 'cassette.json')), 'nothing written');
});

t.test('a read-only folder fails at open (chmod; only meaningful when not root)', { skip: process.getuid?.() === 0 ? 'root ignores chmod; covered by the tests above' : false }, async (t) => {
  const dir = join(t.testdir({ ro: {} }), 'ro');
  await fsp.chmod(dir, 0o555);
  t.teardown(() => fsp.chmod(dir, 0o755));
  const err = await rejection(CassetteStore.open(dir, INIT));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.equal(err.params.file, dir);
});

t.test('ids that share a file on case-insensitive file systems are refused', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  await store.append(makeInteraction({ operationId: 'getPet' }));
  const err = await rejection(store.append(makeInteraction({ operationId: 'GetPet' })));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.match(String(err.params.reason), /"GetPet" and "getPet"/);
  t.strictSame(readdirSync(dir).sort(), ['cassette.json', 'getPet.json']);
});

t.test('interactions() and flush() follow what is on disk', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  let release: () => void = () => undefined;
  let hold = false;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = await CassetteStore.open(dir, INIT, { fs: faultyFs({ rename: () => (hold ? gate : undefined) }) });
  hold = true;
  const appended = store.append(makeInteraction({ id: 'slow' }));
  let flushed = false;
  const flushing = store.flush().then(() => (flushed = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.strictSame(store.interactions(), [], 'not in memory before it is on disk');
  t.notOk(flushed, 'flush waits for the pending write');
  release();
  await appended;
  await flushing;
  t.ok(flushed);
  t.strictSame(store.interactions().map((i) => i.id), ['slow']);
  t.ok(Object.isFrozen(store.interactions()), 'callers cannot mutate the shared list');
});

t.test('the store keeps its own copy of appended interactions', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const interaction = makeInteraction({ id: 'mine' });
  await store.append(interaction);
  interaction.id = 'mutated';
  (interaction.response.body as { name: string }).name = 'Changed';
  t.equal(store.interactions()[0]?.id, 'mine');
  t.strictSame(store.interactions()[0]?.response.body, { id: 7, name: 'Rex' });
});

t.test('opening a cassette with existing files loads and extends them', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const first = await CassetteStore.open(dir, INIT);
  await first.appendMany([makeInteraction({ id: 'a', operationId: 'op one' }), makeInteraction({ id: 'b', operationId: null })]);
  const second = await CassetteStore.open(dir, INIT);
  t.strictSame(second.interactions().map((i) => i.id).sort(), ['a', 'b']);
  await second.append(makeInteraction({ id: 'c', operationId: 'op one' }));
  t.strictSame(readOp(dir, 'op one').interactions.map((i) => i.id), ['a', 'c']);
});

t.test('a renamed file keeps its operation; a new operation may not take its name', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  await store.append(makeInteraction({ id: 'a', operationId: 'a' }));
  await fsp.rename(join(dir, 'a.json'), join(dir, 'x.json'));
  const reopened = await CassetteStore.open(dir, INIT);
  await reopened.append(makeInteraction({ id: 'a2', operationId: 'a' }));
  t.strictSame(JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')).interactions.map((i: Interaction) => i.id), ['a', 'a2'], 'appends follow the operation, not the name');
  const err = await rejection(reopened.append(makeInteraction({ operationId: 'x' })));
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.match(String(err.params.reason), /already holds operation "a"/);
});
