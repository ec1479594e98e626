import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CassetteStore } from '../../src/cassette/index.js';
import { RecordQueue, RECORD_BATCH_MS } from '../../src/recorder/record-queue.js';
import { RecordingStats } from '../../src/recorder/recording-stats.js';
import type { Interaction } from '../../src/types.js';
import { makeInteraction } from '../cassette/fixtures.js';

const INIT = { name: 'petstore', spec: null, target: null };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const idsOnDisk = (dir: string): string[] =>
  (JSON.parse(readFileSync(join(dir, 'getPetById.json'), 'utf8')) as { interactions: Interaction[] }).interactions.map((i) => i.id);

t.test('interactions wait together for one batch, then land in the order they were added', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const stats = new RecordingStats();
  const queue = new RecordQueue(store, stats);
  const sent = Array.from({ length: 30 }, (_, i) => makeInteraction({ id: `q${i}` }));
  for (const interaction of sent) queue.add(interaction);
  t.equal(queue.waiting, 30, 'held back');
  t.equal(store.pendingBytes, 0, 'nothing handed to the store yet');
  await pause(RECORD_BATCH_MS + 20);
  t.equal(queue.waiting, 0, 'handed over once the batch time passed, without a flush');
  await store.flush();
  t.strictSame(idsOnDisk(dir), sent.map((i) => i.id));
  await queue.flush();
  t.equal(stats.totals.recorded, 30, 'each one counted once written');
});

t.test('flush hands over at once and resolves when everything is on disk', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const queue = new RecordQueue(store, new RecordingStats(), 60_000);
  queue.add(makeInteraction({ id: 'a' }));
  queue.add(makeInteraction({ id: 'b' }));
  await queue.flush();
  t.strictSame(idsOnDisk(dir), ['a', 'b'], 'not held for the hour the batch time says');
});

t.test('a full batch is handed over without waiting for its time', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const queue = new RecordQueue(store, new RecordingStats(), 60_000, 3);
  queue.add(makeInteraction({ id: 'a' }));
  queue.add(makeInteraction({ id: 'b' }));
  t.equal(queue.waiting, 2);
  queue.add(makeInteraction({ id: 'c' }));
  t.equal(queue.waiting, 0, 'the third filled the batch');
  t.ok(store.pendingBytes > 0, 'and the store has it');
  await queue.flush();
  t.strictSame(idsOnDisk(dir), ['a', 'b', 'c']);
});

t.test('an interaction the store refuses is reported; the rest of its batch lands', async (t) => {
  const dir = join(t.testdir(), 'petstore');
  const store = await CassetteStore.open(dir, INIT);
  const stats = new RecordingStats();
  const queue = new RecordQueue(store, stats);
  queue.add(makeInteraction({ id: 'good-1' }));
  queue.add(makeInteraction({ id: 'bad', durationMs: -1 }));
  queue.add(makeInteraction({ id: 'good-2' }));
  await queue.flush();
  t.strictSame(idsOnDisk(dir), ['good-1', 'good-2']);
  t.equal(stats.totals.recorded, 2);
  t.equal(stats.failures.length, 1);
  t.match(stats.failures[0], /GET \/pets\/7 \(bad\): .*getPetById\.json#\/interactions\/-\/durationMs/);
});
