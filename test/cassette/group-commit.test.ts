import t from 'tap';
import * as fsp from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CassetteStore, fileNameForOperation, serializeInteractionEntry, serializeOperationFile, type WriteFs } from '../../src/cassette/index.js';
import type { Interaction } from '../../src/types.js';
import { WriteQueue } from '../../src/cassette/write-queue.js';
import { makeInteraction, rejection } from './fixtures.js';

const INIT = { name: 'petstore', spec: null, target: 'https://staging.example.com' };

interface Hooks {
  /** Runs before each rename (may wait, to let appends pile up behind a write). */
  beforeRename?: (to: string) => Promise<void> | void;
  /** Return an error to fail writing the temp file of that target. */
  failWrite?: (target: string) => Error | undefined;
}

/** The real file system, counting renames per target and writes per temp file. */
function countingFs(hooks: Hooks = {}): WriteFs & { renames: string[] } {
  const renames: string[] = [];
  return {
    renames,
    mkdir: (path, options) => fsp.mkdir(path, options),
    async open(path, flags) {
      const handle = await fsp.open(path, flags);
      return {
        async writeChunks(chunks) {
          const target = join(path, '..', path.split('/').pop()!.replace(/^\./, '').replace(/\.\d+\.\d+\.tmp$/, ''));
          const failure = hooks.failWrite?.(target);
          if (failure) throw failure;
          await handle.writev(chunks as Buffer[]);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    async rename(from, to) {
      await hooks.beforeRename?.(to);
      await fsp.rename(from, to);
      renames.push(to);
    },
    unlink: (path) => fsp.unlink(path),
  };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const idsOnDisk = (dir: string, operationId: string | null): string[] =>
  (JSON.parse(readFileSync(join(dir, fileNameForOperation(operationId)), 'utf8')) as { interactions: Interaction[] }).interactions.map((i) => i.id);

t.test('group commit: 300 concurrent appends to one file cost a few renames, none lost', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const fs = countingFs({ beforeRename: () => pause(5) });
  const store = await CassetteStore.open(dir, INIT, { fs });
  const file = join(dir, fileNameForOperation('getPetById'));
  const sent = Array.from({ length: 300 }, (_, i) => makeInteraction({ id: `g${i}` }));
  await Promise.all(sent.map((interaction) => store.append(interaction)));
  const renames = fs.renames.filter((to) => to === file).length;
  t.ok(renames <= 10, `${renames} renames for 300 appends`);
  t.strictSame(idsOnDisk(dir, 'getPetById'), sent.map((i) => i.id), 'all 300, in call order');
  t.same(store.writeCounts().get('getPetById.json'), { pending: 0, committed: renames });
});

t.test('flush waits for batches queued behind a write in flight', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT, { fs: countingFs({ beforeRename: () => pause(20) }) });
  const settled: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = `f${i}`;
    void store.append(makeInteraction({ id, operationId: i % 2 ? 'listPets' : 'getPetById' })).then(() => settled.push(id));
  }
  t.ok(store.pendingBytes > 0, 'bytes wait to be written');
  await store.flush();
  t.equal(settled.length, 50, 'every append settled before flush resolved');
  t.equal(idsOnDisk(dir, 'getPetById').length + idsOnDisk(dir, 'listPets').length, 50);
  t.equal(store.pendingBytes, 0);
});

t.test('a failing batch rejects every interaction it held, and only those', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const file = join(dir, fileNameForOperation('getPetById'));
  let failing = false;
  let release!: () => void;
  const firstRename = new Promise<void>((resolve) => (release = resolve));
  const fs = countingFs({
    beforeRename: (to) => (to === file && !failing ? firstRename : undefined),
    failWrite: (target) => (failing && target === file ? Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }) : undefined),
  });
  const store = await CassetteStore.open(dir, INIT, { fs });
  const first = store.append(makeInteraction({ id: 'first' }));
  await pause(10); // the first write is now waiting at its rename
  failing = true;
  const batch = Array.from({ length: 20 }, (_, i) => store.append(makeInteraction({ id: `b${i}` })));
  release();
  await first;
  const errors = await Promise.all(batch.map((p) => rejection(p)));
  t.equal(errors.length, 20, 'each of the 20 appends is told');
  t.ok(errors.every((e) => e.code === 'MOCKDECK_ERR_CASSETTE_WRITE' && e.params.file === file));
  t.strictSame(idsOnDisk(dir, 'getPetById'), ['first'], 'the file keeps what was committed');
  t.strictSame(store.interactions().map((i) => i.id), ['first'], 'memory matches disk');
  t.strictSame(readdirSync(dir).filter((n) => n.startsWith('.')), [], 'no temp file left');
  t.equal(store.pendingBytes, 0, 'failed bytes are released');
});

t.test('waitForRoom holds a caller back while too much waits to be written, and lets it go after', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = await CassetteStore.open(dir, INIT, { fs: countingFs({ beforeRename: (to) => (to.endsWith('getPetById.json') ? gate : undefined) }), maxPendingBytes: 1000 });
  await store.waitForRoom(); // nothing pending: at once
  const appends = Array.from({ length: 3 }, () => store.append(makeInteraction()));
  t.ok(store.pendingBytes >= 1000, `${store.pendingBytes} bytes pending`);
  let roomy = false;
  const waiting = store.waitForRoom().then(() => (roomy = true));
  await pause(20);
  t.notOk(roomy, 'still waiting while the write is stuck');
  release();
  await Promise.all(appends);
  await waiting;
  t.ok(roomy, 'room once the write landed');
});

t.test('joined entries are byte-identical to serializing the whole file at once', async (t) => {
  const base = makeInteraction();
  const tricky = [
    makeInteraction(),
    makeInteraction({ response: { ...base.response, body: 'line 1\nline 2\u2028 "quoted" \\ tab\t', bodyEncoding: 'utf8' } }),
    makeInteraction({ response: { ...base.response, body: { z: [[], {}, [1, [2, { a: null }]]], 'ü': 'ß', '': -0.5 }, bodyEncoding: 'json' } }),
    makeInteraction({ operationId: null, alignment: { ok: false, findings: [{ pointer: '/body/name', message: 'expected string, got null' }] } }),
  ];
  // The whole-file serializer the store used before entries were kept: one JSON.stringify of everything.
  const sortDeep = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortDeep) : v !== null && typeof v === 'object' ? sortTop(v as Record<string, unknown>, sortDeep) : v;
  const sortTop = (o: Record<string, unknown>, each: (v: unknown) => unknown = (v) => v): Record<string, unknown> =>
    Object.fromEntries(Object.keys(o).sort().map((k) => [k, each(o[k])]));
  const sortMessage = ({ body, ...rest }: Interaction['request'] | Interaction['response']) => sortTop({ ...(sortDeep(rest) as object), body });
  const legacy = (interactions: Interaction[]): string => {
    const sorted = interactions.map(({ request, response, ...rest }) => sortTop({ ...(sortDeep(rest) as object), request: sortMessage(request), response: sortMessage(response) }));
    return `${JSON.stringify({ interactions: sorted, operationId: 'op' }, null, 2)}\n`;
  };
  t.equal(serializeOperationFile({ operationId: 'op', interactions: tricky }), legacy(tricky));
  t.equal(serializeOperationFile({ operationId: 'op', interactions: [] }), legacy([]));
  t.ok(serializeInteractionEntry(tricky[1]!).startsWith('    {\n      "alignment"'), 'entries are indented where they stand');
});

t.test('waitForRoom lets a batch grow as big as the largest file before holding back', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  let release!: () => void;
  let gate: Promise<void> | undefined;
  const store = await CassetteStore.open(dir, INIT, { fs: countingFs({ beforeRename: () => gate }), maxPendingBytes: 1 });
  await store.appendMany(Array.from({ length: 20 }, () => makeInteraction())); // a file of ~20 entries
  gate = new Promise<void>((resolve) => (release = resolve));
  const small = store.append(makeInteraction());
  let roomy = false;
  await store.waitForRoom().then(() => (roomy = true));
  t.ok(roomy, 'one entry pending is far below the file size: no wait');
  const many = Array.from({ length: 40 }, () => store.append(makeInteraction()));
  roomy = false;
  const waiting = store.waitForRoom().then(() => (roomy = true));
  await pause(10);
  t.notOk(roomy, 'more pending than the file holds: wait');
  release();
  await Promise.all([small, ...many]);
  await waiting;
  t.equal(idsOnDisk(dir, 'getPetById').length, 61);
});

t.test('commit gap: back-to-back changes wait for the gap and share a write; one after a quiet spell is written at once', async (t) => {
  const writes: Array<{ at: number; state: string[] }> = [];
  const queue = new WriteQueue<string[]>([], async (next) => {
    writes.push({ at: performance.now(), state: next });
  }, undefined, 150);
  const started = performance.now();
  await queue.submit((s) => [...s, 'q1']);
  t.ok(writes[0]!.at - started < 100, 'the first change is written at once');
  const later = [queue.submit((s) => [...s, 'q2'])];
  await pause(20);
  later.push(queue.submit((s) => [...s, 'q3']));
  await Promise.all(later);
  t.equal(writes.length, 2, 'q2 and q3 shared one write');
  t.ok(writes[1]!.at - writes[0]!.at >= 140, `the second write waited for the gap (${Math.round(writes[1]!.at - writes[0]!.at)} ms)`);
  t.strictSame(queue.state, ['q1', 'q2', 'q3']);
  await pause(200);
  const quiet = performance.now();
  await queue.submit((s) => [...s, 'q4']);
  t.ok(writes[2]!.at - quiet < 100, 'after a quiet spell the write starts at once');
  t.strictSame(queue.state, ['q1', 'q2', 'q3', 'q4']);
});

t.test('rewrite bound: a big busy file waits in proportion to its size; appends meanwhile share the write', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const renamedAt: number[] = [];
  const fs = countingFs({ beforeRename: () => void renamedAt.push(performance.now()) });
  // 1 MB/s of rewriting: a file of about 200 KB may be written every ~200 ms.
  const store = await CassetteStore.open(dir, INIT, { fs, commitGapMs: 0, rewriteBytesPerSecond: 1_000_000 });
  const big = makeInteraction({ id: 'big', response: { status: 200, headers: {}, body: { blob: 'x'.repeat(200_000) }, bodyEncoding: 'json' } });
  await store.append(big);
  const afterFirst = renamedAt.length;
  await Promise.all([store.append(makeInteraction({ id: 'n1' })), store.append(makeInteraction({ id: 'n2' }))]);
  const fileWrites = renamedAt.slice(afterFirst);
  t.ok(fileWrites.length >= 1, 'the later appends were written');
  const waited = (fileWrites[0] as number) - (renamedAt[afterFirst - 1] as number);
  t.ok(waited >= 150, `the next write of the 200 KB file waited ${Math.round(waited)} ms`);
  t.strictSame(idsOnDisk(dir, 'getPetById'), ['big', 'n1', 'n2'], 'nothing lost');
});

t.test('appends made in one turn share one commit: one write per touched file and one of the meta, in call order', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const fs = countingFs();
  const store = await CassetteStore.open(dir, INIT, { fs });
  const before = fs.renames.length; // cassette.json, written by open
  const sent = Array.from({ length: 40 }, (_, i) => makeInteraction({ id: `t${i}`, operationId: i % 4 === 0 ? 'listPets' : 'getPetById' }));
  const appends = sent.map((interaction) => store.append(interaction));
  t.ok(store.pendingBytes > 0, 'counted as pending at once, for waitForRoom');
  await Promise.all(appends);
  const names = fs.renames.slice(before).map((to) => to.split('/').pop());
  t.strictSame(names.sort(), ['cassette.json', 'getPetById.json', 'listPets.json'], 'each touched file written once, and the meta once');
  t.strictSame(idsOnDisk(dir, 'getPetById'), sent.filter((_, i) => i % 4 !== 0).map((i) => i.id), 'call order kept');
  t.strictSame(idsOnDisk(dir, 'listPets'), sent.filter((_, i) => i % 4 === 0).map((i) => i.id));
});

t.test('in one turn, a file-name clash fails only the call that brings it', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const kept = store.append(makeInteraction({ id: 'kept', operationId: 'getPet' }));
  const clash = store.append(makeInteraction({ id: 'clash', operationId: 'GetPet' }));
  const after = store.append(makeInteraction({ id: 'after', operationId: 'getPet' }));
  const err = await rejection(clash);
  t.equal(err.code, 'MOCKDECK_ERR_CASSETTE_WRITE');
  t.match(err.message, /case-insensitive/);
  await Promise.all([kept, after]);
  t.strictSame(idsOnDisk(dir, 'getPet'), ['kept', 'after'], 'the others of the turn landed');
  t.strictSame(readdirSync(dir).sort(), ['cassette.json', 'getPet.json']);
});

t.test('in one turn, a replace removes what was recorded before it and keeps what comes after', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  await store.append(makeInteraction({ id: 'k-old' }));
  const turn = [
    store.append(makeInteraction({ id: 'k-1' })),
    store.append(makeInteraction({ id: 'x' }), { replace: (old) => old.id.startsWith('k-') }),
    store.append(makeInteraction({ id: 'k-2' })),
  ];
  await Promise.all(turn);
  t.strictSame(idsOnDisk(dir, 'getPetById'), ['x', 'k-2'], 'as if the three calls had been committed one by one');
  t.strictSame(store.interactions().map((i) => i.id).sort(), ['k-2', 'x']);
});

t.test('entries of every size and script, across many shared slabs, write exactly what the serializer gives', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const words = ['plain', 'ü ß é', '中文字符', '😀 emoji', 'line\u2028sep'];
  // 400 entries of 0.3 to 8 KB: a few hundred KB in all, so dozens of 64 KiB slabs, with entries of 3-byte and 4-byte characters among them.
  const sent = Array.from({ length: 400 }, (_, i) => makeInteraction({ id: `s${i}`, response: { status: 200, headers: {}, body: { text: words[i % words.length]!.repeat(1 + ((i * 37) % 300)) }, bodyEncoding: 'json' } }));
  await Promise.all(sent.map((interaction) => store.append(interaction)));
  const file = join(dir, fileNameForOperation('getPetById'));
  t.equal(readFileSync(file, 'utf8'), serializeOperationFile({ operationId: 'getPetById', interactions: sent }));
});
